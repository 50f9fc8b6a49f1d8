// Meetings: the caller's list, creating one, its details, and editing them (mirrored into the
// meeting document's details).
import { callerFor, takesPart, type Account } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { MeetingRow } from '../hub-db.ts';
import type { Router } from '../route.ts';
import type { MeetingSummary } from '../../../shared/api.ts';
import { ROUTES } from '../../../shared/routes.ts';
import { refreshAttendance } from '../procedures/attendance-mirror.ts';
import { assertMayClose } from '../archive/lock.ts';
import { refreshRecordLock } from '../records/record-mirror.ts';
import { recallPapers } from '../recall/routes.ts';

export function meetingSummary(hub: HubContext, a: Account, m: Pick<MeetingRow, 'id' | 'title' | 'starts_at' | 'room' | 'status'>): MeetingSummary {
  return { id: m.id, title: m.title, startsAt: m.starts_at, room: m.room, status: m.status, myRole: callerFor(hub.db, a, m.id).meetingRole };
}

export function meetingRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;
  const summary = (a: Account, m: Parameters<typeof meetingSummary>[2]) => meetingSummary(hub, a, m);

  route(ROUTES.meetings, async ({ account: a }) => {
    const rows = a.role === 'admin' ? db.allMeetings() : db.meetingsOf(a.id).filter((m) => takesPart(db, a, m.id));
    return rows.map((m) => summary(a, m));
  });

  route(ROUTES.createMeeting, async ({ account: a, body }) => {
    const m = db.createMeeting({ title: body.title, startsAt: body.startsAt ?? null, room: body.room ?? null });
    if (a.role !== 'admin') db.setParticipant(m.id, a.id, a.role === 'chair' ? 'chair' : 'secretary');
    hub.docs.writeDetails(m.id);
    refreshAttendance(hub, m.id);
    db.audit('meeting-created', a.id, m.id);
    return summary(a, m);
  });

  route(ROUTES.meeting, async ({ account: a, params: { id } }) => ({ ...summary(a, db.meeting(id)!), participants: db.participants(id) }));

  // A closed meeting refuses this route (archive/lock.ts): closing is final but for an admin's reopening.
  route(ROUTES.updateMeeting, async ({ account: a, params: { id }, body }) => {
    const closing = body.status === 'closed';
    if (closing) assertMayClose(hub.sqlite, id);
    hub.core.atomically(() => {
      db.updateMeeting(id, body);
      hub.docs.writeDetails(id);
      if (closing) db.audit('meeting-closed', a.id, id);
      // Closing "with its papers recalled" (issue 17): in the same commit as the close.
      if (closing && body.recallPapers) recallPapers(hub, a, db.papersOf(id).map((p) => p.id), 'recalled when the meeting was closed');
    });
    // Back to draft: its delegates and observers lose it; closed: every socket to its meeting
    // document becomes read-only at once; published again: nothing to undo.
    if (body.status !== undefined) await hub.connections.recheck((_t, doc) => doc?.meetingId === id);
    // Closed (or reopened): every tablet's record view locks (or unlocks) at once.
    if (body.status !== undefined) refreshRecordLock(hub, id);
    db.audit('meeting-updated', a.id, id, { fields: Object.keys(body) });
    return summary(a, db.meeting(id)!);
  });
}
