// The device's sealed papers and offline clock (issue 17) over a real SQLite cache file: chunks
// sealed under the paper's own key and read back by any byte range, a resume counting plaintext
// bytes, a tampered chunk treated as damage, a destroyed key leaving nothing readable; and the
// clock that no device clock change can wind back, counted across restarts.
import crypto from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, BLOB_CHUNK, type Database } from '../../electron/core/store.ts';
import { AgentDb } from '../../electron/agent/agent-db.ts';
import { PaperExpiredError, SealedBlobStore } from '../../electron/agent/sealed-store.ts';
import { OfflineClock, type TimeSource } from '../../electron/agent/offline-clock.ts';
import { VerifiedBlobs } from '../../electron/agent/verified-blobs.ts';
import { tempDir } from '../helpers/processes.ts';

const HOUR = 3_600_000;
const opened: Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function cache(file = path.join(tempDir(), 'agent.sqlite')): { db: Database; store: SealedBlobStore; file: string } {
  const db = openDatabase(file);
  opened.push(db);
  new AgentDb(db);
  return { db, store: new SealedBlobStore(db), file };
}

const paper = crypto.randomBytes(3 * BLOB_CHUNK + 12345);
const sha = crypto.createHash('sha256').update(paper).digest('hex');
const read = (store: SealedBlobStore, s: number, e: number) => Buffer.concat([...store.readBlob(sha, s, e)]);

function download(store: SealedBlobStore, upTo = paper.length): void {
  store.beginBlob(sha, paper.length);
  for (let i = 0, idx = 0; i < upTo; i += BLOB_CHUNK, idx++) store.putBlobChunk(sha, idx, paper.subarray(i, Math.min(i + BLOB_CHUNK, paper.length)));
  if (upTo >= paper.length) store.finishBlob(sha);
}

describe('sealed papers', () => {
  it('stores a classified paper sealed under its own key and reads back any range', () => {
    const { db, store } = cache();
    store.lifetimeOf = () => 8;
    download(store);
    const row = db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 1').get(sha) as { data: Buffer };
    expect(row.data.length).toBe(BLOB_CHUNK + 28);
    expect(row.data.includes(paper.subarray(BLOB_CHUNK, BLOB_CHUNK + 64))).toBe(false);
    expect(read(store, 0, paper.length - 1).equals(paper)).toBe(true);
    // Across chunk boundaries, and inside the last one.
    expect(read(store, BLOB_CHUNK - 10, 2 * BLOB_CHUNK + 10).equals(paper.subarray(BLOB_CHUNK - 10, 2 * BLOB_CHUNK + 11))).toBe(true);
    expect(read(store, paper.length - 5, paper.length - 1).equals(paper.subarray(paper.length - 5))).toBe(true);
  });

  it('counts plaintext bytes held, so a download resumes at the right byte with the same key', () => {
    const { db, store } = cache();
    store.lifetimeOf = () => 72;
    download(store, 2 * BLOB_CHUNK);
    expect(store.blobBytesHeld(sha)).toBe(2 * BLOB_CHUNK);
    const key = (db.prepare('SELECT key FROM paper_keys WHERE sha256 = ?').get(sha) as { key: Buffer }).key;
    store.beginBlob(sha, paper.length);
    for (let idx = 2; idx * BLOB_CHUNK < paper.length; idx++) store.putBlobChunk(sha, idx, paper.subarray(idx * BLOB_CHUNK, Math.min((idx + 1) * BLOB_CHUNK, paper.length)));
    store.finishBlob(sha);
    expect((db.prepare('SELECT key FROM paper_keys WHERE sha256 = ?').get(sha) as { key: Buffer }).key.equals(key)).toBe(true);
    expect(read(store, 0, paper.length - 1).equals(paper)).toBe(true);
  });

  it('leaves a Normal paper in the clear', () => {
    const { db, store } = cache();
    download(store);
    expect(db.prepare('SELECT COUNT(*) AS n FROM paper_keys').get()).toEqual({ n: 0 });
    expect((db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 0').get(sha) as { data: Buffer }).data.equals(paper.subarray(0, BLOB_CHUNK))).toBe(true);
  });

  it('treats a tampered chunk as damage: never served, deleted for a new download', async () => {
    const { db, store } = cache();
    store.lifetimeOf = () => 8;
    download(store);
    const row = db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 2').get(sha) as { data: Buffer };
    const bad = Buffer.from(row.data);
    bad[100] = bad[100]! ^ 1;
    db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = 2').run(bad, sha);
    expect(() => read(store, 0, paper.length - 1)).toThrow();
    const logs: string[] = [];
    expect(await new VerifiedBlobs(store, (m) => logs.push(m)).check(sha)).toBe(false);
    expect(store.blobInfo(sha)).toBeNull();
    expect(logs.join()).toMatch(/does not match its sha256/);
  });

  it('a destroyed key leaves the ciphertext unreadable, and the file is not mistaken for damage', async () => {
    const { db, store } = cache();
    store.lifetimeOf = () => 8;
    download(store);
    store.destroyKeys([sha]);
    expect(db.prepare('SELECT key, destroyed_at FROM paper_keys WHERE sha256 = ?').get(sha)).toEqual({ key: null, destroyed_at: expect.any(Number) });
    expect(() => read(store, 0, 10)).toThrow(PaperExpiredError);
    expect(await new VerifiedBlobs(store, () => {}).check(sha)).toBe(false);
    expect(store.blobInfo(sha)?.complete).toBe(true);
    expect(store.isDestroyed(sha)).toBe(true);
    // A new download starts over under a new key.
    download(store);
    expect(store.isDestroyed(sha)).toBe(false);
    expect(read(store, 0, paper.length - 1).equals(paper)).toBe(true);
  });
});

describe('the offline clock', () => {
  const fakeTime = () => {
    const t = { mono: 1000, wall: Date.UTC(2026, 10, 29, 8) };
    const source: TimeSource = { monotonicMs: () => t.mono, wallMs: () => t.wall };
    return { t, source };
  };

  it('counts monotonic time; setting the wall clock back does not wind it back', () => {
    const { db } = cache();
    const { t, source } = fakeTime();
    const clock = new OfflineClock(db, source);
    expect(clock.elapsedMs()).toBe(Infinity);
    clock.renew(t.wall - 5000);
    expect(clock.lastContactHubTime()).toBe(t.wall - 5000);
    t.mono += 3 * HOUR;
    t.wall += 3 * HOUR;
    expect(clock.elapsedMs()).toBe(3 * HOUR);
    t.wall -= 30 * 24 * HOUR;
    t.mono += HOUR;
    expect(clock.elapsedMs()).toBe(4 * HOUR);
    clock.close();
  });

  it('keeps the count across restarts, and counts wall time the agent was not running', () => {
    const { db, file } = cache();
    const { t, source } = fakeTime();
    const first = new OfflineClock(db, source);
    first.renew(t.wall);
    t.mono += 5 * HOUR;
    t.wall += 5 * HOUR;
    first.close();
    // A new process: its monotonic clock starts again near zero.
    const db2 = openDatabase(file);
    opened.push(db2);
    t.mono = 10;
    const second = new OfflineClock(db2, source);
    expect(second.elapsedMs()).toBe(5 * HOUR);
    t.mono += HOUR;
    t.wall += HOUR;
    expect(second.elapsedMs()).toBe(6 * HOUR);
    // Switched off for two days (the wall clock saw it).
    t.wall += 48 * HOUR;
    expect(second.elapsedMs()).toBe(54 * HOUR);
    second.renew(t.wall);
    expect(second.elapsedMs()).toBe(0);
    second.close();
  });
});
