import { describe, expect, it } from 'vitest';
import { REQUIRED_WEB_PREFERENCES, SESSION_PARTITION, insecurePreferences, mainWindowOptions, secureWebPreferences } from '../../../electron/shell/window-options.ts';

describe('window options', () => {
  it('sets every checklist flag explicitly', () => {
    const prefs = secureWebPreferences('/app/dist-electron/preload.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/app/dist-electron/preload.cjs',
      partition: SESSION_PARTITION,
    });
    expect(prefs.enableBlinkFeatures).toBe('');
    expect(insecurePreferences(prefs)).toEqual([]);
  });

  it('names each weakened flag', () => {
    const prefs = { ...secureWebPreferences('/p.cjs'), sandbox: false, nodeIntegration: true };
    expect(insecurePreferences(prefs).sort()).toEqual(['nodeIntegration', 'sandbox']);
    // A missing flag counts as wrong: defaults are not trusted.
    expect(insecurePreferences({})).toEqual(Object.keys(REQUIRED_WEB_PREFERENCES));
  });

  it('locks the window down in kiosk mode only', () => {
    const kiosk = mainWindowOptions({ preload: '/p.cjs', kiosk: true });
    expect(kiosk).toMatchObject({ kiosk: true, fullscreen: true, closable: false, minimizable: false, movable: false, show: false });
    const desk = mainWindowOptions({ preload: '/p.cjs', kiosk: false });
    expect(desk).toMatchObject({ kiosk: false, fullscreen: false, closable: true, minimizable: true });
    expect(insecurePreferences(kiosk.webPreferences)).toEqual([]);
    expect(insecurePreferences(desk.webPreferences)).toEqual([]);
  });
});
