// The meeting's record (shared/records.ts; the brief is ../shared/PROCEDURES.md §4): item outcomes,
// decisions with their reserved opinions, action items, and the cross-meeting list of action
// items. Under /api/decisions/:id and /api/action-items/:id the table lets any session in: the
// decision or item names its meeting, so its rules are applied here — someone who does not take
// part gets 404 (an action item's owner always sees it), someone who does but does not run the
// meeting 403.
import { forbidden, notFound } from '../../core/http-common.ts';
import { canManage, takesPart, type Account } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { PollStore } from '../procedures/poll-store.ts';
import { mirrorRecord } from '../records/record-mirror.ts';
import { RecordService } from '../records/record-service.ts';
import { meetingDocName } from '../../../shared/doc-names.ts';
import { agendaMap } from '../../../shared/meeting-doc.ts';
import { dayOf, type ActionItem, type Decision } from '../../../shared/records.ts';
import { ROUTES } from '../../../shared/routes.ts';

const MANAGE_DENIED = 'only the meeting\'s chair or secretary may change its record';

export function recordRoutes(route: Router, hub: HubContext): void {
  const { db, sqlite, records: store } = hub;
  const service = new RecordService({
    db, store, polls: new PollStore(sqlite), live: hub.live, atomically: (fn) => hub.core.atomically(fn),
    agendaHas: (meetingId, itemId) => hub.core.withDoc(meetingDocName(meetingId), (doc) => agendaMap(doc).has(itemId)),
  });

  // The tables are the truth: at start the live document of every meeting still to come or
  // running, and of every meeting with a record (its `locked` flag), is brought up to date. Once
  // every route module is registered, so that whatever else locks the record (the minutes, wired
  // into `lock.extraLock` by their module) is in place, whatever the order of registration.
  setImmediate(() => {
    if (!sqlite.open) return;
    const meetings = new Set([
      ...sqlite.prepare<[], { id: string }>("SELECT id FROM meetings WHERE status <> 'closed'").all().map((r) => r.id),
      ...store.meetingsWithRecord(),
    ]);
    for (const id of meetings) hub.core.atomically(() => mirrorRecord(hub, store, id));
  });

  const seenDecision = (a: Account, id: string): Decision => {
    const d = store.decision(id);
    if (!d || !takesPart(db, a, d.meetingId)) throw notFound('no such decision');
    return d;
  };
  const managedDecision = (a: Account, id: string): Decision => {
    const d = seenDecision(a, id);
    if (!canManage(db, a, d.meetingId)) throw forbidden(MANAGE_DENIED);
    return d;
  };
  /** An action item, seen by the participants of its meeting and by its owner wherever they are. */
  const seenAction = (a: Account, id: string): ActionItem => {
    const item = store.actionItem(id);
    if (!item || (item.ownerUserId !== a.id && !takesPart(db, a, item.meetingId))) throw notFound('no such action item');
    return item;
  };

  route(ROUTES.record, async ({ params: { id } }) => store.record(id));

  route(ROUTES.putOutcome, async ({ account: a, params: { id, itemId }, body }) => service.putOutcome(id, itemId, body, a.id));

  route(ROUTES.createDecision, async ({ account: a, params: { id }, body }) => service.createDecision(id, body, a.id));

  route(ROUTES.updateDecision, async ({ account: a, params: { id }, body }) => service.patchDecision(managedDecision(a, id), body, a.id));

  route(ROUTES.deleteDecision, async ({ account: a, params: { id } }) => {
    service.deleteDecision(managedDecision(a, id), a.id);
  });

  route(ROUTES.putDissent, async ({ account: a, params: { id }, body }) => {
    const d = seenDecision(a, id);
    const userId = body.userId ?? a.id;
    if (userId !== a.id && !canManage(db, a, d.meetingId)) throw forbidden('only the meeting\'s chair or secretary may record someone else\'s reserved opinion');
    return service.putDissent(d, userId, body.text, a.id);
  });

  route(ROUTES.deleteDissent, async ({ account: a, params: { id, userId } }) => {
    const d = seenDecision(a, id);
    if (userId !== a.id && !canManage(db, a, d.meetingId)) throw forbidden('you may withdraw only your own reserved opinion');
    service.deleteDissent(d, userId, a.id);
  });

  route(ROUTES.createActionItem, async ({ account: a, params: { id }, body }) => service.createActionItem(id, body, a.id));

  route(ROUTES.updateActionItem, async ({ account: a, params: { id }, body }) => {
    const item = seenAction(a, id);
    const manager = canManage(db, a, item.meetingId);
    if (!manager && item.ownerUserId !== a.id) throw forbidden('only the meeting\'s chair or secretary, or the item\'s owner, may change an action item');
    return service.patchActionItem(item, body, a.id, !manager);
  });

  route(ROUTES.deleteActionItem, async ({ account: a, params: { id } }) => {
    const item = seenAction(a, id);
    if (!canManage(db, a, item.meetingId)) throw forbidden(MANAGE_DENIED);
    service.deleteActionItem(item, a.id);
  });

  route(ROUTES.actionItems, async ({ account: a, query }) => {
    const today = dayOf(Date.now());
    const meetings = a.role === 'admin' ? 'all' as const : db.meetingsOf(a.id).filter((m) => takesPart(db, a, m.id)).map((m) => m.id);
    const items = store.listActionItems({
      userId: a.id, meetings, mine: query.mine === '1', overdue: query.overdue === '1', meetingId: query.meetingId ?? null, today,
    });
    return { items, today };
  });
}
