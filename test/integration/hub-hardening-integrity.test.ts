// Integrity through the real hub process: a stored paper whose bytes no longer match its sha256 is
// refused (and logged), never served under its ETag, and an upload of the right bytes repairs
// it; a data folder that held a room refuses to start without its database.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { api, signIn, startProcess, tempDir } from '../helpers/processes.ts';
import { openHubDb, startHubIn } from './hub-helpers.ts';
import { ROOM_MARKER } from '../../electron/hub/data-folder.ts';

/** The hub as `npm run hub` runs it, logging (not --quiet), so its log lines can be read. */
const startLoggingHub = (dataDir: string) => startProcess('electron/hub/cli.ts', ['--data', dataDir, '--port', '0', '--demo']);

async function makePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.setTitle(text);
  for (let i = 0; i < 40; i++) doc.addPage([400, 300]);
  return Buffer.from(await doc.save());
}

describe('damaged paper files', () => {
  it('are refused with an error and logged, never served; uploading the same bytes again repairs them', async () => {
    const dataDir = tempDir('chamber-integrity-');
    let hub = await startLoggingHub(dataDir);
    onTestFinished(() => hub.stop());
    let sec = await signIn(hub.url, 'secretary');
    const meetingId = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;
    const bytes = await makePdf('integrity');
    const upload = () => api<{ sha256: string }>(hub.url, sec.token, `/api/meetings/${meetingId}/documents?title=Integrity`, {
      method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(bytes),
    });
    const up = await upload();
    expect(up.status).toBe(201);
    const { sha256 } = up.body;
    const get = (headers: Record<string, string> = {}) => fetch(`${hub.url}/api/blobs/${sha256}`, { headers: { authorization: `Bearer ${sec.token}`, ...headers } });
    expect(Buffer.from(await (await get()).arrayBuffer()).equals(bytes)).toBe(true);
    await hub.stop();

    // One flipped byte in the stored copy, as a failing disk or a hand edit would leave it.
    const db = openHubDb(dataDir);
    const row = db.prepare('SELECT idx, data FROM blob_chunks WHERE sha256 = ? ORDER BY idx LIMIT 1').get(sha256) as { idx: number; data: Buffer };
    const flipped = Buffer.from(row.data);
    flipped[flipped.length >> 1] = flipped[flipped.length >> 1]! ^ 0x01;
    db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = ?').run(flipped, sha256, row.idx);
    db.close();

    hub = await startLoggingHub(dataDir);
    sec = await signIn(hub.url, 'secretary');
    const asked: Array<Record<string, string>> = [{}, { range: 'bytes=0-99' }, { range: `bytes=${bytes.length - 10}-` }];
    for (const headers of asked) {
      const res = await get(headers);
      expect(res.status).toBe(500);
      expect(res.headers.get('etag')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as { error: string }).error).toBe('damaged_file');
    }
    const head = await fetch(`${hub.url}/api/blobs/${sha256}`, { method: 'HEAD', headers: { authorization: `Bearer ${sec.token}` } });
    expect(head.status).toBe(500);
    // Logged once, with the file named.
    const logged = hub.output().split('\n').filter((l) => l.includes('damaged paper file: not served'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(sha256);

    // The right bytes uploaded again replace the damaged copy.
    expect((await upload()).status).toBe(201);
    const back = await get();
    expect(back.status).toBe(200);
    expect(back.headers.get('etag')).toBe(`"${sha256}"`);
    expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
    expect(hub.output()).toContain('damaged paper file stored again');
    await hub.stop();
  }, 60_000);
});

describe('a data folder that held a room', () => {
  it('refuses to start without its database, empty or replaced, and starts again once it is back', async () => {
    const dataDir = tempDir('chamber-folder-');
    const first = await startHubIn(dataDir);
    const password = /password "([^"]+)"/.exec(first.output())![1]!;
    await first.stop();
    const dbFile = path.join(dataDir, 'hub.sqlite');
    const markerFile = path.join(dataDir, ROOM_MARKER);
    expect((JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { roomId: string }).roomId).toMatch(/^[a-f0-9]{32}$/);
    // A backup as an operator would take one: the database with its WAL folded in.
    const backup = path.join(tempDir('chamber-backup-'), 'hub.sqlite');
    const live = new BetterSqlite3(dbFile);
    live.exec(`VACUUM INTO '${backup}'`);
    live.close();
    const clear = () => {
      for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`]) fs.rmSync(f, { force: true });
    };
    const refuses = async (why: RegExp) => {
      const started = startHubIn(dataDir);
      await expect(started).rejects.toThrow(/exited with 1/);
      await expect(started).rejects.toThrow(why);
    };

    // Missing: refused, and no new database is made in its place.
    clear();
    await refuses(/hub\.sqlite is missing: refusing to start a new, empty room/);
    expect(fs.existsSync(dbFile)).toBe(false);
    // Missing, and the marker gone too, but a WAL left behind.
    const marker = fs.readFileSync(markerFile);
    fs.rmSync(markerFile);
    fs.writeFileSync(`${dbFile}-wal`, Buffer.alloc(4096, 7));
    await refuses(/\(hub\.sqlite-wal\) but its database hub\.sqlite is missing/);
    expect(fs.existsSync(dbFile)).toBe(false);
    fs.writeFileSync(markerFile, marker);
    // Empty (0 bytes), and left as it was.
    clear();
    fs.writeFileSync(dbFile, '');
    await refuses(/hub\.sqlite is empty/);
    expect(fs.statSync(dbFile).size).toBe(0);
    // A valid SQLite file that holds no room: refused, and no room is made in it.
    clear();
    new BetterSqlite3(dbFile).exec('PRAGMA user_version = 1').close();
    await refuses(/holds none/);
    const tables = new BetterSqlite3(dbFile, { readonly: true });
    expect(tables.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    tables.close();
    // Another room's database.
    const other = tempDir('chamber-other-');
    await (await startHubIn(other)).stop();
    clear();
    const otherDb = new BetterSqlite3(path.join(other, 'hub.sqlite'));
    otherDb.exec(`VACUUM INTO '${dbFile}'`);
    otherDb.close();
    await refuses(/belongs to another room/);

    // Its own database back: the same room, the same admin.
    clear();
    fs.copyFileSync(backup, dbFile);
    const again = await startHubIn(dataDir);
    try {
      expect((await signIn(again.url, 'admin', password)).user.role).toBe('admin');
      expect(again.output()).not.toMatch(/created the first account/);
    } finally {
      await again.stop();
    }
  }, 90_000);

  it('adopts a folder from before room markers, and a new folder starts as before', async () => {
    const dataDir = tempDir('chamber-folder-');
    const hub = await startHubIn(dataDir);
    const password = /password "([^"]+)"/.exec(hub.output())![1]!;
    await hub.stop();
    const markerFile = path.join(dataDir, ROOM_MARKER);
    const roomId = (JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { roomId: string }).roomId;
    fs.rmSync(markerFile);
    const adopted = await startHubIn(dataDir);
    try {
      expect((await signIn(adopted.url, 'admin', password)).user.role).toBe('admin');
    } finally {
      await adopted.stop();
    }
    expect((JSON.parse(fs.readFileSync(markerFile, 'utf8')) as { roomId: string }).roomId).toBe(roomId);
    expect(fs.statSync(markerFile).mode & 0o777).toBe(0o600);
  }, 60_000);
});
