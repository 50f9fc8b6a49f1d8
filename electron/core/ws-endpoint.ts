// Binds the sync core to WebSocket upgrades on an HTTP server: `/sync/<document name>`.
// Authorisation runs before the upgrade completes its first frame; a refused connection is
// closed with a 44xx code so y-websocket's provider stops retrying instead of hammering us.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { LIMITS } from '../../shared/api.ts';
import { CLOSE, ProtocolError, type PeerAccess, type SyncCore, type SyncPeer } from './sync-core.ts';

export type SyncAuthResult =
  | { ok: true; access: PeerAccess; docName: string; tag?: unknown }
  | { ok: false; code: number; reason: string };

export interface WsEndpointOptions {
  server: Server;
  core: SyncCore;
  authorize: (req: IncomingMessage, docName: string) => Promise<SyncAuthResult> | SyncAuthResult;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  heartbeatMs?: number;
}

/** A ws socket seen by the sync core; `tag` carries who is on the other end (for revocation). */
export class WsPeer implements SyncPeer {
  alive = true;
  readonly socket: WebSocket;
  readonly tag: unknown;
  constructor(socket: WebSocket, tag: unknown) {
    this.socket = socket;
    this.tag = tag;
  }
  send(data: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data, { binary: true });
  }
  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason.slice(0, 120));
    }
  }
}

export function attachSyncEndpoint(opts: WsEndpointOptions): { close: () => void; wss: WebSocketServer } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.maxWsFrameBytes, perMessageDeflate: false });
  const peers = new Set<WsPeer>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (!url.pathname.startsWith('/sync/')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const docName = decodeURIComponent(url.pathname.slice('/sync/'.length));
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Frames that arrive while authorisation is pending are queued, not lost.
      const early: Buffer[] = [];
      const queue = (d: Buffer) => early.push(d);
      ws.on('message', queue);
      ws.on('error', () => ws.terminate());
      Promise.resolve()
        .then(() => opts.authorize(req, docName))
        .then((result) => {
          ws.off('message', queue);
          if (ws.readyState !== ws.OPEN) return;
          if (!result.ok) {
            ws.close(result.code, result.reason);
            return;
          }
          const peer = new WsPeer(ws, result.tag);
          peers.add(peer);
          const name = result.docName;
          const handle = (data: Buffer | ArrayBuffer | Buffer[]) => {
            const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
            try {
              opts.core.receive(peer, name, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
            } catch (err) {
              const reason = err instanceof ProtocolError ? `bad message: ${err.message}` : 'internal error';
              opts.log?.('closing sync connection', { doc: name, reason, error: String(err) });
              peer.close(err instanceof ProtocolError ? CLOSE.badMessage : CLOSE.storeFailure, reason);
              opts.core.detach(peer, name);
            }
          };
          ws.on('message', handle);
          ws.on('pong', () => (peer.alive = true));
          ws.on('close', () => {
            peers.delete(peer);
            opts.core.detach(peer, name);
          });
          opts.core.attach(peer, name, result.access);
          for (const d of early) handle(d);
        })
        .catch((err) => {
          opts.log?.('sync authorisation failed', { error: String(err) });
          ws.close(CLOSE.storeFailure, 'internal error');
        });
    });
  };
  opts.server.on('upgrade', onUpgrade);

  // Dead sockets (a tablet that left the room) are found by ping and dropped.
  const heartbeat = setInterval(() => {
    for (const peer of peers) {
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
    close: () => {
      clearInterval(heartbeat);
      opts.server.off('upgrade', onUpgrade);
      for (const p of peers) p.socket.terminate();
      wss.close();
    },
  };
}
