// The SQLite store shared by hub and agent: an append-only log of Yjs updates per document,
// compacted into a snapshot in the same transaction that deletes the merged rows, beside the blob
// table keyed by sha256 (blob-store.ts; its tables and steps are in store-schema.ts).
// better-sqlite3 is synchronous, so `appendUpdate` returns only after the row is committed:
// callers forward an update to anyone only after this returns.
import BetterSqlite3 from 'better-sqlite3';
import * as Y from 'yjs';
import fs from 'node:fs';
import path from 'node:path';
import { BlobStore } from './blob-store.ts';
import { ensureStoreTables } from './store-schema.ts';

export { BLOB_CHUNK } from './blob-store.ts';
export { BARE_DOC_STORE, docStoreSteps } from './store-schema.ts';

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

/**
 * Runs `fn`'s commits with synchronous=NORMAL, for data that can be had again after a power cut
 * (a WAL keeps a committed prefix; a killed process loses nothing either way). Inside a
 * transaction the pragma would not apply to its commit, so there it just runs `fn`.
 */
export function withoutFsync<T>(db: Database, fn: () => T): T {
  if (db.inTransaction) return fn();
  const previous = db.pragma('synchronous', { simple: true }) as number;
  if (previous <= 1) return fn();
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}

/** One stored piece of a document: its snapshot or one row of its update log. */
export interface StoredEntry {
  source: 'snapshot' | 'update';
  rowId: number | null;
  data: Uint8Array;
}

/** Tables for documents and blobs; hub and agent add their own tables beside them. */
export class DocStore extends BlobStore {
  private prepared: ReturnType<DocStore['prepare']> | undefined;

  /** Prepared on first use, not in the constructor: see ensureStoreTables (store-schema.ts). */
  private get stmts() {
    this.prepared ??= this.prepare();
    return this.prepared;
  }

  private prepare() {
    const db = this.db;
    ensureStoreTables(db);
    return {
      append: db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)'),
      updates: db.prepare('SELECT id, data FROM doc_updates WHERE doc = ? ORDER BY id'),
      count: db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?'),
      snapshot: db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?'),
      putSnapshot: db.prepare('INSERT INTO doc_snapshots (doc, data, updated_at) VALUES (?, ?, ?) ON CONFLICT(doc) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at'),
      deleteUpTo: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?'),
      deleteDocUpdates: db.prepare('DELETE FROM doc_updates WHERE doc = ?'),
      deleteSnapshot: db.prepare('DELETE FROM doc_snapshots WHERE doc = ?'),
      docNames: db.prepare('SELECT doc FROM doc_snapshots UNION SELECT DISTINCT doc FROM doc_updates'),
      quarantine: db.prepare('INSERT INTO doc_quarantine (doc, source, row_id, data, reason, at) VALUES (?, ?, ?, ?, ?, ?)'),
      deleteRow: db.prepare('DELETE FROM doc_updates WHERE doc = ? AND id = ?'),
      quarantined: db.prepare('SELECT source, row_id AS rowId, reason, at FROM doc_quarantine WHERE doc = ? ORDER BY id'),
      deleteQuarantined: db.prepare('DELETE FROM doc_quarantine WHERE doc = ?'),
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

  /**
   * Forgets `doc`: its log, its snapshot and any pieces of it set aside, whose bytes are the
   * document's content too (the agent purges a meeting the user may no longer read).
   */
  deleteDoc(doc: string): void {
    this.db.transaction(() => {
      this.stmts.deleteDocUpdates.run(doc);
      this.stmts.deleteSnapshot.run(doc);
      this.stmts.deleteQuarantined.run(doc);
    })();
  }

  docNames(): string[] {
    return (this.stmts.docNames.all() as Array<{ doc: string }>).map((r) => r.doc);
  }

  close(): void {
    this.db.close();
  }
}
