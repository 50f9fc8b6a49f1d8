// Meetings: the caller's list, creating one, its details, and editing them (mirrored into the
// meeting document's details).
import { callerFor, takesPart, type Account } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { MeetingRow } from '../hub-db.ts';
import type { Router } from '../route.ts';
import type { MeetingSummary } from '../../../shared/api.ts';
import { ROUTES } from '../../../shared/routes.ts';
import { refreshAttendance } from '../procedures/attendance-mirror.ts';

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

  route(ROUTES.updateMeeting, async ({ account: a, params: { id }, body }) => {
    db.updateMeeting(id, body);
    hub.docs.writeDetails(id);
    // Back to draft: its delegates and observers lose it; published again: nothing to undo.
    if (body.status !== undefined) await hub.connections.recheck((_t, doc) => doc?.meetingId === id);
    db.audit('meeting-updated', a.id, id, { fields: Object.keys(body) });
    return summary(a, db.meeting(id)!);
  });
}
