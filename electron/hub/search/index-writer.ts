// The hub's side of the index writer thread (index-writer-worker.ts): the page index's writes as
// promises, each settled once the thread has committed it. The indexer awaits each one, so at
// most one batch of pages is in flight and memory stays flat however large the backlog.
// If the thread dies, what it was doing fails (the paper is indexed again at the next start, as
// after a crash) and the next write starts a new thread.
import type { IndexStatus } from '../../core/search-index.ts';
import { WorkerCalls } from '../../core/worker-calls.ts';

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
  private readonly calls: WorkerCalls<Op, WriterReply>;
  private closed = false;
  private started = false;

  constructor(file: string) {
    this.calls = new WorkerCalls({ url: new URL('./index-writer-worker.ts', import.meta.url), workerData: { file }, failure: 'the search index could not be written', name: 'the index writer' });
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
    if (!this.started) return;
    await this.calls.call({ op: 'close' }).catch(() => {});
    await this.calls.terminate();
  }

  private send(op: Op): Promise<WriterReply> {
    if (this.closed) return Promise.reject(new Error('stopped'));
    this.started = true;
    return this.calls.call(op);
  }
}
