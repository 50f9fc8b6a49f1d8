// The minutes' table (hub schema step 6, electron/hub/hub-schema.ts): one row per meeting from the
// first edit or transition on (no row reads as an untouched draft). Issuing writes the number,
// the frozen model and the issued PDF's sha256 and paper in the same transaction that stores the
// paper (electron/hub/minutes/service.ts), so a row is issued with its paper or not at all.
import type { Database } from '../../core/store.ts';

export function minutesTables(db: Database): void {
  db.exec(`
    CREATE TABLE minutes (
      meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
      state TEXT NOT NULL DEFAULT 'draft',
      fields TEXT NOT NULL DEFAULT '{}',
      rev INTEGER NOT NULL DEFAULT 0,
      read_out_at INTEGER, read_out_by TEXT,
      submitted_at INTEGER, submitted_by TEXT,
      approved_at INTEGER, approved_by TEXT,
      issued_at INTEGER, issued_by TEXT,
      number_year INTEGER, number_suffix TEXT, number_seq INTEGER, number TEXT,
      lang TEXT, sha256 TEXT, size INTEGER, paper_id TEXT, model TEXT,
      signed_sha256 TEXT, signed_at INTEGER, signed_by TEXT,
      updated_at INTEGER NOT NULL, updated_by TEXT
    );
    CREATE UNIQUE INDEX minutes_number ON minutes(number_year, number_suffix, number_seq) WHERE number_seq IS NOT NULL;
  `);
}
