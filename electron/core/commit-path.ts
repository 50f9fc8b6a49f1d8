// The commit path: how a change to a live document becomes durable and only then visible.
//
// Durability rule: an update is committed to SQLite inside the doc's 'update' handler, which
// runs before anything is broadcast; a peer therefore never sees an update the store lacks
// (better-sqlite3 is synchronous: `appendUpdate` returns once the row is committed). If the
// commit throws, the doc is dropped from memory and its peers closed, so nobody keeps a state the
// store lacks. Inside `atomically`, broadcasts wait for the outer transaction's commit.
import * as Y from 'yjs';
import { withoutFsync, type DocStore } from './store.ts';
import type { Log } from './log.ts';
import { broadcast, updateMessage, type LoadedDoc } from './loaded-doc.ts';
import type { DocRegistry } from './doc-registry.ts';
import type { SyncLimits } from './sync-limits.ts';
import { CLOSE, type SyncPeer } from './sync-protocol.ts';
import { TRACE_ON, trace, traceClock } from './trace.ts';

export interface CommitPathOptions {
  store: DocStore;
  registry: DocRegistry;
  limits: SyncLimits;
  /** Fold the update log into a snapshot after this many rows (per doc). */
  compactEvery: number;
  /** Detaches a peer whose send failed during a broadcast. */
  dropPeer: (peer: SyncPeer, name: string) => void;
  onCommitted?: (name: string, update: Uint8Array, origin: unknown) => void;
  /** See SyncCoreOptions.refetchable. */
  refetchable?: (origin: unknown) => boolean;
  log?: Log;
}

export class CommitPath {
  private readonly opts: CommitPathOptions;
  /** Inside `atomically`: broadcasts wait for the outer commit; docs changed meanwhile. */
  private deferred: { sends: Array<() => void>; touched: Set<LoadedDoc> } | null = null;

  constructor(opts: CommitPathOptions) {
    this.opts = opts;
  }

  /** The doc's 'update' handler: commit, then publish (now, or after the outer transaction). */
  onUpdate(live: LoadedDoc, update: Uint8Array, origin: unknown): void {
    if (origin === 'store') return;
    const { store, registry, log } = this.opts;
    const began = TRACE_ON ? traceClock() : 0;
    try {
      if (this.opts.refetchable?.(origin)) withoutFsync(store.db, () => store.appendUpdate(live.name, update));
      else store.appendUpdate(live.name, update);
    } catch (err) {
      // The update is in memory but not on disk: nobody may see it. Drop every peer and the
      // in-memory doc, so the state is rebuilt from the store and the clients' own resync.
      live.failed = true;
      log?.('store commit failed; dropping document from memory', { doc: live.name, error: String(err) });
      for (const peer of live.peers.keys()) peer.close(CLOSE.storeFailure, 'storage failure, reconnect');
      registry.unloadNow(live);
      throw err;
    }
    if (TRACE_ON) trace('commit', began, { ms: traceClock() - began, doc: live.name, bytes: update.length });
    live.uncompacted++;
    live.bytes += update.length;
    const publish = () => {
      this.opts.onCommitted?.(live.name, update, origin);
      const sending = TRACE_ON ? traceClock() : 0;
      broadcast(live, updateMessage(update), origin, (peer) => this.opts.dropPeer(peer, live.name));
      if (TRACE_ON) trace('publish', sending, { ms: traceClock() - sending, doc: live.name, peers: live.peers.size });
      if (live.uncompacted >= this.opts.compactEvery && registry.isCurrent(live)) this.compact(live);
    };
    if (this.deferred) {
      this.deferred.touched.add(live);
      this.deferred.sends.push(publish);
    } else {
      publish();
    }
  }

  /** Replaces the doc's log with its in-memory state (which holds every committed row). */
  compact(live: LoadedDoc): void {
    const state = Y.encodeStateAsUpdate(live.doc);
    this.opts.store.compact(live.name, state);
    live.uncompacted = 0;
    live.bytes = state.length;
  }

  /**
   * Runs `fn` in one SQLite transaction together with the document changes it makes: either all
   * of it is committed, and only then broadcast, or none of it is, and the documents it changed
   * are dropped from memory (their peers are closed with 1011 and resync from the store).
   */
  atomically<T>(fn: () => T): T {
    if (this.deferred) return fn();
    const deferred: { sends: Array<() => void>; touched: Set<LoadedDoc> } = { sends: [], touched: new Set() };
    this.deferred = deferred;
    let result: T;
    try {
      result = this.opts.store.db.transaction(fn)();
    } catch (err) {
      this.deferred = null;
      for (const live of deferred.touched) {
        if (!this.opts.registry.isCurrent(live)) continue;
        live.failed = true;
        this.opts.log?.('a change was rolled back; reloading its document', { doc: live.name, error: String(err) });
        for (const peer of [...live.peers.keys()]) peer.close(CLOSE.storeFailure, 'change rolled back, reconnect');
        this.opts.registry.unloadNow(live, false);
      }
      throw err;
    }
    this.deferred = null;
    for (const send of deferred.sends) send();
    return result;
  }

  /**
   * Would this update keep the document within its size limit? The running total only grows
   * between compactions, so near the limit the doc is compacted to learn its real size, and only
   * the part of the update the doc lacks is counted.
   */
  hasRoom(live: LoadedDoc, payload: Uint8Array): boolean {
    const max = this.opts.limits.maxDocBytes;
    if (live.bytes + payload.length <= max) return true;
    if (live.uncompacted > 0) this.compact(live);
    if (live.bytes + payload.length <= max) return true;
    return live.bytes + Y.diffUpdate(payload, Y.encodeStateVector(live.doc)).length <= max;
  }
}
