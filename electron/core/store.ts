// The SQLite store shared by hub and agent: an append-only log of Yjs updates per document,
// compacted into a snapshot in the same transaction that deletes the merged rows, and a blob
// table keyed by sha256. better-sqlite3 is synchronous, so `appendUpdate` returns only after
// the row is committed: callers forward an update to anyone only after this returns.
import BetterSqlite3 from 'better-sqlite3';
import * as Y from 'yjs';
import fs from 'node:fs';
import path from 'node:path';

export type Database = BetterSqlite3.Database;
/** better-sqlite3 or an API-compatible driver (better-sqlite3-multiple-ciphers for the agent). */
export type DatabaseConstructor = new (file: string, options?: BetterSqlite3.Options) => Database;

export interface OpenOptions {
  Driver?: DatabaseConstructor;
  /** Encryption key for drivers that support `PRAGMA key` (SQLite3 Multiple Ciphers). */
  key?: string;
  /** 'FULL' survives power loss; 'NORMAL' survives a killed process (both in WAL mode). */
  synchronous?: 'FULL' | 'NORMAL';
}

/** Blobs are stored in chunks so a Range request reads only the rows it needs. */
export const BLOB_CHUNK = 256 * 1024;

export class CorruptStoreError extends Error {
  override name = 'CorruptStoreError';
}

export function openDatabase(file: string, opts: OpenOptions = {}): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const Driver = opts.Driver ?? (BetterSqlite3 as unknown as DatabaseConstructor);
  const db = new Driver(file);
  try {
    if (opts.key !== undefined) db.pragma(`key='${opts.key.replace(/'/g, "''")}'`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptStoreError(`database ${file} failed its integrity check: ${String(check)}`);
  } catch (err) {
    db.close();
    if (err instanceof CorruptStoreError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new CorruptStoreError(`database ${file} is not a readable Chamber store (${code})`);
    }
    throw err;
  }
  return db;
}

/** One stored piece of a document: its snapshot or one row of its update log. */
export interface StoredEntry {
  source: 'snapshot' | 'update';
  rowId: number | null;
  data: Uint8Array;
}

/** Tables for documents and blobs; hub and agent add their own tables beside them. */
export class DocStore {
  readonly db: Database;
  private readonly stmts;

  constructor(db: Database) {
    this.db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS doc_updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc TEXT NOT NULL,
        data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS doc_updates_doc ON doc_updates(doc, id);
      CREATE TABLE IF NOT EXISTS doc_snapshots (
        doc TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        complete INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS doc_quarantine (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc TEXT NOT NULL,
        source TEXT NOT NULL,
        row_id INTEGER,
        data BLOB NOT NULL,
        reason TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS blob_chunks (
        sha256 TEXT NOT NULL,
        idx INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (sha256, idx)
      ) WITHOUT ROWID;
    `);
    this.stmts = {
      append: db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)'),
      updates: db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? ORDER BY id'),
      count: db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?'),
      snapshot: db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?'),
      putSnapshot: db.prepare('INSERT INTO doc_snapshots (doc, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at'),
      deleteUpTo: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?'),
      deleteDocUpdates: db.prepare('DELETE FROM doc_updates WHERE doc = ?'),
      deleteSnapshot: db.prepare('DELETE FROM doc_snapshots WHERE doc = ?'),
      docNames: db.prepare('SELECT doc FROM doc_snapshots UNION SELECT DISTINCT doc FROM doc_updates'),
      blob: db.prepare('SELECT sha256, size, complete FROM blobs WHERE sha256 = ?'),
      putBlob: db.prepare('INSERT INTO blobs (sha256, size, complete, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET size = excluded.size, complete = excluded.complete'),
      putChunk: db.prepare('INSERT OR REPLACE INTO blob_chunks (sha256, idx, data) VALUES (?, ?, ?)'),
      chunk: db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = ?'),
      chunksFrom: db.prepare('SELECT idx, data FROM blob_chunks WHERE sha256 = ? AND idx >= ? AND idx <= ? ORDER BY idx'),
      chunkCount: db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM blob_chunks WHERE sha256 = ?'),
      deleteBlob: db.prepare('DELETE FROM blobs WHERE sha256 = ?'),
      deleteChunks: db.prepare('DELETE FROM blob_chunks WHERE sha256 = ?'),
      blobList: db.prepare('SELECT sha256, size, complete FROM blobs'),
      quarantine: db.prepare('INSERT INTO doc_quarantine (doc, source, row_id, data, reason, at) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteRow: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id = ?'),
      quarantined: db.prepare('SELECT source, row_id AS rowId, reason, at FROM doc_quarantine WHERE doc = ? ORDER BY id'),
    };
  }

  /** Commits one update; returns its row id. Throws if the commit fails (nothing acknowledged). */
  appendUpdate(doc: string, update: Uint8Array): number {
    return Number(this.stmts.append.run(doc, update).lastInsertRowid);
  }

  /** Appends several updates in one transaction (one fsync): group commit for bursts. */
  appendUpdates(entries: Array<{ doc: string; update: Uint8Array }>): void {
    this.db.transaction(() => {
      for (const e of entries) this.stmts.append.run(e.doc, e.update);
    })();
  }

  /** Applies the stored state of `doc` to `ydoc`; returns how many log rows are uncompacted. */
  loadInto(doc: string, ydoc: Y.Doc, origin: unknown = 'store'): number {
    const snap = this.stmts.snapshot.get(doc) as { data: Buffer } | undefined;
    const rows = this.stmts.updates.all(doc) as Array<{ id: number; data: Buffer }>;
    const updates: Uint8Array[] = [];
    if (snap) updates.push(snap.data);
    for (const r of rows) updates.push(r.data);
    if (updates.length > 0) Y.applyUpdate(ydoc, Y.mergeUpdates(updates), origin);
    return rows.length;
  }

  /** The stored pieces of `doc`, in the order they must be applied. */
  loadEntries(doc: string): StoredEntry[] {
    const snap = this.stmts.snapshot.get(doc) as { data: Buffer } | undefined;
    const rows = this.stmts.updates.all(doc) as Array<{ id: number; data: Buffer }>;
    const out: StoredEntry[] = snap ? [{ source: 'snapshot', rowId: null, data: snap.data }] : [];
    for (const r of rows) out.push({ source: 'update', rowId: r.id, data: r.data });
    return out;
  }

  /**
   * Sets stored pieces of `doc` aside (a row Yjs cannot load, or a structure that would break
   * it): moved to `doc_quarantine` with the reason, in one transaction, so a document loads
   * without them and the bytes are kept for inspection.
   */
  quarantine(doc: string, entries: Array<StoredEntry & { reason: string }>): void {
    this.db.transaction(() => {
      for (const e of entries) {
        this.stmts.quarantine.run(doc, e.source, e.rowId, e.data, e.reason, Date.now());
        if (e.source === 'snapshot') this.stmts.deleteSnapshot.run(doc);
        else this.stmts.deleteRow.run(doc, e.rowId);
      }
    })();
  }

  quarantined(doc: string): Array<{ source: string; rowId: number | null; reason: string; at: number }> {
    return this.stmts.quarantined.all(doc) as Array<{ source: string; rowId: number | null; reason: string; at: number }>;
  }

  /** The whole stored state as one update, without loading a Y.Doc. */
  encodeState(doc: string): Uint8Array | null {
    const snap = this.stmts.snapshot.get(doc) as { data: Buffer } | undefined;
    const rows = this.stmts.updates.all(doc) as Array<{ id: number; data: Buffer }>;
    if (!snap && rows.length === 0) return null;
    return Y.mergeUpdates([...(snap ? [snap.data] : []), ...rows.map((r) => r.data)]);
  }

  pendingUpdates(doc: string): number {
    return (this.stmts.count.get(doc) as { n: number }).n;
  }

  /**
   * Folds the log of `doc` into its snapshot. `state` must contain every committed row (the
   * in-memory doc does, since each row was applied to it before being committed); without it the
   * rows are merged from disk. One transaction: a crash leaves either the old rows or the new
   * snapshot, never neither.
   */
  compact(doc: string, state?: Uint8Array): void {
    this.db.transaction(() => {
      const rows = this.stmts.updates.all(doc) as Array<{ id: number; data: Buffer }>;
      if (rows.length === 0) return;
      const maxId = rows[rows.length - 1]!.id;
      let merged = state;
      if (!merged) {
        const snap = this.stmts.snapshot.get(doc) as { data: Buffer } | undefined;
        merged = Y.mergeUpdates([...(snap ? [snap.data] : []), ...rows.map((r) => r.data)]);
      }
      this.stmts.putSnapshot.run(doc, merged, Date.now());
      this.stmts.deleteUpTo.run(doc, maxId);
    })();
  }

  deleteDoc(doc: string): void {
    this.db.transaction(() => {
      this.stmts.deleteDocUpdates.run(doc);
      this.stmts.deleteSnapshot.run(doc);
    })();
  }

  docNames(): string[] {
    return (this.stmts.docNames.all() as Array<{ doc: string }>).map((r) => r.doc);
  }

  // ---- blobs -----------------------------------------------------------------------------

  blobInfo(sha256: string): { sha256: string; size: number; complete: boolean } | null {
    const row = this.stmts.blob.get(sha256) as { sha256: string; size: number; complete: number } | undefined;
    return row ? { sha256: row.sha256, size: row.size, complete: row.complete === 1 } : null;
  }

  /** Stores a whole blob whose hash the caller has verified. */
  putBlob(sha256: string, bytes: Uint8Array): void {
    this.db.transaction(() => {
      this.stmts.deleteChunks.run(sha256);
      for (let i = 0, idx = 0; i < bytes.length; i += BLOB_CHUNK, idx++) {
        this.stmts.putChunk.run(sha256, idx, bytes.subarray(i, Math.min(i + BLOB_CHUNK, bytes.length)));
      }
      this.stmts.putBlob.run(sha256, bytes.length, 1, Date.now());
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
      this.stmts.deleteChunks.run(sha256);
      this.stmts.putBlob.run(sha256, size, 0, Date.now());
    })();
  }

  putBlobChunk(sha256: string, idx: number, data: Uint8Array): void {
    this.stmts.putChunk.run(sha256, idx, data);
  }

  /** Bytes of a partial blob held contiguously from the start. */
  blobBytesHeld(sha256: string): number {
    const r = this.stmts.chunkCount.get(sha256) as { n: number; bytes: number };
    return r.bytes;
  }

  finishBlob(sha256: string): void {
    const info = this.blobInfo(sha256);
    if (!info) return;
    this.stmts.putBlob.run(sha256, info.size, 1, Date.now());
  }

  deleteBlob(sha256: string): void {
    this.db.transaction(() => {
      this.stmts.deleteChunks.run(sha256);
      this.stmts.deleteBlob.run(sha256);
    })();
  }

  listBlobs(): Array<{ sha256: string; size: number; complete: boolean }> {
    return (this.stmts.blobList.all() as Array<{ sha256: string; size: number; complete: number }>).map((r) => ({ ...r, complete: r.complete === 1 }));
  }

  /** Yields the bytes [start, end] (inclusive) of a blob, chunk by chunk. */
  *readBlob(sha256: string, start: number, end: number): Generator<Buffer> {
    if (end < start) return;
    const first = Math.floor(start / BLOB_CHUNK);
    const last = Math.floor(end / BLOB_CHUNK);
    // A bounded batch of chunks at a time keeps memory flat for large papers.
    for (let from = first; from <= last; from += 16) {
      const to = Math.min(last, from + 15);
      const rows = this.stmts.chunksFrom.all(sha256, from, to) as Array<{ idx: number; data: Buffer }>;
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

  close(): void {
    this.db.close();
  }
}
