// The desktop harness: the desktop app without the Electron binary. This Node process stands in
// for Electron's main process and runs the shell's real main-process logic (startShell in
// electron/shell/shell-main.ts: app protocol, embedded agent with its encrypted cache, IPC
// handlers and sync bridges, keep-awake, wipe, update check), with the narrowest fakes:
//
//   protocol registration  ProtocolServer: an HTTP server on 127.0.0.1 calling the registered
//                          chamber:// handler per request (protocol-server.ts says what changes)
//   the window             a Chromium page (Debian's, via Playwright) loading the app from it
//   the preload            its own logic (electron/preload/expose.ts), bundled and run in the
//                          page before the app, with stand-ins for contextBridge and ipcRenderer
//   IPC and ports          Playwright binding (page → main) and evaluate (main → page); each
//                          transferred port is a MessagePortMain-like HarnessPort here
//   safeStorage            AES-GCM with a key held by the fake "keyring"
//   powerSaveBlocker       records start and stop
//   session storage        clearStorageData = CDP Storage.clearDataForOrigin on the app origin
//
// The device is enrolled with the real enrolment code into a temporary device.json.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { startAgent } from '../../electron/agent/agent.ts';
import type { Database } from '../../electron/core/store.ts';
import { configForRun, enrolDevice, readDeviceConfig } from '../../electron/shell/device-config.ts';
import { encryptedCacheOpener } from '../../electron/shell/encrypted-cache.ts';
import type { IpcMainEventLike } from '../../electron/shell/ipc-handlers.ts';
import { CACHE_KEY_SECRET, SecretBox } from '../../electron/shell/secrets.ts';
import { startShell, type Shell, type ShellUpdates, type ShellWindow } from '../../electron/shell/shell-main.ts';
import { ROOT, tempDir } from '../helpers/processes.ts';
import { FakeIpcMain, FakePowerSaveBlocker, FakeSafeStorage, HarnessPort } from './fakes.ts';
import { ProtocolServer } from './protocol-server.ts';
import { decode, encode, type MainToPage, type PageToMain } from './wire.ts';

let bundle: Promise<string> | null = null;

/** The page-side preload (page-preload.ts with expose.ts), bundled once per test process. */
export function pagePreloadBundle(): Promise<string> {
  bundle ??= build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      write: false, minify: false, sourcemap: false, target: 'es2022',
      lib: { entry: path.join(ROOT, 'test/desktop/page-preload.ts'), formats: ['iife'], name: 'chamberPagePreload', fileName: () => 'page-preload.js' },
    },
  }).then((out) => {
    const result = Array.isArray(out) ? out[0] : out;
    return (result as { output: Array<{ code: string }> }).output[0]!.code;
  });
  return bundle;
}

/** Reports CSP violations and uncaught errors of the harness window to the test. */
const INSTRUMENT = `document.addEventListener('securitypolicyviolation', (e) => window.__harnessReport?.('csp ' + e.effectiveDirective + ' ' + e.blockedURI));`;

export interface DesktopOptions {
  browser: Browser;
  hubUrl: string;
  name?: string;
  keepAwake?: boolean;
  /** Update checks: off unless a release key is given; then only when the test asks. */
  updates?: { publicKeyPem: string; platform?: NodeJS.Platform; arch?: string; env?: NodeJS.ProcessEnv; appVersion?: string };
  viewport?: { width: number; height: number };
}

export interface Desktop {
  shell: Shell;
  page: Page;
  context: BrowserContext;
  protocol: ProtocolServer;
  blocker: FakePowerSaveBlocker;
  safeStorage: FakeSafeStorage;
  userData: string;
  /** Everything the shell logged. */
  log: Array<{ msg: string; extra?: Record<string, unknown> }>;
  /** CSP violations the window reported. */
  violations: string[];
  quits: number;
  /** The agent's cache opened with its key (a second connection; WAL lets it read alongside). */
  readCache<T>(read: (db: Database) => T): T;
  close(): Promise<void>;
}

export async function startDesktop(opts: DesktopOptions): Promise<Desktop> {
  const userData = tempDir('chamber-desktop-');
  const protocol = new ProtocolServer();
  await protocol.listen();
  const ipcMain = new FakeIpcMain();
  const blocker = new FakePowerSaveBlocker();
  const safeStorage = new FakeSafeStorage();
  const log: Desktop['log'] = [];
  const violations: string[] = [];
  let quits = 0;

  // Enrolment exactly as `chamber --enrol` writes it, read back as main reads it.
  const deviceFile = path.join(userData, 'etc', 'device.json');
  enrolDevice(deviceFile, { hubUrl: opts.hubUrl, deviceName: opts.name ?? 'Harness tablet', keepAwake: opts.keepAwake ?? true });
  const config = configForRun(readDeviceConfig(deviceFile), { isPackaged: true });
  if (!config.ok) throw new Error(config.message);

  let context: BrowserContext | null = null;
  let page: Page | null = null;
  const contentsId = Math.floor(Math.random() * 1e6);

  // ---- main → page ---------------------------------------------------------------------------
  const queue: MainToPage[] = [];
  let pumping = false;
  const pump = async () => {
    pumping = true;
    while (queue.length > 0 && page) {
      const batch = queue.splice(0);
      await page.evaluate((b) => (window as unknown as { __chamberDeliver?: (x: unknown) => void }).__chamberDeliver?.(b), batch).catch(() => {});
    }
    pumping = false;
  };
  const toPage = (m: MainToPage) => {
    queue.push(m);
    if (!pumping) void pump();
  };

  // ---- page → main ---------------------------------------------------------------------------
  const ports = new Map<string, HarnessPort>();
  const docs = new Set<string>();
  let currentDoc: string | null = null;
  const dropPorts = () => {
    for (const p of ports.values()) p.remoteClosed();
    ports.clear();
  };
  /** False for a message from a document the page has already left. */
  const fromCurrent = (doc: string): boolean => {
    if (doc === currentDoc) return true;
    if (docs.has(doc)) return false;
    docs.add(doc);
    dropPorts();
    currentDoc = doc;
    return true;
  };
  const eventFor = (frame: Frame, eventPorts: HarnessPort[]): IpcMainEventLike => ({
    sender: { id: contentsId },
    senderFrame: { url: protocol.toAppUrl(frame.url()), parent: frame.parentFrame() ? {} : null },
    ports: eventPorts,
  });
  const fromPage = (frame: Frame, m: PageToMain) => {
    if (!fromCurrent(m.doc) || m.k === 'hello') return;
    if (m.k === 'send') {
      ipcMain.emitFromPage(m.channel, eventFor(frame, []), ...m.args.map(decode));
    } else if (m.k === 'post') {
      const made = m.ports.map((id) => {
        const port = new HarnessPort(id, (data) => toPage({ k: 'port', id, data: encode(data) }), () => {
          ports.delete(id);
          toPage({ k: 'close', id });
        });
        ports.set(id, port);
        return port;
      });
      ipcMain.emitFromPage(m.channel, eventFor(frame, made), decode(m.message));
    } else {
      ports.get(m.id)?.deliver(decode(m.data));
    }
  };

  const preload = await pagePreloadBundle();
  const openWindow = async (): Promise<ShellWindow> => {
    context = await opts.browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 860 }, locale: 'en-US' });
    await context.exposeBinding('__chamberIpc', (source, m: PageToMain) => fromPage(source.frame, m));
    await context.exposeBinding('__harnessReport', (_source, what: string) => void violations.push(what));
    await context.addInitScript({ content: INSTRUMENT });
    await context.addInitScript({ content: preload });
    const p = await context.newPage();
    page = p;
    return {
      contentsId,
      loadURL: (url) => p.goto(protocol.toHarnessUrl(url)),
      send: (channel, payload) => toPage({ k: 'ipc', channel, args: [encode(payload)] }),
      onClosed: (listener) => p.on('close', () => {
        dropPorts();
        listener();
      }),
    };
  };

  const shell = await startShell({
    config: config.config,
    paths: {
      distDir: path.join(ROOT, 'dist'),
      dataDir: path.join(userData, 'agent'),
      secretsFile: path.join(userData, 'secrets.json'),
      updatesDir: path.join(userData, 'updates'),
    },
    session: {
      protocol,
      setPermissionRequestHandler: () => {},
      setPermissionCheckHandler: () => {},
      clearStorageData: async () => {
        if (!context || !page) return;
        const cdp = await context.newCDPSession(page);
        await cdp.send('Storage.clearDataForOrigin', { origin: protocol.origin, storageTypes: 'all' });
        await cdp.detach();
      },
    },
    ipcMain,
    powerSaveBlocker: blocker,
    safeStorage,
    startAgent,
    openWindow,
    platform: opts.updates?.platform ?? process.platform,
    arch: opts.updates?.arch ?? process.arch,
    env: opts.updates?.env ?? {},
    appVersion: opts.updates?.appVersion ?? '1.0.0',
    updates: { publicKeyPem: opts.updates?.publicKeyPem ?? null, schedule: false } satisfies ShellUpdates,
    quit: () => void quits++,
    agentTuning: { refreshMs: 1000, backoff: { baseMs: 200, maxMs: 800 } },
    log: (msg, extra) => void log.push({ msg, extra }),
  });

  const secretsFile = path.join(userData, 'secrets.json');
  return {
    shell,
    page: page!,
    context: context!,
    protocol,
    blocker,
    safeStorage,
    userData,
    log,
    violations,
    get quits() {
      return quits;
    },
    readCache<T>(read: (db: Database) => T): T {
      const key = new SecretBox(secretsFile, safeStorage).get(CACHE_KEY_SECRET);
      if (!key) throw new Error('no cache key in the secrets file');
      const db = encryptedCacheOpener(key)(shell.runtime.cacheFile);
      try {
        return read(db);
      } finally {
        db.close();
      }
    },
    async close() {
      await context?.close().catch(() => {});
      await shell.close();
      await protocol.close();
      fs.rmSync(userData, { recursive: true, force: true });
    },
  };
}
