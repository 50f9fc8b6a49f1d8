// Electron main process: wiring only. Every decision lives in electron/shell/ (shell-main.ts
// composes it), where it runs under Node in the unit tests and the desktop harness; this file
// hands Electron's objects to it in the right order and opens the one window.
import { app, BrowserWindow, dialog, ipcMain, powerSaveBlocker, protocol, safeStorage, session } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAgent } from '../agent/agent.ts';
import { createLogger, logFunction } from '../core/log.ts';
import { PRIVILEGED_SCHEMES } from '../shell/app-protocol.ts';
import { configForRun, deviceConfigPath, enrolDevice, readDeviceConfig } from '../shell/device-config.ts';
import { guardNavigation } from '../shell/guards.ts';
import { enforceSingleInstance } from '../shell/room-policy.ts';
import { runWipeCommand, startShell, type Shell, type ShellDeps, type ShellWindow } from '../shell/shell-main.ts';
import { SESSION_PARTITION, insecurePreferences, mainWindowOptions } from '../shell/window-options.ts';

// One pino logger per subsystem: the shell's, and the embedded agent's (its lines tagged `agent`
// rather than passed through the shell's).
const log = logFunction(createLogger('shell'));
const agentLog = logFunction(createLogger('agent'));

const { values: args } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: {
    enrol: { type: 'boolean', default: false },
    replace: { type: 'boolean', default: false },
    hub: { type: 'string' },
    name: { type: 'string' },
    kiosk: { type: 'boolean', default: false },
    'wipe-device': { type: 'boolean', default: false },
    'wipe-meeting': { type: 'string' },
  },
  strict: false,
});

// Before anything else: a second instance would open the encrypted cache twice.
let mainWindow: BrowserWindow | null = null;
let shell: Shell | null = null;
const isPrimary = enforceSingleInstance(app, () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((s) => ({ scheme: s.scheme, privileges: { ...s.privileges } })));
app.enableSandbox();

const appRoot = app.getAppPath();
const userData = app.getPath('userData');
// Inside the ASAR, which the integrity fuse protects: the key cannot be swapped on disk.
const updateKeyPath = path.join(appRoot, 'build', 'update-public.pem');
const configFile = deviceConfigPath(process.platform, process.env);

function openWindow({ kiosk }: { kiosk: boolean }): ShellWindow {
  const options = mainWindowOptions({ preload: path.join(appRoot, 'dist-electron', 'preload.cjs'), kiosk });
  const unsafe = insecurePreferences(options.webPreferences);
  if (unsafe.length > 0) throw new Error(`refusing to open a window with unsafe preferences: ${unsafe.join(', ')}`);
  // The load-bearing flags are restated literally at the construction site: Electronegativity
  // (and a reviewer) can then see what this window gets without following the helper.
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
  });
  return {
    contentsId: win.webContents.id,
    loadURL: (url) => win.loadURL(url),
    send: (channel, payload) => {
      if (!win.isDestroyed()) win.webContents.send(channel, payload);
    },
    onClosed: (listener) => win.on('closed', listener),
  };
}

function shellDeps(config: ShellDeps['config']): ShellDeps {
  const ses = session.fromPartition(SESSION_PARTITION);
  return {
    config,
    paths: {
      distDir: path.join(appRoot, 'dist'),
      dataDir: path.join(userData, 'agent'),
      secretsFile: path.join(userData, 'secrets.json'),
      updatesDir: path.join(userData, 'updates'),
    },
    session: {
      protocol: ses.protocol,
      setPermissionRequestHandler: (h) => ses.setPermissionRequestHandler(h),
      setPermissionCheckHandler: (h) => ses.setPermissionCheckHandler(h),
      setDevicePermissionHandler: (h) => ses.setDevicePermissionHandler(h),
      clearStorageData: () => ses.clearStorageData(),
    },
    ipcMain,
    powerSaveBlocker,
    safeStorage,
    startAgent: (options) => startAgent({ ...options, log: agentLog }),
    openWindow,
    platform: process.platform,
    arch: process.arch,
    env: process.env,
    appVersion: app.getVersion(),
    // Only packaged builds update themselves, and only with the release key inside the ASAR.
    updates: { publicKeyPem: app.isPackaged && fs.existsSync(updateKeyPath) ? fs.readFileSync(updateKeyPath, 'utf8') : null, schedule: true },
    quit: () => app.quit(),
    log,
  };
}

async function main(): Promise<void> {
  await app.whenReady();
  const config = configForRun(readDeviceConfig(configFile), { isPackaged: app.isPackaged, hub: args.hub, kiosk: Boolean(args.kiosk) });
  if (!config.ok) {
    dialog.showErrorBox('Chamber is not set up on this device', config.message);
    return app.quit();
  }
  // --kiosk tries kiosk mode in development runs; a packaged build takes it from the enrolment only.
  const deps = shellDeps({ ...config.config, kiosk: config.config.kiosk || Boolean(args.kiosk && !app.isPackaged) });
  if (args['wipe-device'] || typeof args['wipe-meeting'] === 'string') {
    await runWipeCommand(deps, args['wipe-device'] ? { kind: 'wipe-device' } : { kind: 'wipe-meeting', meetingId: args['wipe-meeting'] });
    return app.quit();
  }
  shell = await startShell(deps);
}

if (isPrimary) {
  if (args.enrol) {
    // IT runs this once, with administrator rights: `chamber --enrol --hub URL --name NAME [--kiosk]`.
    try {
      const written = enrolDevice(configFile, { hubUrl: String(args.hub ?? ''), deviceName: String(args.name ?? ''), kiosk: Boolean(args.kiosk) }, { replace: Boolean(args.replace) });
      console.log(`enrolled: ${configFile}\n${JSON.stringify(written, null, 2)}`);
      app.exit(0);
    } catch (err) {
      console.error(`enrolment failed: ${(err as Error).message}`);
      app.exit(1);
    }
  } else {
    app.on('web-contents-created', (_event, contents) => guardNavigation(contents, log));
    app.on('window-all-closed', () => app.quit());
    app.on('before-quit', () => void shell?.close());
    main().catch((err: unknown) => {
      log('start-up failed', { error: err instanceof Error ? err.stack : String(err) });
      dialog.showErrorBox('Chamber could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
  }
}
