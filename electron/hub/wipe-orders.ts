// Wipe orders: "remove this meeting from the cache of every device (of one user)". The hub keeps
// each order and which devices acknowledged it; device agents ask for their pending orders on
// every round with the hub (electron/agent/), carry them out, and acknowledge. The routes are
// in routes/devices.ts.
//
// Which devices an order reaches: a device (the random id its agent keeps) is registered the
// first time it asks for orders, remembering the newest order id at that moment. An order
// reaches a device when it names no user or the device's signed-in user, is newer than the
// device's registration, and the device has not acknowledged it. Agents ask before they cache
// anything in a round, so every device that could hold a meeting's data was registered before
// any order issued after it cached that data; a device first seen later (a new tablet, or one
// whose cache was wiped whole) has nothing to wipe and is not told.
import type { Database } from '../core/store.ts';
import { isoTime } from './hub-db.ts';
import type { DeviceOrder } from '../../shared/api.ts';

interface OrderRow {
  id: number;
  meeting_id: string;
  user_id: string | null;
  refetch: number;
  issued_by: string;
  created_at: number;
}

export interface OrderWithAcks extends DeviceOrder {
  issuedBy: string;
  acks: Array<{ deviceId: string; userId: string; at: string }>;
}

const toOrder = (r: OrderRow): DeviceOrder => ({
  id: r.id, kind: 'wipe-meeting', meetingId: r.meeting_id, userId: r.user_id, refetch: r.refetch === 1, createdAt: isoTime(r.created_at),
});

export class WipeOrders {
  readonly db: Database;
  constructor(db: Database) {
    this.db = db;
    // Its tables come from the hub's migration list (electron/hub/hub-schema.ts).
  }

  issue(o: { meetingId: string; userId: string | null; refetch: boolean; issuedBy: string }): DeviceOrder {
    const at = Date.now();
    const createdAt = isoTime(at);
    const id = Number(this.db.prepare('INSERT INTO device_wipe_orders (meeting_id, user_id, refetch, issued_by, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(o.meetingId, o.userId, o.refetch ? 1 : 0, o.issuedBy, at).lastInsertRowid);
    return { id, kind: 'wipe-meeting', meetingId: o.meetingId, userId: o.userId, refetch: o.refetch, createdAt };
  }

  /** Registers the device on first contact (see the top of this file) and lists what it must still do. */
  pendingFor(deviceId: string, userId: string): DeviceOrder[] {
    return this.db.transaction(() => {
      const now = Date.now();
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
      .run(id, deviceId, userId, Date.now()).changes > 0;
  }

  forMeeting(meetingId: string): OrderWithAcks[] {
    const rows = this.db.prepare('SELECT * FROM device_wipe_orders WHERE meeting_id = ? ORDER BY id').all(meetingId) as OrderRow[];
    const acks = this.db.prepare<[number], { deviceId: string; userId: string; at: number }>('SELECT device_id AS deviceId, user_id AS userId, acked_at AS at FROM device_wipe_acks WHERE order_id = ? ORDER BY acked_at');
    return rows.map((r) => ({ ...toOrder(r), issuedBy: r.issued_by, acks: acks.all(r.id).map((a) => ({ ...a, at: isoTime(a.at) })) }));
  }
}
