// The sync core's vocabulary, shared by its parts (sync-core.ts and the modules it is made of) and
// by the endpoints that bind it to sockets: y-websocket's message types, the close codes Chamber
// sends, what a peer is, and the error a refused frame raises.
import * as encoding from 'lib0/encoding';
import * as authProtocol from 'y-protocols/auth';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Close codes: 4400-4499 tell y-websocket's provider not to reconnect. */
export const CLOSE = {
  badMessage: 1007,
  tooBig: 1009,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  revoked: 4410,
  /** The document is full, or too large to send: retrying would only repeat it. */
  tooLarge: 4413,
  /** An update nests structures deeper than the limit: the client's replica holds it, so no retry. */
  unprocessable: 4422,
  storeFailure: 1011,
  /** Reconnect now: a peer was given write access (its replica must resync to use it). */
  reconnect: 1012,
  goingAway: 1001,
} as const;

/** Anything that can send and close: a ws socket, an Electron MessagePort, a test recorder. */
export interface SyncPeer {
  send(data: Uint8Array): void;
  /** The same message already framed for a WebSocket (ws-frame.ts), where the peer is one. */
  sendFramed?(frame: Buffer): void;
  close(code: number, reason: string): void;
}

export type PeerAccess = 'read' | 'write';

/** y-websocket's permission-denied message: the peer's changes are not accepted. */
export function deniedMessage(reason: string): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_AUTH);
  authProtocol.writePermissionDenied(enc, reason);
  return encoding.toUint8Array(enc);
}

/** A frame the core refuses; the connection is closed with `code` (1007 unless said otherwise). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly code: number;
  constructor(message: string, code: number = CLOSE.badMessage) {
    super(message);
    this.code = code;
  }
}
