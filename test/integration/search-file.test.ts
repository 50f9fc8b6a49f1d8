// The hub's page index in its own file (electron/hub/search/index-file.ts): written by a thread
// of its own beside the hub's database, derived from the papers. A hub from before it keeps its
// room (step 13 drops the old tables from hub.sqlite) and indexes the papers again; a damaged or
// deleted index file is built again at start instead of stopping the hub; the file is 0600.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { searchUntil } from './search-helpers.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/schema-v0/hub.sqlite');
let hub: RunningProcess | undefined;
afterEach(async () => {
  await hub?.stop();
  hub = undefined;
});

const tables = (file: string, like: string): string[] => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name").all(like) as Array<{ name: string }>).map((r) => r.name);
  } finally {
    db.close();
  }
};

/** The demo's budget paper, found by its accent-free words once nothing is pending. */
async function budgetFound(url: string): Promise<void> {
  const { token } = await signIn(url, 'delegate1');
  const r = await searchUntil(url, token, 'ngan sach', (x) => x.pendingPapers === 0 && x.hits.some((h) => h.paperTitle === 'Tờ trình ngân sách năm 2027'));
  expect(r.hits.find((h) => h.paperTitle === 'Tờ trình ngân sách năm 2027')?.page).toBe(1);
}

describe('the page index file', () => {
  it('is built beside the room at start, private, and the room\'s database no longer holds the page tables', async () => {
    const dir = tempDir('chamber-search-file-');
    fs.copyFileSync(FIXTURE, path.join(dir, 'hub.sqlite'));
    fs.chmodSync(path.join(dir, 'hub.sqlite'), 0o600);
    hub = await startHub(dir);
    await budgetFound(hub.url);
    const searchFile = path.join(dir, 'search.sqlite');
    expect(fs.statSync(searchFile).mode & 0o777).toBe(0o600);
    expect(tables(searchFile, 'search_%')).toEqual(expect.arrayContaining(['search_fts', 'search_pages', 'search_papers']));
    // The record's texts stay with the room; the pages moved out.
    const inHub = tables(path.join(dir, 'hub.sqlite'), 'search_%');
    expect(inHub).toContain('search_records');
    expect(inHub.filter((t) => t.startsWith('search_pages') || t.startsWith('search_papers') || t === 'search_fts')).toEqual([]);
  });

  it('is built again when it is damaged or gone, and the hub serves meanwhile', async () => {
    const dir = tempDir('chamber-search-file-');
    hub = await startHub(dir, { demo: true });
    await budgetFound(hub.url);
    await hub.stop();

    const searchFile = path.join(dir, 'search.sqlite');
    for (const suffix of ['-wal', '-shm']) fs.rmSync(searchFile + suffix, { force: true });
    fs.writeFileSync(searchFile, Buffer.alloc(8192, 0x5a));
    hub = await startHub(dir);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
    await budgetFound(hub.url);
    await hub.stop();

    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(searchFile + suffix, { force: true });
    hub = await startHub(dir);
    await budgetFound(hub.url);
  }, 90_000);
});
