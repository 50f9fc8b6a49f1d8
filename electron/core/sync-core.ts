// Long because the commit-before-broadcast rule, per-peer access and the guards that run before
// an update touches a document all meet in one receive path; splitting them across files would
// hide that ordering. The checks themselves live in update-guard.ts, presence.ts, rate-limit.ts.
// The sync core shared by hub and agent: live Y.Docs backed by the DocStore, and the
// y-websocket protocol spoken to peers. A peer is anything that can send and close (a ws
// socket, an Electron MessagePort), so the same core serves the network and the renderer.
//
// Durability rule: an update is committed to SQLite inside the doc's 'update' handler, which
// runs before anything is broadcast; a peer therefore never sees an update the store lacks.
//
// Untrusted peers: every update is decoded and checked (size, nesting, the document's size
// limit) before it touches the doc; presence is accepted only for the client ids a connection
// owns. Limits are in sync-limits.ts.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as authProtocol from 'y-protocols/auth';
import type { DocStore } from './store.ts';
import { loadDocument } from './doc-loader.ts';
import { checkUpdate } from './update-guard.ts';
import { checkPresence, readPresenceEntries, type PresenceOwner, type PresenceScope } from './presence.ts';
import { SYNC_LIMITS, type SyncLimits } from './sync-limits.ts';

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
  /** Overrides of SYNC_LIMITS (tests use small ones). */
  limits?: Partial<SyncLimits>;
}

interface PeerState {
  access: PeerAccess;
  deniedNotified: boolean;
  /** A read-only peer's first non-empty update has been checked for being a mere echo. */
  probed: boolean;
  presence: PresenceOwner;
  presenceRefused: boolean;
}

export class LiveDoc {
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
  readonly limits: SyncLimits;
  /** Inside `atomically`: broadcasts wait for the outer commit; docs changed meanwhile. */
  private deferred: { sends: Array<() => void>; touched: Set<LiveDoc> } | null = null;

  constructor(opts: SyncCoreOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.compactEvery = opts.compactEvery ?? 500;
    this.unloadAfterMs = opts.unloadAfterMs ?? 30_000;
    this.limits = { ...SYNC_LIMITS, ...opts.limits };
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
    const loaded = loadDocument(this.store, name, this.limits, this.opts.log);
    live = new LiveDoc(name, loaded.doc);
    live.uncompacted = loaded.uncompacted;
    live.bytes = loaded.bytes;
    this.docs.set(name, live);
    const current = live;
    current.doc.on('update', (update: Uint8Array, origin: unknown) => this.onUpdate(current, update, origin));
    current.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const changed = added.concat(updated, removed);
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
    live.bytes += update.length;
    const publish = () => {
      this.opts.onCommitted?.(live.name, update, origin);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeUpdate(enc, update);
      this.broadcast(live, encoding.toUint8Array(enc), origin);
      if (live.uncompacted >= this.compactEvery && this.docs.get(live.name) === live) this.compact(live);
    };
    if (this.deferred) {
      this.deferred.touched.add(live);
      this.deferred.sends.push(publish);
    } else {
      publish();
    }
  }

  private compact(live: LiveDoc): void {
    const state = Y.encodeStateAsUpdate(live.doc);
    this.store.compact(live.name, state);
    live.uncompacted = 0;
    live.bytes = state.length;
  }

  /**
   * Runs `fn` in one SQLite transaction together with the document changes it makes (through
   * `withDoc`): either all of it is committed, and only then broadcast, or none of it is, and the
   * documents it changed are dropped from memory (their peers are closed with 1011 and resync
   * from the store). A route that fails therefore stores nothing.
   */
  atomically<T>(fn: () => T): T {
    if (this.deferred) return fn();
    const deferred: { sends: Array<() => void>; touched: Set<LiveDoc> } = { sends: [], touched: new Set() };
    this.deferred = deferred;
    let result: T;
    try {
      result = this.store.db.transaction(fn)();
    } catch (err) {
      this.deferred = null;
      for (const live of deferred.touched) {
        if (this.docs.get(live.name) !== live) continue;
        live.failed = true;
        this.opts.log?.('a change was rolled back; reloading its document', { doc: live.name, error: String(err) });
        for (const peer of [...live.peers.keys()]) peer.close(CLOSE.storeFailure, 'change rolled back, reconnect');
        this.unloadNow(live, false);
      }
      throw err;
    }
    this.deferred = null;
    for (const send of deferred.sends) send();
    return result;
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

  /**
   * Connects a peer to a document; the caller has already checked that it may read it.
   * `identity` (a user id) lets a user's new connection take over presence ids their old one held.
   */
  attach(peer: SyncPeer, name: string, access: PeerAccess, identity: string | null = null): void {
    if (this.closed) {
      peer.close(CLOSE.goingAway, 'server shutting down');
      return;
    }
    const live = this.load(name);
    live.peers.set(peer, { access, deniedNotified: false, probed: false, presence: { owned: new Set(), claimed: false, identity }, presenceRefused: false });
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

  /**
   * Handles one frame from a peer. Throws ProtocolError on a malformed or refused frame (the
   * caller closes with its code). Returns true when the frame was presence relayed to the other
   * peers (what the endpoint's presence rate limit counts).
   */
  receive(peer: SyncPeer, name: string, data: Uint8Array): boolean {
    const live = this.docs.get(name);
    const state = live?.peers.get(peer);
    if (!live || !state) return false;
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
            // whole delete set, so only a real change counts as a refused write. Only the first
            // non-empty update is probed for that (it copies the doc); any later one is a write.
            if (!state.deniedNotified && !isEmptyUpdate(payload) && (state.probed || !this.alreadyKnown(live, payload))) {
              state.deniedNotified = true;
              encoding.writeVarUint(reply, MESSAGE_AUTH);
              authProtocol.writePermissionDenied(reply, `read-only: changes to ${name} are not accepted from this connection`);
              this.opts.log?.('dropped update from read-only peer', { doc: name, bytes: payload.length });
            }
            if (!isEmptyUpdate(payload)) state.probed = true;
            break;
          }
          this.applyFromPeer(live, peer, payload);
        } else {
          throw new ProtocolError(`unknown sync message type ${sub}`);
        }
        break;
      }
      case MESSAGE_AWARENESS: {
        let update: Uint8Array;
        let entries;
        try {
          update = decoding.readVarUint8Array(decoder);
          entries = readPresenceEntries(update);
        } catch {
          throw new ProtocolError('malformed awareness update');
        }
        const verdict = checkPresence(entries, state.presence, live.presenceScope, this.limits);
        if (!verdict.ok) {
          // Dropped: nobody else's presence changes and nothing is relayed. Logged once per peer.
          if (!state.presenceRefused) this.opts.log?.('dropped presence update', { doc: name, reason: verdict.reason });
          state.presenceRefused = true;
          break;
        }
        for (const other of verdict.takeOver) for (const id of verdict.claims) other.owned.delete(id);
        for (const id of verdict.claims) state.presence.owned.add(id);
        if (state.presence.owned.size > 0) state.presence.claimed = true;
        if (!verdict.changes) break;
        relayed = true;
        try {
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
    const size = encoding.length(reply);
    if (size > this.limits.maxOutboundBytes) {
      // A document stored before the size limit existed: clients would refuse the frame anyway.
      this.opts.log?.('document too large to send', { doc: name, bytes: size });
      throw new ProtocolError(`document too large to send (${size} bytes)`, CLOSE.tooLarge);
    }
    if (size > 0) peer.send(encoding.toUint8Array(reply));
    return relayed;
  }

  /** Checks an update from a writing peer and applies it (committed and broadcast by onUpdate). */
  private applyFromPeer(live: LiveDoc, peer: SyncPeer, payload: Uint8Array): void {
    if (payload.length > this.limits.maxUpdateBytes) throw new ProtocolError(`update over ${this.limits.maxUpdateBytes} bytes`, CLOSE.tooBig);
    let structs;
    try {
      // Decoding first rejects a malformed update before any of it touches the doc.
      structs = Y.decodeUpdate(payload).structs;
    } catch {
      throw new ProtocolError('malformed update');
    }
    const verdict = checkUpdate(structs, live.doc, this.limits);
    if (!verdict.ok) {
      this.opts.log?.('refused an update', { doc: live.name, reason: verdict.reason, bytes: payload.length });
      throw new ProtocolError(verdict.reason, CLOSE.unprocessable);
    }
    if (!this.hasRoom(live, payload)) {
      this.opts.log?.('refused an update: document full', { doc: live.name, bytes: live.bytes, limit: this.limits.maxDocBytes });
      throw new ProtocolError(`document full (limit ${this.limits.maxDocBytes} bytes)`, CLOSE.tooLarge);
    }
    try {
      Y.applyUpdate(live.doc, payload, peer);
    } catch (err) {
      if (live.failed) throw err;
      throw new ProtocolError('update could not be applied');
    }
  }

  /**
   * Would this update keep the document within its size limit? The running total only grows
   * between compactions, so near the limit the doc is compacted to learn its real size, and only
   * the part of the update the doc lacks is counted.
   */
  private hasRoom(live: LiveDoc, payload: Uint8Array): boolean {
    const max = this.limits.maxDocBytes;
    if (live.bytes + payload.length <= max) return true;
    if (live.uncompacted > 0) this.compact(live);
    if (live.bytes + payload.length <= max) return true;
    return live.bytes + Y.diffUpdate(payload, Y.encodeStateVector(live.doc)).length <= max;
  }

  /** What an attached peer may do (null: not attached). */
  accessOf(peer: SyncPeer, name: string): PeerAccess | null {
    return this.docs.get(name)?.peers.get(peer)?.access ?? null;
  }

  /** Changes what an attached peer may do (a role changed while it was connected). */
  setAccess(peer: SyncPeer, name: string, access: PeerAccess): void {
    const state = this.docs.get(name)?.peers.get(peer);
    if (!state || state.access === access) return;
    state.access = access;
    state.deniedNotified = false;
    state.probed = true;
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
    const present = [...state.presence.owned].filter((id) => live.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(live.awareness, present, null);
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

/** A frame the core refuses; the connection is closed with `code` (1007 unless said otherwise). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
  readonly code: number;
  constructor(message: string, code: number = CLOSE.badMessage) {
    super(message);
    this.code = code;
  }
}
