// Binds the sync core to WebSocket upgrades on an HTTP server: `/sync/<document name>`.
// Authorisation runs before the upgrade completes its first frame; a refused connection is
// closed with a 44xx code so y-websocket's provider stops retrying instead of hammering us.
//
// Everything here faces anonymous input: a malformed upgrade (bad URL, bad percent-encoding,
// missing headers) is answered 400/404 and never throws out of the 'upgrade' handler, which
// would end the process. Access is not decided only once: `recheck` runs the same `authorize`
// again for open connections (a role, a participation or a meeting's status changed), and a
// connection whose session has an expiry is re-checked at that moment.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../../shared/api.ts';
import { CLOSE, ProtocolError, type PeerAccess, type SyncCore } from './sync-core.ts';
import { ConnectionThrottle } from './rate-limit.ts';
import { RATE_LIMITS, type RateLimits } from './sync-limits.ts';
import { closeReason, WsPeer } from './ws-peer.ts';

export type SyncAuthResult =
  | {
    ok: true; access: PeerAccess; docName: string; tag?: unknown;
    /** Who is connecting (a user id): their later connections may take over their presence. */
    identity?: string;
    /** When the session behind this connection ends (ms since the epoch): re-checked then. */
    expiresAt?: number;
  }
  | { ok: false; code: number; reason: string };

export interface WsEndpointOptions {
  server: Server;
  core: SyncCore;
  authorize: (req: IncomingMessage, docName: string) => Promise<SyncAuthResult> | SyncAuthResult;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  heartbeatMs?: number;
  rateLimits?: Partial<RateLimits>;
}

export interface SyncEndpoint {
  wss: WebSocketServer;
  /**
   * Runs authorisation again for the open connections that match (all without `match`): a
   * connection that may no longer read is closed (4401 when its session ended, else 4410), one
   * whose access changed is made read-only or writable. Immediate when `authorize` is synchronous.
   */
  recheck: (match?: (peer: WsPeer, docName: string) => boolean) => Promise<void>;
  close: () => void;
}

interface Connection {
  req: IncomingMessage;
  name: string;
  expiry: NodeJS.Timeout | null;
  resume: NodeJS.Timeout | null;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found' };

function refuseUpgrade(socket: Duplex, status: 400 | 404, message: string): void {
  const body = JSON.stringify({ error: status === 404 ? 'not_found' : 'bad_request', message });
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/** Node's timers take at most 2^31-1 ms; a later expiry is re-armed on the way. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function attachSyncEndpoint(opts: WsEndpointOptions): SyncEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxWsFrameBytes, perMessageDeflate: false });
  const rate: RateLimits = { ...RATE_LIMITS, ...opts.rateLimits };
  const peers = new Map<WsPeer, Connection>();

  const endPeer = (peer: WsPeer, code: number, reason: string) => {
    peer.close(code, reason);
    const conn = peers.get(peer);
    if (conn) opts.core.detach(peer, conn.name);
  };

  const armExpiry = (peer: WsPeer, conn: Connection, expiresAt: number | undefined) => {
    if (conn.expiry) clearTimeout(conn.expiry);
    conn.expiry = null;
    if (expiresAt === undefined) return;
    const delay = Math.max(0, expiresAt - Date.now());
    conn.expiry = setTimeout(() => {
      conn.expiry = null;
      void recheckOne(peer);
    }, Math.min(delay + 1, MAX_TIMER_MS));
    conn.expiry.unref();
  };

  const applyVerdict = (peer: WsPeer, result: SyncAuthResult) => {
    const conn = peers.get(peer);
    if (!conn) return;
    if (!result.ok) {
      // The document was readable when the connection opened: now access has ended.
      if (result.code === CLOSE.unauthorized) endPeer(peer, CLOSE.unauthorized, 'session ended: sign in again');
      else endPeer(peer, CLOSE.revoked, 'access to this document ended');
      return;
    }
    peer.tag = result.tag;
    if (result.access === 'write' && opts.core.accessOf(peer, conn.name) === 'read') {
      // Yjs needs every change of a client in order: edits the hub dropped while this replica
      // was read-only would hold back all its later ones. A fresh connection resyncs as a writer.
      endPeer(peer, CLOSE.reconnect, 'access changed: reconnect');
      return;
    }
    opts.core.setAccess(peer, conn.name, result.access);
    armExpiry(peer, conn, result.expiresAt);
  };

  const recheckOne = (peer: WsPeer): Promise<void> | void => {
    const conn = peers.get(peer);
    if (!conn) return;
    let result: Promise<SyncAuthResult> | SyncAuthResult;
    try {
      result = opts.authorize(conn.req, conn.name);
    } catch (err) {
      opts.log?.('sync re-authorisation failed', { error: String(err) });
      return;
    }
    if (!(result instanceof Promise)) return applyVerdict(peer, result);
    return result.then((r) => applyVerdict(peer, r), (err) => opts.log?.('sync re-authorisation failed', { error: String(err) }));
  };

  const onConnection = (ws: WebSocket, req: IncomingMessage, docName: string) => {
    // Nothing is read while authorisation is pending; frames already parsed are queued.
    ws.pause();
    const early: Buffer[] = [];
    const queue = (d: Buffer) => early.push(d);
    ws.on('message', queue);
    // ws has already sent the close frame for a protocol error (1009 for a frame over
    // maxPayload, 1002, 1007); tearing the socket down here would reset the connection and the
    // client would see 1006 instead, so the closing handshake is left to ws.
    ws.on('error', (err) => opts.log?.('sync socket error', { error: String(err) }));
    Promise.resolve()
      .then(() => opts.authorize(req, docName))
      .then((result) => {
        ws.off('message', queue);
        if (ws.readyState !== ws.OPEN) return;
        if (!result.ok) {
          // Read again: the closing handshake needs the client's close frame.
          ws.resume();
          ws.close(result.code, closeReason(result.reason));
          return;
        }
        const peer = new WsPeer(ws, result.tag, req.socket);
        const name = result.docName;
        const conn: Connection = { req, name, expiry: null, resume: null };
        peers.set(peer, conn);
        const throttle = new ConnectionThrottle(rate);
        // Frames ws had already parsed when reading was paused wait here, so the rate holds
        // exactly (at most one socket read's worth is held).
        const waiting: Buffer[] = [];
        const processFrame = (bytes: Buffer): void => {
          let presence: boolean;
          try {
            presence = opts.core.receive(peer, name, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          } catch (err) {
            const code = err instanceof ProtocolError ? err.code : CLOSE.storeFailure;
            const reason = !(err instanceof ProtocolError) ? 'internal error' : code === CLOSE.badMessage ? `bad message: ${err.message}` : `refused: ${err.message}`;
            opts.log?.('closing sync connection', { doc: name, code, reason, error: String(err) });
            waiting.length = 0;
            endPeer(peer, code, reason);
            return;
          }
          const wait = throttle.debit(bytes.length, presence);
          if (wait > 0 && ws.readyState === ws.OPEN) pauseFor(wait);
        };
        const pauseFor = (ms: number): void => {
          peer.paused = true;
          ws.pause();
          conn.resume = setTimeout(() => {
            conn.resume = null;
            peer.paused = false;
            peer.alive = true;
            while (waiting.length > 0 && !peer.paused) processFrame(waiting.shift()!);
            if (!peer.paused && ws.readyState === ws.OPEN) ws.resume();
          }, ms);
        };
        const handle = (data: Buffer | ArrayBuffer | Buffer[]) => {
          const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
          if (peer.paused) waiting.push(bytes);
          else processFrame(bytes);
        };
        ws.on('message', handle);
        ws.on('pong', () => (peer.alive = true));
        ws.on('close', () => {
          if (conn.expiry) clearTimeout(conn.expiry);
          if (conn.resume) clearTimeout(conn.resume);
          peers.delete(peer);
          opts.core.detach(peer, name);
        });
        opts.core.attach(peer, name, result.access, result.identity ?? null);
        armExpiry(peer, conn, result.expiresAt);
        for (const d of early) handle(d);
        if (!peer.paused && ws.readyState === ws.OPEN) ws.resume();
      })
      .catch((err) => {
        opts.log?.('sync authorisation failed', { error: String(err) });
        if (ws.readyState !== ws.OPEN) return;
        ws.resume();
        ws.close(CLOSE.storeFailure, 'internal error');
      });
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    let docName: string;
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      if (!url.pathname.startsWith('/sync/')) {
        refuseUpgrade(socket, 404, 'no such endpoint');
        return;
      }
      docName = decodeURIComponent(url.pathname.slice('/sync/'.length));
    } catch {
      refuseUpgrade(socket, 400, 'malformed sync URL');
      return;
    }
    try {
      // ws answers a handshake with missing or bad headers with 400 itself.
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, docName));
    } catch (err) {
      opts.log?.('sync upgrade failed', { error: String(err) });
      if (!socket.destroyed) refuseUpgrade(socket, 400, 'bad upgrade request');
    }
  };
  opts.server.on('upgrade', onUpgrade);

  // Dead sockets (a tablet that left the room) are found by ping and dropped. A paused socket's
  // pongs are not read, so it is not judged until it is read again.
  const heartbeat = setInterval(() => {
    for (const peer of peers.keys()) {
      if (peer.paused) continue;
      if (!peer.alive) {
        peer.socket.terminate();
        continue;
      }
      peer.alive = false;
      peer.socket.ping();
    }
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    wss,
    recheck: async (match) => {
      const pending: Array<Promise<void>> = [];
      for (const [peer, conn] of [...peers]) {
        if (match && !match(peer, conn.name)) continue;
        const r = recheckOne(peer);
        if (r) pending.push(r);
      }
      await Promise.all(pending);
    },
    close: () => {
      clearInterval(heartbeat);
      opts.server.off('upgrade', onUpgrade);
      for (const [p, conn] of peers) {
        if (conn.expiry) clearTimeout(conn.expiry);
        if (conn.resume) clearTimeout(conn.resume);
        p.socket.terminate();
      }
      wss.close();
    },
  };
}
