// The hub's in-memory cache of paper files, over a real SQLite store: every range it serves is
// byte-for-byte what the store holds, it stays within its byte budget, and it holds (or lets
// through) only files whose bytes hash to their name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOB_CHUNK, DocStore, openDatabase } from '../../electron/core/store.ts';
import { BlobCache, CorruptBlobError, sliceChunks } from '../../electron/core/blob-cache.ts';

const stores: DocStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function storeWith(files: Buffer[]): { store: DocStore; shas: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-blobcache-'));
  const store = new DocStore(openDatabase(path.join(dir, 'store.sqlite')));
  stores.push(store);
  const shas = files.map((bytes) => {
    const sha = crypto.createHash('sha256').update(bytes).digest('hex');
    store.beginBlob(sha, bytes.length);
    for (let i = 0; i * BLOB_CHUNK < bytes.length; i++) store.putBlobChunk(sha, i, bytes.subarray(i * BLOB_CHUNK, (i + 1) * BLOB_CHUNK));
    store.finishBlob(sha);
    return sha;
  });
  return { store, shas };
}

const joined = (parts: Iterable<Buffer>) => Buffer.concat([...parts]);

describe('BlobCache', () => {
  it('serves any range exactly as the store does, across chunk boundaries', async () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 3 + 1234);
    const { store, shas } = storeWith([bytes]);
    const cache = new BlobCache();
    const chunks = (await cache.verifiedChunks(store, shas[0]!, bytes.length))!;
    expect(chunks).not.toBeNull();
    const ranges: Array<[number, number]> = [
      [0, bytes.length - 1], [0, 0], [BLOB_CHUNK - 1, BLOB_CHUNK], [BLOB_CHUNK, 2 * BLOB_CHUNK - 1],
      [17, 3 * BLOB_CHUNK + 5], [bytes.length - 1, bytes.length - 1], [BLOB_CHUNK * 3, bytes.length - 1],
    ];
    for (const [s, e] of ranges) {
      const got = joined(sliceChunks(chunks, s, e));
      expect(got.equals(bytes.subarray(s, e + 1))).toBe(true);
      expect(got.equals(joined(store.readBlob(shas[0]!, s, e)))).toBe(true);
    }
    // A second request is a hit: the same chunks, not a second read.
    expect(await cache.verifiedChunks(store, shas[0]!, bytes.length)).toBe(chunks);
  });

  it('stays within its byte budget, evicting the least recently used file', async () => {
    const files = [0, 1, 2].map(() => crypto.randomBytes(BLOB_CHUNK + 10));
    const { store, shas } = storeWith(files);
    const cache = new BlobCache({ maxBytes: 2 * (BLOB_CHUNK + 10) });
    const a = await cache.verifiedChunks(store, shas[0]!, files[0]!.length);
    await cache.verifiedChunks(store, shas[1]!, files[1]!.length);
    expect(await cache.verifiedChunks(store, shas[0]!, files[0]!.length)).toBe(a); // a is now the most recent
    await cache.verifiedChunks(store, shas[2]!, files[2]!.length); // evicts b, not a
    expect(cache.size).toBe(2 * (BLOB_CHUNK + 10));
    expect(await cache.verifiedChunks(store, shas[0]!, files[0]!.length)).toBe(a);
    cache.drop(shas[0]!);
    expect(cache.size).toBe(BLOB_CHUNK + 10);
  });

  it('does not hold files above its per-file limit', async () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 2);
    const { store, shas } = storeWith([bytes]);
    const cache = new BlobCache({ maxEntryBytes: BLOB_CHUNK });
    expect(await cache.verifiedChunks(store, shas[0]!, bytes.length)).toBeNull();
    expect(cache.size).toBe(0);
  });
});

/** Flips one stored byte behind the store's back, as a failing disk or a hand edit would. */
function flipByte(store: DocStore, sha: string, at: number): void {
  const idx = Math.floor(at / BLOB_CHUNK);
  const row = store.db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = ?').get(sha, idx) as { data: Buffer };
  const data = Buffer.from(row.data);
  data[at % BLOB_CHUNK] = data[at % BLOB_CHUNK]! ^ 0xff;
  store.db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = ?').run(data, sha, idx);
}

describe('BlobCache integrity', () => {
  it('refuses a file whose stored bytes no longer hash to its name, and says so once', async () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 2 + 99);
    const { store, shas } = storeWith([bytes]);
    flipByte(store, shas[0]!, BLOB_CHUNK + 7);
    const logged: string[] = [];
    const cache = new BlobCache({ log: (msg) => logged.push(msg) });
    await expect(cache.verifiedChunks(store, shas[0]!, bytes.length)).rejects.toBeInstanceOf(CorruptBlobError);
    await expect(cache.verifiedChunks(store, shas[0]!, bytes.length)).rejects.toBeInstanceOf(CorruptBlobError);
    expect(cache.size).toBe(0);
    expect(cache.isCorrupt(shas[0]!)).toBe(true);
    expect(logged).toEqual(['damaged paper file: not served']);
    // Stored again (as an upload of the same bytes does) and dropped: served again.
    store.putBlob(shas[0]!, bytes);
    cache.drop(shas[0]!);
    expect(joined((await cache.verifiedChunks(store, shas[0]!, bytes.length))!).equals(bytes)).toBe(true);
  });

  it('refuses a file with a chunk missing', async () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 3);
    const { store, shas } = storeWith([bytes]);
    store.db.prepare('DELETE FROM blob_chunks WHERE sha256 = ? AND idx = 1').run(shas[0]!);
    await expect(new BlobCache().verifiedChunks(store, shas[0]!, bytes.length)).rejects.toThrow(/bytes present/);
  });

  it('verifies a file too large to hold once, and refuses it if damaged', async () => {
    const files = [crypto.randomBytes(BLOB_CHUNK * 2), crypto.randomBytes(BLOB_CHUNK * 2)];
    const { store, shas } = storeWith(files);
    const cache = new BlobCache({ maxEntryBytes: BLOB_CHUNK });
    let reads = 0;
    const counting = new Proxy(store, { get: (t, p) => (p === 'readBlob' ? (...args: [string, number, number]) => (reads++, t.readBlob(...args)) : Reflect.get(t, p)) });
    expect(await cache.verifiedChunks(counting, shas[0]!, files[0]!.length)).toBeNull();
    expect(await cache.verifiedChunks(counting, shas[0]!, files[0]!.length)).toBeNull();
    expect(reads).toBe(1);
    flipByte(store, shas[1]!, 3);
    await expect(cache.verifiedChunks(counting, shas[1]!, files[1]!.length)).rejects.toBeInstanceOf(CorruptBlobError);
  });

  it('loads a file once however many requests ask for it at the same moment', async () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 40); // 10 MiB: hashed in slices, with awaits between
    const { store, shas } = storeWith([bytes]);
    const cache = new BlobCache();
    let reads = 0;
    const counting = new Proxy(store, { get: (t, p) => (p === 'readBlob' ? (...args: [string, number, number]) => (reads++, t.readBlob(...args)) : Reflect.get(t, p)) });
    const all = await Promise.all(Array.from({ length: 20 }, () => cache.verifiedChunks(counting, shas[0]!, bytes.length)));
    expect(reads).toBe(1);
    for (const c of all) expect(c).toBe(all[0]);
    expect(joined(all[0]!).equals(bytes)).toBe(true);
  });
});
