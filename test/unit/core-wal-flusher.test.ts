// The WAL flusher keeps a synchronous=NORMAL store durable from its own thread: it syncs the WAL
// every interval (not observable without pulling the power) and checkpoints it into the main
// file every `checkpointMs`, having taken the writer's automatic checkpoints over; shortly after
// a commit the main database file alone (no -wal beside it) holds the update.
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
  it('(control) without it the main file alone does not have them yet', async () => {
    expect(await run(false)).toBe(0);
  });
});
