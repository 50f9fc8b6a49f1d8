// What the agent holds of the hub's meetings for its user: the last answers for each meeting
// (summary, detail, papers; mirrored in agent_meetings so they are served offline), the meetings
// a hub wipe order keeps out, and every way they leave the cache: one meeting purged (no longer
// listed, 403/404), wiped (a hub order or IT), or everything (revoked session, another user).
import type { MeetingSummary, PaperInfo } from '../../shared/api.ts';
import { parseDocName } from '../../shared/doc-names.ts';
import type { Log } from '../core/log.ts';
import type { DocStore } from '../core/store.ts';
import { CLOSE, type SyncCore } from '../core/sync-core.ts';
import type { Account } from './account.ts';
import type { AgentDb, CachedMeeting } from './agent-db.ts';
import type { MeetingPapers } from './prefetch.ts';
import type { Replicas } from './replication.ts';

export interface MeetingCacheDeps {
  db: AgentDb;
  store: DocStore;
  core: SyncCore;
  replicas: Replicas;
  /** Stops paper downloads in flight (a purge must not race a download into the cache). */
  cancelPrefetch: () => void;
  account: Pick<Account, 'user' | 'forget'>;
  /** The user's role in a kept meeting, or its status, changed: open local connections are checked again. */
  onAccessChanged?: (meetingId: string) => void;
  /**
   * Papers left the cache (their files were deleted): the search index drops the rows of every
   * file no kept meeting lists any more (search-indexer.ts prune), in the same call.
   */
  onPapersDropped?: () => void;
  log: Log;
}

export class MeetingCache {
  private readonly kept = new Map<string, CachedMeeting>();
  /** Meetings a hub wipe order (without refetch) keeps out until the user signs in again. */
  private readonly wiped: Set<string>;
  /** Papers recalled in this run (recall.ts): a recalled paper's id never comes back on the hub. */
  private readonly recalled = new Set<string>();
  private readonly deps: MeetingCacheDeps;

  constructor(deps: MeetingCacheDeps) {
    this.deps = deps;
    this.wiped = new Set(deps.db.wipedMeetings());
  }

  /** Loads what the cache file holds and starts its replicas (at start-up, before any round). */
  load(): void {
    for (const m of this.deps.db.meetings()) {
      this.kept.set(m.id, m);
      this.deps.replicas.start(m.id);
    }
  }

  get(id: string): CachedMeeting | undefined {
    return this.kept.get(id);
  }

  ids(): string[] {
    return [...this.kept.keys()];
  }

  /** The kept meetings as the hub lists them: by start, then title. */
  summaries(): MeetingSummary[] {
    return [...this.kept.values()].map((m) => m.summary)
      .sort((a, b) => String(a.startsAt ?? '').localeCompare(String(b.startsAt ?? '')) || a.title.localeCompare(b.title));
  }

  /** Every kept meeting's papers, for the prefetch and its progress. */
  plan(): MeetingPapers[] {
    return [...this.kept.values()].map((m) => ({ meetingId: m.id, papers: m.papers ?? [] }));
  }

  /** The listed size of a paper file some kept meeting holds; null if none lists it. */
  listedSize(sha: string): number | null {
    for (const m of this.kept.values()) for (const p of m.papers ?? []) for (const v of p.versions) if (v.sha256 === sha) return v.size;
    return null;
  }

  // Every round re-reads every meeting, and each row written was a commit with an fsync on the
  // event loop (synchronous=FULL): three per meeting per round, nearly always unchanged (an fsync
  // averaged 0.5 ms on this VM's disk, more on a tablet's flash). Rows are written only when the
  // hub's answer differs from what is held; detail and papers together in one commit.
  keep(s: MeetingSummary): void {
    const cur = this.kept.get(s.id);
    if (!cur || !sameJson(cur.summary, s)) this.deps.db.putSummary(s);
    this.kept.set(s.id, { id: s.id, summary: s, detail: cur?.detail ?? null, papers: cur?.papers ?? null });
    this.deps.replicas.start(s.id);
    // After the new summary is held: the check reads the role from it.
    if (cur && (cur.summary.myRole !== s.myRole || cur.summary.status !== s.status)) this.deps.onAccessChanged?.(s.id);
  }

  /** Records a meeting's detail and papers; false if the meeting left the cache meanwhile. */
  putDetail(id: string, detail: unknown, papers: PaperInfo[]): boolean {
    const m = this.kept.get(id);
    if (!m) return false;
    // A round that asked the hub before a recall arrived must not bring the paper back.
    if (this.recalled.size) papers = papers.filter((p) => !this.recalled.has(p.id));
    const newDetail = !sameJson(m.detail, detail);
    const newPapers = !sameJson(m.papers, papers);
    if (newDetail || newPapers) this.deps.db.putDetailAndPapers(id, newDetail ? detail : undefined, newPapers ? papers : undefined);
    m.detail = detail;
    m.papers = papers;
    return true;
  }

  /**
   * A recalled paper leaves every kept meeting's list at once, not at the next round (recall.ts),
   * so nothing serves or downloads it meanwhile. Returns the files it listed.
   */
  forgetPaper(paperId: string): string[] {
    this.recalled.add(paperId);
    const files: string[] = [];
    for (const m of this.kept.values()) {
      const paper = m.papers?.find((p) => p.id === paperId);
      if (!paper || !m.papers) continue;
      files.push(...paper.versions.map((v) => v.sha256));
      m.papers = m.papers.filter((p) => p.id !== paperId);
      this.deps.db.putDetailAndPapers(m.id, undefined, m.papers);
    }
    return files;
  }

  isWiped(id: string): boolean {
    return this.wiped.has(id);
  }

  /** Recorded before the purge: a crash in between still keeps the meeting out. */
  keepOut(id: string): void {
    if (this.wiped.has(id)) return;
    this.wiped.add(id);
    this.deps.db.setWipedMeetings([...this.wiped]);
  }

  /** The user signed in again with the hub: meetings wiped by an order may come back. */
  letWipedBack(): void {
    if (this.wiped.size === 0) return;
    this.wiped.clear();
    this.deps.db.setWipedMeetings([]);
  }

  /** Deletes blobs no kept meeting lists (a purged meeting's papers, removed papers). */
  collectBlobs(): void {
    const keep = new Set<string>();
    for (const m of this.kept.values()) for (const p of m.papers ?? []) for (const v of p.versions) keep.add(v.sha256);
    for (const b of this.deps.store.listBlobs()) if (!keep.has(b.sha256)) this.deps.store.deleteBlob(b.sha256);
    this.deps.onPapersDropped?.();
  }

  purgeMeeting(meetingId: string, why: string): void {
    this.deps.log('purging a meeting from the cache', { meetingId, why });
    this.deps.cancelPrefetch();
    this.deps.replicas.stop(meetingId, true);
    this.deps.db.deleteMeeting(meetingId);
    this.kept.delete(meetingId);
    this.collectBlobs();
  }

  /** A wipe: the meeting's purge, plus any stored document of that meeting no replica held. */
  wipeMeeting(meetingId: string, why: string): void {
    this.purgeMeeting(meetingId, why);
    for (const name of this.deps.store.docNames()) if (parseDocName(name)?.meetingId === meetingId) this.deps.core.purge(name);
  }

  /**
   * Ends the current user's use of this device: local sessions, replicas, meeting documents,
   * papers. Notes documents are per user and are kept for their owner: other users' always (kept
   * when the device switched away from them), the current user's when `keepOwnNotes` (another
   * account signs in: notes not yet on the hub must not be dropped; they sync when their owner
   * signs in here again, and no one else may open them). A revoked session takes its own notes.
   */
  purgeEverything(why: string, keepOwnNotes = false): void {
    const { core, store, db, account, replicas } = this.deps;
    this.deps.log('purging the whole cache and requiring a new sign-in', { why, keepOwnNotes });
    this.deps.cancelPrefetch();
    // The session is gone: clients are told so (4401, sign in again) before the purge below
    // closes what is left with 4410.
    core.kickWhere(() => true, CLOSE.unauthorized, 'signed out: sign in again');
    const me = account.user?.id ?? null;
    const keep = (name: string) => {
      const d = parseDocName(name);
      return d?.kind === 'notes' && (d.userId !== me || keepOwnNotes);
    };
    for (const id of [...this.kept.keys()]) {
      replicas.stop(id, false);
      // Also the replica's documents that have no stored update yet: their peers are closed too.
      for (const name of replicas.docsOf(id)) if (!keep(name)) core.purge(name);
      db.deleteMeeting(id);
      this.kept.delete(id);
    }
    for (const name of store.docNames()) if (!keep(name)) core.purge(name);
    for (const b of store.listBlobs()) store.deleteBlob(b.sha256);
    this.deps.onPapersDropped?.();
    this.wiped.clear();
    account.forget();
  }
}

/** Whether two JSON-shaped values (hub answers, or what the cache parsed back from them) are the same. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
