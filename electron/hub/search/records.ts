// The meetings' record as search finds it: agenda item titles (kept from the meeting documents by
// agenda.ts), conclusions and decisions (put by the record store through SearchService.putRecord).
// Each entry is one short text keyed by its kind and id; who may see it is its meeting's affair,
// decided by the caller, which passes the meetings it may see.
import type { Database } from '../../core/store.ts';
import { statementCache, type Prepare } from '../../core/statements.ts';
import { foldText, makeSnippet, parseQuery, toFtsQuery } from '../../../shared/search-text.ts';
import type { RECORD_HIT_KINDS } from '../../../shared/search.ts';

export type RecordKind = (typeof RECORD_HIT_KINDS)[number];

export interface SearchRecord {
  kind: RecordKind;
  meetingId: string;
  agendaItemId: string;
  /** The decision's id for `decision`, else the agenda item's. */
  refId: string;
  text: string;
}

export interface RecordMatch extends Omit<SearchRecord, 'text'> {
  snippet: string;
  marks: Array<[number, number]>;
  rank: number;
}

export class RecordIndex {
  private readonly db: Database;
  private readonly sql: Prepare;
  constructor(db: Database) {
    this.db = db;
    this.sql = statementCache(db);
  }

  /** Adds or replaces one entry; an empty text removes it (nothing left to find). */
  put(r: SearchRecord): void {
    this.db.transaction(() => {
      this.remove(r.refId, r.kind);
      const folded = foldText(r.text).trim();
      if (!folded) return;
      const id = this.sql('INSERT INTO search_records (kind, ref_id, meeting_id, agenda_item_id, text) VALUES (?, ?, ?, ?, ?)')
        .run(r.kind, r.refId, r.meetingId, r.agendaItemId, r.text).lastInsertRowid;
      this.sql('INSERT INTO search_records_fts (rowid, body) VALUES (?, ?)').run(id, folded);
    })();
  }

  /** Removes the entries with this id (of one kind, or every kind: a conclusion shares its item's id). */
  remove(refId: string, kind?: RecordKind): void {
    const where = kind ? 'ref_id = ? AND kind = ?' : 'ref_id = ?';
    const args = kind ? [refId, kind] : [refId];
    this.sql(`DELETE FROM search_records_fts WHERE rowid IN (SELECT id FROM search_records WHERE ${where})`).run(...args);
    this.sql(`DELETE FROM search_records WHERE ${where}`).run(...args);
  }

  /** A meeting's entries of one kind, as stored (to tell whether they changed). */
  list(meetingId: string, kind: RecordKind): Array<{ refId: string; agendaItemId: string; text: string }> {
    return this.sql<[string, string], { refId: string; agendaItemId: string; text: string }>(
      'SELECT ref_id AS refId, agenda_item_id AS agendaItemId, text FROM search_records WHERE meeting_id = ? AND kind = ? ORDER BY ref_id',
    ).all(meetingId, kind);
  }

  /** Makes a meeting's entries of one kind exactly `entries`, in one transaction. */
  replaceAll(meetingId: string, kind: RecordKind, entries: ReadonlyArray<{ refId: string; agendaItemId: string; text: string }>): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM search_records_fts WHERE rowid IN (SELECT id FROM search_records WHERE meeting_id = ? AND kind = ?)').run(meetingId, kind);
      this.sql('DELETE FROM search_records WHERE meeting_id = ? AND kind = ?').run(meetingId, kind);
      for (const e of entries) this.put({ kind, meetingId, ...e });
    })();
  }

  /** Entries of the given meetings matching `q`, best first. */
  query(q: string, meetingIds: readonly string[], limit: number): RecordMatch[] {
    const match = toFtsQuery(q);
    if (!match || !meetingIds.length) return [];
    const units = parseQuery(q);
    const rows = this.sql<[string, string, number], { kind: RecordKind; refId: string; meetingId: string; agendaItemId: string; text: string; rank: number }>(`
      SELECT r.kind, r.ref_id AS refId, r.meeting_id AS meetingId, r.agenda_item_id AS agendaItemId, r.text, f.rank AS rank
      FROM search_records_fts f JOIN search_records r ON r.id = f.rowid
      WHERE search_records_fts MATCH ? AND r.meeting_id IN (SELECT value FROM json_each(?))
      ORDER BY f.rank LIMIT ?
    `).all(match, JSON.stringify(meetingIds), limit);
    return rows.map(({ text, ...r }) => ({ ...r, ...makeSnippet(text, units) }));
  }
}
