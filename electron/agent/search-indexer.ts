// The agent's full-text index of the papers it holds, filled in the background: each paper the
// user may read (the latest version of each, as the cache lists them) is read out of the blob
// store once it is held whole and verified, its text extracted in a child process (core/pdf-text.ts,
// never on the agent's event loop) and written to the index a few pages per transaction, with the
// loop given back between them. One paper at a time: a tablet serves its reader first. One child
// reads paper after paper while they keep coming (a `PdfTextReader`, as on the hub): a child of
// its own per paper spent longer starting pdf.js than reading a short paper.
//
// The index is derived data: its rows are written without an fsync of their own (a power cut
// costs a re-index, never a wrong answer: a paper is only marked done in the commit after its
// last page). A paper that leaves the cache (purge, wipe, revoke, another user) loses its rows in
// prune(), called by the meeting cache wherever it deletes papers; an extraction still running
// for it is stopped (its child killed), writes nothing more (each batch checks first), and its
// rows are dropped again at the end.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Throttler } from '../core/async.ts';
import type { Log } from '../core/log.ts';
import { PdfTextError, PdfTextReader } from '../core/pdf-text.ts';
import type { SearchIndex } from '../core/search-index.ts';
import { withoutFsync, type Database, type DocStore } from '../core/store.ts';

export interface SearchIndexerDeps {
  index: SearchIndex;
  db: Database;
  store: Pick<DocStore, 'blobInfo' | 'readBlob'>;
  /** The files to have indexed now: the latest version of every paper the user holds. */
  wanted: () => ReadonlySet<string>;
  /** True when the held file matches its sha256 (a damaged one is deleted, and fetched again). */
  verify: (sha256: string) => Promise<boolean>;
  log: Log;
}

/** Thrown from a batch callback when the paper left the cache during its extraction. */
class NoLongerHeld extends Error {}

/**
 * Pages written per transaction: the hub's figure (electron/hub/search/indexer.ts, about 10 ms of
 * folding and FTS work for dense pages), so a reader's page turn never waits behind a long one.
 */
const PAGES_PER_COMMIT = 8;
/** The reading child exits this long after the last paper of a pass (as on the hub). */
const READER_IDLE_MS = 2_000;

export class SearchIndexer {
  private readonly deps: SearchIndexerDeps;
  private readonly passes = new Throttler();
  private closed = false;
  /** The paper being extracted now, if any, and how to stop it. */
  private current: { sha256: string; stop: AbortController } | null = null;
  private readonly reader = new PdfTextReader({ idleMs: READER_IDLE_MS });

  constructor(deps: SearchIndexerDeps) {
    this.deps = deps;
  }

  /** Starts (or queues) a pass over what is wanted; resolves when that pass ends. */
  schedule(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.passes.queue(() => this.pass());
  }

  /** Drops the rows of every file no longer wanted (the meeting cache calls it after deleting papers). */
  prune(): void {
    if (this.closed) return;
    const wanted = this.deps.wanted();
    if (this.current && !wanted.has(this.current.sha256)) this.current.stop.abort();
    for (const sha of this.deps.index.knownShas()) if (!wanted.has(sha)) this.write(() => this.deps.index.drop(sha));
  }

  close(): void {
    this.closed = true;
    this.current?.stop.abort();
    this.reader.close();
  }

  private stillWanted(sha: string): boolean {
    return !this.closed && this.deps.wanted().has(sha) && !!this.deps.store.blobInfo(sha)?.complete;
  }

  private write(fn: () => void): void {
    withoutFsync(this.deps.db, fn);
  }

  private async pass(): Promise<void> {
    // Each file is tried at most once per pass, so a file that cannot be finished now (its
    // verification failed, it left meanwhile) does not spin the pass.
    const tried = new Set<string>();
    for (;;) {
      if (this.closed) return;
      const wanted = [...this.deps.wanted()].filter((sha) => !tried.has(sha));
      const statuses = this.deps.index.statuses(wanted);
      const next = wanted.find((sha) => !statuses.has(sha) && this.deps.store.blobInfo(sha)?.complete);
      if (!next) return;
      tried.add(next);
      try {
        await this.indexOne(next);
      } catch (err) {
        this.deps.log('indexing a paper for search failed', { sha256: next, error: String(err) });
      }
    }
  }

  private async indexOne(sha: string): Promise<void> {
    const { index, log } = this.deps;
    if (!(await this.deps.verify(sha)) || !this.stillWanted(sha)) return;
    const bytes = await this.readBytes(sha);
    if (!bytes || !this.stillWanted(sha)) return;
    const started = performance.now();
    const stop = new AbortController();
    this.current = { sha256: sha, stop };
    this.write(() => index.begin(sha));
    try {
      const pages = await this.reader.extract(bytes, {
        signal: stop.signal,
        onPages: async (from, texts) => {
          for (let i = 0; i < texts.length; i += PAGES_PER_COMMIT) {
            // Synchronously before each write: nothing is written for a paper that has left.
            if (!this.stillWanted(sha)) throw new NoLongerHeld();
            this.write(() => index.putRange(sha, from + i, texts.slice(i, i + PAGES_PER_COMMIT)));
            await yieldToLoop();
          }
        },
      });
      if (!this.stillWanted(sha)) throw new NoLongerHeld();
      let status = '';
      this.write(() => {
        status = index.finish(sha, pages.length);
      });
      const ms = Math.round(performance.now() - started);
      log('indexed a paper for search', { sha256: sha, pages: pages.length, status, ms });
    } catch (err) {
      if (err instanceof NoLongerHeld || !this.stillWanted(sha)) {
        if (!this.closed) this.write(() => index.drop(sha));
        return;
      }
      const reason = err instanceof PdfTextError ? err.message : `the text could not be read (${String(err)})`;
      this.write(() => index.markFailed(sha, reason));
      log('a paper\'s text could not be read for search: it is found by its title only', { sha256: sha, reason });
    } finally {
      this.current = null;
    }
  }

  /** The held file's bytes, read in slices with a turn for other work between them. */
  private async readBytes(sha: string): Promise<Uint8Array | null> {
    const info = this.deps.store.blobInfo(sha);
    if (!info?.complete) return null;
    const out = new Uint8Array(info.size);
    let at = 0;
    let n = 0;
    for (const part of this.deps.store.readBlob(sha, 0, info.size - 1)) {
      out.set(part, at);
      at += part.length;
      if (++n % 8 === 0) await yieldToLoop();
    }
    return at === info.size ? out : null;
  }
}
