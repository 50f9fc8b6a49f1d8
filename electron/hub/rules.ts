// The participant rules the route table names (shared/routes.ts, PARTICIPANT_RULES), decided
// from the hub's tables. A caller who does not take part learns nothing: 404, not 403.
import { forbidden, notFound } from '../core/http-common.ts';
import { canManage, canReadBlob, canSeePaper, takesPart, type Account } from './access.ts';
import type { HubDb } from './hub-db.ts';
import type { Rules } from './route.ts';

export function hubRules(db: HubDb): Rules {
  const participant = (a: Account, meetingId: string) => {
    if (!db.meeting(meetingId) || !takesPart(db, a, meetingId)) throw notFound('no such meeting');
  };
  const manager = (a: Account, meetingId: string, deny: string | undefined) => {
    participant(a, meetingId);
    if (!canManage(db, a, meetingId)) throw forbidden(deny);
  };
  const id = (input: { params?: unknown }) => (input.params as { id: string }).id;
  return {
    'meeting-participant': { check: (a, input) => participant(a, id(input)) },
    'meeting-manager': { check: (a, input, def) => manager(a, id(input), def.deny) },
    // Whether the caller may present is read from the live state in the same step as the write.
    presenter: { check: (a, input) => participant(a, id(input)) },
    'paper-manager': {
      check: (a, input, def) => {
        const paper = db.paper(id(input));
        if (!paper || !canSeePaper(db, a, paper)) throw notFound('no such paper');
        if (!canManage(db, a, paper.meeting_id)) throw forbidden(def.deny);
      },
    },
    'blob-reader': {
      check: (a, input) => {
        if (!canReadBlob(db, a, (input.params as { sha: string }).sha)) throw notFound('no such paper file');
      },
    },
    // The meeting is named in the body (ordering a wipe) or the query (listing its orders).
    'order-manager': {
      readsBody: true,
      check: (a, input, def) => {
        const meetingId = ((input.body ?? input.query) as { meetingId: string }).meetingId;
        if (!db.meeting(meetingId) || !takesPart(db, a, meetingId)) throw notFound('no such meeting');
        if (!canManage(db, a, meetingId) && a.role !== 'admin') throw forbidden(def.deny);
      },
    },
  };
}
