// Entry point. In the desktop app (window.chamberShell from the shell's preload) sync goes over
// the shell's MessagePort transport, set before the app mounts and opens its first replica; in
// a browser the page's own origin is used (renderer/sync/endpoint.ts).
import '../shared/zod-no-eval.ts';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/index.tsx';
import { App } from './app/App.tsx';
import { installShellSync } from './desktop/shell-bridge.ts';
import './styles.css';

installShellSync();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
