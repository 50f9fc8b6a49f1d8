// The hub database's schema steps, oldest first (electron/core/migrations.ts runs them). The
// document store's tables are in the same file, so its steps are part of this list. A new step
// goes at the end with the next number; a released step is never edited.
import type { Database } from '../core/store.ts';
import { docStoreSteps } from '../core/store.ts';
import { appId, rebuildTable, type SchemaKind } from '../core/migrations.ts';
import { attendanceTables, pollTables, speakerTables } from './procedures/schema.ts';
import { recordTables } from './records/schema.ts';
import { minutesTables } from './minutes/schema.ts';
import { searchTables } from './search/schema.ts';
import { auditChainTables } from './audit/schema.ts';
import { classificationTables } from './classification/schema.ts';
import { recallTables } from './recall/schema.ts';

/** The tables as every hub before schema versions made them (user_version 0 files hold these). */
function baseline(db: Database): void {
  docStoreSteps.baseline(db);
  db.exec(`
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS accounts (
      id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL, role TEXT NOT NULL,
      pw_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS sessions (
      token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, revoked_at INTEGER
    );
    CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
    CREATE TABLE IF NOT EXISTS meetings (
      id TEXT PRIMARY KEY, title TEXT NOT NULL, starts_at TEXT, room TEXT, status TEXT NOT NULL DEFAULT 'draft', created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS participants (
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      role TEXT NOT NULL, PRIMARY KEY (meeting_id, user_id)
    );
    CREATE INDEX IF NOT EXISTS participants_user ON participants(user_id);
    CREATE TABLE IF NOT EXISTS papers (
      id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE, title TEXT NOT NULL,
      restricted INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS papers_meeting ON papers(meeting_id);
    CREATE TABLE IF NOT EXISTS paper_access (
      paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      PRIMARY KEY (paper_id, user_id)
    );
    CREATE TABLE IF NOT EXISTS paper_versions (
      paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE, version INTEGER NOT NULL, sha256 TEXT NOT NULL,
      pages INTEGER NOT NULL, size INTEGER NOT NULL, file_name TEXT NOT NULL, created_at TEXT NOT NULL,
      PRIMARY KEY (paper_id, version)
    );
    CREATE INDEX IF NOT EXISTS paper_versions_sha ON paper_versions(sha256);
    CREATE TABLE IF NOT EXISTS audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user_id TEXT, action TEXT NOT NULL, target TEXT, detail TEXT
    );
    CREATE TABLE IF NOT EXISTS page_fingerprints (sha256 TEXT PRIMARY KEY, prints TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS paper_carry (paper_id TEXT NOT NULL, version INTEGER NOT NULL, carried TEXT NOT NULL, PRIMARY KEY (paper_id, version));
    CREATE TABLE IF NOT EXISTS device_wipe_orders (
      id INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, user_id TEXT,
      refetch INTEGER NOT NULL DEFAULT 0, issued_by TEXT NOT NULL, created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS device_wipe_orders_meeting ON device_wipe_orders(meeting_id);
    CREATE TABLE IF NOT EXISTS devices (
      device_id TEXT NOT NULL, user_id TEXT NOT NULL, since_order INTEGER NOT NULL,
      first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, PRIMARY KEY (device_id, user_id)
    );
    CREATE TABLE IF NOT EXISTS device_wipe_acks (
      order_id INTEGER NOT NULL REFERENCES device_wipe_orders(id) ON DELETE CASCADE,
      device_id TEXT NOT NULL, user_id TEXT NOT NULL, acked_at TEXT NOT NULL, PRIMARY KEY (order_id, device_id)
    );
  `);
}

/**
 * Every stored moment as INTEGER ms since the epoch, like sessions and the document store
 * already were (the API still answers ISO text: hub-db.ts converts at its edge). `meetings.starts_at`
 * stays the text the secretary gave: it is a calendar entry with its own UTC offset, not a
 * moment the hub recorded, and the API hands it back as given.
 */
function timesAsMs(db: Database): void {
  rebuildTable(db, 'accounts', `CREATE TABLE accounts (
    id TEXT PRIMARY KEY, login TEXT NOT NULL UNIQUE COLLATE NOCASE, name TEXT NOT NULL, role TEXT NOT NULL,
    pw_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)`, ['created_at']);
  rebuildTable(db, 'meetings', `CREATE TABLE meetings (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, starts_at TEXT, room TEXT, status TEXT NOT NULL DEFAULT 'draft',
    created_at INTEGER NOT NULL)`, ['created_at']);
  rebuildTable(db, 'papers', `CREATE TABLE papers (
    id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE, title TEXT NOT NULL,
    restricted INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
    CREATE INDEX papers_meeting ON papers(meeting_id);`, ['created_at']);
  rebuildTable(db, 'paper_versions', `CREATE TABLE paper_versions (
    paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE, version INTEGER NOT NULL, sha256 TEXT NOT NULL,
    pages INTEGER NOT NULL, size INTEGER NOT NULL, file_name TEXT NOT NULL, created_at INTEGER NOT NULL,
    PRIMARY KEY (paper_id, version));
    CREATE INDEX paper_versions_sha ON paper_versions(sha256);`, ['created_at']);
  rebuildTable(db, 'audit', `CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user_id TEXT, action TEXT NOT NULL, target TEXT, detail TEXT)`, ['at']);
  rebuildTable(db, 'device_wipe_orders', `CREATE TABLE device_wipe_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, user_id TEXT,
    refetch INTEGER NOT NULL DEFAULT 0, issued_by TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE INDEX device_wipe_orders_meeting ON device_wipe_orders(meeting_id);`, ['created_at']);
  rebuildTable(db, 'devices', `CREATE TABLE devices (
    device_id TEXT NOT NULL, user_id TEXT NOT NULL, since_order INTEGER NOT NULL,
    first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, PRIMARY KEY (device_id, user_id))`, ['first_seen', 'last_seen']);
  rebuildTable(db, 'device_wipe_acks', `CREATE TABLE device_wipe_acks (
    order_id INTEGER NOT NULL REFERENCES device_wipe_orders(id) ON DELETE CASCADE,
    device_id TEXT NOT NULL, user_id TEXT NOT NULL, acked_at INTEGER NOT NULL, PRIMARY KEY (order_id, device_id))`, ['acked_at']);
}

export const HUB_SCHEMA: SchemaKind = {
  label: 'hub database',
  applicationId: appId('CHMH'),
  migrations: [
    { version: 1, name: 'tables as before schema versions', up: baseline },
    { version: 2, name: 'times as INTEGER ms', up: timesAsMs },
    {
      version: 3, name: 'meeting procedures',
      up: (db) => {
        attendanceTables(db);
        speakerTables(db);
        pollTables(db);
      },
    },
    { version: 4, name: 'search index', up: searchTables },
    { version: 5, name: 'meeting record', up: recordTables },
    { version: 6, name: 'minutes', up: minutesTables },
    // Step 7 was set aside for the archive, which needed no table of its own.
    { version: 7, name: 'none (kept for the archive)', up: () => {} },
    { version: 8, name: 'audit chain', up: auditChainTables },
    { version: 9, name: 'classification levels', up: classificationTables },
    { version: 10, name: 'paper recalls', up: recallTables },
    // A restricted paper leaves the meeting document (read by all), so its agenda items are kept here.
    {
      version: 11, name: 'agenda links of restricted papers',
      up: (db) => db.exec('CREATE TABLE restricted_paper_items (paper_id TEXT NOT NULL, item_id TEXT NOT NULL, PRIMARY KEY (paper_id, item_id))'),
    },
    // A staged paper is uploaded but not released: only the meeting's managers see it (access.ts).
    // A staged new version of a released paper is a staged row of its own naming that paper.
    {
      version: 12, name: 'staged papers',
      up: (db) => db.exec('ALTER TABLE papers ADD COLUMN staged INTEGER NOT NULL DEFAULT 0; ALTER TABLE papers ADD COLUMN replaces TEXT'),
    },
    // The page index moved to its own file, written off the event loop (search/index-file.ts); it is
    // built again there from the papers at the next start. The record's texts stay here.
    {
      version: 13, name: 'page index moved to search.sqlite',
      up: (db) => db.exec('DROP TABLE search_fts; DROP TABLE search_pages; DROP TABLE search_papers;'),
    },
  ],
};
