// Makes a store opened with synchronous=NORMAL durable against power loss within a bounded
// window, without putting an fsync on the event loop. A worker thread syncs the WAL file
// (fdatasync) every `intervalMs`: every transaction committed before that moment is then on disk,
// and SQLite's recovery replays it after a power cut (a torn last frame fails its checksum and
// only that uncommitted tail is dropped). The same thread checkpoints the WAL into the database
// file every `checkpointMs` through its own connection, and the main connection's automatic
// checkpoints are switched off, so the writer never checkpoints on the event loop.
//
// The thread never writes, only syncs and checkpoints. The first commit after a complete
// checkpoint starts the WAL over and syncs its new header on the event loop (traced: 11 ms once
// per checkpoint, against 0.1 ms for other commits). Starting the WAL over from this thread with a
// write that changes nothing was tried and removed: a second writer makes any deferred
// transaction of the main connection that reads and then writes fail with SQLITE_BUSY_SNAPSHOT
// (seen as intermittent 500s on poll commands), which no busy timeout retries.
//
// Why not a checkpoint every interval (the first version): a checkpoint copies pages into the
// database file, syncs it and lets the writer restart the WAL, and while it ran the main thread's
// commits stalled in write(): on this VM 4 % of commits took over 1 ms (up to 18 ms) during the
// hub benchmark with 200 readers, against 1 % with the WAL synced alone (BENCHMARKS.md).
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Database } from './store.ts';
import { TRACE_ON, trace } from './trace.ts';

export interface WalFlusher {
  /** Syncs and checkpoints a last time and stops the thread. */
  stop(): Promise<void>;
}

export interface WalFlusherOptions {
  /** How often the WAL is synced to disk (the power-loss window). */
  intervalMs?: number;
  /** How often the WAL is checkpointed into the database file. */
  checkpointMs?: number;
  /** The writing connection, whose automatic checkpoints this thread takes over. */
  main?: Database;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = NORMAL');
let walFd = null;
const report = (err) => parentPort.postMessage({ error: String(err) });
const clock = () => performance.timeOrigin + performance.now();
const traced = (ev, began, fields) => {
  if (workerData.trace) parentPort.postMessage({ trace: { ev, at: began, ms: clock() - began, ...fields } });
};
const syncWal = () => {
  const began = clock();
  try {
    // 'r+': Windows flushes a file only through a handle that may write it.
    if (walFd === null) walFd = fs.openSync(workerData.file + '-wal', 'r+');
    fs.fdatasyncSync(walFd);
  } catch (err) {
    if (err.code !== 'ENOENT') report(err);
  }
  traced('wal-sync', began, {});
};
const checkpoint = () => {
  const began = clock();
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    traced('checkpoint', began, { busy: r.busy, frames: r.log, copied: r.checkpointed });
  } catch (err) { report(err); }
};
const every = Math.max(1, Math.round(workerData.checkpointMs / workerData.intervalMs));
let ticks = 0;
const timer = setInterval(() => {
  syncWal();
  if (++ticks % every === 0) checkpoint();
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  syncWal();
  checkpoint();
  if (walFd !== null) fs.closeSync(walFd);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

/** Past this size the writer truncates the WAL when it restarts it after a checkpoint. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export function startWalFlusher(file: string, opts: WalFlusherOptions = {}): WalFlusher {
  const intervalMs = opts.intervalMs ?? 200;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, intervalMs, checkpointMs: opts.checkpointMs ?? 5000, driver: fileURLToPath(import.meta.resolve('better-sqlite3')), trace: TRACE_ON },
  });
  worker.unref();
  const main = opts.main;
  if (main) {
    main.pragma('wal_autocheckpoint = 0');
    main.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  }
  // Without the thread the WAL would grow for good: the writer checkpoints again.
  const handBack = () => {
    if (main?.open) main.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (m: { error?: string; trace?: { ev: string; at: number } & Record<string, number> }) => {
    if (m.error) opts.log?.('WAL flush failed', { error: m.error });
    if (m.trace) {
      const { ev, at, ...fields } = m.trace;
      trace(ev, at, fields);
    }
  });
  worker.on('error', (err) => {
    opts.log?.('WAL flusher stopped', { error: String(err) });
    handBack();
  });
  return {
    stop: () => new Promise<void>((resolve) => {
      const done = () => void worker.terminate().then(() => resolve());
      const timer = setTimeout(done, 2000);
      // Trace messages may still arrive first: only the thread's last word ends the wait.
      const onStopped = (m: { stopped?: boolean }) => {
        if (!m.stopped) return;
        worker.off('message', onStopped);
        clearTimeout(timer);
        done();
      };
      worker.on('message', onStopped);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      handBack();
      worker.postMessage('stop');
    }),
  };
}
