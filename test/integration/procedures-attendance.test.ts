// Attendance and quorum on a real hub process over HTTP, with delegates' live documents synced
// over y-websocket and the hub's SQLite file read beside it: every status and who may set it,
// the check-in window, late arrival, bulk and retroactive marking, refusals that change nothing,
// the quorum under several rules, seats, participant changes, and a restart that keeps it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/yclient.ts';
import { openHubDb, storedDoc } from './hub-helpers.ts';
import { Room } from './procedures-attendance-helpers.ts';
import { attendanceSummary, member, members } from '../../shared/live-doc.ts';
import type { AttendanceView, CheckInAnswer } from '../../shared/procedures/attendance.ts';

const room = new Room();
const ALL = { secretary: 'secretary', chair: 'chair', delegate1: 'delegate', delegate2: 'delegate', delegate3: 'delegate' } as const;

beforeAll(() => room.start());
afterAll(() => room.stop());

const view = async (id: string, login: 'chair' | 'delegate1' = 'chair') => {
  const r = await room.call<AttendanceView>(login, 'GET', `/api/meetings/${id}/attendance`);
  expect(r.status).toBe(200);
  return r.body;
};
const statusOf = (v: AttendanceView, userId: string) => v.members.find((m) => m.userId === userId)?.status;

/** Rows that prove nothing changed: the log, the attendance rows and the audit entries of attendance. */
function countRows(meetingId: string): { log: number; rows: number; audit: number } {
  const db = openHubDb(room.hub.dataDir);
  try {
    const n = (sql: string, ...a: unknown[]) => (db.prepare(sql).get(...a) as { n: number }).n;
    return {
      log: n('SELECT COUNT(*) AS n FROM attendance_log WHERE meeting_id = ?', meetingId),
      rows: n('SELECT COUNT(*) AS n FROM attendance WHERE meeting_id = ?', meetingId),
      audit: n("SELECT COUNT(*) AS n FROM audit WHERE target = ? AND action LIKE 'attendance%'", meetingId),
    };
  } finally {
    db.close();
  }
}

describe('who may see and mark attendance', () => {
  it('answers the contract shape; outsiders get 404, delegates 403 on the managers\' routes', async () => {
    const id = await room.meeting({ chair: 'chair', delegate1: 'delegate', delegate2: 'delegate', secretary: 'secretary' });
    const v = await view(id, 'delegate1');
    expect(v).toMatchObject({ present: 0, entitled: 3, quorum: { met: false, needed: 2 } });
    expect(v.members.map((m) => m.userId).sort()).toEqual([room.id('chair'), room.id('delegate1'), room.id('delegate2'), room.id('secretary')].sort());
    expect(v.members.every((m) => m.status === 'not_checked_in')).toBe(true);
    // The secretary is a member without a vote; the chair votes.
    expect(v.members.find((m) => m.userId === room.id('secretary'))).toMatchObject({ votingRight: false, role: 'secretary' });
    expect(v.members.find((m) => m.userId === room.id('chair'))).toMatchObject({ votingRight: true, role: 'chair' });
    // A delegate does not see devices and seats; a manager does.
    expect(v.members[0]).not.toHaveProperty('votingDeviceId');
    expect((await view(id, 'chair')).members[0]).toHaveProperty('votingDeviceId', null);

    for (const [method, path, body] of [
      ['GET', '', undefined], ['POST', '', { status: 'present' }], ['POST', '/bulk', { userIds: [room.id('delegate1')], status: 'present' }],
      ['PATCH', '/settings', { checkInOpen: false }],
    ] as const) {
      const r = await room.call<{ error: string }>('delegate3', method, `/api/meetings/${id}/attendance${path}`, body);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    const bulk = await room.call<{ message: string }>('delegate1', 'POST', `/api/meetings/${id}/attendance/bulk`, { userIds: [room.id('delegate2')], status: 'present' });
    expect(bulk.status).toBe(403);
    expect((await room.call('delegate1', 'PATCH', `/api/meetings/${id}/attendance/settings`, { checkInOpen: false })).status).toBe(403);
    const other = await room.call<{ message: string }>('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present', userId: room.id('delegate2') });
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/secretary or chair/);
    for (const status of ['present_remote', 'absent', 'absent_excused']) {
      expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status, ...(status === 'absent_excused' ? { reason: 'ill' } : {}) })).status, status).toBe(403);
    }
    // Admins see every meeting but are not members: nothing to check in.
    expect((await room.call('admin', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(403);
    expect(countRows(id)).toEqual({ log: 0, rows: 0, audit: 0 });
  });

  it('bad bodies are 400 with the field named, and change nothing', async () => {
    const id = await room.meeting(ALL);
    const bad: Array<[string, string, unknown, RegExp]> = [
      ['POST', '', { status: 'here' }, /status/],
      ['POST', '', { status: 'present', extra: 1 }, /unknown field "extra"/],
      ['POST', '', 'present', /JSON object/],
      ['POST', '', { status: 'absent_excused', userId: room.id('delegate1') }, /reason/],
      ['POST', '', { status: 'present', userId: room.id('admin') }, /not a member/],
      ['POST', '', { status: 'present', userId: '../etc' }, /userId/],
      ['POST', '', { status: 'present', userId: room.id('delegate1'), at: Date.now() + 3_600_000 }, /future/],
      ['POST', '', { status: 'absent', userId: room.id('delegate1'), at: Date.now() - 1000 }, /arrival/],
      ['POST', '/bulk', { userIds: [], status: 'present' }, /userIds/],
      ['POST', '/bulk', { userIds: [room.id('delegate1'), room.id('admin')], status: 'present' }, /not members/],
      ['PATCH', '/settings', { quorum: { base: 'entitled', num: 3, den: 2, strict: false, countRemote: true } }, /at most 1/],
      ['PATCH', '/settings', { quorum: { base: 'everyone', num: 1, den: 2, strict: false, countRemote: true } }, /base/],
      ['PATCH', '/settings', { lateAfterMinutes: -5 }, /lateAfterMinutes/],
    ];
    for (const [method, path, body, message] of bad) {
      const r = await room.call<{ message: string }>('secretary', method, `/api/meetings/${id}/attendance${path}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toMatch(message);
    }
    const header = await room.call<{ message: string }>('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' }, { 'x-chamber-device': 'not a device!' });
    expect(header.status).toBe(400);
    expect(header.body.message).toMatch(/x-chamber-device/);
    expect(countRows(id)).toEqual({ log: 0, rows: 0, audit: 0 });
    expect((await view(id)).members.every((m) => m.status === 'not_checked_in')).toBe(true);
  });
});

describe('statuses', () => {
  it('self check-in shows on every delegate\'s live document; late is judged from the start; left and back', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const id = await room.meeting(ALL, { startsAt: hourAgo });
    const d2 = await room.live('delegate2', id);
    await waitFor(() => members(d2.doc).length === 5, 10_000, 'the roll mirrored on participant changes');
    expect(attendanceSummary(d2.doc)).toMatchObject({ present: 0, entitled: 4, quorum: { met: false, needed: 3 }, checkInOpen: true });

    const r = await room.call<CheckInAnswer>('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' });
    expect(r.status).toBe(200);
    expect(r.body.serverTime).toBeGreaterThan(0);
    expect(r.body).toMatchObject({ member: { userId: room.id('delegate1'), status: 'present', late: true }, present: 1, entitled: 4 });
    expect(r.body).not.toHaveProperty('members');
    await waitFor(() => member(d2.doc, room.id('delegate1'))?.status === 'present', 10_000, 'check-in on the live doc');
    expect(member(d2.doc, room.id('delegate1'))).toMatchObject({ late: true, name: 'Lê Minh Tuấn', votingRight: true });
    expect(attendanceSummary(d2.doc)).toMatchObject({ present: 1, entitled: 4 });

    // Checking in twice changes nothing and logs nothing.
    const before = countRows(id);
    expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(200);
    expect(countRows(id)).toEqual(before);

    // A later threshold makes the same arrival on time.
    expect((await room.call('chair', 'PATCH', `/api/meetings/${id}/attendance/settings`, { lateAfterMinutes: 120 })).status).toBe(200);
    await waitFor(() => member(d2.doc, room.id('delegate1'))?.late === false, 10_000, 'late recomputed');

    // Left and back, by the member; the first arrival stays the first.
    const first = (await view(id)).members.find((m) => m.userId === room.id('delegate1'))!.firstInAt;
    expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'left' })).status).toBe(200);
    await waitFor(() => member(d2.doc, room.id('delegate1'))?.status === 'left', 10_000, 'left');
    expect(attendanceSummary(d2.doc)?.present).toBe(0);
    expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(200);
    const back = (await view(id)).members.find((m) => m.userId === room.id('delegate1'))!;
    expect(back).toMatchObject({ status: 'present', firstInAt: first });
    // Leaving when not in is a conflict.
    expect((await room.call('delegate2', 'POST', `/api/meetings/${id}/attendance`, { status: 'left' })).status).toBe(409);
  });

  it('closing check-in marks the missing absent; then only a manager checks in (retroactively, with the real time)', async () => {
    const start = Date.now() - 30 * 60_000;
    const id = await room.meeting(ALL, { startsAt: new Date(start).toISOString() });
    expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(200);
    const closed = await room.call<AttendanceView>('secretary', 'PATCH', `/api/meetings/${id}/attendance/settings`, { checkInOpen: false });
    expect(closed.status).toBe(200);
    expect(closed.body.checkInOpen).toBe(false);
    expect(statusOf(closed.body, room.id('delegate1'))).toBe('present');
    for (const login of ['delegate2', 'delegate3', 'chair', 'secretary'] as const) expect(statusOf(closed.body, room.id(login)), login).toBe('absent');

    const before = countRows(id);
    const refused = await room.call<{ message: string }>('delegate2', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/check-in is closed/);
    expect(countRows(id)).toEqual(before);

    // 补签: the secretary records delegate2's arrival ten minutes after the start: not late.
    const at = start + 10 * 60_000;
    const r = await room.call<CheckInAnswer>('secretary', 'POST', `/api/meetings/${id}/attendance`, { status: 'present', userId: room.id('delegate2'), at });
    expect(r.status).toBe(200);
    expect(r.body.member).toMatchObject({ userId: room.id('delegate2'), status: 'present', firstInAt: at, late: false, method: 'secretary' });
    // Excused with a reason; bulk remote for two.
    const ex = await room.call<CheckInAnswer>('chair', 'POST', `/api/meetings/${id}/attendance`, { status: 'absent_excused', userId: room.id('delegate3'), reason: 'công tác / on mission' });
    expect(ex.body.member).toMatchObject({ status: 'absent_excused', reason: 'công tác / on mission' });
    const bulk = await room.call<AttendanceView>('secretary', 'POST', `/api/meetings/${id}/attendance/bulk`, { userIds: [room.id('chair'), room.id('secretary'), room.id('chair')], status: 'present_remote' });
    expect(bulk.status).toBe(200);
    expect(statusOf(bulk.body, room.id('chair'))).toBe('present_remote');
    expect(statusOf(bulk.body, room.id('secretary'))).toBe('present_remote');

    // Reopened, a self check-in works again (a reopened window does not undo the absences).
    expect((await room.call('secretary', 'PATCH', `/api/meetings/${id}/attendance/settings`, { checkInOpen: true })).status).toBe(200);
    const db = openHubDb(room.hub.dataDir);
    try {
      const log = db.prepare('SELECT user_id AS userId, from_status AS "from", to_status AS "to", method, by FROM attendance_log WHERE meeting_id = ? ORDER BY id').all(id) as Array<Record<string, string>>;
      expect(log.filter((l) => l.method === 'auto').map((l) => l.to)).toEqual(['absent', 'absent', 'absent', 'absent']);
      expect(log.find((l) => l.userId === room.id('delegate2') && l.to === 'present')).toMatchObject({ from: 'absent', method: 'secretary', by: room.id('secretary') });
      expect(log.filter((l) => l.userId === room.id('chair')).map((l) => l.to)).toEqual(['absent', 'present_remote']);
    } finally {
      db.close();
    }
    const actions = (await room.auditActions()).filter((a) => a.target === id).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['attendance-set', 'attendance-bulk', 'attendance-settings']));
  });
});

describe('the quorum', () => {
  it('follows the rule: base, fraction, strict, remote members counted or not; the secretary has no vote', async () => {
    const id = await room.meeting(ALL);
    const mark = async (login: 'chair' | 'delegate1' | 'delegate2' | 'delegate3' | 'secretary', status: string, reason?: string) =>
      expect((await room.call('secretary', 'POST', `/api/meetings/${id}/attendance`, { status, userId: room.id(login), ...(reason ? { reason } : {}) })).status).toBe(200);
    await mark('delegate1', 'present');
    await mark('delegate2', 'present');
    await mark('chair', 'present_remote');
    await mark('delegate3', 'absent_excused', 'ill');
    await mark('secretary', 'present');
    const d1 = await room.live('delegate1', id);
    const rule = async (quorum: object) => {
      const r = await room.call<AttendanceView>('chair', 'PATCH', `/api/meetings/${id}/attendance/settings`, { quorum });
      expect(r.status).toBe(200);
      return { present: r.body.present, base: r.body.base, entitled: r.body.entitled, met: r.body.quorum.met, needed: r.body.quorum.needed };
    };
    // Default: more than half of the 4 entitled, remote counted: 3 present, 3 needed.
    expect((await view(id)).quorum).toMatchObject({ met: true, needed: 3 });
    expect(await rule({ base: 'entitled', num: 1, den: 2, strict: true, countRemote: false })).toEqual({ present: 2, base: 4, entitled: 4, met: false, needed: 3 });
    await waitFor(() => attendanceSummary(d1.doc)?.quorum.met === false, 10_000, 'quorum lost on the live doc');
    expect(attendanceSummary(d1.doc)).toMatchObject({ present: 2, base: 4, quorum: { needed: 3 } });
    // At least half: 2·2 ≥ 1·4.
    expect(await rule({ base: 'entitled', num: 1, den: 2, strict: false, countRemote: false })).toEqual({ present: 2, base: 4, entitled: 4, met: true, needed: 2 });
    // Two thirds of those summoned (the excused are not): base 3, 2 needed.
    expect(await rule({ base: 'summoned', num: 2, den: 3, strict: false, countRemote: true })).toEqual({ present: 3, base: 3, entitled: 4, met: true, needed: 2 });
    // More than two thirds of all members: 3·3 > 2·4.
    expect(await rule({ base: 'members_total', num: 2, den: 3, strict: true, countRemote: true })).toEqual({ present: 3, base: 4, entitled: 4, met: true, needed: 3 });
    // Everyone: 4 of 4 needed.
    expect(await rule({ base: 'entitled', num: 1, den: 1, strict: false, countRemote: true })).toEqual({ present: 3, base: 4, entitled: 4, met: false, needed: 4 });
    await waitFor(() => attendanceSummary(d1.doc)?.quorum.needed === 4, 10_000, 'rule change on the live doc');
    // Delegate3 arrives: met.
    await mark('delegate3', 'present');
    await waitFor(() => attendanceSummary(d1.doc)?.quorum.met === true, 10_000, 'quorum met on the live doc');
    expect(attendanceSummary(d1.doc)).toMatchObject({ present: 4, base: 4, entitled: 4 });
  });
});

describe('participants, seats and the live document', () => {
  it('a participant added or removed changes the roll and the quorum on the live doc', async () => {
    const id = await room.meeting({ chair: 'chair', delegate1: 'delegate' });
    const d1 = await room.live('delegate1', id);
    await waitFor(() => attendanceSummary(d1.doc)?.entitled === 2, 10_000, 'two entitled');
    expect((await room.call('admin', 'PUT', `/api/meetings/${id}/participants/${room.id('delegate2')}`, { role: 'delegate' })).status).toBe(200);
    await waitFor(() => attendanceSummary(d1.doc)?.entitled === 3, 10_000, 'three entitled');
    expect(member(d1.doc, room.id('delegate2'))).toMatchObject({ status: 'not_checked_in', votingRight: true });
    // An observer is no member.
    expect((await room.call('admin', 'PUT', `/api/meetings/${id}/participants/${room.id('delegate2')}`, { role: 'observer' })).status).toBe(200);
    await waitFor(() => member(d1.doc, room.id('delegate2')) === null, 10_000, 'observer off the roll');
    expect(attendanceSummary(d1.doc)?.entitled).toBe(2);
    expect((await room.call('admin', 'DELETE', `/api/meetings/${id}/participants/${room.id('chair')}`)).status).toBe(204);
    await waitFor(() => attendanceSummary(d1.doc)?.entitled === 1, 10_000, 'chair removed');
  });

  it('a delegate\'s update to live/ is refused and stored nowhere', async () => {
    const id = await room.meeting(ALL);
    const d1 = await room.live('delegate1', id);
    const d2 = await room.live('delegate2', id);
    await waitFor(() => attendanceSummary(d1.doc) !== null, 10_000, 'summary');
    d1.doc.getMap('attendance').set('summary', { present: 99, base: 1, entitled: 1, quorum: { met: true, needed: 1 }, checkInOpen: true, at: 1 });
    d1.doc.getMap('members').set(room.id('delegate2'), { forged: true });
    await waitFor(() => d1.denied.length > 0, 10_000, 'permission-denied');
    // A hub write after the forgery reaches the other delegate; the forgery never does.
    expect((await room.call('delegate2', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(200);
    await waitFor(() => attendanceSummary(d2.doc)?.present === 1, 10_000, 'real check-in');
    expect(member(d2.doc, room.id('delegate2'))).toMatchObject({ status: 'present' });
    const db = openHubDb(room.hub.dataDir);
    try {
      const stored = storedDoc(db, `live/${id}`);
      expect(attendanceSummary(stored)?.present).toBe(1);
      expect(member(stored, room.id('delegate2'))?.status).toBe('present');
    } finally {
      db.close();
    }
  });

  it('seats: a check-in from the device at the member\'s seat is plain, from another device flagged', async () => {
    const id = await room.meeting(ALL);
    const seat = (n: number, deviceId: string | null) => room.call<unknown[]>('secretary', 'PUT', `/api/seats/s${n}-${id}`, { label: `Seat ${n}`, x: n, y: 0, deviceId });
    expect((await seat(1, `dev1-${id}`)).status).toBe(200);
    const seats = await seat(2, `dev2-${id}`);
    expect(seats.body).toEqual(expect.arrayContaining([{ id: `s2-${id}`, label: 'Seat 2', x: 2, y: 0, deviceId: `dev2-${id}` }]));
    expect((await room.call('delegate1', 'PUT', `/api/seats/s3-${id}`, { label: 'Seat 3' })).status).toBe(403);
    expect((await room.call('secretary', 'PUT', `/api/meetings/${id}/attendance/seating`, { seats: [{ userId: room.id('delegate1'), seatId: 'nope' }] })).status).toBe(400);
    const plan = await room.call<AttendanceView>('secretary', 'PUT', `/api/meetings/${id}/attendance/seating`, {
      seats: [{ userId: room.id('delegate1'), seatId: `s1-${id}` }, { userId: room.id('delegate2'), seatId: `s2-${id}` }],
    });
    expect(plan.status).toBe(200);
    expect(plan.body.members.find((m) => m.userId === room.id('delegate1'))).toMatchObject({ seatId: `s1-${id}`, status: 'not_checked_in' });

    const inAt = (login: 'delegate1' | 'delegate2', device: string) => room.call('delegate1' === login ? 'delegate1' : 'delegate2', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' }, { 'x-chamber-device': device });
    expect((await inAt('delegate1', `dev1-${id}`)).status).toBe(200);
    expect((await inAt('delegate2', `dev1-${id}`)).status).toBe(200);
    const v = await view(id, 'chair');
    expect(v.members.find((m) => m.userId === room.id('delegate1'))).toMatchObject({ status: 'present', votingDeviceId: `dev1-${id}`, seatMismatch: false });
    expect(v.members.find((m) => m.userId === room.id('delegate2'))).toMatchObject({ status: 'present', votingDeviceId: `dev1-${id}`, seatMismatch: true });
    // Delegates see neither.
    expect((await view(id, 'delegate1')).members.find((m) => m.userId === room.id('delegate2'))).not.toHaveProperty('seatMismatch');
  });
});

describe('a hub restart', () => {
  it('keeps statuses, settings and the live figures', async () => {
    const id = await room.meeting(ALL);
    expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(200);
    expect((await room.call('secretary', 'POST', `/api/meetings/${id}/attendance`, { status: 'absent_excused', userId: room.id('delegate2'), reason: 'ill' })).status).toBe(200);
    expect((await room.call('chair', 'PATCH', `/api/meetings/${id}/attendance/settings`, { checkInOpen: false, quorum: { base: 'summoned', num: 1, den: 3, strict: false, countRemote: true } })).status).toBe(200);
    const before = await view(id);
    await room.restart();
    const after = await view(id);
    expect({ ...after, serverTime: 0 }).toEqual({ ...before, serverTime: 0 });
    // Summoned: the four voting members less the excused one; a third of three is one.
    expect(after).toMatchObject({ checkInOpen: false, present: 1, base: 3, quorum: { met: true, needed: 1 } });
    const d3 = await room.live('delegate3', id);
    expect(attendanceSummary(d3.doc)).toMatchObject({ present: 1, base: 3, quorum: { met: true, needed: 1 }, checkInOpen: false });
    expect(member(d3.doc, room.id('delegate2'))).toMatchObject({ status: 'absent_excused', reason: 'ill' });
    expect((await room.call('delegate3', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(403);
  });

  it('rebuilds a lost live document from the tables at start', async () => {
    const id = await room.meeting(ALL);
    expect((await room.call('delegate1', 'POST', `/api/meetings/${id}/attendance`, { status: 'present' })).status).toBe(200);
    await room.restartWithoutLiveDoc(id);
    const d2 = await room.live('delegate2', id);
    expect(attendanceSummary(d2.doc)).toMatchObject({ present: 1, entitled: 4 });
    expect(member(d2.doc, room.id('delegate1'))?.status).toBe('present');
    expect(members(d2.doc)).toHaveLength(5);
  });
});
