// Both ends of shared/shell-api.ts without Electron: the preload's logic (electron/preload/
// expose.ts) with a recording ipcRenderer, and the main process's handlers (ipc-handlers.ts)
// with real MessagePorts and a real WebSocket server standing in for the agent's /sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageChannel as NodeChannel, type MessagePort as NodePort } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { IPC, SHELL_GLOBAL, SYNC_PORT_MESSAGE } from '../../../shared/shell-api.ts';
import { exposeChamberShell, type IpcRendererLike } from '../../../electron/preload/expose.ts';
import { registerShellIpc, type IpcMainEventLike } from '../../../electron/shell/ipc-handlers.ts';
import type { MainPortLike, UpstreamSocket } from '../../../electron/shell/sync-bridge.ts';
import { configForRun } from '../../../electron/shell/device-config.ts';
import { isMeetingLive } from '../../../renderer/desktop/shell-bridge.ts';
import { FakeIpcMain } from '../../desktop/fakes.ts';

function waitFor<T>(fn: (resolve: (v: T) => void) => void, ms = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out')), ms);
    fn((v) => { clearTimeout(t); resolve(v); });
  });
}

describe('preload logic', () => {
  function setup() {
    const sent: Array<{ channel: string; args: unknown[]; ports: number }> = [];
    const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
    const ipc: IpcRendererLike = {
      send: (channel, ...args) => void sent.push({ channel, args, ports: 0 }),
      postMessage: (channel, message, transfer = []) => void sent.push({ channel, args: [message], ports: transfer.length }),
      on: (channel, listener) => void listeners.set(channel, listener),
    };
    const posted: Array<{ message: unknown; origin: string; ports: number }> = [];
    const win = { location: { origin: 'chamber://app' }, postMessage: (message: unknown, origin: string, transfer: Transferable[] = []) => void posted.push({ message, origin, ports: transfer.length }) };
    let exposed: { key: string; api: Record<string, (...a: unknown[]) => unknown> } | null = null;
    exposeChamberShell({ exposeInMainWorld: (key, api) => void (exposed = { key, api: api as never }) }, ipc, win);
    return { sent, posted, listeners, exposed: exposed! };
  }

  it('exposes the contract and nothing else', () => {
    const { exposed } = setup();
    expect(exposed.key).toBe(SHELL_GLOBAL);
    expect(Object.keys(exposed.api).sort()).toEqual(['onSessionEnded', 'openSyncPort', 'setMeetingLive', 'version']);
  });

  it('sends a port request only for a valid URL and tag, one port to main and one to the page', () => {
    const { exposed, sent, posted } = setup();
    for (const [url, id] of [[42, 'a'], ['x'.repeat(5000), 'a'], ['chamber://app/sync/meeting/m?token=t', 'bad id!'], ['chamber://app/sync/meeting/m?token=t', 7]]) {
      exposed.api.openSyncPort!(url, id);
    }
    expect(sent).toEqual([]);
    exposed.api.openSyncPort!('chamber://app/sync/meeting/m?token=t', 'req-1');
    expect(sent).toEqual([{ channel: IPC.syncOpen, args: [{ url: 'chamber://app/sync/meeting/m?token=t' }], ports: 1 }]);
    expect(posted).toEqual([{ message: { type: SYNC_PORT_MESSAGE, id: 'req-1' }, origin: 'chamber://app', ports: 1 }]);
  });

  it('reports the live meeting only as a boolean, and hands valid session-ended messages to listeners', () => {
    const { exposed, sent, listeners } = setup();
    exposed.api.setMeetingLive!('yes');
    exposed.api.setMeetingLive!(1);
    exposed.api.setMeetingLive!(true);
    expect(sent).toEqual([{ channel: IPC.meetingLive, args: [true], ports: 0 }]);

    const heard: unknown[] = [];
    const off = exposed.api.onSessionEnded!((e: unknown) => heard.push(e)) as () => void;
    expect(exposed.api.onSessionEnded!('not a function')).toBeTypeOf('function');
    const deliver = listeners.get(IPC.sessionEnded)!;
    deliver({}, { reason: 'wiped', meetingId: 'm1' });
    deliver({}, { reason: 'wiped', extra: 'nope' });
    deliver({}, 'garbage');
    expect(heard).toEqual([{ reason: 'wiped', meetingId: 'm1' }]);
    off();
    deliver({}, { reason: 'wiped' });
    expect(heard).toHaveLength(1);
  });
});

describe('main-process IPC handlers', () => {
  let wss: WebSocketServer;
  let agentUrl: string;
  const upstream: string[] = [];
  beforeAll(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    agentUrl = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
    wss.on('connection', (ws, req) => {
      upstream.push(req.url!);
      ws.on('message', (d: Buffer) => ws.send(d));
    });
  });
  afterAll(() => new Promise((r) => wss.close(r)));

  /** Electron's MessagePortMain emits { data }; Node's port emits the data itself. */
  function mainPort(port: NodePort): MainPortLike {
    return {
      on: ((event: string, listener: (e?: { data: unknown }) => void) => {
        if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
        else port.on('close', () => listener());
      }) as MainPortLike['on'],
      postMessage: (m) => port.postMessage(m),
      start: () => port.start(),
      close: () => port.close(),
    };
  }

  function setup() {
    const ipcMain = new FakeIpcMain();
    const live: boolean[] = [];
    const log: string[] = [];
    const handlers = registerShellIpc({
      ipcMain,
      trustedContentsIds: () => new Set([7]),
      agentUrl: () => agentUrl,
      connect: (u) => new WebSocket(u) as unknown as UpstreamSocket,
      keepAwake: { setLive: (v) => void live.push(v) },
      log: (msg) => void log.push(msg),
    });
    const event = (ports: MainPortLike[], over: Partial<{ url: string; parent: unknown; id: number }> = {}): IpcMainEventLike => ({
      sender: { id: over.id ?? 7 },
      senderFrame: { url: over.url ?? 'chamber://app/index.html', parent: over.parent ?? null },
      ports,
    });
    return { ipcMain, live, log, handlers, event };
  }

  it('bridges a trusted request to the agent and ends every bridge on closeBridges', async () => {
    const { ipcMain, handlers, event } = setup();
    const { port1, port2 } = new NodeChannel();
    upstream.length = 0;
    ipcMain.emitFromPage(IPC.syncOpen, event([mainPort(port2)]), { url: 'chamber://app/sync/meeting/m1?token=tok' });
    await waitFor<void>((done) => port1.on('message', (m: { t?: string }) => m?.t === 'open' && done()));
    expect(upstream).toEqual(['/sync/meeting/m1?token=tok']);
    expect(handlers.openBridges).toBe(1);
    port1.postMessage(new Uint8Array([1, 2, 3]));
    await waitFor<void>((done) => port1.on('message', (m: unknown) => m instanceof Uint8Array && done()));
    handlers.closeBridges();
    expect(handlers.openBridges).toBe(0);
    await waitFor<void>((done) => port1.on('message', (m: { t?: string; code?: number }) => m?.t === 'close' && m.code === 1001 && done()));
    handlers.dispose();
    port1.close();
  });

  it('refuses other senders and malformed requests without reaching the agent', async () => {
    const { ipcMain, handlers, event, log } = setup();
    upstream.length = 0;
    for (const over of [{ url: 'https://evil.example/' }, { parent: {} }, { id: 8 }]) {
      const { port1, port2 } = new NodeChannel();
      const closed = waitFor<void>((done) => port1.once('close', () => done()));
      ipcMain.emitFromPage(IPC.syncOpen, event([mainPort(port2)], over), { url: 'chamber://app/sync/meeting/m1?token=tok' });
      await closed;
    }
    expect(log.filter((m) => m === 'refused IPC from an untrusted sender')).toHaveLength(3);
    for (const bad of [{ url: 42 }, { url: 'chamber://app/sync/meeting/m1?token=t', more: 1 }, 'chamber://app/sync/meeting/m1?token=t', null]) {
      const { port1, port2 } = new NodeChannel();
      const control = waitFor<{ t: string; code: number }>((done) => port1.on('message', (m: { t: string; code: number }) => m?.t === 'close' && done(m)));
      ipcMain.emitFromPage(IPC.syncOpen, event([mainPort(port2)]), bad);
      expect((await control).code).toBe(4400);
      port1.close();
    }
    expect(upstream).toEqual([]);
    expect(handlers.openBridges).toBe(0);
    handlers.dispose();
  });

  it('passes only a trusted boolean to keep-awake', () => {
    const { ipcMain, live, event, handlers } = setup();
    ipcMain.emitFromPage(IPC.meetingLive, event([]), true);
    ipcMain.emitFromPage(IPC.meetingLive, event([]), 'true');
    ipcMain.emitFromPage(IPC.meetingLive, event([], { url: 'https://evil.example/' }), true);
    ipcMain.emitFromPage(IPC.meetingLive, event([]), false);
    expect(live).toEqual([true, false]);
    handlers.dispose();
    ipcMain.emitFromPage(IPC.meetingLive, event([]), true);
    expect(live).toEqual([true, false]);
  });
});

describe('what the renderer reports and the shell runs with', () => {
  it('calls a meeting live only when published and in session', () => {
    const presenting = { userId: 'u', paperId: 'p', sha256: 's', page: 1, at: 1 };
    expect(isMeetingLive('published', 'item-1', null)).toBe(true);
    expect(isMeetingLive('published', null, presenting)).toBe(true);
    expect(isMeetingLive('published', null, null)).toBe(false);
    expect(isMeetingLive('draft', 'item-1', presenting)).toBe(false);
    expect(isMeetingLive('closed', 'item-1', presenting)).toBe(false);
  });

  it('takes the hub from the command line only in development runs', () => {
    const missing = { ok: false as const, problem: 'missing' as const, message: 'not enrolled' };
    expect(configForRun(missing, { isPackaged: true, hub: 'http://127.0.0.1:4700' })).toBe(missing);
    expect(configForRun(missing, { isPackaged: false })).toBe(missing);
    expect(configForRun(missing, { isPackaged: false, hub: 'http://127.0.0.1:4700/', kiosk: true })).toMatchObject({ ok: true, config: { hubUrl: 'http://127.0.0.1:4700', kiosk: true, deviceName: 'development' } });
    expect(configForRun(missing, { isPackaged: false, hub: 'javascript:alert(1)' })).toMatchObject({ ok: false, problem: 'invalid' });
  });
});
