// Hub schema step 4: the full-text index of paper pages (electron/core/search-index.ts, shared
// with the agent) and, beside it, the short texts of the meetings' record that search also finds:
// agenda item titles, conclusions and decisions. Like the pages, the record's FTS table is
// contentless (it holds only the folded copy's index); the text itself is in search_records.
import type { Database } from '../../core/store.ts';
import { searchIndexTables } from '../../core/search-index.ts';

export function searchTables(db: Database): void {
  searchIndexTables(db);
  db.exec(`
    CREATE TABLE search_records (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('agenda', 'conclusion', 'decision')),
      ref_id TEXT NOT NULL, meeting_id TEXT NOT NULL, agenda_item_id TEXT NOT NULL, text TEXT NOT NULL,
      UNIQUE (kind, ref_id)
    );
    CREATE INDEX search_records_meeting ON search_records (meeting_id, kind);
    CREATE VIRTUAL TABLE search_records_fts USING fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
  `);
}
