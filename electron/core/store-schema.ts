// The document store's tables (documents and blobs: store.ts and blob-store.ts). They share the
// hub's and the agent's files, whose user_version counts the owner's steps, so the store keeps no
// version of its own: each owner's migration list includes these steps, and a later change to the
// store's tables is a new exported step that both owners add to their lists
// (docs/architecture.md, "Schema versions").
import type BetterSqlite3 from 'better-sqlite3';
import { appId, migrate, type SchemaKind } from './migrations.ts';

type Database = BetterSqlite3.Database;

/** The store's schema steps, oldest first. */
export const docStoreSteps = {
  /** The tables as they were before schema versions; times already INTEGER ms. */
  baseline(db: Database): void {
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
  },
};

/** A file that holds only a document store (tests and benchmarks open these). */
export const BARE_DOC_STORE: SchemaKind = {
  label: 'document store',
  applicationId: appId('CHMD'),
  migrations: [{ version: 1, name: 'document store tables', up: docStoreSteps.baseline }],
};

/**
 * Called before the store prepares its statements. The hub and the agent make the store before
 * their own tables object, whose migration list creates the store's tables too, so by then the
 * file is claimed; a file nobody claimed yet is a bare store (tests, benches) and gets its tables
 * here.
 */
export function ensureStoreTables(db: Database): void {
  if (db.pragma('application_id', { simple: true }) === 0) migrate(db, BARE_DOC_STORE);
}
