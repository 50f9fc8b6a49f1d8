// One frame from a peer, handled. Peers are untrusted: every update is decoded and checked (size,
// nesting, the document's size limit) before it touches the doc, a read-only peer's changes are
// dropped (and it is told once), and presence is accepted only for the client ids a connection
// owns. The checks themselves live in update-guard.ts and presence.ts; limits in sync-limits.ts.
// An accepted update is applied to the doc, whose 'update' handler commits it before anyone is
// sent it (commit-path.ts).
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { Log } from './log.ts';
import type { CommitPath } from './commit-path.ts';
import type { LoadedDoc, PeerState } from './loaded-doc.ts';
import { checkUpdate } from './update-guard.ts';
import { checkPresence, readPresenceEntries } from './presence.ts';
import type { SyncLimits } from './sync-limits.ts';
import { CLOSE, deniedMessage, MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, ProtocolError, type SyncPeer } from './sync-protocol.ts';

export interface ReceiveContext {
  limits: SyncLimits;
  commits: CommitPath;
  log?: Log;
}

function isEmptyUpdate(update: Uint8Array): boolean {
  // An update with no structs and an empty delete set encodes as two zero bytes.
  return update.length <= 2 && update.every((b) => b === 0);
}

/**
 * Handles one frame from an attached peer. Throws ProtocolError on a malformed or refused frame
 * (the caller closes with its code). Returns true when the frame was presence relayed to the
 * other peers.
 */
export function receiveFrame(ctx: ReceiveContext, live: LoadedDoc, peer: SyncPeer, state: PeerState, data: Uint8Array): boolean {
  let relayed = false;
  const decoder = decoding.createDecoder(data);
  const reply = encoding.createEncoder();
  let type: number;
  try {
    type = decoding.readVarUint(decoder);
  } catch {
    throw new ProtocolError('empty or truncated frame');
  }
  switch (type) {
    case MESSAGE_SYNC:
      receiveSync(ctx, live, peer, state, decoder, reply);
      break;
    case MESSAGE_AWARENESS:
      relayed = receivePresence(ctx, live, peer, state, decoder);
      break;
    case MESSAGE_QUERY_AWARENESS: {
      encoding.writeVarUint(reply, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(reply, awarenessProtocol.encodeAwarenessUpdate(live.awareness, [...live.awareness.getStates().keys()]));
      break;
    }
    case MESSAGE_AUTH:
      break;
    default:
      throw new ProtocolError(`unknown message type ${type}`);
  }
  const size = encoding.length(reply);
  if (size > ctx.limits.maxOutboundBytes) {
    // A document stored before the size limit existed: clients would refuse the frame anyway.
    ctx.log?.('document too large to send', { doc: live.name, bytes: size });
    throw new ProtocolError(`document too large to send (${size} bytes)`, CLOSE.tooLarge);
  }
  if (size > 0) peer.send(encoding.toUint8Array(reply));
  return relayed;
}

function receiveSync(ctx: ReceiveContext, live: LoadedDoc, peer: SyncPeer, state: PeerState, decoder: decoding.Decoder, reply: encoding.Encoder): void {
  let sub: number;
  let payload: Uint8Array;
  try {
    sub = decoding.readVarUint(decoder);
    payload = decoding.readVarUint8Array(decoder);
  } catch {
    throw new ProtocolError('truncated sync message');
  }
  if (sub === syncProtocol.messageYjsSyncStep1) {
    try {
      Y.decodeStateVector(payload);
    } catch {
      throw new ProtocolError('malformed state vector');
    }
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    syncProtocol.writeSyncStep2(reply, live.doc, payload);
  } else if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) {
    if (state.access !== 'write') {
      // Dropped, and the peer is told once. A replica's sync step 2 always carries its whole
      // delete set, so only a real change counts as a refused write. Only the first non-empty
      // update is probed for that (it copies the doc); any later one is a write.
      if (!state.deniedNotified && !isEmptyUpdate(payload) && (state.probed || !alreadyKnown(live, payload))) {
        state.deniedNotified = true;
        encoding.writeUint8Array(reply, deniedMessage(`read-only: changes to ${live.name} are not accepted from this connection`));
        ctx.log?.('dropped update from read-only peer', { doc: live.name, bytes: payload.length });
      }
      if (!isEmptyUpdate(payload)) state.probed = true;
      return;
    }
    applyFromPeer(ctx, live, peer, payload);
  } else {
    throw new ProtocolError(`unknown sync message type ${sub}`);
  }
}

function receivePresence(ctx: ReceiveContext, live: LoadedDoc, peer: SyncPeer, state: PeerState, decoder: decoding.Decoder): boolean {
  let update: Uint8Array;
  let entries;
  try {
    update = decoding.readVarUint8Array(decoder);
    entries = readPresenceEntries(update);
  } catch {
    throw new ProtocolError('malformed awareness update');
  }
  const verdict = checkPresence(entries, state.presence, live.presenceScope, ctx.limits);
  if (!verdict.ok) {
    // Dropped: nobody else's presence changes and nothing is relayed. Logged once per peer.
    if (!state.presenceRefused) ctx.log?.('dropped presence update', { doc: live.name, reason: verdict.reason });
    state.presenceRefused = true;
    return false;
  }
  for (const other of verdict.takeOver) for (const id of verdict.claims) other.owned.delete(id);
  for (const id of verdict.claims) state.presence.owned.add(id);
  if (state.presence.owned.size > 0) state.presence.claimed = true;
  if (!verdict.changes) return false;
  try {
    awarenessProtocol.applyAwarenessUpdate(live.awareness, update, peer);
  } catch {
    throw new ProtocolError('malformed awareness update');
  }
  return true;
}

/** Checks an update from a writing peer and applies it (committed and broadcast by the commit path). */
function applyFromPeer(ctx: ReceiveContext, live: LoadedDoc, peer: SyncPeer, payload: Uint8Array): void {
  const { limits, log } = ctx;
  if (payload.length > limits.maxUpdateBytes) throw new ProtocolError(`update over ${limits.maxUpdateBytes} bytes`, CLOSE.tooBig);
  let structs;
  try {
    // Decoding first rejects a malformed update before any of it touches the doc.
    structs = Y.decodeUpdate(payload).structs;
  } catch {
    throw new ProtocolError('malformed update');
  }
  const verdict = checkUpdate(structs, live.doc, limits);
  if (!verdict.ok) {
    log?.('refused an update', { doc: live.name, reason: verdict.reason, bytes: payload.length });
    throw new ProtocolError(verdict.reason, CLOSE.unprocessable);
  }
  if (!ctx.commits.hasRoom(live, payload)) {
    log?.('refused an update: document full', { doc: live.name, bytes: live.bytes, limit: limits.maxDocBytes });
    throw new ProtocolError(`document full (limit ${limits.maxDocBytes} bytes)`, CLOSE.tooLarge);
  }
  try {
    Y.applyUpdate(live.doc, payload, peer);
  } catch (err) {
    if (live.failed) throw err;
    throw new ProtocolError('update could not be applied');
  }
}

/** True when a read-only peer merely echoes what the doc already has (nothing to refuse). */
function alreadyKnown(live: LoadedDoc, update: Uint8Array): boolean {
  try {
    const sv = Y.encodeStateVector(live.doc);
    const diff = Y.diffUpdate(update, sv);
    if (Y.decodeUpdate(diff).structs.length > 0) return false;
    // Deletions of items the doc already deleted are no change either.
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(live.doc));
    let changed = false;
    probe.on('update', () => (changed = true));
    Y.applyUpdate(probe, update);
    probe.destroy();
    return !changed;
  } catch {
    return false;
  }
}
