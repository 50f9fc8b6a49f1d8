// Runs in a worker thread started by render.ts: lays out and writes a minutes PDF (pdf.ts) off the
// hub's event loop. Messages: { id, model, lang, at } in; { id, bytes } or { id, error } out.
import { parentPort } from 'node:worker_threads';
import { minutesPdf } from './pdf.ts';
import type { RenderRequest, RenderReply } from './render.ts';

const port = parentPort;
if (port) {
  port.on('message', (m: RenderRequest) => {
    minutesPdf(m.model, m.lang, { at: m.at }).then(
      (bytes) => port.postMessage({ id: m.id, bytes } satisfies RenderReply),
      (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies RenderReply),
    );
  });
}
