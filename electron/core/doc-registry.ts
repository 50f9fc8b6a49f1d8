// Which documents are in memory. A document is loaded from the store on first use (doc-loader.ts
// sets a bad stored piece aside rather than failing the whole document), kept while it has peers
// or pins, and unloaded `unloadAfterMs` after the last of them is gone, compacting what is left so
// the next load reads one snapshot.
import type { DocStore } from './store.ts';
import type { Log } from './log.ts';
import { loadDocument } from './doc-loader.ts';
import { LoadedDoc } from './loaded-doc.ts';
import type { SyncLimits } from './sync-limits.ts';

export interface DocRegistryOptions {
  store: DocStore;
  limits: SyncLimits;
  unloadAfterMs: number;
  /** Wires a newly loaded doc to the rest of the core; runs before any peer attaches. */
  loaded: (live: LoadedDoc) => void;
  /** Folds the doc's log into its snapshot (the commit path owns compaction). */
  compact: (live: LoadedDoc) => void;
  log?: Log;
}

export class DocRegistry {
  private readonly docs = new Map<string, LoadedDoc>();
  private readonly opts: DocRegistryOptions;

  constructor(opts: DocRegistryOptions) {
    this.opts = opts;
  }

  names(): string[] {
    return [...this.docs.keys()];
  }

  get(name: string): LoadedDoc | undefined {
    return this.docs.get(name);
  }

  all(): LoadedDoc[] {
    return [...this.docs.values()];
  }

  /** False once `live` was unloaded or dropped (a later load of the same name is another LoadedDoc). */
  isCurrent(live: LoadedDoc): boolean {
    return this.docs.get(live.name) === live;
  }

  /** The loaded doc, loading it from the store if needed; a pending unload is called off. */
  load(name: string): LoadedDoc {
    const present = this.docs.get(name);
    if (present) {
      if (present.unloadTimer) {
        clearTimeout(present.unloadTimer);
        present.unloadTimer = null;
      }
      return present;
    }
    const loaded = loadDocument(this.opts.store, name, this.opts.limits, this.opts.log);
    const live = new LoadedDoc(name, loaded.doc);
    live.uncompacted = loaded.uncompacted;
    live.bytes = loaded.bytes;
    this.docs.set(name, live);
    this.opts.loaded(live);
    return live;
  }

  /** Starts the unload timer once nothing holds the doc any more. */
  maybeScheduleUnload(live: LoadedDoc): void {
    if (live.peers.size > 0 || live.pins > 0 || live.unloadTimer || !this.isCurrent(live)) return;
    live.unloadTimer = setTimeout(() => {
      live.unloadTimer = null;
      if (live.peers.size === 0 && live.pins === 0) this.unloadNow(live);
    }, this.opts.unloadAfterMs);
    live.unloadTimer.unref?.();
  }

  /**
   * Forgets the doc at once. With `compact`, what is left of its log is folded first (skipped for
   * a doc that failed: its memory may hold what the store refused).
   */
  unloadNow(live: LoadedDoc, compact = true): void {
    if (live.unloadTimer) clearTimeout(live.unloadTimer);
    live.unloadTimer = null;
    if (compact && !live.failed && live.uncompacted > 0) {
      try {
        this.opts.compact(live);
      } catch (err) {
        this.opts.log?.('compaction on unload failed', { doc: live.name, error: String(err) });
      }
    }
    this.docs.delete(live.name);
    live.awareness.destroy();
    live.doc.destroy();
  }
}
