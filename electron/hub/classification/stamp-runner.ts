// Stamping an export in a worker thread (stamp-worker.ts): pdf-lib parses and re-writes the whole
// file and subsets the font, measured at 0.35 s for a 5-page paper, 0.5 s for 14 pages and 5.3 s
// for the 352-page book on this shared 2-core machine (load ~9; docs/classification.md), which on
// the hub's event loop would stall every sync connection of the room for as long. One worker,
// started on first use and kept, unref'd so it never holds the hub open; if it dies, the exports
// it was stamping fail and the next one starts a new worker (the same habit as the minutes').
import { Worker } from 'node:worker_threads';

export interface StampRequest {
  id: number;
  bytes: Uint8Array;
  lines: string[];
}
export type StampReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

let worker: Worker | null = null;
const pending = new Map<number, { resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
let seq = 0;

function start(): Worker {
  const w = new Worker(new URL('./stamp-worker.ts', import.meta.url));
  w.unref();
  const fail = (err: Error) => {
    if (worker === w) worker = null;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  w.on('message', (m: StampReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (!p) return;
    if (m.bytes) p.resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
    else p.reject(new Error(`the export could not be watermarked: ${m.error}`));
  });
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the watermark worker stopped (exit code ${code})`)));
  return w;
}

/** The PDF with `lines` tiled over every page (stamp.ts), made off the event loop. */
export function stampInWorker(bytes: Uint8Array, lines: string[]): Promise<Buffer> {
  const w = (worker ??= start());
  const id = ++seq;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, bytes, lines } satisfies StampRequest);
  });
}
