// Reading attendance: the meeting's members as the participants table and the attendance rows
// make them, the per-meeting settings, and the quorum over them (also as the Roll polls use).
// The participants table is the roll: a participant without an attendance row is not_checked_in
// with a voting right by role, so adding or removing a participant needs no write here.
import type { Database } from '../../core/store.ts';
import type { MeetingRole } from '../../../shared/roles.ts';
import {
  DEFAULT_QUORUM, quorumMet, quorumNeeded, quorumRuleSchema,
  type AttendanceStatus, type AttendanceSummary, type MemberAttendance, type QuorumRule,
} from '../../../shared/procedures/attendance.ts';
import type { Roll } from './roll.ts';

export const DEFAULT_LATE_AFTER_MINUTES = 15;

export interface AttendanceSettings {
  /** Self check-in is open until a manager closes it (the contract's check-in needs no setup). */
  checkInOpen: boolean;
  quorum: QuorumRule;
  lateAfterMinutes: number;
}

/** A member with the secretary's details (device, seat, method) beside what the room sees. */
export interface MemberRecord extends MemberAttendance {
  role: MeetingRole;
  delegateKind: string;
  seatId: string | null;
  votingDeviceId: string | null;
  seatMismatch: boolean;
  method: string | null;
  updatedAt: number | null;
}

interface MemberRow {
  userId: string;
  name: string;
  role: MeetingRole;
  status: AttendanceStatus | null;
  votingRight: number | null;
  late: number | null;
  firstInAt: number | null;
  reason: string | null;
  delegateKind: string | null;
  seatId: string | null;
  votingDeviceId: string | null;
  seatMismatch: number | null;
  method: string | null;
  updatedAt: number | null;
}

/** Who is a member: everyone taking part but observers. Who votes, unless a manager says otherwise. */
export const MEMBER_ROLES: readonly MeetingRole[] = ['delegate', 'chair', 'secretary'];
export const votesByRole = (role: MeetingRole): boolean => role === 'delegate' || role === 'chair';

export const isPresentStatus = (s: AttendanceStatus): boolean => s === 'present' || s === 'present_remote';

export interface QuorumFigures {
  met: boolean;
  needed: number;
  present: number;
  base: number;
  entitled: number;
}

/** The counts a quorum is computed from (voting members only). */
export interface RollCounts {
  entitled: number;
  excused: number;
  present: number;
  remote: number;
}

/**
 * The three bases: `entitled` and `members_total` count the members with a voting right, present
 * or not (the body's membership; one set today, two names because rules use both); `summoned`
 * leaves out those excused in advance (absent_excused), as Party rules count "those summoned".
 * Present counts voting members present, remote ones only when the rule says so.
 */
export function quorumFrom(c: RollCounts, rule: QuorumRule): QuorumFigures {
  const present = c.present + (rule.countRemote ? c.remote : 0);
  const base = rule.base === 'summoned' ? c.entitled - c.excused : c.entitled;
  return { met: quorumMet(rule, present, base), needed: quorumNeeded(rule, base), present, base, entitled: c.entitled };
}

function record(r: MemberRow, lateAfter: number | null): MemberRecord {
  return {
    userId: r.userId,
    name: r.name,
    role: r.role,
    status: r.status ?? 'not_checked_in',
    votingRight: r.votingRight === null ? votesByRole(r.role) : r.votingRight === 1,
    late: lateAfter !== null && r.firstInAt !== null && r.firstInAt > lateAfter,
    firstInAt: r.firstInAt,
    reason: r.reason,
    delegateKind: r.delegateKind ?? 'official',
    seatId: r.seatId,
    votingDeviceId: r.votingDeviceId,
    seatMismatch: r.seatMismatch === 1,
    method: r.method,
    updatedAt: r.updatedAt,
  };
}

export class AttendanceStore implements Roll {
  private readonly membersStmt;
  private readonly settingsStmt;
  private readonly statusStmt;
  private readonly startsStmt;
  private readonly oneStmt;
  private readonly countsStmt;

  constructor(db: Database) {
    const select = `
      SELECT p.user_id AS userId, ac.name, p.role, a.status, a.voting_right AS votingRight, a.late, a.first_in_at AS firstInAt,
             a.reason, a.delegate_kind AS delegateKind, a.seat_id AS seatId, a.voting_device_id AS votingDeviceId,
             a.seat_mismatch AS seatMismatch, a.method, a.updated_at AS updatedAt
      FROM participants p JOIN accounts ac ON ac.id = p.user_id
      LEFT JOIN attendance a ON a.meeting_id = p.meeting_id AND a.user_id = p.user_id
      WHERE p.meeting_id = ? AND p.role IN ('delegate', 'chair', 'secretary')`;
    this.membersStmt = db.prepare<[string], MemberRow>(`${select} ORDER BY ac.name COLLATE NOCASE, p.user_id`);
    this.oneStmt = db.prepare<[string, string], MemberRow>(`${select} AND p.user_id = ?`);
    // The quorum's figures without reading every member (a check-in of hundreds recomputes them each time).
    this.countsStmt = db.prepare<[string], RollCounts>(`
      WITH m AS (
        SELECT COALESCE(a.voting_right, CASE p.role WHEN 'secretary' THEN 0 ELSE 1 END) AS v, COALESCE(a.status, 'not_checked_in') AS s
        FROM participants p LEFT JOIN attendance a ON a.meeting_id = p.meeting_id AND a.user_id = p.user_id
        WHERE p.meeting_id = ? AND p.role IN ('delegate', 'chair', 'secretary'))
      SELECT COALESCE(SUM(v), 0) AS entitled, COALESCE(SUM(v AND s = 'absent_excused'), 0) AS excused,
             COALESCE(SUM(v AND s = 'present'), 0) AS present, COALESCE(SUM(v AND s = 'present_remote'), 0) AS remote FROM m`);
    this.settingsStmt = db.prepare<[string], { checkInOpen: number; quorum: string; lateAfterMinutes: number }>(
      'SELECT check_in_open AS checkInOpen, quorum, late_after_minutes AS lateAfterMinutes FROM attendance_settings WHERE meeting_id = ?');
    this.startsStmt = db.prepare<[string], { startsAt: string | null }>('SELECT starts_at AS startsAt FROM meetings WHERE id = ?');
    // A removed participant's row stays for the record, but they are no longer present.
    this.statusStmt = db.prepare<[string, string], { status: AttendanceStatus }>(`
      SELECT a.status FROM attendance a JOIN participants p ON p.meeting_id = a.meeting_id AND p.user_id = a.user_id
      WHERE a.meeting_id = ? AND a.user_id = ? AND p.role IN ('delegate', 'chair', 'secretary')`);
  }

  /**
   * Late is judged on read from the first arrival, the meeting's start and the setting, so a
   * changed start or threshold shows at once (the row's `late` keeps what was judged at the time).
   */
  members(meetingId: string, settings = this.settings(meetingId)): MemberRecord[] {
    const lateAfter = this.lateAfter(meetingId, settings);
    return this.membersStmt.all(meetingId).map((r) => record(r, lateAfter));
  }

  /** The moment after which an arrival is late, or null when the meeting has no start. */
  lateAfter(meetingId: string, settings = this.settings(meetingId)): number | null {
    const startsAt = this.startsAt(meetingId);
    return startsAt === null ? null : startsAt + settings.lateAfterMinutes * 60_000;
  }

  counts(meetingId: string): RollCounts {
    return this.countsStmt.get(meetingId)!;
  }

  /** The meeting's start as ms, or null when it has none (or one that is not a date). */
  startsAt(meetingId: string): number | null {
    const row = this.startsStmt.get(meetingId);
    const ms = row?.startsAt ? Date.parse(row.startsAt) : NaN;
    return Number.isFinite(ms) ? ms : null;
  }

  member(meetingId: string, userId: string, lateAfter = this.lateAfter(meetingId)): MemberRecord | null {
    const row = this.oneStmt.get(meetingId, userId);
    return row ? record(row, lateAfter) : null;
  }

  settings(meetingId: string): AttendanceSettings {
    const row = this.settingsStmt.get(meetingId);
    if (!row) return { checkInOpen: true, quorum: DEFAULT_QUORUM, lateAfterMinutes: DEFAULT_LATE_AFTER_MINUTES };
    const quorum = quorumRuleSchema.safeParse(JSON.parse(row.quorum));
    return { checkInOpen: row.checkInOpen === 1, quorum: quorum.success ? quorum.data : DEFAULT_QUORUM, lateAfterMinutes: row.lateAfterMinutes };
  }

  summary(meetingId: string, now: number, s = this.settings(meetingId)): AttendanceSummary {
    const q = quorumFrom(this.counts(meetingId), s.quorum);
    return { present: q.present, base: q.base, entitled: q.entitled, quorum: { met: q.met, needed: q.needed }, checkInOpen: s.checkInOpen, at: now };
  }

  // ---- Roll ------------------------------------------------------------------------------------
  entitledNow(meetingId: string): string[] {
    const settings = this.settings(meetingId);
    const countRemote = settings.quorum.countRemote;
    return this.members(meetingId, settings)
      .filter((m) => m.votingRight && (m.status === 'present' || (countRemote && m.status === 'present_remote')))
      .map((m) => m.userId);
  }

  isPresent(meetingId: string, userId: string): boolean {
    const row = this.statusStmt.get(meetingId, userId);
    return row !== undefined && isPresentStatus(row.status);
  }

  quorum(meetingId: string): { met: boolean; needed: number; present: number; base: number } {
    const q = quorumFrom(this.counts(meetingId), this.settings(meetingId).quorum);
    return { met: q.met, needed: q.needed, present: q.present, base: q.base };
  }

  votingMembers(meetingId: string): string[] {
    return this.members(meetingId).filter((m) => m.votingRight).map((m) => m.userId);
  }
}
