// The desktop app's main-process logic, composed in one place and free of Electron: the app
// protocol on the app's session, permissions denied, the embedded agent with its encrypted cache,
// the IPC handlers (sync ports, live meeting → keep-awake), the window, wipes, and update checks.
// electron/main/index.ts hands it Electron's objects; the desktop harness (test/desktop/) hands
// it thin stand-ins and a Chromium page, so both run exactly this.
import { IPC, sessionEndedSchema } from '../../shared/shell-api.ts';
import { Throttler } from '../core/async.ts';
import { APP_ENTRY_URL, APP_SCHEME, createAppProtocolHandler } from './app-protocol.ts';
import { AgentRuntime, type AgentRuntimeOptions, type ShellLog } from './agent-runtime.ts';
import type { CarriedOutWipe, StartAgent } from './agent-handle.ts';
import type { DeviceConfig } from './device-config.ts';
import { denyPermissions, type PermissionSession } from './guards.ts';
import { registerShellIpc, type IpcMainLike, type ShellIpc } from './ipc-handlers.ts';
import { KeepAwake, type PowerSaveBlockerLike } from './room-policy.ts';
import type { SafeStorageLike } from './secrets.ts';
import { deviceJar } from './device-jar.ts';
import type { UpstreamSocket } from './sync-bridge.ts';
import { checkAndInstall, nodeInstallEffects, type InstallEffects, type UpdateOutcome } from './updater.ts';
import { executeWipe, type WipeOutcome } from './wipe.ts';

/** The slice of Electron's Protocol (session.protocol) used here. */
export interface ProtocolLike {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void;
}

/** The slice of Electron's Session for the app's partition. */
export interface ShellSessionLike extends PermissionSession {
  readonly protocol: ProtocolLike;
  /** Clears what the page kept (storage, caches) in this session. */
  clearStorageData(): Promise<void>;
}

/** What the shell needs of its one window. */
export interface ShellWindow {
  /** The webContents id IPC senders are checked against. */
  readonly contentsId: number;
  loadURL(url: string): Promise<unknown>;
  send(channel: string, payload: unknown): void;
  onClosed(listener: () => void): void;
}

export interface ShellPaths {
  /** The built renderer. */
  distDir: string;
  /** The agent's folder: its encrypted cache. */
  dataDir: string;
  secretsFile: string;
  /** Where update downloads land before they are verified. */
  updatesDir: string;
}

export interface ShellUpdates {
  /** The release key built into the app; null: this build never installs updates. */
  publicKeyPem: string | null;
  /** Check at start and then every `intervalMs` (packaged builds); off: only when asked. */
  schedule: boolean;
  intervalMs?: number;
  fetch?: typeof fetch;
  effects?: InstallEffects;
}

export interface ShellDeps {
  config: DeviceConfig;
  paths: ShellPaths;
  session: ShellSessionLike;
  ipcMain: IpcMainLike;
  powerSaveBlocker: PowerSaveBlockerLike;
  safeStorage: SafeStorageLike;
  startAgent: StartAgent;
  openWindow: (choice: { kiosk: boolean }) => ShellWindow | Promise<ShellWindow>;
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  appVersion: string;
  updates: ShellUpdates;
  quit: () => void;
  /** The sync bridge's upstream socket; Node's WebSocket by default. */
  connect?: (url: string) => UpstreamSocket;
  agentTuning?: AgentRuntimeOptions['tuning'];
  log: ShellLog;
}

export interface Shell {
  readonly runtime: AgentRuntime;
  readonly keepAwake: KeepAwake;
  readonly ipc: ShellIpc;
  /** The window, until it is closed. */
  readonly window: ShellWindow | null;
  checkForUpdate(): Promise<UpdateOutcome | null>;
  /** Carries out a wipe order given at the machine (validated here: untrusted input). */
  wipe(order: unknown): Promise<WipeOutcome>;
  close(): Promise<void>;
}

const SIX_HOURS = 6 * 3600_000;
const nodeConnect = (url: string) => new WebSocket(url) as unknown as UpstreamSocket;

function runtimeFor(deps: ShellDeps, onWipeOrder?: (order: CarriedOutWipe) => void): AgentRuntime {
  return new AgentRuntime({
    startAgent: deps.startAgent,
    hubUrl: deps.config.hubUrl,
    dataDir: deps.paths.dataDir,
    secretsFile: deps.paths.secretsFile,
    safeStorage: deps.safeStorage,
    platform: deps.platform,
    onWipeOrder,
    tuning: deps.agentTuning,
    log: deps.log,
  });
}

export async function startShell(deps: ShellDeps): Promise<Shell> {
  const { log } = deps;
  const keepAwake = new KeepAwake(deps.powerSaveBlocker, deps.config.keepAwake);
  let win: ShellWindow | null = null;

  // A hub wipe order the agent carried out: the meeting is gone from the cache, and whoever holds
  // the tablet signs in again before seeing anything (with refetch the hub wants the meeting
  // back at once, so the session stays).
  const afterWipeOrder = async (order: CarriedOutWipe): Promise<void> => {
    if (order.refetch) return;
    await deps.session.clearStorageData().catch((err: unknown) => log('clearing the page storage failed', { error: String(err) }));
    win?.send(IPC.sessionEnded, sessionEndedSchema.parse({ reason: 'wiped', meetingId: order.meetingId }));
    log('returned the window to sign-in after a wipe order', { meetingId: order.meetingId });
  };
  const runtime = runtimeFor(deps, (order) => void afterWipeOrder(order));

  denyPermissions(deps.session, log);
  // The device session's secret stays in the main process (device-jar.ts), never in the page.
  const jar = deviceJar(deps.paths.secretsFile, deps.safeStorage, deps.platform);
  deps.session.protocol.handle(APP_SCHEME, createAppProtocolHandler({ distDir: deps.paths.distDir, agent: () => runtime.agent, deviceJar: jar }));
  await runtime.start();

  const ipc = registerShellIpc({
    ipcMain: deps.ipcMain,
    trustedContentsIds: () => new Set(win ? [win.contentsId] : []),
    agentUrl: () => runtime.url,
    connect: deps.connect ?? nodeConnect,
    keepAwake,
    log,
  });

  const checkOnce = async (): Promise<UpdateOutcome | null> => {
    const publicKeyPem = deps.updates.publicKeyPem;
    if (!publicKeyPem) return null;
    try {
      return await checkAndInstall({
        feedUrl: new URL('/updates/', deps.config.hubUrl).toString(),
        platform: deps.platform,
        arch: deps.arch,
        currentVersion: deps.appVersion,
        publicKeyPem,
        downloadDir: deps.paths.updatesDir,
        fetch: deps.updates.fetch,
      }, deps.env, deps.updates.effects ?? nodeInstallEffects(deps.quit), log);
    } catch (err) {
      log('update check failed', { error: String(err) });
      return null;
    }
  };
  // The timer and a check asked for by hand may meet: the second shares the check under way
  // rather than downloading the same installer beside it.
  const updateChecks = new Throttler();
  const checkForUpdate = () => updateChecks.join(checkOnce);

  const opened = await deps.openWindow({ kiosk: deps.config.kiosk });
  win = opened;
  opened.onClosed(() => {
    win = null;
    keepAwake.release();
  });
  await opened.loadURL(APP_ENTRY_URL);

  let timer: ReturnType<typeof setInterval> | null = null;
  if (deps.updates.schedule && deps.updates.publicKeyPem) {
    void checkForUpdate();
    timer = setInterval(() => void checkForUpdate(), deps.updates.intervalMs ?? SIX_HOURS);
    timer.unref?.();
  }

  return {
    runtime,
    keepAwake,
    ipc,
    get window() {
      return win;
    },
    checkForUpdate,
    wipe: async (order) => {
      const outcome = await executeWipe(order, runtime.wipeDeps({ beforeStop: () => ipc.closeBridges(), clearRendererStorage: () => deps.session.clearStorageData() }));
      // Nobody resumes past a wipe (the agent ends its side too, or its cache is gone).
      if (outcome.ok) jar.set(null);
      return outcome;
    },
    async close() {
      if (timer) clearInterval(timer);
      ipc.dispose();
      keepAwake.release();
      await runtime.stop();
    },
  };
}

/**
 * `chamber --wipe-device` / `--wipe-meeting ID`, given at the machine: no window, the agent
 * started only so a per-meeting purge can run, then stopped.
 */
export async function runWipeCommand(deps: ShellDeps, order: unknown): Promise<WipeOutcome> {
  const runtime = runtimeFor(deps);
  await runtime.start().catch((err: unknown) => deps.log('agent did not start before the wipe', { error: String(err) }));
  const outcome = await executeWipe(order, runtime.wipeDeps({ beforeStop: () => {}, clearRendererStorage: () => deps.session.clearStorageData() }));
  if (outcome.ok) deviceJar(deps.paths.secretsFile, deps.safeStorage, deps.platform).set(null);
  await runtime.stop();
  deps.log(outcome.ok ? outcome.did : `wipe refused: ${outcome.reason}`);
  return outcome;
}
