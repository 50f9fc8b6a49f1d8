// One WebSocket connection as the sync core sees it (a SyncPeer): sends through ws, or, for a
// change fanned out to many readers, writes the frame made once for all of them (ws-frame.ts)
// straight to the socket; closes with a reason cut to what a close frame can carry.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { SyncPeer } from './sync-protocol.ts';

/** A close reason must fit in 123 bytes of UTF-8. */
export function closeReason(reason: string): string {
  let r = reason.slice(0, 120);
  while (Buffer.byteLength(r) > 120) r = r.slice(0, -1);
  return r;
}

/** A ws socket seen by the sync core; `tag` carries who is on the other end (for revocation). */
export class WsPeer implements SyncPeer {
  alive = true;
  /** Not read from until the rate limit's wait is over. */
  paused = false;
  readonly socket: WebSocket;
  tag: unknown;
  readonly raw: Duplex | null;
  constructor(socket: WebSocket, tag: unknown, raw: Duplex | null = null) {
    this.socket = socket;
    this.tag = tag;
    this.raw = raw;
  }
  send(data: Uint8Array): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data, { binary: true });
  }
  /** Writes a frame made by binaryFrame straight to the connection (see ws-frame.ts). */
  sendFramed(frame: Buffer): void {
    if (this.socket.readyState === this.socket.OPEN && this.raw?.writable) this.raw.write(frame);
  }
  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      // The closing handshake needs the peer's close frame read.
      if (this.paused) this.socket.resume();
      this.socket.close(code, closeReason(reason));
    }
  }
}
