// BrowserWindow options for the one window Chamber opens. Each flag is set explicitly even
// where Electron's default already agrees: a default that changes in a future Electron (or a
// copy-paste into a new window) must not silently weaken the page.
//
// No `import 'electron'` here (layering rule); electron/main passes these objects straight to
// BrowserWindow, so the type checker still holds them against Electron's own types there.

export interface WindowChoice {
  /** Absolute path of the bundled preload script. */
  preload: string;
  kiosk: boolean;
  /** Per-app persistent session partition, so nothing is shared with a default session. */
  partition?: string;
}

export const SESSION_PARTITION = 'persist:chamber';

export function secureWebPreferences(preload: string, partition: string = SESSION_PARTITION) {
  return {
    preload,
    partition,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // Middle-click opens links in new windows without passing window.open's handler.
    disableBlinkFeatures: 'Auxclick',
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    // DevTools would hand anyone at the tablet a console inside the papers' origin.
    devTools: false,
  };
}

export function mainWindowOptions(choice: WindowChoice) {
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    title: 'Chamber',
    autoHideMenuBar: true,
    kiosk: choice.kiosk,
    fullscreen: choice.kiosk,
    // In kiosk mode the delegate cannot close, minimise or move the window out of the way.
    closable: !choice.kiosk,
    minimizable: !choice.kiosk,
    movable: !choice.kiosk,
    webPreferences: secureWebPreferences(choice.preload, choice.partition),
  };
}

/** The checklist as data, so a test (and a reviewer) can see which flags are load-bearing. */
export const REQUIRED_WEB_PREFERENCES: Readonly<Record<string, boolean>> = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
};

/** Names of checklist flags that `prefs` gets wrong; empty when the window is safe to open. */
export function insecurePreferences(prefs: object | undefined): string[] {
  const p = (prefs ?? {}) as Record<string, unknown>;
  return Object.entries(REQUIRED_WEB_PREFERENCES)
    .filter(([key, want]) => p[key] !== want)
    .map(([key]) => key);
}
