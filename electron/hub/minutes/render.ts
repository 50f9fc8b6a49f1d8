// The minutes' PDF, made in a worker thread (pdf-worker.ts): embedding and subsetting four fonts,
// measuring every word and deflating the pages took 100–700 ms of CPU per document here (the
// lower figure on an idle machine), which on the hub's event loop would stall every sync
// connection of the room for as long. One worker, started on first use and kept (its font
// files stay read), unref'd so it never holds the hub open; if it dies, the documents it was
// making fail with an error and the next request starts a new one.
import { bufferOf, WorkerCalls } from '../../core/worker-calls.ts';
import type { MinutesLang, MinutesModel } from '../../../shared/minutes.ts';

export interface RenderRequest {
  id: number;
  model: MinutesModel;
  lang: MinutesLang;
  at: number;
}
export type RenderReply = { id: number; bytes: Uint8Array; error?: undefined } | { id: number; error: string; bytes?: undefined };

const renderer = new WorkerCalls<Omit<RenderRequest, 'id'>, RenderReply>({
  url: new URL('./pdf-worker.ts', import.meta.url), failure: 'the minutes could not be made into a PDF', name: 'the minutes\' PDF worker',
});

export async function renderMinutesPdf(model: MinutesModel, lang: MinutesLang, opts: { at: number }): Promise<Buffer> {
  return bufferOf((await renderer.call({ model, lang, at: opts.at })).bytes!);
}
