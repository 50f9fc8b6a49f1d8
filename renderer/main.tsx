// Entry point. In Electron the shell's preload may configure the sync transport (a
// MessagePort-backed WebSocket class) before this runs; see renderer/sync/transport.ts.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/index.tsx';
import { App } from './app/App.tsx';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App />
    </I18nProvider>
  </StrictMode>,
);
