// Electron main process: wiring only. Every decision lives in electron/shell/, where it is
// tested under Node; this file hands Electron's objects to those modules in the right order.
import { app, BrowserWindow, dialog, ipcMain, powerSaveBlocker, protocol, safeStorage, session, type WebContents } from 'electron';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAgent } from '../agent/agent.ts';
import type { AgentHandle } from '../shell/agent-handle.ts';
import { APP_ENTRY_URL, APP_SCHEME, PRIVILEGED_SCHEMES, createAppProtocolHandler } from '../shell/app-protocol.ts';
import { deviceConfigPath, enrolDevice, readDeviceConfig, type DeviceConfig } from '../shell/device-config.ts';
import { encryptedCacheOpener } from '../shell/encrypted-cache.ts';
import { denyPermissions, guardNavigation } from '../shell/guards.ts';
import { IPC, isTrustedSender } from '../shell/ipc.ts';
import { KeepAwake, enforceSingleInstance } from '../shell/room-policy.ts';
import { CACHE_KEY_SECRET, SecretBox, discardCache, loadOrCreateCacheKey } from '../shell/secrets.ts';
import { bridgeSyncPort, type UpstreamSocket } from '../shell/sync-bridge.ts';
import { fetchVerifiedUpdate, installPlan } from '../shell/updater.ts';
import { SESSION_PARTITION, insecurePreferences, mainWindowOptions } from '../shell/window-options.ts';
import { executeWipe } from '../shell/wipe.ts';

const log = (msg: string, extra?: Record<string, unknown>) => console.log(JSON.stringify({ t: new Date().toISOString(), shell: true, msg, ...extra }));

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
const isPrimary = enforceSingleInstance(app, () => {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
});

protocol.registerSchemesAsPrivileged(PRIVILEGED_SCHEMES.map((s) => ({ scheme: s.scheme, privileges: { ...s.privileges } })));
app.enableSandbox();

const appRoot = app.getAppPath();
const distDir = path.join(appRoot, 'dist');
const preloadPath = path.join(appRoot, 'dist-electron', 'preload.cjs');
// Inside the ASAR, which the integrity fuse protects: the key cannot be swapped on disk.
const updateKeyPath = path.join(appRoot, 'build', 'update-public.pem');
const dataDir = path.join(app.getPath('userData'), 'agent');
const secretsFile = path.join(app.getPath('userData'), 'secrets.json');
const configFile = deviceConfigPath(process.platform, process.env);

let agent: AgentHandle | null = null;
let cacheKey: string | null = null;
const bridges = new Set<() => void>();

function loadConfig(): DeviceConfig | null {
  const result = readDeviceConfig(configFile);
  if (result.ok) return result.config;
  // Development runs (npm start) pass the hub on the command line; packaged builds never do.
  if (!app.isPackaged && typeof args.hub === 'string') {
    return { version: 1, hubUrl: args.hub, deviceName: 'development', kiosk: Boolean(args.kiosk), keepAwake: true, enrolledAt: new Date().toISOString() };
  }
  dialog.showErrorBox('Chamber is not set up on this device', result.message);
  return null;
}

async function bootAgent(config: DeviceConfig): Promise<void> {
  const key = loadOrCreateCacheKey(secretsFile, safeStorage, process.platform);
  log('cache key', { persisted: key.persisted, reason: key.reason });
  if (key.discardExistingCache) discardCache(dataDir);
  cacheKey = key.key;
  agent = await startAgent({
    hubUrl: config.hubUrl,
    dataDir,
    port: 0,
    host: '127.0.0.1',
    openDatabase: encryptedCacheOpener(cacheKey),
  });
}

async function wipe(order: unknown, config: DeviceConfig): Promise<void> {
  const result = await executeWipe(order, {
    wipeMeeting: agent?.wipeMeeting ? (id) => agent!.wipeMeeting!(id) : undefined,
    stopAgent: async () => {
      for (const stop of bridges) stop();
      await agent?.close();
      agent = null;
    },
    startAgent: () => bootAgent(config),
    forgetCacheKey: () => new SecretBox(secretsFile, safeStorage).delete(CACHE_KEY_SECRET),
    deleteCache: () => discardCache(dataDir),
    clearRendererStorage: () => session.fromPartition(SESSION_PARTITION).clearStorageData(),
    log,
  });
  log(result.ok ? result.did : `wipe refused: ${result.reason}`);
}

function hardenContents(contents: WebContents): void {
  guardNavigation(contents, log);
}

async function checkForUpdate(config: DeviceConfig): Promise<void> {
  if (!app.isPackaged || !fs.existsSync(updateKeyPath)) return;
  const result = await fetchVerifiedUpdate({
    feedUrl: new URL('/updates/', config.hubUrl).toString(),
    platform: process.platform,
    arch: process.arch,
    currentVersion: app.getVersion(),
    publicKeyPem: fs.readFileSync(updateKeyPath, 'utf8'),
    downloadDir: path.join(app.getPath('userData'), 'updates'),
  });
  if (result.status !== 'ready') {
    if (result.status === 'refused') log('update refused', { reason: result.reason });
    return;
  }
  const plan = installPlan(result.file, process.platform, process.env);
  log('verified update', { version: result.version, plan: plan.kind });
  if (plan.kind === 'replace-appimage') {
    fs.chmodSync(plan.from, 0o755);
    fs.renameSync(plan.from, plan.to);
  } else if (plan.kind === 'run-installer') {
    spawn(plan.command, plan.args, { detached: true, stdio: 'ignore' }).unref();
    app.quit();
  }
}

async function main(): Promise<void> {
  await app.whenReady();
  const config = loadConfig();
  if (!config) return app.quit();

  const ses = session.fromPartition(SESSION_PARTITION);
  denyPermissions(ses, log);
  ses.protocol.handle(APP_SCHEME, createAppProtocolHandler({ distDir, agent: () => agent }));

  if (args['wipe-device'] || typeof args['wipe-meeting'] === 'string') {
    await bootAgent(config).catch((err: unknown) => log('agent did not start before the wipe', { error: String(err) }));
    await wipe(args['wipe-device'] ? { kind: 'wipe-device' } : { kind: 'wipe-meeting', meetingId: args['wipe-meeting'] }, config);
    return app.quit();
  }

  await bootAgent(config);
  const keepAwake = new KeepAwake(powerSaveBlocker, config.keepAwake);

  ipcMain.on(IPC.syncOpen, (event, message: unknown) => {
    const port = event.ports[0];
    if (!port) return;
    if (!isTrustedSender(event, { trustedContentsIds: () => new Set(mainWindow ? [mainWindow.webContents.id] : []) })) {
      port.close();
      return;
    }
    let stop: () => void = () => {};
    stop = bridgeSyncPort({
      port,
      requestUrl: (message as { url?: unknown } | null)?.url,
      agentUrl: () => agent?.url ?? null,
      connect: (url) => new WebSocket(url) as unknown as UpstreamSocket,
      log,
    });
    bridges.add(stop);
    port.on('close', () => bridges.delete(stop));
  });
  ipcMain.on(IPC.meetingLive, (event, live: unknown) => {
    if (!isTrustedSender(event) || typeof live !== 'boolean') return;
    keepAwake.setLive(live);
  });

  const options = mainWindowOptions({ preload: preloadPath, kiosk: config.kiosk || Boolean(args.kiosk && !app.isPackaged) });
  const unsafe = insecurePreferences(options.webPreferences);
  if (unsafe.length > 0) throw new Error(`refusing to open a window with unsafe preferences: ${unsafe.join(', ')}`);
  // The load-bearing flags are restated literally at the construction site: Electronegativity
  // (and a reviewer) can then see what this window gets without following the helper.
  mainWindow = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick' },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
    keepAwake.release();
  });
  await mainWindow.loadURL(APP_ENTRY_URL);

  void checkForUpdate(config).catch((err: unknown) => log('update check failed', { error: String(err) }));
  setInterval(() => void checkForUpdate(config).catch((err: unknown) => log('update check failed', { error: String(err) })), 6 * 3600_000).unref();
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
    app.on('web-contents-created', (_event, contents) => hardenContents(contents));
    app.on('window-all-closed', () => app.quit());
    app.on('before-quit', () => {
      for (const stop of bridges) stop();
      void agent?.close();
    });
    main().catch((err: unknown) => {
      log('start-up failed', { error: err instanceof Error ? err.stack : String(err) });
      dialog.showErrorBox('Chamber could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
  }
}
