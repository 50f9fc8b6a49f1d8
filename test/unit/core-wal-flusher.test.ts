// The WAL flusher keeps a synchronous=NORMAL store durable from its own thread: it syncs the WAL
// every interval (not observable without pulling the power) and checkpoints it into the main
// file every `checkpointMs`, having taken the writer's automatic checkpoints over; shortly after
// a commit the main database file alone (no -wal beside it) holds the update. After a complete
// checkpoint the thread starts the WAL over itself (the writer's next commit then needs no
// fsync), and a writer killed with SIGKILL meanwhile loses nothing it acknowledged.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { DocStore, openDatabase } from '../../electron/core/store.ts';
import { startWalFlusher } from '../../electron/core/wal-flusher.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Rows of `doc` in a copy of the main file only, as if the WAL had been lost. */
function rowsInMainFileOnly(file: string, doc: string): number {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-walcopy-')), 'copy.sqlite');
  fs.copyFileSync(file, copy);
  const db = new BetterSqlite3(copy, { readonly: true });
  try {
    const exists = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'doc_updates'").get() as { n: number };
    if (exists.n === 0) return 0;
    return (db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get(doc) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The WAL header's checkpoint sequence number: it grows each time the WAL starts over. */
function walGeneration(file: string): number {
  const fd = fs.openSync(`${file}-wal`, 'r');
  try {
    const head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    return head.readUInt32BE(12);
  } finally {
    fs.closeSync(fd);
  }
}

async function waitUntil(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function run(withFlusher: boolean): Promise<number> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-wal-')), 'store.sqlite');
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  const store = new DocStore(db);
  const flusher = withFlusher ? startWalFlusher(file, { intervalMs: 50, checkpointMs: 200, main: db }) : null;
  try {
    for (let i = 0; i < 20; i++) store.appendUpdate('meeting/x', Uint8Array.of(0, 0));
    // Polled for a while (a loaded machine may be slow to start the thread); the control run
    // waits the same 3 s and must still find nothing.
    const deadline = Date.now() + 3000;
    let rows = 0;
    while (Date.now() < deadline && (rows = rowsInMainFileOnly(file, 'meeting/x')) < 20) await sleep(100);
    return rows;
  } finally {
    await flusher?.stop();
    store.close();
  }
}

describe('WAL flusher', () => {
  it('moves committed updates into the main file within its checkpoint period', async () => {
    expect(await run(true)).toBe(20);
  });

  it('switches the writer\'s automatic checkpoints off while it runs and back on when it stops', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-wal-')), 'store.sqlite');
    const db = openDatabase(file, { synchronous: 'NORMAL' });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    const flusher = startWalFlusher(file, { intervalMs: 50, main: db });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await flusher.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    db.close();
  });
  it('loses no acknowledged commit to kill -9 while the WAL is checkpointed and started over', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-wal-')), 'store.sqlite');
    const child = spawn(process.execPath, [path.join(import.meta.dirname, 'core-wal-flusher.child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      // Only whole lines count: a line cut by the kill was not an acknowledgement yet.
      for (const line of lines) acked = Number(/^ack (\d+)$/.exec(line)?.[1] ?? acked);
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitUntil('the child to commit', () => acked > 0 && fs.existsSync(`${file}-wal`), 15_000);
      const first = walGeneration(file);
      // Killed mid-stream, after the WAL has started over a few times under its commits.
      await waitUntil('three WAL restarts', () => walGeneration(file) >= first + 3, 15_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(acked).toBeGreaterThan(0);
    const db = openDatabase(file);
    try {
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get('meeting/k') as { n: number }).n;
      expect(rows).toBeGreaterThanOrEqual(acked);
    } finally {
      db.close();
    }
  }, 40_000);

  it('(control) without it the main file alone does not have them yet', async () => {
    expect(await run(false)).toBe(0);
  });
});
