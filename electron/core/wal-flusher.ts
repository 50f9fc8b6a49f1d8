// Makes a store opened with synchronous=NORMAL durable against power loss within a bounded
// window, without putting an fsync on the event loop. A worker thread holds its own connection
// to the same file and runs a passive checkpoint every `intervalMs`: SQLite syncs the WAL before
// it checkpoints, so everything committed before that moment is on disk. Passive checkpoints
// never block the writer (WAL lets the checkpointer and the writer run side by side).
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WalFlusher {
  /** Runs a last checkpoint and stops the thread. */
  stop(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
const flush = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err) }); }
};
const timer = setInterval(flush, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  flush();
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

export function startWalFlusher(file: string, opts: { intervalMs?: number; log?: (msg: string, extra?: Record<string, unknown>) => void } = {}): WalFlusher {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs: opts.intervalMs ?? 200, driver: fileURLToPath(import.meta.resolve('better-sqlite3')) },
  });
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error) opts.log?.('WAL flush failed', { error: m.error });
  });
  worker.on('error', (err) => opts.log?.('WAL flusher stopped', { error: String(err) }));
  return {
    stop: () => new Promise<void>((resolve) => {
      const done = () => void worker.terminate().then(() => resolve());
      const timer = setTimeout(done, 2000);
      worker.once('message', () => {
        clearTimeout(timer);
        done();
      });
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage('stop');
    }),
  };
}
