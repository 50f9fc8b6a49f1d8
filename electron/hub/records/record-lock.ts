// When the meeting's record stops taking changes: once the meeting is closed, or once something
// else says so — the minutes, once issued, are the record as signed, so the hub wires their
// "issued" check in as `extraLock` (electron/hub/hub.ts). Every write of the record asks
// `assertOpen` inside its transaction; readers ask `isLocked`.
import { HttpError } from '../../core/http-common.ts';
import type { HubDb } from '../hub-db.ts';
import { RECORD_LOCKED } from '../../../shared/records.ts';

export type LockCheck = (meetingId: string) => boolean;

export class RecordLock {
  /** Another reason the record is locked (the minutes issued); settable after construction. */
  extraLock: LockCheck;
  private readonly db: Pick<HubDb, 'meeting'>;

  constructor(db: Pick<HubDb, 'meeting'>, extraLock: LockCheck = () => false) {
    this.db = db;
    this.extraLock = extraLock;
  }

  private closed(meetingId: string): boolean {
    return this.db.meeting(meetingId)?.status === 'closed';
  }

  isLocked(meetingId: string): boolean {
    return this.closed(meetingId) || this.extraLock(meetingId);
  }

  /** Throws 409 `record_locked`, saying why, when the record only reads. */
  assertOpen(meetingId: string): void {
    if (this.closed(meetingId)) throw new HttpError(409, RECORD_LOCKED, 'the meeting is closed: its record can be read but no longer changed');
    if (this.extraLock(meetingId)) throw new HttpError(409, RECORD_LOCKED, 'the minutes of this meeting are issued: its record can be read but no longer changed');
  }
}
