// The minutes' PDF, made in a worker thread (pdf-worker.ts): embedding and subsetting four fonts,
// measuring every word and deflating the pages took 100–700 ms of CPU per document here (the
// lower figure on an idle machine), which on the hub's event loop would stall every sync
// connection of the room for as long. One worker, started on first use and kept (its font
// files stay read), unref'd so it never holds the hub open; if it dies, the documents it was
// making fail with an error and the next request starts a new one.
import { Worker } from 'node:worker_threads';
import type { MinutesLang, MinutesModel } from '../../../shared/minutes.ts';

export interface RenderRequest {
  id: number;
  model: MinutesModel;
  lang: MinutesLang;
  at: number;
}
export type RenderReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

interface Pending {
  resolve: (b: Buffer) => void;
  reject: (e: Error) => void;
}

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let seq = 0;

function start(): Worker {
  const w = new Worker(new URL('./pdf-worker.ts', import.meta.url));
  w.unref();
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('message', (m: RenderReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.bytes) p.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else p.reject(new Error(`the minutes could not be made into a PDF: ${m.error}`));
  });
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the minutes' PDF worker stopped (exit code ${code})`)));
  return w;
}

export function renderMinutesPdf(model: MinutesModel, lang: MinutesLang, opts: { at: number }): Promise<Buffer> {
  const w = (worker ??= start());
  const id = ++seq;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, model, lang, at: opts.at } satisfies RenderRequest);
  });
}
