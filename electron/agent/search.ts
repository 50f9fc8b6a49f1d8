// Search on the device: `GET /api/search` answered from the agent's own index while its hub is
// away (while the hub answers, its answer is the one passed on: local-api.ts). The same shape as
// the hub's (shared/search.ts), with `source: 'agent'`.
//
// What is searched is what the cache says the user may read: the latest version of each paper in
// the kept meetings' paper lists. Those lists are the hub's answers to this user
// (`GET /api/meetings/:id/papers`), which leave out every restricted paper the user may not read,
// and the prefetch downloads exactly their files; the meeting documents never list restricted
// papers at all. So the index is asked only about files of papers the user may read, and a paper
// that left the lists (restricted since, removed, its meeting gone) is not asked about even while
// its rows wait for prune(). Agenda titles, conclusions and decisions come from the meeting and
// live documents the agent holds for the same meetings.
import { parseQuery, makeSnippet, matchesQuery, type QueryUnit } from '../../shared/search-text.ts';
import { liveDocName, meetingDocName } from '../../shared/doc-names.ts';
import { readAgenda } from '../../shared/meeting-doc.ts';
import { decisions, itemOutcomes } from '../../shared/live-doc.ts';
import type { PaperInfo } from '../../shared/api.ts';
import type { PaperHit, RecordHit, SearchResponse } from '../../shared/search.ts';
import { badRequest } from '../core/http-common.ts';
import type { SearchIndex } from '../core/search-index.ts';
import type { SyncCore } from '../core/sync-core.ts';
import type { MeetingCache } from './meeting-cache.ts';

/** Hits and record entries per answer, as many as the hub gives (hub/search/service.ts). */
export const SEARCH_LIMIT = 50;

/** One paper the user may read, at its latest version as the cache knows it. */
export interface HeldPaper {
  paperId: string;
  meetingId: string;
  paperTitle: string;
  meetingTitle: string;
  version: number;
  sha256: string;
}

export function latestOf(p: PaperInfo): PaperInfo['versions'][number] | null {
  let best: PaperInfo['versions'][number] | null = null;
  for (const v of p.versions) if (!best || v.version > best.version) best = v;
  return best;
}

/** Every paper of the kept meetings, at its latest version. */
export function heldPapers(meetings: Pick<MeetingCache, 'ids' | 'get'>): HeldPaper[] {
  const out: HeldPaper[] = [];
  for (const id of meetings.ids()) {
    const m = meetings.get(id);
    if (!m) continue;
    for (const p of m.papers ?? []) {
      const v = latestOf(p);
      if (v) out.push({ paperId: p.id, meetingId: m.id, paperTitle: p.title, meetingTitle: m.summary.title, version: v.version, sha256: v.sha256 });
    }
  }
  return out;
}

/** The files the index should hold: the latest version of every held paper. */
export const wantedFiles = (meetings: Pick<MeetingCache, 'ids' | 'get'>): Set<string> => new Set(heldPapers(meetings).map((p) => p.sha256));

export interface AgentSearchDeps {
  index: Pick<SearchIndex, 'query' | 'statuses'>;
  meetings: Pick<MeetingCache, 'ids' | 'get'>;
  core: Pick<SyncCore, 'withDoc'>;
}

/**
 * The agent's own answer to a search (q already checked with searchQuerySchema), made as the hub
 * makes its own (hub/search/service.ts): a paper whose text is not searchable (scanned, unreadable
 * or not indexed yet) is found by its title on its first page, before the pages found by text.
 */
export function answerOnDevice(deps: AgentSearchDeps, q: string): SearchResponse {
  const units = parseQuery(q);
  if (!units.length) throw badRequest('the search has no words to look for: type letters or digits');
  const papers = heldPapers(deps.meetings);
  const bySha = new Map<string, HeldPaper[]>();
  for (const p of papers) bySha.set(p.sha256, [...(bySha.get(p.sha256) ?? []), p]);
  const statuses = deps.index.statuses([...bySha.keys()]);
  const hit = (p: HeldPaper, page: number, s: { snippet: string; marks: Array<[number, number]> }): PaperHit => ({
    paperId: p.paperId, meetingId: p.meetingId, page, snippet: s.snippet, marks: s.marks, paperTitle: p.paperTitle, meetingTitle: p.meetingTitle, version: p.version,
  });
  const byTitle = papers.filter((p) => statuses.get(p.sha256) !== 'indexed' && matchesQuery(p.paperTitle, units)).map((p) => hit(p, 1, makeSnippet(p.paperTitle, units)));
  const byText = deps.index.query(q, [...bySha.keys()], SEARCH_LIMIT).flatMap((row) => (bySha.get(row.sha256) ?? []).map((p) => hit(p, row.page, row)));
  const status = (p: HeldPaper) => statuses.get(p.sha256);
  return {
    hits: [...byTitle, ...byText].slice(0, SEARCH_LIMIT),
    records: recordHits(deps, units),
    untextedPapers: papers.filter((p) => status(p) === 'no-text' || status(p) === 'failed').length,
    pendingPapers: papers.filter((p) => status(p) === undefined).length,
    source: 'agent',
  };
}

/** Agenda titles, conclusions and decisions of the kept meetings that hold every word of the query. */
function recordHits(deps: AgentSearchDeps, units: readonly QueryUnit[]): RecordHit[] {
  const out: RecordHit[] = [];
  const add = (hit: Omit<RecordHit, 'snippet' | 'marks'>, text: string) => {
    if (out.length < SEARCH_LIMIT && matchesQuery(text, units)) out.push({ ...hit, ...makeSnippet(text, units) });
  };
  for (const meetingId of deps.meetings.ids()) {
    const m = deps.meetings.get(meetingId);
    if (!m) continue;
    const base = { meetingId, meetingTitle: m.summary.title };
    deps.core.withDoc(meetingDocName(meetingId), (doc) => {
      for (const item of readAgenda(doc)) add({ ...base, kind: 'agenda', agendaItemId: item.id, refId: item.id }, item.title);
    });
    deps.core.withDoc(liveDocName(meetingId), (doc) => {
      for (const o of itemOutcomes(doc)) if (o.conclusion) add({ ...base, kind: 'conclusion', agendaItemId: o.agendaItemId, refId: o.agendaItemId }, o.conclusion);
      for (const d of decisions(doc)) add({ ...base, kind: 'decision', agendaItemId: d.agendaItemId, refId: d.id }, d.text);
    });
  }
  return out;
}
