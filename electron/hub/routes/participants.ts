// A meeting's participants: set one's role, or remove them (their open connections to the
// meeting's documents end at once).
import { notFound } from '../../core/http-common.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { refreshAttendance } from '../procedures/attendance-mirror.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function participantRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;

  route(ROUTES.setParticipant, async ({ account: a, params: { id, userId }, body }) => {
    if (!db.account(userId)) throw notFound('no such account');
    db.setParticipant(id, userId, body.role);
    await hub.connections.recheck((t, doc) => t.userId === userId && doc?.meetingId === id);
    db.audit('participant-set', a.id, id, { userId, role: body.role });
    refreshAttendance(hub, id);
    return db.participants(id);
  });

  route(ROUTES.removeParticipant, async ({ account: a, params: { id, userId } }) => {
    db.removeParticipant(id, userId);
    // Their open connections to this meeting's documents end now; everyone else's stay, and so
    // do their own connections to other meetings.
    hub.connections.leaveMeeting(userId, id, 'removed from the meeting');
    db.audit('participant-removed', a.id, id, { userId });
    refreshAttendance(hub, id);
  });
}
