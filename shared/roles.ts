// Roles and the permission table from the design brief, in one place, so the hub, the agent
// and the renderer decide the same way. The hub is the authority; the agent and the renderer
// use the same functions only to refuse early (a delegate's agenda edit is refused at once
// rather than shown and then lost).
import type { DocName } from './doc-names.ts';

export const ACCOUNT_ROLES = ['admin', 'secretary', 'chair', 'delegate', 'observer'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

/** A participant's role inside one meeting (an account may chair one meeting and sit in another). */
export const MEETING_ROLES = ['secretary', 'chair', 'delegate', 'observer'] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];

export type Access = 'none' | 'read' | 'write';

export interface Caller {
  userId: string;
  accountRole: AccountRole;
  /** The caller's role in the meeting the document belongs to, or null when not a participant. */
  meetingRole: MeetingRole | null;
  /**
   * The meeting is closed, and so archived: its document only reads, for everyone (docs/archive.md).
   * Absent where a caller is judged without the meeting's status (it then counts as open).
   */
  meetingClosed?: boolean;
}

/** May this caller edit the meeting document (agenda, papers' metadata, details)? */
export function canManageMeeting(accountRole: AccountRole, meetingRole: MeetingRole | null): boolean {
  if (accountRole === 'admin') return true;
  return meetingRole === 'secretary' || meetingRole === 'chair';
}

/** May this caller upload, replace or restrict papers? Same people who manage the meeting. */
export const canUploadPapers = canManageMeeting;

/**
 * May this caller present (drive followers to a paper and page)? Managers always; anyone else
 * only when a manager handed them the presenter role (`presenterId` in the live state).
 */
export function canPresent(caller: Caller, presenterId: string | null | undefined): boolean {
  if (canManageMeeting(caller.accountRole, caller.meetingRole)) return true;
  return caller.meetingRole !== null && presenterId === caller.userId;
}

/** The brief's document table. */
export function docAccess(caller: Caller, doc: DocName): Access {
  if (doc.kind === 'meeting') {
    if (caller.accountRole !== 'admin' && caller.meetingRole === null) return 'none';
    if (caller.meetingClosed) return 'read';
    return canManageMeeting(caller.accountRole, caller.meetingRole) ? 'write' : 'read';
  }
  // live/<meetingId>: what the hub decided (attendance, speakers, votes). Managers may write the
  // meeting document, so results live here instead, where no connection may write at all.
  if (doc.kind === 'live') return caller.meetingRole !== null || caller.accountRole === 'admin' ? 'read' : 'none';
  // notes/<meetingId>/<userId>: that user only, and only while they take part in the meeting.
  if (doc.userId !== caller.userId) return 'none';
  if (caller.meetingRole === null && caller.accountRole !== 'admin') return 'none';
  return 'write';
}
