// Wipe orders: "remove this meeting from the cache of every device (of one user)". The hub keeps
// each order and which devices acknowledged it; device agents ask for their pending orders on
// every round with the hub (electron/agent/agent.ts), carry them out, and acknowledge.
//
// Which devices an order reaches: a device (the random id its agent keeps) is registered the
// first time it asks for orders, remembering the newest order id at that moment. An order
// reaches a device when it names no user or the device's signed-in user, is newer than the
// device's registration, and the device has not acknowledged it. Agents ask before they cache
// anything in a round, so every device that could hold a meeting's data was registered before
// any order issued after it cached that data; a device first seen later (a new tablet, or one
// whose cache was wiped whole) has nothing to wipe and is not told.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database } from '../core/store.ts';
import { badRequest, forbidden, notFound, parseOr400 } from '../core/http-common.ts';
import type { HubDb } from './hub-db.ts';
import { canManage, takesPart, type Account } from './access.ts';
import { deviceAckSchema, deviceOrdersQuerySchema, idSchema, wipeRequestSchema, type DeviceOrder } from '../../shared/api.ts';

interface OrderRow {
  id: number;
  meeting_id: string;
  user_id: string | null;
  refetch: number;
  issued_by: string;
  created_at: string;
}

export interface OrderWithAcks extends DeviceOrder {
  issuedBy: string;
  acks: Array<{ deviceId: string; userId: string; at: string }>;
}

const toOrder = (r: OrderRow): DeviceOrder => ({
  id: r.id, kind: 'wipe-meeting', meetingId: r.meeting_id, userId: r.user_id, refetch: r.refetch === 1, createdAt: r.created_at,
});

export class WipeOrders {
  readonly db: Database;
  constructor(db: Database) {
    this.db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS device_wipe_orders (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        meeting_id TEXT NOT NULL,
        user_id TEXT,
        refetch INTEGER NOT NULL DEFAULT 0,
        issued_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS device_wipe_orders_meeting ON device_wipe_orders(meeting_id);
      CREATE TABLE IF NOT EXISTS devices (
        device_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        since_order INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (device_id, user_id)
      );
      CREATE TABLE IF NOT EXISTS device_wipe_acks (
        order_id INTEGER NOT NULL REFERENCES device_wipe_orders(id) ON DELETE CASCADE,
        device_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        acked_at TEXT NOT NULL,
        PRIMARY KEY (order_id, device_id)
      );
    `);
  }

  issue(o: { meetingId: string; userId: string | null; refetch: boolean; issuedBy: string }): DeviceOrder {
    const createdAt = new Date().toISOString();
    const id = Number(this.db.prepare('INSERT INTO device_wipe_orders (meeting_id, user_id, refetch, issued_by, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(o.meetingId, o.userId, o.refetch ? 1 : 0, o.issuedBy, createdAt).lastInsertRowid);
    return { id, kind: 'wipe-meeting', meetingId: o.meetingId, userId: o.userId, refetch: o.refetch, createdAt };
  }

  /** Registers the device on first contact (see the top of this file) and lists what it must still do. */
  pendingFor(deviceId: string, userId: string): DeviceOrder[] {
    return this.db.transaction(() => {
      const now = new Date().toISOString();
      const newest = (this.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM device_wipe_orders').get() as { n: number }).n;
      this.db.prepare(`INSERT INTO devices (device_id, user_id, since_order, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(device_id, user_id) DO UPDATE SET last_seen = excluded.last_seen`).run(deviceId, userId, newest, now, now);
      const rows = this.db.prepare(`
        SELECT o.* FROM device_wipe_orders o JOIN devices d ON d.device_id = ? AND d.user_id = ?
        WHERE o.id > d.since_order AND (o.user_id IS NULL OR o.user_id = ?)
          AND NOT EXISTS (SELECT 1 FROM device_wipe_acks a WHERE a.order_id = o.id AND a.device_id = ?)
        ORDER BY o.id
      `).all(deviceId, userId, userId, deviceId) as OrderRow[];
      return rows.map(toOrder);
    })();
  }

  /** The order if it is addressed to this user (null: no such order for them). */
  orderFor(id: number, userId: string): DeviceOrder | null {
    const row = this.db.prepare('SELECT * FROM device_wipe_orders WHERE id = ? AND (user_id IS NULL OR user_id = ?)').get(id, userId) as OrderRow | undefined;
    return row ? toOrder(row) : null;
  }

  /** Records the acknowledgement; false when this device had already acknowledged it. */
  ack(id: number, deviceId: string, userId: string): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO device_wipe_acks (order_id, device_id, user_id, acked_at) VALUES (?, ?, ?, ?)')
      .run(id, deviceId, userId, new Date().toISOString()).changes > 0;
  }

  forMeeting(meetingId: string): OrderWithAcks[] {
    const rows = this.db.prepare('SELECT * FROM device_wipe_orders WHERE meeting_id = ? ORDER BY id').all(meetingId) as OrderRow[];
    const acks = this.db.prepare('SELECT device_id AS deviceId, user_id AS userId, acked_at AS at FROM device_wipe_acks WHERE order_id = ? ORDER BY acked_at');
    return rows.map((r) => ({ ...toOrder(r), issuedBy: r.issued_by, acks: acks.all(r.id) as OrderWithAcks['acks'] }));
  }
}

// ---- routes ------------------------------------------------------------------------------------
export interface DeviceRouteDeps {
  db: HubDb;
  orders: WipeOrders;
  /** The signed-in caller, or a 401. */
  need: (req: FastifyRequest) => Account;
}

/**
 * `POST /api/devices/wipe` and `GET /api/devices/wipe?meetingId=` for the meeting's managers;
 * `GET /api/devices/orders?deviceId=` and `POST /api/devices/orders/:id/ack` for device agents.
 */
export function registerDeviceRoutes(app: FastifyInstance, { db, orders, need }: DeviceRouteDeps): void {
  const managedMeeting = (a: Account, meetingId: string) => {
    // Not taking part: 404, as everywhere (a meeting's existence is not revealed).
    if (!db.meeting(meetingId) || !takesPart(db, a, meetingId)) throw notFound('no such meeting');
    if (!canManage(db, a, meetingId) && a.role !== 'admin') throw forbidden('only the meeting\'s secretary, chair or an admin may order a wipe');
  };

  app.post('/api/devices/wipe', async (req, reply) => {
    const a = need(req);
    const body = parseOr400(wipeRequestSchema, req.body, 'wipe order');
    managedMeeting(a, body.meetingId);
    if (body.userId && !db.account(body.userId)) throw badRequest(`userId: no account ${body.userId}`);
    const order = orders.issue({ meetingId: body.meetingId, userId: body.userId ?? null, refetch: body.refetch ?? false, issuedBy: a.id });
    db.audit('device-wipe-ordered', a.id, body.meetingId, { order: order.id, userId: order.userId, refetch: order.refetch });
    return reply.status(201).send(order);
  });

  app.get('/api/devices/wipe', async (req) => {
    const a = need(req);
    const q = parseOr400(z.object({ meetingId: idSchema }).strict(), req.query, 'query');
    managedMeeting(a, q.meetingId);
    return orders.forMeeting(q.meetingId);
  });

  app.get('/api/devices/orders', async (req) => {
    const a = need(req);
    const q = parseOr400(deviceOrdersQuerySchema, req.query, 'query');
    return orders.pendingFor(q.deviceId, a.id);
  });

  app.post('/api/devices/orders/:id/ack', async (req, reply) => {
    const a = need(req);
    const id = parseOr400(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), (req.params as { id: string }).id, 'order id');
    const body = parseOr400(deviceAckSchema, req.body, 'acknowledgement');
    const order = orders.orderFor(id, a.id);
    if (!order) throw notFound('no such order for this user');
    if (orders.ack(id, body.deviceId, a.id)) db.audit('device-wipe-acked', a.id, order.meetingId, { order: id, deviceId: body.deviceId });
    return reply.status(204).send();
  });
}
