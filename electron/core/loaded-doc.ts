// One loaded document and its fan-out. A LoadedDoc holds the Y.Doc and its presence, the peers
// attached to it with what each may do, and the bookkeeping the registry (pins, unload timer) and
// the commit path (rows since the last compaction, stored size) keep on it. The functions below
// are everything the core sends to peers: each change is encoded once and the same bytes go to
// every peer but the one it came from (framed once, too, for the WebSocket peers: ws-frame.ts).
import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { PresenceOwner, PresenceScope } from './presence.ts';
import { binaryFrame } from './ws-frame.ts';
import { MESSAGE_AWARENESS, MESSAGE_SYNC, type PeerAccess, type SyncPeer } from './sync-protocol.ts';

export interface PeerState {
  access: PeerAccess;
  deniedNotified: boolean;
  /** A read-only peer's first non-empty update has been checked for being a mere echo. */
  probed: boolean;
  presence: PresenceOwner;
  presenceRefused: boolean;
}

export class LoadedDoc {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Map<SyncPeer, PeerState>();
  pins = 0;
  uncompacted = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  failed = false;
  /** Stored size: exact after a load or compaction, plus every update committed since. */
  bytes = 0;
  readonly presenceScope: PresenceScope;

  readonly name: string;

  constructor(name: string, doc: Y.Doc) {
    this.name = name;
    this.doc = doc;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    const { awareness, peers } = this;
    this.presenceScope = {
      clockOf: (id) => awareness.meta.get(id)?.clock,
      present: (id) => awareness.states.has(id),
      owners: () => [...peers.values()].map((p) => p.presence),
    };
  }
}

/** A committed document update as one sync frame. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_SYNC);
  syncProtocol.writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

/** The presence of `clients` as one awareness frame. */
export function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(enc);
}

/**
 * Sends `message` to every peer of the doc except `except` (the peer a change came from). A peer
 * whose send throws is gone: `dropPeer` detaches it, and the others are still served.
 */
export function broadcast(live: LoadedDoc, message: Uint8Array, except: unknown, dropPeer: (peer: SyncPeer) => void): void {
  let framed: Buffer | null = null;
  for (const peer of live.peers.keys()) {
    if (peer === except) continue;
    try {
      if (peer.sendFramed) peer.sendFramed(framed ??= binaryFrame(message));
      else peer.send(message);
    } catch {
      dropPeer(peer);
    }
  }
}

/** What a newly attached peer is sent: sync step 1 (so it offers what the doc lacks) and who is present. */
export function greet(live: LoadedDoc, peer: SyncPeer): void {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(enc, live.doc);
  peer.send(encoding.toUint8Array(enc));
  const states = live.awareness.getStates();
  if (states.size > 0) peer.send(awarenessMessage(live.awareness, [...states.keys()]));
}
