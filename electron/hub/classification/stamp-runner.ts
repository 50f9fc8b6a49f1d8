// Stamping an export in a worker thread (stamp-worker.ts): pdf-lib parses and re-writes the whole
// file and subsets the font, measured at 0.35 s for a 5-page paper, 0.5 s for 14 pages and 5.3 s
// for the 352-page book on this shared 2-core machine (load ~9; docs/classification.md), which on
// the hub's event loop would stall every sync connection of the room for as long. One worker,
// started on first use and kept, unref'd so it never holds the hub open; if it dies, the exports
// it was stamping fail and the next one starts a new worker (the same habit as the minutes').
import { bufferOf, WorkerCalls } from '../../core/worker-calls.ts';

export interface StampRequest {
  id: number;
  bytes: Uint8Array;
  lines: string[];
}
export type StampReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

const stamper = new WorkerCalls<Omit<StampRequest, 'id'>, StampReply>({
  url: new URL('./stamp-worker.ts', import.meta.url), failure: 'the export could not be watermarked', name: 'the watermark worker',
});

/** The PDF with `lines` tiled over every page (stamp.ts), made off the event loop. */
export async function stampInWorker(bytes: Uint8Array, lines: string[]): Promise<Buffer> {
  return bufferOf((await stamper.call({ bytes, lines })).bytes!);
}
