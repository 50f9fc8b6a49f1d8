// Writing an export with notes in a worker thread (worker.ts), for the reason the watermark's
// export runs in one (classification/stamp-runner.ts): pdf-lib parses and re-writes the whole
// file, seconds for a long paper on this 2-core machine, which on the hub's event loop would stall
// every sync connection of the room. One worker, started on first use and kept, unref'd so it
// never holds the hub open; if it dies, the exports it was writing fail and the next one starts
// a new worker.
import { bufferOf, WorkerCalls } from '../../core/worker-calls.ts';
import type { NotesPdfJob } from './pdf-annotations.ts';

export interface NotesPdfRequest {
  id: number;
  job: NotesPdfJob;
}
export type NotesPdfReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

const writer = new WorkerCalls<Omit<NotesPdfRequest, 'id'>, NotesPdfReply>({
  url: new URL('./worker.ts', import.meta.url), failure: 'the export with notes could not be written', name: 'the notes export worker',
});

/** The paper with the job's annotations (pdf-annotations.ts), made off the event loop. */
export async function writeNotesPdfInWorker(job: NotesPdfJob): Promise<Buffer> {
  return bufferOf((await writer.call({ job })).bytes!);
}
