// The meeting procedures' tables (hub schema step 3, electron/hub/hub-schema.ts): attendance and
// seats, the lists of speakers, and polls with their ballots. One function a part, so each part's
// tables sit beside nothing else's.
import type { Database } from '../../core/store.ts';

/**
 * A member's row exists from their first change on; until then the participants table is the
 * roll (status not_checked_in, voting right by role), so adding a participant needs no write here.
 * `voting_right` NULL means "by role" (delegates and the chair vote, the secretary does not); a
 * manager's explicit 0/1 overrides it. Seats and device bindings belong to the room, not a meeting.
 */
export function attendanceTables(db: Database): void {
  db.exec(`
    CREATE TABLE attendance (
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      status TEXT NOT NULL DEFAULT 'not_checked_in',
      delegate_kind TEXT NOT NULL DEFAULT 'official',
      voting_right INTEGER,
      seat_id TEXT, voting_device_id TEXT, seat_mismatch INTEGER NOT NULL DEFAULT 0,
      first_in_at INTEGER, late INTEGER NOT NULL DEFAULT 0, reason TEXT, method TEXT,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (meeting_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE attendance_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id TEXT NOT NULL, user_id TEXT NOT NULL,
      from_status TEXT NOT NULL, to_status TEXT NOT NULL, at INTEGER NOT NULL, by TEXT NOT NULL,
      method TEXT NOT NULL, reason TEXT, device_id TEXT
    );
    CREATE INDEX attendance_log_meeting ON attendance_log(meeting_id, user_id);
    CREATE TABLE attendance_settings (
      meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
      check_in_open INTEGER NOT NULL, quorum TEXT NOT NULL, late_after_minutes INTEGER NOT NULL, updated_at INTEGER NOT NULL
    );
    CREATE TABLE seats (id TEXT PRIMARY KEY, label TEXT NOT NULL, x REAL, y REAL);
    CREATE TABLE device_seat (device_id TEXT PRIMARY KEY, seat_id TEXT NOT NULL REFERENCES seats(id) ON DELETE CASCADE);
  `);
}

/**
 * A list per agenda item, created by its first request or command; NULL settings follow the
 * meeting's (speaker_settings), and those the built-in defaults. `weight` orders the waiting
 * speakers only (renumbered on every change); `seq` keeps the order of requests for ever.
 */
export function speakerTables(db: Database): void {
  db.exec(`
    CREATE TABLE speaker_settings (
      meeting_id TEXT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
      sort_rule TEXT, default_time_s INTEGER, warn_at_s INTEGER, updated_at INTEGER NOT NULL
    );
    CREATE TABLE speaker_lists (
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE, agenda_item_id TEXT NOT NULL,
      closed INTEGER NOT NULL DEFAULT 0, sort_rule TEXT, default_time_s INTEGER, warn_at_s INTEGER,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (meeting_id, agenda_item_id)
    ) WITHOUT ROWID;
    CREATE TABLE speakers (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
      meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE, agenda_item_id TEXT NOT NULL,
      user_id TEXT NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL, weight INTEGER NOT NULL DEFAULT 0,
      requested_at INTEGER NOT NULL, begin_time INTEGER, end_time INTEGER, pause_time INTEGER,
      total_pause_ms INTEGER NOT NULL DEFAULT 0, allotted_ms INTEGER, note TEXT, added_by TEXT NOT NULL
    );
    CREATE INDEX speakers_list ON speakers(meeting_id, agenda_item_id, state);
  `);
}

/**
 * Votes. A poll's row holds its rules, its state and, once tallied, its result; who voted is
 * poll_voters and, for named and open polls only, what they voted is poll_ballots. A secret
 * ballot is a ciphertext in poll_ciphertexts keyed by its random tracker: no table links a voter
 * to it, none has a time or a rowid that follows the order ballots came in (WITHOUT ROWID, keyed
 * by the voter or the tracker), and the ciphertexts are deleted in the transaction that tallies
 * them. Times (ms) are the poll's own transitions, never a ballot's.
 */
export function pollTables(db: Database): void {
  db.exec(`
    CREATE TABLE polls (
      id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
      agenda_item_id TEXT, seq INTEGER NOT NULL, title TEXT NOT NULL, method TEXT NOT NULL, visibility TEXT NOT NULL,
      min_votes INTEGER NOT NULL DEFAULT 0, max_votes INTEGER NOT NULL DEFAULT 0, strike_out INTEGER NOT NULL DEFAULT 0,
      majority TEXT NOT NULL, quorum_check TEXT NOT NULL, duration_s INTEGER,
      state TEXT NOT NULL, entitled TEXT, at_start TEXT, public_key BLOB, ends_at INTEGER, notice TEXT,
      result TEXT, signed TEXT, signature TEXT, trackers TEXT, invalid_trackers TEXT,
      created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
      started_at INTEGER, started_by TEXT, stopped_at INTEGER, stopped_by TEXT,
      published_at INTEGER, published_by TEXT, annulled_at INTEGER, annulled_by TEXT, annulled_reason TEXT,
      revote_of TEXT REFERENCES polls(id), changed_at INTEGER NOT NULL
    );
    CREATE INDEX polls_meeting ON polls(meeting_id, seq);
    CREATE INDEX polls_state ON polls(state);
    CREATE TABLE poll_options (
      poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE, id TEXT NOT NULL, seq INTEGER NOT NULL, label TEXT NOT NULL,
      PRIMARY KEY (poll_id, id)
    ) WITHOUT ROWID;
    CREATE TABLE poll_voters (
      poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE, user_id TEXT NOT NULL,
      PRIMARY KEY (poll_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE poll_ballots (
      poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE, user_id TEXT NOT NULL, value TEXT NOT NULL, tracker TEXT NOT NULL,
      PRIMARY KEY (poll_id, user_id)
    ) WITHOUT ROWID;
    CREATE TABLE poll_ciphertexts (
      poll_id TEXT NOT NULL REFERENCES polls(id) ON DELETE CASCADE, tracker TEXT NOT NULL, ct BLOB NOT NULL,
      PRIMARY KEY (poll_id, tracker)
    ) WITHOUT ROWID;
  `);
}
