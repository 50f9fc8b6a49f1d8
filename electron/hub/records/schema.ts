// The meeting record's tables (hub schema step 5, electron/hub/hub-schema.ts): what each agenda
// item came to, the decisions with the published result of the vote that carried them, the
// reserved opinions on them, and the action items that follow. The tables are the truth; the
// live document only mirrors them (record-mirror.ts).
import type { Database } from '../../core/store.ts';

/**
 * Agenda items live in the meeting's Yjs document, not in a table, so `agenda_item_id` is
 * checked against that document when written and has no foreign key. A decision's `result` is
 * the poll's result as published, copied once (JSON): a poll annulled later leaves it as it was.
 * An action item outlives the decision it followed from (`decision_id` set to NULL when that goes).
 * `co_units` is a JSON array of unit names. Owners are accounts, participants or not.
 */
export function recordTables(db: Database): void {
  db.exec(`
    CREATE TABLE item_outcomes (
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      agenda_item_id TEXT NOT NULL,
      status TEXT NOT NULL,
      conclusion TEXT NOT NULL DEFAULT '',
      summary TEXT NOT NULL DEFAULT '',
      updated_at INTEGER NOT NULL, updated_by TEXT,
      PRIMARY KEY (meeting_id, agenda_item_id)
    ) WITHOUT ROWID;
    CREATE TABLE decisions (
      id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      agenda_item_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      text TEXT NOT NULL,
      poll_id TEXT,
      result TEXT,
      created_at INTEGER NOT NULL, created_by TEXT,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX decisions_meeting ON decisions(meeting_id, created_at);
    CREATE TABLE decision_dissents (
      decision_id TEXT NOT NULL REFERENCES decisions(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      text TEXT NOT NULL,
      at INTEGER NOT NULL,
      recorded_by TEXT NOT NULL,
      PRIMARY KEY (decision_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE action_items (
      id TEXT PRIMARY KEY,
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      decision_id TEXT REFERENCES decisions(id) ON DELETE SET NULL,
      agenda_item_id TEXT,
      title TEXT NOT NULL,
      owner_user_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
      owner_unit TEXT NOT NULL DEFAULT '',
      co_units TEXT NOT NULL DEFAULT '[]',
      due_date TEXT,
      status TEXT NOT NULL DEFAULT 'open',
      evidence TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL, created_by TEXT,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX action_items_meeting ON action_items(meeting_id, created_at);
    CREATE INDEX action_items_owner ON action_items(owner_user_id);
    CREATE INDEX action_items_decision ON action_items(decision_id);
  `);
}
