// Runs in a worker thread started by stamp-runner.ts: stamps one export (stamp.ts) off the hub's
// event loop. Messages: { id, bytes, lines } in; { id, bytes } or { id, error } out.
import { parentPort } from 'node:worker_threads';
import { stampPdf } from './stamp.ts';
import type { StampReply, StampRequest } from './stamp-runner.ts';

const port = parentPort;
if (port) {
  port.on('message', (m: StampRequest) => {
    stampPdf(m.bytes, m.lines).then(
      (bytes) => port.postMessage({ id: m.id, bytes } satisfies StampReply, [bytes.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) } satisfies StampReply),
    );
  });
}
