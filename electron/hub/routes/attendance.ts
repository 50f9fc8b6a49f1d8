// Meeting procedures: attendance and quorum, and the room's seats (procedures/attendance*.ts;
// the brief is ../shared/PROCEDURES.md §1).
import { badRequest } from '../../core/http-common.ts';
import { canManage } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';
import { DEVICE_HEADER } from '../../../shared/procedures/attendance.ts';
import { Attendance } from '../procedures/attendance.ts';
import { mirrorAttendance } from '../procedures/attendance-mirror.ts';
import { assignSeat, listSeats, putSeat, seatExists } from '../procedures/attendance-seats.ts';
import type { FastifyRequest } from 'fastify';

const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function deviceOf(req: FastifyRequest): string | null {
  const v = req.headers[DEVICE_HEADER];
  if (v === undefined) return null;
  if (typeof v !== 'string' || !DEVICE_ID.test(v)) throw badRequest(`${DEVICE_HEADER}: expected a device id (letters, digits, - and _)`);
  return v;
}

export function attendanceRoutes(route: Router, hub: HubContext): void {
  const { db, sqlite } = hub;
  const attendance = new Attendance(hub);

  // The tables are the truth: a live document that lags behind them (written by an older hub, or
  // lost, or never written: a meeting made before procedures existed) is brought up to date at
  // start, for every meeting still running or to come, so every screen has the roll and the
  // quorum figure before the first command.
  const open = sqlite.prepare<[], { id: string }>("SELECT id FROM meetings WHERE status <> 'closed'").all();
  for (const { id } of open) hub.core.atomically(() => mirrorAttendance(hub, attendance.store, id));

  route(ROUTES.attendance, async ({ account: a, params: { id } }) => attendance.view(id, canManage(db, a, id)));

  route(ROUTES.checkIn, async ({ account: a, params: { id }, body, req }) => {
    return attendance.set(id, a.id, canManage(db, a, id), body, deviceOf(req));
  });

  route(ROUTES.bulkAttendance, async ({ account: a, params: { id }, body }) => {
    attendance.bulk(id, a.id, body);
    return attendance.view(id, true);
  });

  route(ROUTES.attendanceSettings, async ({ account: a, params: { id }, body }) => {
    attendance.settings(id, a.id, body);
    return attendance.view(id, true);
  });

  route(ROUTES.seating, async ({ account: a, params: { id }, body }) => {
    const members = new Set(attendance.store.members(id).map((m) => m.userId));
    const notMembers = body.seats.filter((s) => !members.has(s.userId)).map((s) => s.userId);
    if (notMembers.length) throw badRequest(`seats: not members of this meeting: ${notMembers.slice(0, 5).join(', ')}`);
    const noSeat = body.seats.filter((s) => s.seatId !== null && !seatExists(sqlite, s.seatId)).map((s) => s.seatId);
    if (noSeat.length) throw badRequest(`seats: no such seat: ${noSeat.slice(0, 5).join(', ')}`);
    const now = Date.now();
    hub.core.atomically(() => {
      for (const s of body.seats) assignSeat(sqlite, id, s.userId, s.seatId, now);
      db.audit('attendance-seating', a.id, id, { seats: body.seats });
    });
    return attendance.view(id, true);
  });

  route(ROUTES.seats, async () => listSeats(sqlite));

  route(ROUTES.putSeat, async ({ account: a, params: { seatId }, body }) => {
    sqlite.transaction(() => {
      putSeat(sqlite, seatId, body);
      db.audit('seat-set', a.id, seatId, body);
    })();
    return listSeats(sqlite);
  });
}
