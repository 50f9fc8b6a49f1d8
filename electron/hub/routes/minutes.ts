// The minutes (shared/minutes.ts; the brief is ../shared/PROCEDURES.md §4). The table's rules let
// only participants in (404 to others) and only managers change anything; who among the managers
// may take which step, and in which state, the service decides (electron/hub/minutes/service.ts).
// Until they are issued the minutes are the managers' working draft: a delegate sees them, and
// may download them, once issued.
import { forbidden } from '../../core/http-common.ts';
import { canManage, type Account } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { MinutesService } from '../minutes/service.ts';
import { refreshRecordLock } from '../records/record-mirror.ts';
import { meetingDocName } from '../../../shared/doc-names.ts';
import { readAgenda } from '../../../shared/meeting-doc.ts';
import { ROUTES } from '../../../shared/routes.ts';

const NOT_ISSUED = 'the minutes are not issued yet: until then only the meeting\'s secretary, chair or an admin may read them';

export function minutesRoutes(route: Router, hub: HubContext): MinutesService {
  const minutes = new MinutesService({
    sqlite: hub.sqlite, db: hub.db, store: hub.store, live: hub.live, addPaper: hub.addPaper, log: hub.log,
    atomically: (fn) => hub.core.atomically(fn),
    records: hub.records,
    agenda: (meetingId) => hub.core.withDoc(meetingDocName(meetingId), readAgenda),
    onIssued: (meetingId) => refreshRecordLock(hub, meetingId),
  });
  // Issued minutes are the record as signed: the record stops taking changes with them.
  const closedOrElse = hub.records.lock.extraLock;
  hub.records.lock.extraLock = (meetingId) => minutes.isIssued(meetingId) || closedOrElse(meetingId);

  const mayRead = (a: Account, meetingId: string) => {
    if (!minutes.isIssued(meetingId) && !canManage(hub.db, a, meetingId)) throw forbidden(NOT_ISSUED);
  };

  route(ROUTES.minutes, async ({ account: a, params: { id } }) => {
    mayRead(a, id);
    return minutes.view(id);
  });
  route(ROUTES.putMinutes, async ({ account: a, params: { id }, body }) => minutes.update(id, a, body));
  route(ROUTES.readOutMinutes, async ({ account: a, params: { id } }) => minutes.transition(id, a, 'read_out'));
  route(ROUTES.submitMinutes, async ({ account: a, params: { id } }) => minutes.transition(id, a, 'submit'));
  route(ROUTES.approveMinutes, async ({ account: a, params: { id } }) => minutes.transition(id, a, 'approve'));
  route(ROUTES.reopenMinutes, async ({ account: a, params: { id }, body }) => minutes.transition(id, a, 'reopen', body.reason));
  route(ROUTES.issueMinutes, async ({ account: a, params: { id }, body }) => minutes.issue(id, a, body.lang));
  route(ROUTES.signMinutes, async ({ account: a, params: { id }, body }) => minutes.sign(id, a, body.sha256));

  route(ROUTES.minutesDocument, async ({ account: a, params: { id }, query, reply }) => {
    mayRead(a, id);
    const doc = await minutes.document(id, query.format, query.lang);
    // An ASCII fallback name for old clients, the exact one in RFC 5987 form.
    const ascii = doc.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
    return reply
      .header('content-type', doc.type)
      .header('content-length', doc.bytes.length)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.fileName)}`)
      .header('cache-control', 'no-store')
      .header('x-content-sha256', doc.sha256)
      .send(doc.bytes);
  });
  return minutes;
}
