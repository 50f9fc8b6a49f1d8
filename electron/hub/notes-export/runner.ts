// Writing an export with notes in a worker thread (worker.ts), for the reason the watermark's
// export runs in one (classification/stamp-runner.ts): pdf-lib parses and re-writes the whole
// file, seconds for a long paper on this 2-core machine, which on the hub's event loop would stall
// every sync connection of the room. One worker, started on first use and kept, unref'd so it
// never holds the hub open; if it dies, the exports it was writing fail and the next one starts
// a new worker.
import { Worker } from 'node:worker_threads';
import type { NotesPdfJob } from './pdf-annotations.ts';

export interface NotesPdfRequest {
  id: number;
  job: NotesPdfJob;
}
export type NotesPdfReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

let worker: Worker | null = null;
const pending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
let seq = 0;

function start(): Worker {
  const w = new Worker(new URL('./worker.ts', import.meta.url));
  w.unref();
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('message', (m: NotesPdfReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.bytes) p.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else p.reject(new Error(`the export with notes could not be written: ${m.error}`));
  });
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the notes export worker stopped (exit code ${code})`)));
  return w;
}

/** The paper with the job's annotations (pdf-annotations.ts), made off the event loop. */
export function writeNotesPdfInWorker(job: NotesPdfJob): Promise<Buffer> {
  const w = (worker ??= start());
  const id = ++seq;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, job } satisfies NotesPdfRequest);
  });
}
