// The sync path end to end, minus Electron: PortSocket (renderer) -> a preload stand-in that
// makes a MessageChannel -> bridgeSyncPort (main) -> a real WebSocket server in place of the agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageChannel as NodeChannel, type MessagePort as NodePort } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { agentSyncUrl, bridgeSyncPort, parseSyncRequest, type MainPortLike, type UpstreamSocket } from '../../../electron/shell/sync-bridge.ts';
import { PortSocket } from '../../../renderer/desktop/port-socket.ts';
import { SYNC_PORT_MESSAGE } from '../../../shared/shell-api.ts';

let wss: WebSocketServer;
let agentUrl: string;
const connections: Array<{ url: string }> = [];

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  agentUrl = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (ws, req) => {
    connections.push({ url: req.url! });
    if (req.url!.includes('token=bad')) return ws.close(4401, 'unauthorized');
    // Echo each frame back, reversed, so direction and content are both visible.
    ws.on('message', (data: Buffer) => ws.send(Buffer.from(data).reverse()));
  });
});
afterAll(() => new Promise((r) => wss.close(r)));

/** Electron's MessagePortMain emits { data }; Node's port emits the data itself. */
function asMainPort(port: NodePort): MainPortLike {
  return {
    on: ((event: string, listener: (e?: { data: unknown }) => void) => {
      if (event === 'message') port.on('message', (data: unknown) => listener({ data }));
      else port.on('close', () => listener());
      return undefined;
    }) as MainPortLike['on'],
    postMessage: (m) => port.postMessage(m),
    start: () => port.start(),
    close: () => port.close(),
  };
}

/** What the preload does, with Node's MessageChannel for both ends. */
function installFakeShell(): void {
  const win = new EventTarget() as EventTarget & Record<string, unknown>;
  win.location = { origin: 'chamber://app' };
  win.chamberShell = {
    version: 1,
    openSyncPort(url: string, id: string) {
      const { port1, port2 } = new NodeChannel();
      bridgeSyncPort({
        port: asMainPort(port2),
        requestUrl: url,
        agentUrl: () => agentUrl,
        connect: (u) => new WebSocket(u) as unknown as UpstreamSocket,
      });
      const ev = Object.assign(new Event('message'), { data: { type: SYNC_PORT_MESSAGE, id }, origin: 'chamber://app', source: win, ports: [port1 as unknown as MessagePort] });
      queueMicrotask(() => win.dispatchEvent(ev));
    },
    setMeetingLive() {},
    onSessionEnded: () => () => {},
  };
  (globalThis as Record<string, unknown>).window = win;
}

function waitFor<T>(fn: (resolve: (v: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timed out')), 5000);
    fn((v) => { clearTimeout(t); resolve(v); });
  });
}

describe('sync request parsing', () => {
  it('takes the document and token, nothing else', () => {
    expect(parseSyncRequest('ws://app/sync/meeting/m1?token=t1')).toEqual({ ok: true, docName: 'meeting/m1', token: 't1' });
    expect(parseSyncRequest('ws://app/sync/notes/m1/u1?token=t')).toMatchObject({ ok: true, docName: 'notes/m1/u1' });
    for (const bad of ['ws://app/sync/meeting/m1', 'ws://app/sync/../../etc?token=t', 'ws://app/sync/meeting%2F..%2Fx?token=t', 'ws://app/other/meeting/m1?token=t', 42, 'nope']) {
      expect(parseSyncRequest(bad).ok, String(bad)).toBe(false);
    }
    expect(agentSyncUrl('http://127.0.0.1:5000', 'meeting/m1', 'a b&c')).toBe('ws://127.0.0.1:5000/sync/meeting/m1?token=a+b%26c');
  });
});

describe('PortSocket over the bridge', () => {
  it('opens, relays binary frames both ways, and closes', async () => {
    installFakeShell();
    connections.length = 0;
    const sock = new PortSocket('ws://app/sync/meeting/m1?token=good');
    await waitFor<void>((done) => { sock.onopen = () => done(); });
    expect(sock.readyState).toBe(PortSocket.OPEN);
    expect(connections[0]!.url).toBe('/sync/meeting/m1?token=good');
    const reply = waitFor<ArrayBuffer>((done) => { sock.onmessage = (ev) => done(ev.data as ArrayBuffer); });
    sock.send(new Uint8Array([1, 2, 3]));
    expect([...new Uint8Array(await reply)]).toEqual([3, 2, 1]);
    const closed = waitFor<CloseEvent>((done) => { sock.onclose = (ev) => done(ev); });
    sock.close();
    expect((await closed).code).toBe(1000);
    expect(sock.readyState).toBe(PortSocket.CLOSED);
  });

  it('passes the agent refusal code through, so the provider stops retrying', async () => {
    installFakeShell();
    const sock = new PortSocket('ws://app/sync/meeting/m1?token=bad');
    const ev = await waitFor<CloseEvent>((done) => { sock.onclose = (e) => done(e); });
    expect(ev.code).toBe(4401);
  });

  it('refuses a malformed document name without touching the agent', async () => {
    installFakeShell();
    connections.length = 0;
    const sock = new PortSocket('ws://app/sync/../../x?token=t');
    const ev = await waitFor<CloseEvent>((done) => { sock.onclose = (e) => done(e); });
    expect(ev.code).toBe(4400);
    expect(connections).toHaveLength(0);
  });
});
