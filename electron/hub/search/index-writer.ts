// The hub's side of the index writer thread (index-writer-worker.ts): the page index's writes as
// promises, each settled once the thread has committed it. The indexer awaits each one, so at
// most one batch of pages is in flight and memory stays flat however large the backlog.
// If the thread dies, what it was doing fails (the paper is indexed again at the next start, as
// after a crash) and the next write starts a new thread.
import { Worker } from 'node:worker_threads';
import type { IndexStatus } from '../../core/search-index.ts';

export type WriterRequest = { id: number } & (
  | { op: 'begin'; sha256: string }
  | { op: 'put'; sha256: string; from: number; texts: string[] }
  | { op: 'finish'; sha256: string; pages: number }
  | { op: 'failed'; sha256: string; reason: string }
  | { op: 'drop'; sha256: string }
  | { op: 'close' }
);
export type WriterReply = { id: number; error?: string; status?: IndexStatus };

type Op = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class IndexWriter {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: WriterReply) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private closed = false;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  begin(sha256: string): Promise<void> {
    return this.send({ op: 'begin', sha256 }).then(() => {});
  }

  putRange(sha256: string, from: number, texts: string[]): Promise<void> {
    return this.send({ op: 'put', sha256, from, texts }).then(() => {});
  }

  async finish(sha256: string, pages: number): Promise<IndexStatus> {
    return (await this.send({ op: 'finish', sha256, pages })).status!;
  }

  markFailed(sha256: string, reason: string): Promise<void> {
    return this.send({ op: 'failed', sha256, reason }).then(() => {});
  }

  drop(sha256: string): Promise<void> {
    return this.send({ op: 'drop', sha256 }).then(() => {});
  }

  /** Lets the thread finish what it was given, close its connection and stop. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const w = this.worker;
    if (!w) return;
    await new Promise<void>((resolve) => {
      const id = ++this.seq;
      this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      w.postMessage({ id, op: 'close' } satisfies WriterRequest);
    });
    await w.terminate();
    this.worker = null;
  }

  private send(op: Op): Promise<WriterReply> {
    if (this.closed) return Promise.reject(new Error('stopped'));
    const w = (this.worker ??= this.start());
    const id = ++this.seq;
    return new Promise<WriterReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, ...op } as WriterRequest);
    });
  }

  private start(): Worker {
    const w = new Worker(new URL('./index-writer-worker.ts', import.meta.url), { workerData: { file: this.file } });
    // The hub's shutdown closes it; it never keeps the process alive on its own.
    w.unref();
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('message', (m: WriterReply) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m);
    });
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the index writer stopped (exit code ${code})`)));
    return w;
  }
}
