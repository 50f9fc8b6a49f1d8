// Blobs (papers and update packages) in the same SQLite file as the documents, keyed by sha256 and
// stored in BLOB_CHUNK rows so a Range request reads only the rows it needs and a download can be
// written, and resumed, chunk by chunk. DocStore (store.ts) extends this class, so hub and agent
// keep one store object per file (documents and blobs share the file and its connection) while
// each half reads on its own.
import type BetterSqlite3 from 'better-sqlite3';
import { ensureStoreTables } from './store-schema.ts';

type Database = BetterSqlite3.Database;

/** Blobs are stored in chunks so a Range request reads only the rows it needs. */
export const BLOB_CHUNK = 256 * 1024;

function prepareBlobStatements(db: Database) {
  ensureStoreTables(db);
  return {
    blob: db.prepare('SELECT sha256, size, complete FROM blobs WHERE sha256 = ?'),
    putBlob: db.prepare('INSERT INTO blobs (sha256, size, complete, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, complete = excluded.complete'),
    putChunk: db.prepare('INSERT OR REPLACE INTO blob_chunks (sha256, idx, data) VALUES (?, ?, ?)'),
    chunksFrom: db.prepare('SELECT idx, data FROM blob_chunks WHERE sha256 = ? AND idx >= ? AND idx <= ? ORDER BY idx'),
    chunkCount: db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM blob_chunks WHERE sha256 = ?'),
    deleteBlob: db.prepare('DELETE FROM blobs WHERE sha256 = ?'),
    deleteChunks: db.prepare('DELETE FROM blob_chunks WHERE sha256 = ?'),
    blobList: db.prepare('SELECT sha256, size, complete FROM blobs'),
  };
}

export class BlobStore {
  readonly db: Database;
  private blobPrepared: ReturnType<typeof prepareBlobStatements> | undefined;

  constructor(db: Database) {
    this.db = db;
  }

  /** Prepared on first use, for the reason ensureStoreTables gives. */
  private get blobStmts() {
    this.blobPrepared ??= prepareBlobStatements(this.db);
    return this.blobPrepared;
  }

  blobInfo(sha256: string): { sha256: string; size: number; complete: boolean } | null {
    const row = this.blobStmts.blob.get(sha256) as { sha256: string; size: number; complete: number } | undefined;
    return row ? { sha256: row.sha256, size: row.size, complete: row.complete === 1 } : null;
  }

  /** Stores a whole blob whose hash the caller has verified. */
  putBlob(sha256: string, bytes: Uint8Array): void {
    this.db.transaction(() => {
      this.blobStmts.deleteChunks.run(sha256);
      for (let i = 0, idx = 0; i < bytes.length; i += BLOB_CHUNK, idx++) {
        this.blobStmts.putChunk.run(sha256, idx, bytes.subarray(i, Math.min(i + BLOB_CHUNK, bytes.length)));
      }
      this.blobStmts.putBlob.run(sha256, bytes.length, 1, Date.now());
    })();
  }

  /**
   * Partial blobs, for resumable downloads: chunks are written as they arrive (each chunk must
   * be exactly BLOB_CHUNK bytes but the last), and `finishBlob` marks the blob complete once
   * its hash has been verified.
   */
  beginBlob(sha256: string, size: number): void {
    const existing = this.blobInfo(sha256);
    if (existing && existing.size === size) return;
    this.db.transaction(() => {
      this.blobStmts.deleteChunks.run(sha256);
      this.blobStmts.putBlob.run(sha256, size, 0, Date.now());
    })();
  }

  putBlobChunk(sha256: string, idx: number, data: Uint8Array): void {
    this.blobStmts.putChunk.run(sha256, idx, data);
  }

  /** Bytes of a partial blob held contiguously from the start. */
  blobBytesHeld(sha256: string): number {
    const r = this.blobStmts.chunkCount.get(sha256) as { n: number; bytes: number };
    return r.bytes;
  }

  finishBlob(sha256: string): void {
    const info = this.blobInfo(sha256);
    if (!info) return;
    this.blobStmts.putBlob.run(sha256, info.size, 1, Date.now());
  }

  deleteBlob(sha256: string): void {
    this.db.transaction(() => {
      this.blobStmts.deleteChunks.run(sha256);
      this.blobStmts.deleteBlob.run(sha256);
    })();
  }

  listBlobs(): Array<{ sha256: string; size: number; complete: boolean }> {
    return (this.blobStmts.blobList.all() as Array<{ sha256: string; size: number; complete: number }>).map((r) => ({ ...r, complete: r.complete === 1 }));
  }

  /** Yields the bytes [start, end] (inclusive) of a blob, chunk by chunk. */
  *readBlob(sha256: string, start: number, end: number): Generator<Buffer> {
    if (end < start) return;
    const first = Math.floor(start / BLOB_CHUNK);
    const last = Math.floor(end / BLOB_CHUNK);
    // A bounded batch of chunks at a time keeps memory flat for large papers.
    for (let from = first; from <= last; from += 16) {
      const to = Math.min(last, from + 15);
      const rows = this.blobStmts.chunksFrom.all(sha256, from, to) as Array<{ idx: number; data: Buffer }>;
      for (const row of rows) {
        const chunkStart = row.idx * BLOB_CHUNK;
        const s = Math.max(start - chunkStart, 0);
        const e = Math.min(end - chunkStart + 1, row.data.length);
        yield s === 0 && e === row.data.length ? row.data : row.data.subarray(s, e);
      }
    }
  }

  readBlobAll(sha256: string): Buffer | null {
    const info = this.blobInfo(sha256);
    if (!info) return null;
    return Buffer.concat([...this.readBlob(sha256, 0, info.size - 1)]);
  }
}
