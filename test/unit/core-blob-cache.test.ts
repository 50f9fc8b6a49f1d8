// The hub's in-memory cache of paper files, over a real SQLite store: every range it serves is
// byte-for-byte what the store holds, and it stays within its byte budget.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BLOB_CHUNK, DocStore, openDatabase } from '../../electron/core/store.ts';
import { BlobCache, sliceChunks } from '../../electron/core/blob-cache.ts';

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
  it('serves any range exactly as the store does, across chunk boundaries', () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 3 + 1234);
    const { store, shas } = storeWith([bytes]);
    const cache = new BlobCache();
    const chunks = cache.chunks(store, shas[0]!, bytes.length)!;
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
    expect(cache.chunks(store, shas[0]!, bytes.length)).toBe(chunks);
  });

  it('stays within its byte budget, evicting the least recently used file', () => {
    const files = [0, 1, 2].map(() => crypto.randomBytes(BLOB_CHUNK + 10));
    const { store, shas } = storeWith(files);
    const cache = new BlobCache({ maxBytes: 2 * (BLOB_CHUNK + 10) });
    const a = cache.chunks(store, shas[0]!, files[0]!.length);
    cache.chunks(store, shas[1]!, files[1]!.length);
    expect(cache.chunks(store, shas[0]!, files[0]!.length)).toBe(a); // a is now the most recent
    cache.chunks(store, shas[2]!, files[2]!.length); // evicts b, not a
    expect(cache.size).toBe(2 * (BLOB_CHUNK + 10));
    expect(cache.chunks(store, shas[0]!, files[0]!.length)).toBe(a);
    cache.drop(shas[0]!);
    expect(cache.size).toBe(BLOB_CHUNK + 10);
  });

  it('does not hold files above its per-file limit', () => {
    const bytes = crypto.randomBytes(BLOB_CHUNK * 2);
    const { store, shas } = storeWith([bytes]);
    const cache = new BlobCache({ maxEntryBytes: BLOB_CHUNK });
    expect(cache.chunks(store, shas[0]!, bytes.length)).toBeNull();
    expect(cache.size).toBe(0);
  });
});
