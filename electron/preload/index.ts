// Preload, sandboxed and context-isolated: Electron's two objects handed to the preload's logic
// (expose.ts), which defines window.chamberShell per shared/shell-api.ts and nothing more.
import { contextBridge, ipcRenderer } from 'electron';
import { exposeChamberShell } from './expose.ts';

exposeChamberShell(contextBridge, ipcRenderer, window);
