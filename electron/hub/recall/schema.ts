// Recalls' tables (hub schema step 10, electron/hub/hub-schema.ts). A recall names one paper and
// the files (sha256) it had when recalled, so a device can find what to delete even after the
// paper left the lists. `paper_recall_devices` holds the devices that held it (those the hub had
// seen for a user who could read the paper) and when each confirmed.
import type { Database } from '../../core/store.ts';

export function recallTables(db: Database): void {
  db.exec(`
    CREATE TABLE paper_recalls (
      id TEXT PRIMARY KEY,
      paper_id TEXT NOT NULL,
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      sha256s TEXT NOT NULL,
      reason TEXT NOT NULL,
      issued_by TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX paper_recalls_meeting ON paper_recalls(meeting_id);
    CREATE INDEX paper_recalls_paper ON paper_recalls(paper_id);
    CREATE TABLE paper_recall_devices (
      recall_id TEXT NOT NULL REFERENCES paper_recalls(id) ON DELETE CASCADE,
      device_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      confirmed_at INTEGER,
      PRIMARY KEY (recall_id, device_id, user_id)
    ) WITHOUT ROWID;
  `);
}
