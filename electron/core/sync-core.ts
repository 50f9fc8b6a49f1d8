// The sync core shared by hub and agent: live Y.Docs backed by the DocStore, and the
// y-websocket protocol spoken to peers. A peer is anything that can send and close (a ws
// socket, an Electron MessagePort), so the same core serves the network and the renderer.
//
// SyncCore is the one entry point; its parts each do one job:
//   doc-registry.ts  which docs are loaded; loading, pins, unloading
//   commit-path.ts   commit before broadcast, `atomically`, compaction, the size limit
//   peer-receive.ts  one frame from an untrusted peer: decode, check, apply or refuse
//   loaded-doc.ts    a loaded doc with its peers, and the fan-out to them
//   sync-protocol.ts message types, close codes, SyncPeer, ProtocolError
// The order that matters, an update committed before any peer is sent it, is kept by the doc's
// 'update' handler (wired in `wire` below to the commit path), which Yjs runs inside
// `applyUpdate`, before `receive` returns.
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocStore } from './store.ts';
import type { Log } from './log.ts';
import { SYNC_LIMITS, type SyncLimits } from './sync-limits.ts';
import { DocRegistry } from './doc-registry.ts';
import { CommitPath } from './commit-path.ts';
import { receiveFrame } from './peer-receive.ts';
import { awarenessMessage, broadcast, greet, type LoadedDoc } from './loaded-doc.ts';
import { CLOSE, deniedMessage, type PeerAccess, type SyncPeer } from './sync-protocol.ts';
import { watchEventLoop } from './trace.ts';

export { CLOSE, MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, ProtocolError } from './sync-protocol.ts';
export type { PeerAccess, SyncPeer } from './sync-protocol.ts';
export { LoadedDoc } from './loaded-doc.ts';

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
  /**
   * Updates from this origin are held by an authority that sends them again after a loss (the
   * agent's links to its hub: the hub has them, and the next sync fetches what the cache lacks),
   * so they are committed without waiting for the disk. Traced in the devices bench, that wait
   * was the largest part of a change's way through an agent (p50 11–37 ms quiet, over 100 ms when
   * the room's disk stalled). A killed process still loses nothing; a power cut loses only what
   * the hub sends again.
   */
  refetchable?: (origin: unknown) => boolean;
  log?: Log;
  /** Overrides of SYNC_LIMITS (tests use small ones). */
  limits?: Partial<SyncLimits>;
}

export class SyncCore {
  private readonly store: DocStore;
  private readonly registry: DocRegistry;
  private readonly commits: CommitPath;
  private closed = false;
  private readonly opts: SyncCoreOptions;
  readonly limits: SyncLimits;

  constructor(opts: SyncCoreOptions) {
    this.opts = opts;
    this.store = opts.store;
    this.limits = { ...SYNC_LIMITS, ...opts.limits };
    this.registry = new DocRegistry({
      store: opts.store,
      limits: this.limits,
      unloadAfterMs: opts.unloadAfterMs ?? 30_000,
      loaded: (live) => this.wire(live),
      compact: (live) => this.commits.compact(live),
      log: opts.log,
    });
    this.commits = new CommitPath({
      store: opts.store,
      registry: this.registry,
      limits: this.limits,
      compactEvery: opts.compactEvery ?? 500,
      dropPeer: (peer, name) => this.detach(peer, name),
      onCommitted: opts.onCommitted,
      refetchable: opts.refetchable,
      log: opts.log,
    });
    // With CHAMBER_TRACE=1 only (trace.ts): stalls of this process's event loop, beside commits.
    watchEventLoop();
  }

  /** Loaded docs (for metrics and tests). */
  loadedDocs(): string[] {
    return this.registry.names();
  }

  /** Connects a newly loaded doc: its changes go through the commit path, its presence to its peers. */
  private wire(live: LoadedDoc): void {
    live.doc.on('update', (update: Uint8Array, origin: unknown) => this.commits.onUpdate(live, update, origin));
    live.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      broadcast(live, awarenessMessage(live.awareness, added.concat(updated, removed)), null, (peer) => this.detach(peer, live.name));
    });
    this.opts.onLoad?.(live.name, live.doc);
  }

  /**
   * Runs `fn` in one SQLite transaction together with the document changes it makes (through
   * `withDoc`): either all of it is committed, and only then broadcast, or none of it is, and the
   * documents it changed are dropped from memory (their peers are closed with 1011 and resync
   * from the store). A route that fails therefore stores nothing.
   */
  atomically<T>(fn: () => T): T {
    return this.commits.atomically(fn);
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
    const live = this.registry.load(name);
    live.peers.set(peer, { access, deniedNotified: false, probed: false, presence: { owned: new Set(), claimed: false, identity }, presenceRefused: false });
    greet(live, peer);
  }

  /**
   * Handles one frame from a peer. Throws ProtocolError on a malformed or refused frame (the
   * caller closes with its code). Returns true when the frame was presence relayed to the other
   * peers (what the endpoint's presence rate limit counts).
   */
  receive(peer: SyncPeer, name: string, data: Uint8Array): boolean {
    const live = this.registry.get(name);
    const state = live?.peers.get(peer);
    if (!live || !state) return false;
    return receiveFrame({ limits: this.limits, commits: this.commits, log: this.opts.log }, live, peer, state, data);
  }

  /** What an attached peer may do (null: not attached). */
  accessOf(peer: SyncPeer, name: string): PeerAccess | null {
    return this.registry.get(name)?.peers.get(peer)?.access ?? null;
  }

  /** Changes what an attached peer may do (a role changed while it was connected). */
  setAccess(peer: SyncPeer, name: string, access: PeerAccess): void {
    const state = this.registry.get(name)?.peers.get(peer);
    if (!state || state.access === access) return;
    const demoted = state.access === 'write' && access === 'read';
    state.access = access;
    state.deniedNotified = demoted;
    state.probed = true;
    // Told now rather than at its next refused write: a device's agent relaying for this user
    // learns of the demotion at once and re-checks its own clients' sockets in the same step,
    // instead of at its next round with the hub.
    if (demoted) peer.send(deniedMessage(`read-only: access to ${name} changed; changes are no longer accepted from this connection`));
  }

  detach(peer: SyncPeer, name: string): void {
    const live = this.registry.get(name);
    if (!live) return;
    const state = live.peers.get(peer);
    if (!state) return;
    live.peers.delete(peer);
    const present = [...state.presence.owned].filter((id) => live.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(live.awareness, present, null);
    this.registry.maybeScheduleUnload(live);
  }

  /** Keeps a doc loaded (the agent pins the docs it replicates). Returns the Y.Doc. */
  pin(name: string): Y.Doc {
    const live = this.registry.load(name);
    live.pins++;
    return live.doc;
  }

  unpin(name: string): void {
    const live = this.registry.get(name);
    if (!live) return;
    live.pins = Math.max(0, live.pins - 1);
    this.registry.maybeScheduleUnload(live);
  }

  /** Runs `fn` on a loaded doc (loading it if needed); changes made in it are committed and broadcast. */
  withDoc<T>(name: string, fn: (doc: Y.Doc) => T): T {
    const live = this.registry.load(name);
    try {
      return fn(live.doc);
    } finally {
      this.registry.maybeScheduleUnload(live);
    }
  }

  /**
   * The doc as it is in memory, or null when it is not loaded (this never loads it), for a look
   * that only reads — reading a live doc costs what is read; copying its state costs the whole doc.
   */
  loadedDoc(name: string): Y.Doc | null {
    return this.registry.get(name)?.doc ?? null;
  }

  /** Current state as one update, from memory when loaded, else from the store. */
  encodeState(name: string): Uint8Array | null {
    const live = this.registry.get(name);
    if (live) return Y.encodeStateAsUpdate(live.doc);
    return this.store.encodeState(name);
  }

  /** Closes the peers that match (a revoked session, a removed participant), across all docs. */
  kickWhere(match: (peer: SyncPeer, docName: string) => boolean, code: number, reason: string): void {
    for (const live of this.registry.all()) {
      for (const peer of [...live.peers.keys()]) {
        if (!match(peer, live.name)) continue;
        peer.close(code, reason);
        this.detach(peer, live.name);
      }
    }
  }

  /** Forgets a document entirely: memory and store (the agent purges revoked meetings). */
  purge(name: string): void {
    const live = this.registry.get(name);
    if (live) {
      for (const peer of [...live.peers.keys()]) peer.close(CLOSE.revoked, 'access revoked');
      this.registry.unloadNow(live, false);
    }
    this.store.deleteDoc(name);
  }

  close(): void {
    this.closed = true;
    for (const live of this.registry.all()) {
      for (const peer of [...live.peers.keys()]) peer.close(CLOSE.goingAway, 'server shutting down');
      live.peers.clear();
      this.registry.unloadNow(live);
    }
  }
}
