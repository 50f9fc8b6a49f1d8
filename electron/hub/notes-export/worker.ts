// Runs in a worker thread started by runner.ts: writes one export with notes (pdf-annotations.ts)
// off the hub's event loop. Messages: { id, job } in; { id, bytes } or { id, error } out.
import { parentPort } from 'node:worker_threads';
import { writeNotesPdf } from './pdf-annotations.ts';
import type { NotesPdfReply, NotesPdfRequest } from './runner.ts';

const port = parentPort;
if (port) {
  port.on('message', (m: NotesPdfRequest) => {
    writeNotesPdf(m.job).then(
      (bytes) => port.postMessage({ id: m.id, bytes } satisfies NotesPdfReply, [bytes.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies NotesPdfReply),
    );
  });
}
