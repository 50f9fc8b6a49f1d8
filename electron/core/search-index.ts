// The full-text index of paper pages, shared by the hub (every paper) and the agent (the papers
// its user holds). Keyed by the PDF's sha256: papers and versions with the same bytes share one
// entry, and who may read what is the caller's decision (it passes the shas it allows).
//
// SQLite FTS5 over the folded text (shared/search-text.ts: lower case, no accents, đ → d), so an
// accent-free query finds accented words; the tokenizer's own remove_diacritics 2 is a second
// net for anything the folding leaves. The FTS table is contentless (its text is the folded copy,
// never read back) and the original text sits beside it in search_pages, for snippets: the
// folded copy would double what the pages take on disk for nothing.
import type { Database } from './store.ts';
import { statementCache, type Prepare } from './statements.ts';
import { foldText, makeSnippet, parseQuery, toFtsQuery } from '../../shared/search-text.ts';

export type IndexStatus = 'indexed' | 'no-text' | 'failed';

/** The tables, for the hub's schema step 4 and the agent's own step. Never edit: add a step. */
export function searchIndexTables(db: Database): void {
  db.exec(`
    CREATE TABLE search_papers (
      sha256 TEXT PRIMARY KEY,
      status TEXT NOT NULL CHECK (status IN ('partial', 'indexed', 'no-text', 'failed')),
      pages INTEGER NOT NULL DEFAULT 0, reason TEXT, updated_at INTEGER NOT NULL
    );
    CREATE TABLE search_pages (
      id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE (sha256, page)
    );
    CREATE VIRTUAL TABLE search_fts USING fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2');
  `);
}

export interface PageHit {
  sha256: string;
  /** 1-based. */
  page: number;
  snippet: string;
  marks: Array<[number, number]>;
  /** bm25: lower is better (FTS5's sign). */
  rank: number;
}

export class SearchIndex {
  private readonly db: Database;
  private readonly sql: Prepare;
  constructor(db: Database) {
    this.db = db;
    this.sql = statementCache(db);
  }

  /** Whether the paper was indexed and has text. */
  hasText(sha256: string): boolean {
    return this.status(sha256) === 'indexed';
  }

  /** null: never indexed, or indexing was cut off half way (it starts again from the beginning). */
  status(sha256: string): IndexStatus | null {
    const row = this.sql<[string], { status: string }>('SELECT status FROM search_papers WHERE sha256 = ?').get(sha256);
    return row && row.status !== 'partial' ? (row.status as IndexStatus) : null;
  }

  /** All of a paper's pages at once, in one transaction; doing it again replaces what was there. */
  putPages(sha256: string, pages: readonly string[]): void {
    this.db.transaction(() => {
      this.begin(sha256);
      this.putRange(sha256, 1, pages);
      this.finish(sha256, pages.length);
    })();
  }

  /**
   * The long way, for papers of hundreds of pages: `begin`, then `putRange` once per batch (each
   * its own short transaction, so the caller can give the event loop back in between), then
   * `finish`. Until `finish` the paper's status stays null; pages already put are searchable.
   */
  begin(sha256: string): void {
    this.db.transaction(() => {
      this.deleteRows(sha256);
      this.setStatus(sha256, 'partial', 0, null);
    })();
  }

  /** Pages `from`, `from + 1`, … (1-based); a page already there is replaced; empty pages are skipped. */
  putRange(sha256: string, from: number, texts: readonly string[]): void {
    this.db.transaction(() => {
      texts.forEach((text, i) => {
        const page = from + i;
        const old = this.sql<[string, number], { id: number }>('SELECT id FROM search_pages WHERE sha256 = ? AND page = ?').get(sha256, page);
        if (old) {
          this.sql('DELETE FROM search_fts WHERE rowid = ?').run(old.id);
          this.sql('DELETE FROM search_pages WHERE id = ?').run(old.id);
        }
        const folded = foldText(text).trim();
        if (!folded) return;
        const id = this.sql('INSERT INTO search_pages (sha256, page, text) VALUES (?, ?, ?)').run(sha256, page, text).lastInsertRowid;
        this.sql('INSERT INTO search_fts (rowid, body) VALUES (?, ?)').run(id, folded);
      });
    })();
  }

  /** Marks the paper done: 'indexed', or 'no-text' when not one of its pages had any text. */
  finish(sha256: string, pages: number): IndexStatus {
    const n = this.sql<[string], { n: number }>('SELECT COUNT(*) AS n FROM search_pages WHERE sha256 = ?').get(sha256)!.n; // COUNT(*) always yields a row
    const status: IndexStatus = n > 0 ? 'indexed' : 'no-text';
    this.setStatus(sha256, status, pages, null);
    return status;
  }

  /** The text could not be read (a broken or hostile file): it is not tried again on its own. */
  markFailed(sha256: string, reason: string): void {
    this.db.transaction(() => {
      this.deleteRows(sha256);
      this.setStatus(sha256, 'failed', 0, reason.slice(0, 500));
    })();
  }

  drop(sha256: string): void {
    this.db.transaction(() => {
      this.deleteRows(sha256);
      this.sql('DELETE FROM search_papers WHERE sha256 = ?').run(sha256);
    })();
  }

  /**
   * The pages of the allowed papers that match what a user typed, best first (bm25), with a
   * snippet of the page around the first hit. [] when nothing searchable was typed.
   */
  query(q: string, shas: readonly string[], limit = 50): PageHit[] {
    const match = toFtsQuery(q);
    if (!match || !shas.length) return [];
    const units = parseQuery(q);
    // The pages are ranked without their text (a common word matches every page, and the sorter
    // would carry each page's text along); only the winners' text is read, for their snippets.
    const rows = this.sql<[string, string, number], { id: number; sha256: string; page: number; rank: number }>(`
      SELECT p.id, p.sha256, p.page, f.rank AS rank FROM search_fts f JOIN search_pages p ON p.id = f.rowid
      WHERE search_fts MATCH ? AND p.sha256 IN (SELECT value FROM json_each(?))
      ORDER BY f.rank LIMIT ?
    `).all(match, JSON.stringify(shas), limit);
    const textOf = this.sql<[number], { text: string }>('SELECT text FROM search_pages WHERE id = ?');
    return rows.map((r) => ({ sha256: r.sha256, page: r.page, rank: r.rank, ...makeSnippet(textOf.get(r.id)!.text, units) }));
  }

  /** Statuses of many papers at once (absent: never indexed or cut off). */
  statuses(shas: readonly string[]): Map<string, IndexStatus> {
    const rows = this.sql<[string], { sha256: string; status: IndexStatus }>(
      "SELECT sha256, status FROM search_papers WHERE status != 'partial' AND sha256 IN (SELECT value FROM json_each(?))",
    ).all(JSON.stringify(shas));
    return new Map(rows.map((r) => [r.sha256, r.status]));
  }

  /** Every paper with an entry, whatever its status (for pruning what is no longer needed). */
  knownShas(): string[] {
    return this.sql<[], { sha256: string }>('SELECT sha256 FROM search_papers').all().map((r) => r.sha256);
  }

  private setStatus(sha256: string, status: IndexStatus | 'partial', pages: number, reason: string | null): void {
    this.sql(`INSERT INTO search_papers (sha256, status, pages, reason, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (sha256) DO UPDATE SET status = excluded.status, pages = excluded.pages, reason = excluded.reason, updated_at = excluded.updated_at`)
      .run(sha256, status, pages, reason, Date.now());
  }

  private deleteRows(sha256: string): void {
    this.sql('DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_pages WHERE sha256 = ?)').run(sha256);
    this.sql('DELETE FROM search_pages WHERE sha256 = ?').run(sha256);
  }
}

