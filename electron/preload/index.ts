// Preload, sandboxed and context-isolated. It exposes two narrow functions, never ipcRenderer
// itself: the page can ask for a sync port and report whether a meeting is live, nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC, SYNC_PORT_MESSAGE } from '../shell/ipc-channels.ts';

contextBridge.exposeInMainWorld('chamberShell', {
  version: 1,
  openSyncPort(url: unknown, id: unknown): void {
    if (typeof url !== 'string' || url.length > 4096 || typeof id !== 'string' || id.length > 128) return;
    // contextBridge cannot carry a MessagePort, so one end goes to the page by window message
    // (same window, same origin) and the other to the main process.
    const { port1, port2 } = new MessageChannel();
    ipcRenderer.postMessage(IPC.syncOpen, { url }, [port2]);
    window.postMessage({ type: SYNC_PORT_MESSAGE, id }, window.location.origin, [port1]);
  },
  setMeetingLive(live: unknown): void {
    if (typeof live === 'boolean') ipcRenderer.send(IPC.meetingLive, live);
  },
});
