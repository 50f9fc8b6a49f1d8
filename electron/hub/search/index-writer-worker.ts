// Runs in the worker thread index-writer.ts starts: every write to the hub's page index
// (search.sqlite) happens here, off the hub's event loop. Requests are handled one at a time in
// the order they came; each answer says it is committed (or why not).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { SearchIndex } from '../../core/search-index.ts';
import { openSearchFileForWriting } from './index-file.ts';
import type { WriterReply, WriterRequest } from './index-writer.ts';

/**
 * On Linux a thread has its own nice value: this one takes the lowest priority, like the child
 * that reads the text, so the hub's own thread comes first on a busy machine. Elsewhere (or if
 * refused) it simply runs at the hub's priority.
 */
function lowerOwnPriority(): void {
  try {
    const tid = Number(path.basename(fs.readlinkSync('/proc/thread-self')));
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 19);
  } catch {
    // Not Linux, or not allowed: no harm.
  }
}

const port = parentPort;
if (port) {
  lowerOwnPriority();
  const db = openSearchFileForWriting((workerData as { file: string }).file);
  const index = new SearchIndex(db);
  port.on('message', (m: WriterRequest) => {
    let reply: WriterReply;
    try {
      switch (m.op) {
        case 'begin': index.begin(m.sha256); reply = { id: m.id }; break;
        case 'put': index.putRange(m.sha256, m.from, m.texts); reply = { id: m.id }; break;
        case 'finish': reply = { id: m.id, status: index.finish(m.sha256, m.pages) }; break;
        case 'failed': index.markFailed(m.sha256, m.reason); reply = { id: m.id }; break;
        case 'drop': index.drop(m.sha256); reply = { id: m.id }; break;
        case 'close': db.close(); reply = { id: m.id }; break;
      }
    } catch (err) {
      reply = { id: m.id, error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply);
  });
}
