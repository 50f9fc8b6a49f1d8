// What goes into a meeting's package, read in one go from the hub's tables and the meeting
// document: the small files (meeting, agenda, attendance, published votes, record, audit) as
// bytes, and the papers as references to stored files, streamed later (export.ts). Only what the
// meeting's managers may already read goes in; of a secret vote only its published result and
// tracker list (never a ballot, a ciphertext, nor even the audit rows of who voted when).
import type { Database } from '../../core/store.ts';
import { isoTime, type HubDb } from '../hub-db.ts';
import { AttendanceStore } from '../procedures/attendance-store.ts';
import { PollStore } from '../procedures/poll-store.ts';
import { trackersDigest } from '../procedures/tally.ts';
import { fileSlug, type PackageFile, type PackageManifest } from '../../../shared/archive.ts';
import type { AgendaItem, MeetingDetails } from '../../../shared/meeting-doc.ts';
import type { MeetingRecord } from '../../../shared/records.ts';

export interface ContentSource {
  db: HubDb;
  sqlite: Database;
  /** The meeting document's details and agenda. */
  agenda: (meetingId: string) => { details: MeetingDetails; items: AgendaItem[] };
  /** The meeting's record (conclusions, decisions, action items), or null where none is kept. */
  record: (meetingId: string) => MeetingRecord | null;
}

export type PlannedFile =
  | { path: string; kind: Exclude<PackageFile['kind'], 'paper'>; bytes: Buffer }
  | { path: string; kind: 'paper'; sha256: string; size: number };

export interface PackagePlan {
  meeting: PackageManifest['meeting'];
  papers: PackageManifest['papers'];
  files: PlannedFile[];
  missing: string[];
}

const json = (v: unknown) => Buffer.from(`${JSON.stringify(v, null, 2)}\n`, 'utf8');
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : isoTime(ms));

/** One CSV cell (RFC 4180); a leading = + - @ is quoted away so a spreadsheet shows it, not runs it. */
function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function parsedDetail(detail: string | null): unknown {
  if (detail === null) return null;
  try {
    return JSON.parse(detail) as unknown;
  } catch {
    return detail;
  }
}
const csv = (rows: unknown[][]) => Buffer.from(`\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`, 'utf8');

export function planPackage(src: ContentSource, meetingId: string): PackagePlan {
  const { db, sqlite } = src;
  const m = db.meeting(meetingId);
  if (!m) throw new Error(`no meeting ${meetingId}`);
  const created = sqlite.prepare<[string], { created_at: number | string }>('SELECT created_at FROM meetings WHERE id = ?').get(meetingId);
  const closedRow = sqlite.prepare<[string], { at: number }>("SELECT MAX(at) AS at FROM audit WHERE action = 'meeting-closed' AND target = ?").get(meetingId);
  const meeting: PackageManifest['meeting'] = {
    id: m.id, title: m.title, status: m.status, startsAt: m.starts_at, room: m.room,
    createdAt: typeof created?.created_at === 'number' ? isoTime(created.created_at) : (created?.created_at ?? null),
    closedAt: m.status === 'closed' ? iso(closedRow?.at) : null,
  };
  const files: PlannedFile[] = [];
  const missing: string[] = [];

  files.push({ path: 'meeting.json', kind: 'meeting', bytes: json({ ...meeting, participants: db.participants(meetingId) }) });

  const agenda = src.agenda(meetingId);
  files.push({ path: 'agenda.json', kind: 'agenda', bytes: json({ details: agenda.details, items: agenda.items }) });

  // ---- attendance: each member's final standing, and every change with its time ----------------
  const members = new AttendanceStore(sqlite).members(meetingId);
  const log = sqlite.prepare<[string], { userId: string; from: string; to: string; at: number; by: string; method: string; reason: string | null }>(`
    SELECT user_id AS userId, from_status AS "from", to_status AS "to", at, by, method, reason FROM attendance_log WHERE meeting_id = ? ORDER BY id`).all(meetingId);
  const shown = members.map((x) => ({
    userId: x.userId, name: x.name, role: x.role, status: x.status, reason: x.reason, votingRight: x.votingRight, late: x.late,
    delegateKind: x.delegateKind, firstInAt: iso(x.firstInAt), updatedAt: iso(x.updatedAt),
  }));
  files.push({ path: 'attendance/attendance.json', kind: 'attendance', bytes: json({ members: shown, changes: log.map((l) => ({ ...l, at: isoTime(l.at) })) }) });
  files.push({
    path: 'attendance/attendance.csv', kind: 'attendance',
    bytes: csv([
      ['user_id', 'name', 'role', 'status', 'reason', 'voting_right', 'late', 'first_in_at', 'last_change_at'],
      ...shown.map((x) => [x.userId, x.name, x.role, x.status, x.reason, x.votingRight ? 'yes' : 'no', x.late ? 'yes' : 'no', x.firstInAt, x.updatedAt]),
    ]),
  });

  // ---- votes: published ones only, as published ---------------------------------------------
  const pollStore = new PollStore(sqlite);
  const all = pollStore.ofMeeting(meetingId);
  const published = all.filter((p) => p.publishedAt !== null);
  const votes = published.map((p) => {
    const names = p.visibility === 'named' ? pollStore.names(pollStore.ballots(p.id).map((b) => b.userId)) : null;
    return {
      id: p.id, seq: p.seq, title: p.title, agendaItemId: p.agendaItemId, method: p.method, visibility: p.visibility, options: p.options,
      majority: p.majority, quorumCheck: p.quorumCheck, state: p.state, atStart: p.atStart,
      startedAt: iso(p.startedAt), stoppedAt: iso(p.stoppedAt), publishedAt: iso(p.publishedAt),
      result: p.result, annulledReason: p.annulledReason, revoteOf: p.revoteOf,
      // The public tracker board and the hub's signature over the result and its digest.
      trackers: p.trackers, trackersSha256: p.trackers ? trackersDigest(p.trackers) : null, signed: p.signed, signature: p.signature,
      // A named vote's ballots are public once published (poll-view.ts); an open or secret one's never leave the hub.
      ...(names ? { ballots: pollStore.ballots(p.id).map((b) => ({ userId: b.userId, name: names.get(b.userId) ?? b.userId, ...(JSON.parse(b.value) as object) })) } : {}),
    };
  });
  files.push({ path: 'votes/polls.json', kind: 'polls', bytes: json({ polls: votes, unpublished: all.length - published.length }) });

  // ---- the record ---------------------------------------------------------------------------
  const record = src.record(meetingId);
  if (record) files.push({ path: 'record/record.json', kind: 'record', bytes: json(record) });
  else missing.push('record');

  // ---- papers: every version of every paper still in the meeting (a staged one is not, yet) --
  const paperRows = db.papersOf(meetingId).filter((p) => !p.staged);
  const papers: PackageManifest['papers'] = [];
  for (const p of paperRows) {
    const folder = `papers/${fileSlug(p.title)}--${p.id}`;
    const versions = db.paperVersions(p.id).map((v) => ({
      version: v.version, sha256: v.sha256, size: v.size, pages: v.pages, fileName: v.file_name, createdAt: v.created_at, path: `${folder}/v${v.version}-${fileSlug(v.file_name.replace(/\.pdf$/i, ''))}.pdf`,
    }));
    papers.push({ id: p.id, title: p.title, restricted: p.restricted === 1, ...(p.restricted ? { restrictTo: db.paperAllowedUsers(p.id) } : {}), versions });
    for (const v of versions) files.push({ path: v.path, kind: 'paper', sha256: v.sha256, size: v.size });
  }

  // ---- audit extract ------------------------------------------------------------------------
  // Rows about the meeting itself, its papers (removed ones too), its votes, its agenda items and
  // its record; a secret vote's per-voter rows are left out.
  const secret = new Set(all.filter((p) => p.visibility === 'secret').map((p) => p.id));
  const targets = [
    meetingId, ...sqlite.prepare<[string], { id: string }>('SELECT id FROM papers WHERE meeting_id = ?').all(meetingId).map((r) => r.id),
    ...all.map((p) => p.id), ...agenda.items.map((i) => i.id),
    ...(record ? [...record.decisions.map((d) => d.id), ...record.actionItems.map((a) => a.id)] : []),
  ];
  const rows = sqlite.prepare<[string, string], { id: number; at: number; user_id: string | null; action: string; target: string | null; detail: string | null }>(`
    SELECT id, at, user_id, action, target, detail FROM audit
    WHERE target IN (SELECT value FROM json_each(?))
       OR (json_valid(detail) AND json_extract(detail, '$.meetingId') = ?)
    ORDER BY id`).all(JSON.stringify(targets), meetingId);
  const names = new Map(db.listAccounts().map((u) => [u.id, u.name]));
  const audit = rows
    .filter((r) => !(r.action === 'poll.ballot' && r.target !== null && secret.has(r.target)))
    .map((r) => ({
      id: r.id, at: isoTime(r.at), userId: r.user_id, userName: r.user_id ? (names.get(r.user_id) ?? null) : null, action: r.action, target: r.target,
      detail: parsedDetail(r.detail),
    }));
  files.push({ path: 'audit/audit.json', kind: 'audit', bytes: json({ rows: audit }) });

  return { meeting, papers, files, missing };
}
