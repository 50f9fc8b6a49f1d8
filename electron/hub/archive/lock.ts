// A closed meeting is archived: its details, participants, papers, presenting and procedures take
// no more writes from anyone, managers and admins included, and each such route answers 409
// `meeting_closed` (the sync side is shared/roles.ts: the meeting document only reads once the
// meeting is closed). The lock is one guard over the route table (route.ts runs it after the
// route's own rule, so an outsider still gets 404 and a delegate a manager's 403), listing the
// routes it covers by name: a route added later is not locked by accident, nor left open unseen
// (test/integration/archive-lock.test.ts walks the list). What stays writable, and why, is in
// docs/archive.md: a user's private notes, device wipe orders, and the record's own rules
// (electron/hub/records/record-lock.ts).
import { HttpError } from '../../core/http-common.ts';
import type { Database } from '../../core/store.ts';
import { takesPart } from '../access.ts';
import type { HubDb } from '../hub-db.ts';
import type { Guard } from '../route.ts';
import { MEETING_CLOSED } from '../../../shared/archive.ts';
import { ROUTES, type RouteDef, type RouteName } from '../../../shared/routes.ts';

/** The routes a closed meeting refuses. */
export const LOCKED_ROUTES = [
  'updateMeeting', 'setParticipant', 'removeParticipant',
  'upload', 'updatePaper', 'removePaper', 'releasePaper',
  'present', 'stopPresenting', 'handPresenter',
  'checkIn', 'bulkAttendance', 'attendanceSettings', 'seating',
  'requestFloor', 'withdrawFloor', 'speakerControl', 'speakerSettings',
  'createPoll', 'startPoll', 'stopPoll', 'publishPoll', 'resetPoll', 'annulPoll', 'ballot',
] as const satisfies readonly RouteName[];

const MINUTES_AFTER_CLOSE = 'the minutes are drafted, approved and issued after the meeting; issued, they lock themselves';

/**
 * Writes under a meeting's, paper's or vote's path that a closed meeting still takes, each with
 * why. A write route there in neither list fails test/integration/archive-lock.test.ts: whoever
 * adds one decides.
 */
export const OPEN_WHEN_CLOSED: Partial<Record<RouteName, string>> = {
  reopenMeeting: 'it is how an admin reopens a closed meeting',
  recallPaper: 'pulling a paper back from the devices is most needed once the meeting is over (docs/recall-and-expiry.md)',
  setPaperClassification: 'a paper may be found sensitive after the meeting: its level changes, its content does not (docs/classification.md)',
  putOutcome: 'the record locks itself on close (records/record-lock.ts: 409 record_locked)',
  createDecision: 'the record locks itself on close (records/record-lock.ts: 409 record_locked)',
  createActionItem: 'the record locks itself on close (records/record-lock.ts: 409 record_locked)',
  // The minutes are finished after the meeting, often after it is closed: their own flow locks
  // them once issued (electron/hub/minutes/), and the issued minutes then join the papers.
  putMinutes: MINUTES_AFTER_CLOSE,
  readOutMinutes: MINUTES_AFTER_CLOSE,
  submitMinutes: MINUTES_AFTER_CLOSE,
  approveMinutes: MINUTES_AFTER_CLOSE,
  reopenMinutes: MINUTES_AFTER_CLOSE,
  issueMinutes: MINUTES_AFTER_CLOSE,
  signMinutes: MINUTES_AFTER_CLOSE,
  paperReading: 'reading a closed meeting\'s papers is still reading: the record of it is the audit trail\'s, not the meeting\'s',
};

export const meetingClosed = (): HttpError =>
  new HttpError(409, MEETING_CLOSED, 'this meeting is closed and archived: it can be read and exported but no longer changed; an admin may reopen it, giving a reason');

/** The meeting a locked route's path names: `/api/meetings/:id`, a paper's, or a poll's. */
function meetingResolver(db: HubDb, sqlite: Database): (def: RouteDef, params: Record<string, string>) => string | null {
  const pollMeeting = sqlite.prepare<[string], { meeting_id: string }>('SELECT meeting_id FROM polls WHERE id = ?');
  return (def, params) => {
    const id = params.id;
    if (id === undefined) return null;
    if (def.path.startsWith('/api/meetings/:id')) return id;
    if (def.path.startsWith('/api/papers/:id')) return db.paper(id)?.meeting_id ?? null;
    if (def.path.startsWith('/api/polls/:id')) return pollMeeting.get(id)?.meeting_id ?? null;
    throw new Error(`${def.method} ${def.path}: the archive lock cannot tell its meeting`);
  };
}

export function closedMeetingGuard(db: HubDb, sqlite: Database): Guard {
  const locked = new Set<RouteDef>(LOCKED_ROUTES.map((name) => ROUTES[name]));
  const meetingOf = meetingResolver(db, sqlite);
  return (account, input, def) => {
    if (!account || !locked.has(def)) return;
    const meetingId = meetingOf(def, (input.params ?? {}) as Record<string, string>);
    if (!meetingId || db.meeting(meetingId)?.status !== 'closed') return;
    // Routes that check their meeting themselves (votes) still answer an outsider 404.
    if (!takesPart(db, account, meetingId)) return;
    throw meetingClosed();
  };
}

/** Closing waits for a running vote: once closed it could neither end nor be published. */
export function assertMayClose(sqlite: Database, meetingId: string): void {
  const open = sqlite.prepare<[string], { title: string }>("SELECT title FROM polls WHERE meeting_id = ? AND state = 'started' ORDER BY seq").all(meetingId);
  if (open.length) {
    throw new HttpError(409, 'vote_open', `a vote is still open (${open.map((p) => `"${p.title}"`).join(', ')}): close it before closing the meeting`);
  }
}
