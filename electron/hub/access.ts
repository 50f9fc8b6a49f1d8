// Who may do what, decided from the hub's tables. Each function answers for one request.
import type { HubDb, AccountRow, PaperRow } from './hub-db.ts';
import { canManageMeeting, type Caller, type MeetingRole } from '../../shared/roles.ts';

export type Account = Pick<AccountRow, 'id' | 'login' | 'name' | 'role'>;

/**
 * The caller's effective role in a meeting: a delegate or observer does not take part in a
 * draft meeting yet (it is published to them). A closed meeting is archived: everyone who took
 * part still reads it, and nobody edits it (callerFor carries its status to shared/roles.ts).
 */
export function effectiveMeetingRole(db: HubDb, account: Account, meetingId: string): MeetingRole | null {
  const meeting = db.meeting(meetingId);
  if (!meeting) return null;
  const role = db.participantRole(meetingId, account.id);
  if (role === null) return null;
  if (meeting.status === 'draft' && !canManageMeeting(account.role, role)) return null;
  return role;
}

export function callerFor(db: HubDb, account: Account, meetingId: string): Caller {
  return {
    userId: account.id, accountRole: account.role, meetingRole: effectiveMeetingRole(db, account, meetingId),
    meetingClosed: db.meeting(meetingId)?.status === 'closed',
  };
}

export function canManage(db: HubDb, account: Account, meetingId: string): boolean {
  if (!db.meeting(meetingId)) return false;
  return canManageMeeting(account.role, effectiveMeetingRole(db, account, meetingId));
}

export function takesPart(db: HubDb, account: Account, meetingId: string): boolean {
  if (!db.meeting(meetingId)) return false;
  return account.role === 'admin' || effectiveMeetingRole(db, account, meetingId) !== null;
}

/**
 * A restricted paper is seen by its named participants and the meeting's managers only; a staged
 * one (uploaded, not released) by the managers only, whatever its restriction.
 */
export function canSeePaper(db: HubDb, account: Account, paper: PaperRow): boolean {
  if (!takesPart(db, account, paper.meeting_id)) return false;
  if (paper.staged) return canManage(db, account, paper.meeting_id);
  if (!paper.restricted) return true;
  if (canManage(db, account, paper.meeting_id)) return true;
  return db.paperAllowedUsers(paper.id).includes(account.id);
}

export function canReadBlob(db: HubDb, account: Account, sha256: string): boolean {
  return db.papersWithBlob(sha256).some((p) => canSeePaper(db, account, p));
}
