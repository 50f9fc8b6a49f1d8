// Bridges one renderer MessagePort to one y-websocket connection on the in-process agent.
// The page never opens a socket: it posts frames into a port created by the preload, and the
// main process relays them to the agent's loopback /sync endpoint, which authorises the
// agent-issued session token exactly as for a browser. The bridge does not parse Yjs frames;
// the agent's sync core does, with the y-protocols library.
import { parseDocName } from '../../shared/doc-names.ts';
import { portControlSchema, type PortControl } from '../../shared/shell-api.ts';

export type { PortControl };

/** The slice of Electron's MessagePortMain the bridge uses. */
export interface MainPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** The slice of a WHATWG WebSocket (Node's global one in the main process). */
export interface UpstreamSocket {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type SyncTarget =
  | { ok: true; docName: string; token: string }
  | { ok: false; reason: string };

/** Largest frame relayed in either direction; the agent enforces its own limit too. */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/**
 * Reads what the page asked for out of the URL y-websocket built: `<anything>/sync/<doc>?token=`.
 * Only the document name and token are taken; host and scheme are ignored, since the
 * destination is always the agent.
 */
export function parseSyncRequest(raw: unknown): SyncTarget {
  if (typeof raw !== 'string' || raw.length > 4096) return { ok: false, reason: 'missing sync URL' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'malformed sync URL' };
  }
  const m = /^\/sync\/(.+)$/.exec(url.pathname);
  if (!m) return { ok: false, reason: 'not a /sync/ URL' };
  let docName: string;
  try {
    docName = decodeURIComponent(m[1]!);
  } catch {
    return { ok: false, reason: 'malformed document name' };
  }
  if (!parseDocName(docName)) return { ok: false, reason: 'unknown document name' };
  const token = url.searchParams.get('token');
  if (!token || token.length > 1024) return { ok: false, reason: 'missing session token' };
  return { ok: true, docName, token };
}

export function agentSyncUrl(agentHttpUrl: string, docName: string, token: string): string {
  const base = new URL(agentHttpUrl);
  base.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
  base.pathname = `/sync/${docName}`;
  base.search = new URLSearchParams({ token }).toString();
  return base.toString();
}

function asBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return null;
}

export interface BridgeOptions {
  port: MainPortLike;
  requestUrl: unknown;
  agentUrl: () => string | null;
  connect: (url: string) => UpstreamSocket;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** Called once when the bridge has ended, whichever side ended it. */
  onFinished?: () => void;
}

/** Starts relaying; returns a function that tears the bridge down (used at shutdown). */
export function bridgeSyncPort(opts: BridgeOptions): () => void {
  const log = opts.log ?? (() => {});
  const { port } = opts;
  let closed = false;
  let upstream: UpstreamSocket | null = null;
  const pending: Uint8Array[] = [];

  const finish = (code: number, reason: string) => {
    if (closed) return;
    closed = true;
    opts.onFinished?.();
    try {
      port.postMessage({ t: 'close', code, reason } satisfies PortControl);
    } catch {
      /* the renderer is already gone */
    }
    port.close();
    if (upstream && upstream.readyState < 2) upstream.close(code >= 4000 || code === 1000 ? code : 1000, reason);
  };

  port.on('close', () => {
    if (closed) return;
    closed = true;
    opts.onFinished?.();
    if (upstream && upstream.readyState < 2) upstream.close(1000, 'renderer closed');
  });
  port.on('message', ({ data }) => {
    if (closed) return;
    const bytes = asBytes(data);
    if (bytes) {
      if (bytes.byteLength > MAX_FRAME_BYTES) return finish(1009, 'frame too large');
      if (upstream && upstream.readyState === 1) upstream.send(bytes);
      else pending.push(bytes);
      return;
    }
    const ctl = portControlSchema.safeParse(data);
    if (ctl.success && ctl.data.t === 'close') return finish(1000, 'closed by the page');
    finish(1007, 'unexpected message on the sync port');
  });
  port.start();

  const target = parseSyncRequest(opts.requestUrl);
  if (!target.ok) {
    log('refused a sync port', { reason: target.reason });
    finish(4400, target.reason);
    return () => {};
  }
  const agentUrl = opts.agentUrl();
  if (!agentUrl) {
    // A normal close code (not 44xx), so y-websocket retries once the agent is up.
    finish(1013, 'the device agent is not running yet');
    return () => {};
  }

  const ws = opts.connect(agentSyncUrl(agentUrl, target.docName, target.token));
  upstream = ws;
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => {
    if (closed) return ws.close(1000, 'renderer closed');
    port.postMessage({ t: 'open' } satisfies PortControl);
    for (const b of pending.splice(0)) ws.send(b);
  };
  ws.onmessage = (ev) => {
    if (closed) return;
    const bytes = asBytes(ev.data);
    if (!bytes) return finish(1007, 'the agent sent a text frame');
    if (bytes.byteLength > MAX_FRAME_BYTES) return finish(1009, 'frame too large');
    port.postMessage(bytes);
  };
  ws.onerror = () => {
    if (!closed) port.postMessage({ t: 'error', message: 'sync connection to the device agent failed' } satisfies PortControl);
  };
  ws.onclose = (ev) => finish(ev.code || 1006, ev.reason || 'the device agent closed the connection');
  return () => finish(1001, 'the app is shutting down');
}
