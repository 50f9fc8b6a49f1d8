// One worker thread for one kind of background job (a PDF to stamp, the minutes to render, an
// export with notes to write, the search index to write): started on first use and kept, unref'd
// so it never holds the process open. Each call posts `{ id, ...request }` and settles with the
// thread's reply for that id — rejected when the reply names an error. If the thread dies, the
// calls it held fail and the next call starts a new thread.
import { Worker } from 'node:worker_threads';

export interface WorkerReply {
  id: number;
  error?: string;
}

export interface WorkerCallsOptions {
  /** The worker module. */
  url: URL;
  workerData?: unknown;
  /** Says what failed, before the thread's own message: "the minutes could not be made into a PDF". */
  failure: string;
  /** Names the thread when it stops: "the minutes' PDF worker". */
  name: string;
}

export class WorkerCalls<Req extends object, Rep extends WorkerReply> {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: Rep) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private readonly opts: WorkerCallsOptions;

  constructor(opts: WorkerCallsOptions) {
    this.opts = opts;
  }

  call(req: Req): Promise<Rep> {
    const w = (this.worker ??= this.start());
    const id = ++this.seq;
    return new Promise<Rep>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...req, id });
    });
  }

  /** Ends the thread now; calls it still held fail. */
  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private start(): Worker {
    const w = new Worker(this.opts.url, { workerData: this.opts.workerData });
    w.unref();
    const fail = (err: Error) => {
      if (this.worker === w) this.worker = null;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    w.on('message', (m: Rep) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (!p) return;
      if (m.error !== undefined) p.reject(new Error(`${this.opts.failure}: ${m.error}`));
      else p.resolve(m);
    });
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`${this.opts.name} stopped (exit code ${code})`)));
    return w;
  }
}

/** A worker's bytes as a Buffer over the same memory (no copy). */
export const bufferOf = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
