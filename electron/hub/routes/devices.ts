// Wipe orders (../wipe-orders.ts): the meeting's managers issue and list them; device agents
// fetch theirs and acknowledge them.
import { badRequest, notFound } from '../../core/http-common.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function deviceRoutes(route: Router, hub: HubContext): void {
  const { db, wipeOrders: orders } = hub;

  route(ROUTES.orderWipe, async ({ account: a, body }) => {
    if (body.userId && !db.account(body.userId)) throw badRequest(`userId: no account ${body.userId}`);
    const order = orders.issue({ meetingId: body.meetingId, userId: body.userId ?? null, refetch: body.refetch ?? false, issuedBy: a.id });
    db.audit('device-wipe-ordered', a.id, body.meetingId, { order: order.id, userId: order.userId, refetch: order.refetch });
    return order;
  });

  route(ROUTES.wipeOrders, async ({ query }) => orders.forMeeting(query.meetingId));

  route(ROUTES.deviceOrders, async ({ account: a, query }) => orders.pendingFor(query.deviceId, a.id));

  route(ROUTES.ackOrder, async ({ account: a, params: { id }, body }) => {
    const order = orders.orderFor(id, a.id);
    if (!order) throw notFound('no such order for this user');
    if (orders.ack(id, body.deviceId, a.id)) db.audit('device-wipe-acked', a.id, order.meetingId, { order: id, deviceId: body.deviceId });
  });
}
