// Attendance commands: check-in, a manager's marking (one or many, retroactive too), the
// settings, and closing check-in. Each one validates against the tables, writes its rows, the
// append-only log and the audit row in one SQLite transaction, and then mirrors the result into
// live/<meetingId>: the live doc never shows what was not committed.
import { badRequest, forbidden, HttpError } from '../../core/http-common.ts';
import type { SyncCore } from '../../core/sync-core.ts';
import type { Database } from '../../core/store.ts';
import type { HubDb } from '../hub-db.ts';
import type { LiveWriter } from '../live-writer.ts';
import type { AttendanceStatus, AttendanceView, CheckInAnswer, MemberView } from '../../../shared/procedures/attendance.ts';
import { AttendanceStore, type AttendanceSettings, type MemberRecord } from './attendance-store.ts';
import { mirrorAttendance, publicMember } from './attendance-mirror.ts';
import { seatCheck, type SeatCheck } from './attendance-seats.ts';

export type SettableStatus = Exclude<AttendanceStatus, 'not_checked_in'>;

export interface AttendanceDeps {
  sqlite: Database;
  db: HubDb;
  core: SyncCore;
  live: LiveWriter;
}

interface Change {
  to: AttendanceStatus;
  by: string;
  method: 'tablet' | 'secretary' | 'auto';
  reason: string | null;
  /** The arrival's moment (retroactive marking); now otherwise. */
  at: number;
  deviceId: string | null;
}

export const conflict = (message: string) => new HttpError(409, 'conflict', message);


function memberView(m: MemberRecord, forManager: boolean): MemberView {
  const base = { ...publicMember(m), role: m.role as MemberView['role'] };
  return forManager ? { ...base, seatId: m.seatId, votingDeviceId: m.votingDeviceId, seatMismatch: m.seatMismatch, method: m.method } : base;
}

export class Attendance {
  readonly store: AttendanceStore;
  private readonly deps: AttendanceDeps;
  private readonly upsert;
  private readonly log;
  /** Members changed per meeting since the last mirror (see commit). */
  private readonly pending = new Map<string, Set<string>>();

  constructor(deps: AttendanceDeps, store = new AttendanceStore(deps.sqlite)) {
    this.deps = deps;
    this.store = store;
    this.upsert = deps.sqlite.prepare(`
      INSERT INTO attendance (meeting_id, user_id, status, voting_device_id, seat_mismatch, first_in_at, late, reason, method, updated_at)
      VALUES (@meetingId, @userId, @status, @device, @mismatch, @firstInAt, @late, @reason, @method, @now)
      ON CONFLICT(meeting_id, user_id) DO UPDATE SET status = excluded.status, voting_device_id = excluded.voting_device_id,
        seat_mismatch = excluded.seat_mismatch, first_in_at = excluded.first_in_at, late = excluded.late, reason = excluded.reason,
        method = excluded.method, updated_at = excluded.updated_at`);
    this.log = deps.sqlite.prepare(`INSERT INTO attendance_log (meeting_id, user_id, from_status, to_status, at, by, method, reason, device_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  view(meetingId: string, forManager: boolean, now = Date.now()): AttendanceView {
    const settings = this.store.settings(meetingId);
    const members = this.store.members(meetingId, settings).map((m) => memberView(m, forManager));
    return { members, ...this.figures(meetingId, settings, now) };
  }

  private figures(meetingId: string, settings: AttendanceSettings, now: number, s = this.store.summary(meetingId, now, settings)): Omit<AttendanceView, 'members'> {
    return {
      present: s.present, entitled: s.entitled, base: s.base,
      quorum: { ...s.quorum, rule: settings.quorum }, checkInOpen: settings.checkInOpen, lateAfterMinutes: settings.lateAfterMinutes, serverTime: now,
    };
  }

  /**
   * One member's status. The member themself may check in (while check-in is open, or coming
   * back after leaving) and leave; a manager may set any status for anyone, at any time. The
   * answer is that member and the figures after the change (the roll itself is GET's).
   */
  set(meetingId: string, callerId: string, manager: boolean, body: { status: SettableStatus; userId?: string; reason?: string; at?: number }, deviceId: string | null): CheckInAnswer {
    const userId = body.userId ?? callerId;
    const now = Date.now();
    const settings = this.store.settings(meetingId);
    const lateAfter = this.store.lateAfter(meetingId, settings);
    const member = this.store.member(meetingId, userId, lateAfter);
    if (!member && userId === callerId) throw forbidden('only members of the meeting (delegates, chair, secretary) check in');
    if (!manager) {
      if (userId !== callerId || !member) throw forbidden('only the meeting\'s secretary or chair may mark someone else\'s attendance');
      if (body.reason !== undefined || body.at !== undefined) throw forbidden('only the meeting\'s secretary or chair may give a reason or a time');
      this.checkSelf(settings, member, body.status);
    } else if (!member) {
      throw badRequest(`userId: ${userId} is not a member of this meeting`);
    }
    const change = this.changeOf(body, callerId, manager ? 'secretary' : 'tablet', now, manager ? null : deviceId);
    const changed = this.commit(meetingId, callerId, [member], change, 'attendance-set', lateAfter);
    // Unchanged (the same status again), the member is as they were.
    const after = changed ? this.store.member(meetingId, userId, lateAfter)! : member;
    return { member: memberView(after, manager), ...this.figures(meetingId, settings, Date.now()) };
  }

  bulk(meetingId: string, callerId: string, body: { userIds: string[]; status: SettableStatus; reason?: string; at?: number }): void {
    const byId = new Map(this.store.members(meetingId).map((m) => [m.userId, m]));
    const ids = [...new Set(body.userIds)];
    const unknown = ids.filter((id) => !byId.has(id));
    if (unknown.length) throw badRequest(`userIds: not members of this meeting: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''}`);
    const change = this.changeOf(body, callerId, 'secretary', Date.now(), null);
    this.commit(meetingId, callerId, ids.map((id) => byId.get(id)!), change, 'attendance-bulk', this.store.lateAfter(meetingId));
  }

  /** The window, the quorum rule and the late threshold; closing the window marks the missing absent. */
  settings(meetingId: string, callerId: string, body: { checkInOpen?: boolean; quorum?: AttendanceSettings['quorum']; lateAfterMinutes?: number }): void {
    const cur = this.store.settings(meetingId);
    const next: AttendanceSettings = {
      checkInOpen: body.checkInOpen ?? cur.checkInOpen,
      quorum: body.quorum ?? cur.quorum,
      lateAfterMinutes: body.lateAfterMinutes ?? cur.lateAfterMinutes,
    };
    const now = Date.now();
    const closing = cur.checkInOpen && !next.checkInOpen;
    this.deps.core.atomically(() => {
      this.deps.sqlite.prepare(`INSERT INTO attendance_settings (meeting_id, check_in_open, quorum, late_after_minutes, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(meeting_id) DO UPDATE SET check_in_open = excluded.check_in_open, quorum = excluded.quorum,
        late_after_minutes = excluded.late_after_minutes, updated_at = excluded.updated_at`)
        .run(meetingId, next.checkInOpen ? 1 : 0, JSON.stringify(next.quorum), next.lateAfterMinutes, now);
      let markedAbsent = 0;
      if (closing) {
        const missing = this.store.members(meetingId, next).filter((m) => m.status === 'not_checked_in');
        const change: Change = { to: 'absent', by: callerId, method: 'auto', reason: null, at: now, deviceId: null };
        const lateAfter = this.store.lateAfter(meetingId, next);
        for (const m of missing) this.write(meetingId, m, change, null, now, lateAfter);
        markedAbsent = missing.length;
      }
      this.deps.db.audit('attendance-settings', callerId, meetingId, { ...body, ...(closing ? { markedAbsent } : {}) });
      mirrorAttendance(this.deps, this.store, meetingId, now);
    });
  }

  private checkSelf(settings: AttendanceSettings, member: MemberRecord, to: SettableStatus): void {
    if (to === 'left') {
      if (member.status !== 'present' && member.status !== 'present_remote') throw conflict('you are not checked in');
      return;
    }
    if (to !== 'present') throw forbidden(`only the meeting's secretary or chair may mark a member ${to.replace('_', ' ')}`);
    // Coming back after a break is not a check-in: the window does not apply to it.
    if (member.status === 'left') return;
    if (!settings.checkInOpen) throw forbidden('check-in is closed for this meeting: ask the secretary to mark you present');
  }

  private changeOf(body: { status: SettableStatus; reason?: string; at?: number }, by: string, method: Change['method'], now: number, deviceId: string | null): Change {
    if (body.status === 'absent_excused' && !body.reason) throw badRequest('reason: an excused absence needs a reason');
    if (body.at !== undefined && body.at > now) throw badRequest('at: a time in the future');
    if (body.at !== undefined && body.status !== 'present' && body.status !== 'present_remote') throw badRequest('at: only an arrival (present, present_remote) takes a time');
    return { to: body.status, by, method, reason: body.reason ?? null, at: body.at ?? now, deviceId };
  }

  /**
   * Writes the changes and the audit row in one transaction, then has them mirrored; whether
   * anything changed. The mirror follows in the next turn of the event loop, one write for every
   * change of that turn: each write goes to every screen in the room, and a room checking in
   * at once would otherwise send each screen one update per member. The tables stay the truth:
   * a hub stopped between the two rebuilds the live document from them at start.
   */
  private commit(meetingId: string, callerId: string, members: MemberRecord[], change: Change, action: string, lateAfter: number | null): boolean {
    const now = Date.now();
    const seats = change.deviceId ? seatCheck(this.deps.sqlite, change.deviceId) : null;
    const changed = this.deps.sqlite.transaction(() => {
      const out: string[] = [];
      for (const m of members) if (this.write(meetingId, m, change, seats, now, lateAfter)) out.push(m.userId);
      if (out.length) this.deps.db.audit(action, callerId, meetingId, { to: change.to, userIds: out, ...(change.reason ? { reason: change.reason } : {}), ...(change.at !== now ? { at: change.at } : {}) });
      return out;
    })();
    this.mirrorSoon(meetingId, changed);
    return changed.length > 0;
  }

  private mirrorSoon(meetingId: string, userIds: readonly string[]): void {
    if (!userIds.length) return;
    let ids = this.pending.get(meetingId);
    if (!ids) {
      this.pending.set(meetingId, (ids = new Set()));
      setImmediate(() => {
        this.pending.delete(meetingId);
        if (this.deps.sqlite.open) mirrorAttendance(this.deps, this.store, meetingId, Date.now(), [...ids!]);
      });
    }
    for (const id of userIds) ids.add(id);
  }

  /** One member's row and log line; false when nothing changes (the same status again). */
  private write(meetingId: string, m: MemberRecord, c: Change, seats: SeatCheck | null, now: number, lateAfter: number | null): boolean {
    const arriving = c.to === 'present' || c.to === 'present_remote';
    const reason = arriving ? null : c.reason ?? (c.to === m.status ? m.reason : null);
    if (m.status === c.to && reason === m.reason && (!c.deviceId || c.deviceId === m.votingDeviceId)) return false;
    const firstInAt = arriving && m.firstInAt === null ? c.at : m.firstInAt;
    // The device a member checks in on is the one they vote from; another seat's device is
    // accepted but flagged for the secretary.
    const device = arriving && c.deviceId ? c.deviceId : m.votingDeviceId;
    const mismatch = arriving && c.deviceId ? m.seatId !== null && seats?.seatId !== m.seatId : m.seatMismatch;
    const late = firstInAt !== null && lateAfter !== null && firstInAt > lateAfter;
    this.upsert.run({ meetingId, userId: m.userId, status: c.to, device, mismatch: mismatch ? 1 : 0, firstInAt, late: late ? 1 : 0, reason, method: c.method, now });
    this.log.run(meetingId, m.userId, m.status, c.to, arriving ? c.at : now, c.by, c.method, reason, c.deviceId);
    return true;
  }
}
