// A PDF's text, page by page, for the full-text index (search-index.ts). Extraction runs in a
// child process with a time and a memory limit, like pdf-inspect.ts and for the same reasons: a
// hostile or enormous file spins or balloons a child that is then killed, never the server's
// event loop or heap; the child gives its memory back when it exits. A `PdfTextReader` keeps its
// child for the next paper while papers keep coming (starting pdf.js costs about as much as
// reading a short paper) and lets it go once idle or after a number of papers.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TextMessage } from './pdf-text-worker.ts';

/**
 * Where the child finds the paper: its bytes, or a paper stored in a database file's blob tables
 * (core/blob-store.ts), which the child then reads itself through a read-only connection — the
 * hub's way: a paper of megabytes never passes through the hub's event loop to be indexed (read,
 * copied and serialised there it held the loop 2–5 ms a paper; `npm run bench -- search`).
 */
export type PaperSource = Uint8Array | StoredPaper;
export interface StoredPaper {
  file: string;
  sha256: string;
}

export class PdfTextError extends Error {
  override name = 'PdfTextError';
}

export interface ExtractOptions {
  /** This paper's limit (default 5 minutes: the 352-page fixture takes a few seconds). */
  timeoutMs?: number;
  /** The child's heap (default 512 MB); for a reader, set when it is made. */
  maxMemoryMb?: number;
  /** Pages per message from the child (default 25). */
  batch?: number;
  /** A page's text is cut here (default 200,000 characters): a page is never a book. */
  maxPageChars?: number;
  /**
   * Receives each batch as it arrives (`from` is the 1-based number of its first page): a caller
   * can index page range by page range while the rest is still being read. The next batch waits
   * for the promise it returns.
   */
  onPages?: (from: number, texts: string[]) => void | Promise<void>;
  /** Stops the reading (the child is killed) and rejects: a server shutting down. */
  signal?: AbortSignal;
}

export interface ReaderOptions {
  maxMemoryMb?: number;
  /** The child exits this long after its last paper (default 5 s; 0: at once). */
  idleMs?: number;
  /** A fresh child after this many papers (default 20), so nothing pdf.js keeps piles up. */
  papersPerChild?: number;
  /**
   * The child's scheduling priority (default 19, the lowest): reading text is background work,
   * and on a room hub's two cores a child at the same priority as the hub took CPU from it —
   * the fan-out's p99 rose several-fold while papers were indexed (`npm run bench -- search`).
   */
  niceness?: number;
}

const WORKER = fileURLToPath(new URL('./pdf-text-worker.ts', import.meta.url));

/** Reads papers' text one at a time (calls wait their turn), through one child while busy. */
export class PdfTextReader {
  private child: ChildProcess | null = null;
  private served = 0;
  private jobs = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private readonly opts: ReaderOptions;

  constructor(opts: ReaderOptions = {}) {
    this.opts = opts;
  }

  /** One string per page ('' for a page with no text layer, such as a scan). */
  extract(source: PaperSource, opts: ExtractOptions = {}): Promise<string[]> {
    const run = this.turn.then(() => this.run(source, opts));
    this.turn = run.catch(() => {});
    return run;
  }

  /** Ends the child now (a reading under way fails). */
  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.kill();
  }

  private kill(): void {
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  private spawn(maxMemoryMb: number): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null && this.served < (this.opts.papersPerChild ?? 20)) return this.child;
    this.kill();
    this.served = 0;
    this.child = fork(WORKER, [], {
      execArgv: [`--max-old-space-size=${maxMemoryMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    this.child.on('error', () => {});
    try {
      if (this.child.pid) os.setPriority(this.child.pid, this.opts.niceness ?? 19);
    } catch {
      // Not allowed here (a sandbox, an OS without priorities): it runs at the hub's priority.
    }
    return this.child;
  }

  private run(source: PaperSource, opts: ExtractOptions): Promise<string[]> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const timeoutMs = opts.timeoutMs ?? 300_000;
    const child = this.spawn(this.opts.maxMemoryMb ?? opts.maxMemoryMb ?? 512);
    this.served++;
    const job = ++this.jobs;
    const pages: string[] = [];
    return new Promise<string[]>((resolve, reject) => {
      // reading: the child works; handing: it is done and the last batches go to onPages; over.
      let state: 'reading' | 'handing' | 'over' = 'reading';
      // Batches go to onPages one after another, in order; the chain never rejects (a failed
      // batch settles the whole call), so nothing is left unhandled.
      let chain: Promise<void> = Promise.resolve();
      const settle = (ok: boolean, fn: () => void) => {
        if (state === 'over') return;
        state = 'over';
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', abort);
        child.off('message', onMessage);
        child.off('exit', onExit);
        // A child that failed, ran over or was stopped is not trusted with another paper.
        if (!ok && this.child === child) this.kill();
        else this.idleLater();
        fn();
      };
      const fail = (message: string) => settle(false, () => reject(new PdfTextError(message)));
      const failWhileReading = (message: string) => {
        if (state === 'reading') fail(message);
      };
      const timer = setTimeout(() => failWhileReading(`reading the PDF's text took longer than ${timeoutMs / 1000} s`), timeoutMs);
      const abort = () => fail('reading the PDF\'s text was stopped');
      const onExit = (code: number | null, signal: string | null) =>
        failWhileReading(`the PDF's text could not be read (reader ${signal ? `killed by ${signal}` : `exited with ${code}`})`);
      const onMessage = (m: TextMessage) => {
        if (m.job !== job || state !== 'reading') return;
        if (m.kind === 'pages') {
          pages.push(...m.texts);
          const cb = opts.onPages;
          if (cb) {
            chain = chain.then(() => (state === 'over' ? undefined : cb(m.from, m.texts)))
              .catch((err: unknown) => fail(`the PDF's text could not be stored (${(err as Error).message})`));
          }
        } else if (m.kind === 'done') {
          state = 'handing';
          clearTimeout(timer);
          const n = m.pages;
          void chain.then(() => settle(true, () => (pages.length === n ? resolve(pages) : reject(new PdfTextError(`the text of ${n - pages.length} pages went missing`)))));
        } else {
          // pdf.js refused the file: the child is fine, the paper is not.
          settle(true, () => reject(new PdfTextError(m.message)));
        }
      };
      if (opts.signal?.aborted) return abort();
      opts.signal?.addEventListener('abort', abort, { once: true });
      child.on('message', onMessage);
      child.on('exit', onExit);
      const limits = { batch: opts.batch ?? 25, maxPageChars: opts.maxPageChars ?? 200_000 };
      child.send(source instanceof Uint8Array
        ? { job, bytes: new Uint8Array(source), ...limits }
        : { job, stored: { file: source.file, sha256: source.sha256 }, ...limits });
    });
  }

  private idleLater(): void {
    const idleMs = this.opts.idleMs ?? 5_000;
    if (idleMs <= 0) return this.kill();
    this.idleTimer = setTimeout(() => this.kill(), idleMs);
    this.idleTimer.unref();
  }
}

/** One paper's text through a child of its own (see PdfTextReader for a queue of papers). */
export async function extractPageTexts(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<string[]> {
  const reader = new PdfTextReader({ maxMemoryMb: opts.maxMemoryMb, idleMs: 0 });
  try {
    return await reader.extract(bytes, opts);
  } finally {
    reader.close();
  }
}
