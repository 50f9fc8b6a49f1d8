// The sync core shared by hub and agent: live Y.Docs backed by the DocStore, and the
// y-websocket protocol spoken to peers. A peer is anything that can send and close (a ws
// socket, an Electron MessagePort), so the same core serves the network and the renderer.
//
// Durability rule: an update is committed to SQLite inside the doc's 'update' handler, which
// runs before anything is broadcast; a peer therefore never sees an update the store lacks.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import type { DocStore } from './store.ts';

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
  storeFailure: 1011,
  goingAway: 1001,
} as const;

export interface SyncPeer {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
}

export type PeerAccess = 'read' | 'write';

export interface SyncCoreOptions {
  store: DocStore;
  /** Fold the update log into a snapshot after this many rows (per doc). */
  compactEvery?: number;
  /** Unload a doc this long after its last peer and pin are gone. */
  unloadAfterMs?: number;
  /** Called once per load, before any peer attaches (the hub seeds new meeting docs here). */
  onLoad?: (name: string, doc: Y.Doc) => void;
  /** Called after every committed update (the agent uses it to note local activity). */
  onCommitted?: (name: string, update: Uint8Array, origin: unknown) => void;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

interface PeerState {
  access: PeerAccess;
  clientIds: Set<number>;
  deniedNotified: boolean;
}

export class LiveDoc {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Map<SyncPeer, PeerState>();
  pins = 0;
  uncompacted = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  failed = false;

  readonly name: string;

  constructor(name: string) {
    this.name = name;
    this.doc = new Y.Doc({ gc: true });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
  }
}

function isEmptyUpdate(update: Uint8Array): boolean {
  // An update with no structs and an empty delete set encodes as two zero bytes.
  return update.length <= 2 && update.every((b) => b === 0);
}

export class SyncCore {
  private readonly docs = new Map<string, LiveDoc>();
  private readonly store: DocStore;
  private readonly compactEvery: number;
  private readonly unloadAfterMs: number;
  private closed = false;
  private readonly opts: SyncCoreOptions;

  constructor(opts: SyncCoreOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.compactEvery = opts.compactEvery ?? 500;
    this.unloadAfterMs = opts.unloadAfterMs ?? 30_000;
  }

  /** Loaded docs (for metrics and tests). */
  loadedDocs(): string[] {
    return [...this.docs.keys()];
  }

  private load(name: string): LiveDoc {
    let live = this.docs.get(name);
    if (live) {
      if (live.unloadTimer) {
        clearTimeout(live.unloadTimer);
        live.unloadTimer = null;
      }
      return live;
    }
    live = new LiveDoc(name);
    live.uncompacted = this.store.loadInto(name, live.doc, 'store');
    this.docs.set(name, live);
    const current = live;
    current.doc.on('update', (update: Uint8Array, origin: unknown) => this.onUpdate(current, update, origin));
    current.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = added.concat(updated, removed);
      const state = origin instanceof Object ? current.peers.get(origin as SyncPeer) : undefined;
      if (state) {
        for (const id of added) state.clientIds.add(id);
        for (const id of removed) state.clientIds.delete(id);
      }
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(current.awareness, changed));
      this.broadcast(current, encoding.toUint8Array(enc), null);
    });
    this.opts.onLoad?.(name, live.doc);
    return live;
  }

  private onUpdate(live: LiveDoc, update: Uint8Array, origin: unknown): void {
    if (origin === 'store') return;
    try {
      this.store.appendUpdate(live.name, update);
    } catch (err) {
      // The update is in memory but not on disk: nobody may see it. Drop every peer and the
      // in-memory doc, so the state is rebuilt from the store and the clients' own resync.
      live.failed = true;
      this.opts.log?.('store commit failed; dropping document from memory', { doc: live.name, error: String(err) });
      for (const peer of live.peers.keys()) peer.close(CLOSE.storeFailure, 'storage failure, reconnect');
      this.unloadNow(live);
      throw err;
    }
    live.uncompacted++;
    this.opts.onCommitted?.(live.name, update, origin);
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeUpdate(enc, update);
    this.broadcast(live, encoding.toUint8Array(enc), origin);
    if (live.uncompacted >= this.compactEvery) this.compact(live);
  }

  private compact(live: LiveDoc): void {
    this.store.compact(live.name, Y.encodeStateAsUpdate(live.doc));
    live.uncompacted = 0;
  }

  private broadcast(live: LiveDoc, message: Uint8Array, except: unknown): void {
    for (const peer of live.peers.keys()) {
      if (peer === except) continue;
      try {
        peer.send(message);
      } catch {
        this.detach(peer, live.name);
      }
    }
  }

  /** Connects a peer to a document; the caller has already checked that it may read it. */
  attach(peer: SyncPeer, name: string, access: PeerAccess): void {
    if (this.closed) {
      peer.close(CLOSE.goingAway, 'server shutting down');
      return;
    }
    const live = this.load(name);
    live.peers.set(peer, { access, clientIds: new Set(), deniedNotified: false });
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(enc, live.doc);
    peer.send(encoding.toUint8Array(enc));
    const states = live.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(live.awareness, [...states.keys()]));
      peer.send(encoding.toUint8Array(aw));
    }
  }

  /** Handles one frame from a peer. Throws ProtocolError on a malformed frame (caller closes). */
  receive(peer: SyncPeer, name: string, data: Uint8Array): void {
    const live = this.docs.get(name);
    const state = live?.peers.get(peer);
    if (!live || !state) return;
    const decoder = decoding.createDecoder(data);
    const reply = encoding.createEncoder();
    let type: number;
    try {
      type = decoding.readVarUint(decoder);
    } catch {
      throw new ProtocolError('empty or truncated frame');
    }
    switch (type) {
      case MESSAGE_SYNC: {
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
            // Dropped, and the peer is told once. A replica's sync step 2 always carries its
            // whole delete set, so only a real change counts as a refused write.
            if (!state.deniedNotified && !isEmptyUpdate(payload) && !this.alreadyKnown(live, payload)) {
              state.deniedNotified = true;
              encoding.writeVarUint(reply, MESSAGE_AUTH);
              authProtocol.writePermissionDenied(reply, `read-only: changes to ${name} are not accepted from this connection`);
              this.opts.log?.('dropped update from read-only peer', { doc: name, bytes: payload.length });
            }
            break;
          }
          try {
            // Decoding first rejects a malformed update before any of it touches the doc.
            Y.decodeUpdate(payload);
          } catch {
            throw new ProtocolError('malformed update');
          }
          try {
            Y.applyUpdate(live.doc, payload, peer);
          } catch (err) {
            if (live.failed) throw err;
            throw new ProtocolError('update could not be applied');
          }
        } else {
          throw new ProtocolError(`unknown sync message type ${sub}`);
        }
        break;
      }
      case MESSAGE_AWARENESS: {
        let update: Uint8Array;
        try {
          update = decoding.readVarUint8Array(decoder);
          awarenessProtocol.applyAwarenessUpdate(live.awareness, update, peer);
        } catch {
          throw new ProtocolError('malformed awareness update');
        }
        break;
      }
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
    if (encoding.length(reply) > 0) peer.send(encoding.toUint8Array(reply));
  }

  /** True when a read-only peer merely echoes what the doc already has (nothing to refuse). */
  private alreadyKnown(live: LiveDoc, update: Uint8Array): boolean {
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

  detach(peer: SyncPeer, name: string): void {
    const live = this.docs.get(name);
    if (!live) return;
    const state = live.peers.get(peer);
    if (!state) return;
    live.peers.delete(peer);
    if (state.clientIds.size > 0) awarenessProtocol.removeAwarenessStates(live.awareness, [...state.clientIds], null);
    this.maybeScheduleUnload(live);
  }

  /** Keeps a doc loaded (the agent pins the docs it replicates). Returns the Y.Doc. */
  pin(name: string): Y.Doc {
    const live = this.load(name);
    live.pins++;
    return live.doc;
  }

  unpin(name: string): void {
    const live = this.docs.get(name);
    if (!live) return;
    live.pins = Math.max(0, live.pins - 1);
    this.maybeScheduleUnload(live);
  }

  /** Runs `fn` on a loaded doc (loading it if needed); changes made in it are committed and broadcast. */
  withDoc<T>(name: string, fn: (doc: Y.Doc) => T): T {
    const live = this.load(name);
    try {
      return fn(live.doc);
    } finally {
      this.maybeScheduleUnload(live);
    }
  }

  /** Current state as one update, from memory when loaded, else from the store. */
  encodeState(name: string): Uint8Array | null {
    const live = this.docs.get(name);
    if (live) return Y.encodeStateAsUpdate(live.doc);
    return this.store.encodeState(name);
  }

  /** Closes the peers that match (a revoked session, a removed participant), across all docs. */
  kickWhere(match: (peer: SyncPeer, docName: string) => boolean, code: number, reason: string): void {
    for (const live of this.docs.values()) {
      for (const peer of [...live.peers.keys()]) {
        if (!match(peer, live.name)) continue;
        peer.close(code, reason);
        this.detach(peer, live.name);
      }
    }
  }

  /** Forgets a document entirely: memory and store (the agent purges revoked meetings). */
  purge(name: string): void {
    const live = this.docs.get(name);
    if (live) {
      for (const peer of [...live.peers.keys()]) peer.close(CLOSE.revoked, 'access revoked');
      this.unloadNow(live, false);
    }
    this.store.deleteDoc(name);
  }

  private maybeScheduleUnload(live: LiveDoc): void {
    if (live.peers.size > 0 || live.pins > 0 || live.unloadTimer || this.docs.get(live.name) !== live) return;
    live.unloadTimer = setTimeout(() => {
      live.unloadTimer = null;
      if (live.peers.size === 0 && live.pins === 0) this.unloadNow(live);
    }, this.unloadAfterMs);
    live.unloadTimer.unref?.();
  }

  private unloadNow(live: LiveDoc, compact = true): void {
    if (live.unloadTimer) clearTimeout(live.unloadTimer);
    live.unloadTimer = null;
    if (compact && !live.failed && live.uncompacted > 0) {
      try {
        this.compact(live);
      } catch (err) {
        this.opts.log?.('compaction on unload failed', { doc: live.name, error: String(err) });
      }
    }
    this.docs.delete(live.name);
    live.awareness.destroy();
    live.doc.destroy();
  }

  close(): void {
    this.closed = true;
    for (const live of [...this.docs.values()]) {
      for (const peer of [...live.peers.keys()]) peer.close(CLOSE.goingAway, 'server shutting down');
      live.peers.clear();
      this.unloadNow(live);
    }
  }
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}
