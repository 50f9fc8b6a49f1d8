// The room's seats and the device at each: a member's check-in from the device at their seat is
// plain; from any other device it is accepted but flagged (seat_mismatch) for the secretary.
import type { Database } from '../../core/store.ts';
import type { Seat } from '../../../shared/procedures/attendance.ts';

export interface SeatCheck {
  /** The seat the checking-in device is bound to, or null for an unbound device. */
  seatId: string | null;
}

export function seatCheck(db: Database, deviceId: string): SeatCheck {
  const row = db.prepare<[string], { seatId: string }>('SELECT seat_id AS seatId FROM device_seat WHERE device_id = ?').get(deviceId);
  return { seatId: row?.seatId ?? null };
}

export function listSeats(db: Database): Seat[] {
  return db.prepare<[], Seat>(`SELECT s.id, s.label, s.x, s.y, d.device_id AS deviceId FROM seats s
    LEFT JOIN device_seat d ON d.seat_id = s.id ORDER BY s.label COLLATE NOCASE, s.id`).all();
}

/** Creates or changes a seat; a device moves to it from any seat it sat at before (one seat a device). */
export function putSeat(db: Database, id: string, s: { label: string; x?: number | null; y?: number | null; deviceId?: string | null }): void {
  db.prepare(`INSERT INTO seats (id, label, x, y) VALUES (?, ?, ?, ?)
    ON CONFLICT(id) DO UPDATE SET label = excluded.label, x = COALESCE(excluded.x, x), y = COALESCE(excluded.y, y)`).run(id, s.label, s.x ?? null, s.y ?? null);
  if (s.deviceId === undefined) return;
  db.prepare('DELETE FROM device_seat WHERE seat_id = ?').run(id);
  if (s.deviceId !== null) db.prepare('INSERT INTO device_seat (device_id, seat_id) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE SET seat_id = excluded.seat_id').run(s.deviceId, id);
}

export function seatExists(db: Database, id: string): boolean {
  return db.prepare('SELECT 1 FROM seats WHERE id = ?').get(id) !== undefined;
}

/** A member's seat in one meeting (their row is created if they have none yet). */
export function assignSeat(db: Database, meetingId: string, userId: string, seatId: string | null, now: number): void {
  db.prepare(`INSERT INTO attendance (meeting_id, user_id, seat_id, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT(meeting_id, user_id) DO UPDATE SET seat_id = excluded.seat_id`).run(meetingId, userId, seatId, now);
}
