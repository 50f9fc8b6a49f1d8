// Indexes papers' text in the background, one paper at a time, after the upload was answered.
// The text is read in a child process (core/pdf-text.ts) that hands it over page range by page
// range; each range is written in a few short transactions by the index writer's thread
// (index-writer.ts, search.sqlite), so the hub's event loop only passes the text along. The
// reading child and the writing thread run at the lowest CPU priority (measured in
// `npm run bench -- search`: the fan-out while indexing).
import type { Log } from '../../core/log.ts';
import { TRACE_ON, trace, traceClock } from '../../core/trace.ts';
import { PdfTextReader, type ExtractOptions } from '../../core/pdf-text.ts';
import type { SearchIndex } from '../../core/search-index.ts';
import type { IndexWriter } from './index-writer.ts';
import type { DocStore } from '../../core/store.ts';

export interface IndexerOptions {
  /**
   * Pages written per transaction (default 4). Measured over 10,560 pages of the 352-page
   * fixture when the writes still ran on the event loop: 4 pages took 0.6 ms at the median and
   * 6 ms at p99, 8 pages 1.1 and 10 ms; FTS5's own segment merges up to ~20 ms now and then.
   */
  batchPages?: number;
  /** Limits of the reading child (tests shorten the time limit). */
  extract?: Pick<ExtractOptions, 'timeoutMs' | 'maxMemoryMb'>;
}

export class PaperIndexer {
  private readonly queue: string[] = [];
  private readonly waiting = new Set<string>();
  private running: Promise<void> | null = null;
  private readonly stop = new AbortController();
  private idle: Array<() => void> = [];
  /** Read here (is a paper indexed?); written only through `writer`. */
  private readonly index: SearchIndex;
  private readonly writer: IndexWriter;
  private readonly store: DocStore;
  /** The hub's database file, where the reading child finds the papers. */
  private readonly paperFile: string;
  private readonly log: Log;
  private readonly opts: IndexerOptions;
  /** One pdf.js child for a run of papers (the demo seed's four, a room's backlog at start). */
  private readonly reader: PdfTextReader;

  constructor(deps: { index: SearchIndex; writer: IndexWriter; store: DocStore; paperFile: string; log: Log }, opts: IndexerOptions = {}) {
    this.index = deps.index;
    this.writer = deps.writer;
    this.paperFile = deps.paperFile;
    this.store = deps.store;
    this.log = deps.log;
    this.opts = opts;
    this.reader = new PdfTextReader({ maxMemoryMb: opts.extract?.maxMemoryMb, idleMs: 2_000 });
  }

  /** Queues a paper file unless it is indexed (or known to have no text, or to fail) already. */
  enqueue(sha256: string): void {
    if (this.stop.signal.aborted || this.waiting.has(sha256) || this.index.status(sha256) !== null) return;
    this.waiting.add(sha256);
    this.queue.push(sha256);
    this.running ??= this.drain();
  }

  /** Queued or being indexed now: its results may still grow. */
  isPending(sha256: string): boolean {
    return this.waiting.has(sha256);
  }

  /** Resolves once the queue is empty (tests, the bench). */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Stops at once: the paper being read is left unfinished and indexed again at the next start. */
  close(): void {
    this.stop.abort();
    this.queue.length = 0;
    this.reader.close();
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.stop.signal.aborted) {
      const sha = this.queue.shift()!;
      try {
        await this.indexOne(sha);
      } catch (err) {
        if (this.stop.signal.aborted) continue;
        // Not the file's fault (the database refused a write): recorded, so the paper is not
        // shown as pending for ever; the next start does not retry it either (see docs).
        this.log('paper indexing failed', { sha256: sha, error: (err as Error).message });
        try {
          await this.writer.markFailed(sha, `indexing failed: ${(err as Error).message}`);
        } catch {
          // The database itself is failing: the next start finds the paper unfinished and retries.
        }
      } finally {
        this.waiting.delete(sha);
      }
    }
    this.running = null;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private async indexOne(sha: string): Promise<void> {
    // The child reads the paper itself from the hub's database (pdf-text.ts, StoredPaper).
    if (!this.store.blobInfo(sha)?.complete) return;
    const started = Date.now();
    const batch = this.opts.batchPages ?? 4;
    const signal = this.stop.signal;
    await this.writer.begin(sha);
    let pages: string[];
    try {
      pages = await this.reader.extract({ file: this.paperFile, sha256: sha }, {
        timeoutMs: this.opts.extract?.timeoutMs,
        signal,
        onPages: async (from, texts) => {
          for (let i = 0; i < texts.length; i += batch) {
            if (signal.aborted) throw new Error('stopped');
            const began = TRACE_ON ? traceClock() : 0;
            await this.writer.putRange(sha, from + i, texts.slice(i, i + batch));
            // From the hand-over to the commit's answer: the thread's time, not the event loop's.
            if (TRACE_ON) trace('index-batch', began, { ms: traceClock() - began, pages: Math.min(batch, texts.length - i) });
          }
        },
      });
    } catch (err) {
      if (signal.aborted) return;
      await this.writer.markFailed(sha, (err as Error).message);
      this.log('paper text could not be read', { sha256: sha, error: (err as Error).message });
      return;
    }
    if (signal.aborted) return;
    const status = await this.writer.finish(sha, pages.length);
    this.log('paper indexed', { sha256: sha, pages: pages.length, status, ms: Date.now() - started });
  }
}
