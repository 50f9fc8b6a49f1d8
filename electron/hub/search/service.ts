// Search across every paper a caller may read, in every meeting they may see, and the meetings'
// record (agenda titles, conclusions, decisions). Who may read what is decided here with the same
// functions the papers list and the blob route use (../access.ts), before the index is asked: the
// index only ever sees the files of papers the caller may read, so a restricted paper cannot leak
// into hits, snippets or counts through it.
import type { Log } from '../../core/log.ts';
import { badRequest } from '../../core/http-common.ts';
import { SearchIndex, type IndexStatus } from '../../core/search-index.ts';
import type { Database, DocStore } from '../../core/store.ts';
import type { SyncCore } from '../../core/sync-core.ts';
import { canSeePaper, takesPart, type Account } from '../access.ts';
import type { HubDb, MeetingRow, PaperRow } from '../hub-db.ts';
import type { AddPaper } from '../uploads.ts';
import { AgendaTitles } from './agenda.ts';
import { PaperIndexer, type IndexerOptions } from './indexer.ts';
import { RecordIndex, type RecordKind, type SearchRecord } from './records.ts';
import { openSearchFile } from './index-file.ts';
import { IndexWriter } from './index-writer.ts';
import { makeSnippet, matchesQuery, parseQuery } from '../../../shared/search-text.ts';
import type { PaperHit, RecordHit, SearchResponse } from '../../../shared/search.ts';

/** Hits and record entries per answer: a reader refines the words rather than pages through more. */
export const SEARCH_LIMIT = 50;

export interface SearchService {
  search(account: Account, q: string): SearchResponse;
  /** A conclusion or decision to find (the record store calls it after each commit). */
  putRecord(r: SearchRecord): void;
  /** Forgets an entry: pass `kind`, since a conclusion and its agenda item share the item's id. */
  removeRecord(refId: string, kind?: RecordKind): void;
  /** Wraps the upload service: an upload is answered as before, its text is indexed after. */
  indexingUploads(addPaper: AddPaper): AddPaper;
  /** The sync core's commit hook (agenda titles follow the meeting documents). */
  committed(docName: string): void;
  /** Queues what is not indexed yet (papers stored before, the demo seed) and reads every agenda. */
  start(): void;
  /** Resolves when no paper waits to be indexed. */
  whenIdle(): Promise<void>;
  /** Stops indexing; resolves once the writer thread has closed the index file. */
  close(): Promise<void>;
}

interface Readable {
  paper: PaperRow;
  meeting: MeetingRow;
  version: number;
  sha256: string;
}

/**
 * `searchFile`: the page index's own database (index-file.ts), read here and written by the
 * writer thread; the record's short texts stay in the hub's database, written where they change.
 */
export function createSearchService(deps: { sqlite: Database; db: HubDb; store: DocStore; core: SyncCore; log: Log; searchFile: string; paperFile: string }, opts: IndexerOptions = {}): SearchService {
  const { sqlite, db, log } = deps;
  const pagesDb = openSearchFile(deps.searchFile, log);
  const index = new SearchIndex(pagesDb);
  const writer = new IndexWriter(deps.searchFile);
  const records = new RecordIndex(sqlite);
  const indexer = new PaperIndexer({ index, writer, store: deps.store, paperFile: deps.paperFile, log }, opts);
  const agenda = new AgendaTitles({ core: deps.core, records, log });
  const latestSql = sqlite.prepare<[string], { sha256: string; version: number }>(
    'SELECT sha256, version FROM paper_versions WHERE paper_id = ? ORDER BY version DESC LIMIT 1',
  );
  const allLatestSql = sqlite.prepare<[], { sha256: string }>(`
    SELECT DISTINCT v.sha256 FROM paper_versions v JOIN papers p ON p.id = v.paper_id
    WHERE p.removed = 0 AND v.version = (SELECT MAX(version) FROM paper_versions WHERE paper_id = v.paper_id)
  `);

  /** The meetings the caller sees, as GET /api/meetings lists them. */
  const meetingsOf = (a: Account): MeetingRow[] =>
    a.role === 'admin' ? db.allMeetings() : db.meetingsOf(a.id).filter((m) => takesPart(db, a, m.id));

  /** The latest version of every paper the caller may read, as GET /api/meetings/:id/papers decides. */
  const readablePapers = (a: Account, meetings: readonly MeetingRow[]): Readable[] => {
    const out: Readable[] = [];
    for (const meeting of meetings) {
      for (const paper of db.papersOf(meeting.id)) {
        // A staged paper is found by no one, its managers included: a hit would open a paper the
        // meeting does not list yet (paper-staging.ts).
        if (paper.staged || !canSeePaper(db, a, paper)) continue;
        const latest = latestSql.get(paper.id);
        if (latest) out.push({ paper, meeting, version: latest.version, sha256: latest.sha256 });
      }
    }
    return out;
  };

  return {
    search(a, q) {
      const units = parseQuery(q);
      if (!units.length) throw badRequest('the search has no words to look for: type letters or digits');
      agenda.flush();
      const meetings = meetingsOf(a);
      const readable = readablePapers(a, meetings);
      const bySha = new Map<string, Readable[]>();
      for (const r of readable) bySha.set(r.sha256, [...(bySha.get(r.sha256) ?? []), r]);
      const statuses: Map<string, IndexStatus> = index.statuses([...bySha.keys()]);
      const hit = (r: Readable, page: number, s: { snippet: string; marks: Array<[number, number]> }): PaperHit => ({
        paperId: r.paper.id, meetingId: r.meeting.id, page, snippet: s.snippet, marks: s.marks,
        paperTitle: r.paper.title, meetingTitle: r.meeting.title, version: r.version,
      });
      // A paper whose text is not searchable (scanned, unreadable, or still being indexed) is
      // found by its title, shown on its first page.
      const byTitle = readable
        .filter((r) => statuses.get(r.sha256) !== 'indexed' && matchesQuery(r.paper.title, units))
        .map((r) => hit(r, 1, makeSnippet(r.paper.title, units)));
      const byText = index.query(q, [...bySha.keys()], SEARCH_LIMIT)
        .flatMap((h) => bySha.get(h.sha256)!.map((r) => hit(r, h.page, h)));
      const titles = new Map(meetings.map((m) => [m.id, m.title]));
      const recordHits: RecordHit[] = records.query(q, [...titles.keys()], SEARCH_LIMIT)
        .map(({ rank: _rank, ...r }) => ({ ...r, meetingTitle: titles.get(r.meetingId)! }));
      return {
        hits: [...byTitle, ...byText].slice(0, SEARCH_LIMIT),
        records: recordHits,
        untextedPapers: readable.filter((r) => statuses.get(r.sha256) === 'no-text' || statuses.get(r.sha256) === 'failed').length,
        pendingPapers: readable.filter((r) => !statuses.has(r.sha256)).length,
        source: 'hub',
      };
    },

    putRecord: (r) => records.put(r),
    removeRecord: (refId, kind) => records.remove(refId, kind),

    indexingUploads(addPaper) {
      return async (actor, meetingId, pdf, q) => {
        const answer = await addPaper(actor, meetingId, pdf, q);
        indexer.enqueue(answer.sha256);
        return answer;
      };
    },

    committed: (docName) => agenda.committed(docName),

    start() {
      const latest = new Set(allLatestSql.all().map((r) => r.sha256));
      // Files no live paper shows any more (replaced, removed) leave the index at the next start.
      for (const sha of index.knownShas()) {
        if (!latest.has(sha)) writer.drop(sha).catch((err: unknown) => log('search index prune failed', { sha256: sha, error: String(err) }));
      }
      for (const sha of latest) indexer.enqueue(sha);
      void agenda.scan(db.allMeetings().map((m) => m.id));
    },

    whenIdle: () => indexer.whenIdle(),

    async close() {
      indexer.close();
      agenda.close();
      await writer.close();
      pagesDb.close();
    },
  };
}
