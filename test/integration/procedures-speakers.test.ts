// The list of speakers on a real hub process over HTTP, with a delegate's live document synced
// over y-websocket: requests and withdrawals and who may make them, the order (points of order
// first, first-time speakers first), the chair's controls with `next` as one step, the countdown
// on the hub's clock, statistics, refusals that change nothing, and a restart that keeps it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/yclient.ts';
import { openHubDb } from './hub-helpers.ts';
import { Room, type Login } from './procedures-attendance-helpers.ts';
import { speakerList } from '../../shared/live-doc.ts';
import type { SpeakerList, SpeakerStats } from '../../shared/procedures/speakers.ts';

const room = new Room();
const ALL = { secretary: 'secretary', chair: 'chair', delegate1: 'delegate', delegate2: 'delegate', delegate3: 'delegate' } as const;

beforeAll(() => room.start());
afterAll(() => room.stop());

type Answer = { speaker: { id: string; userId: string; kind: string }; position: number; list: SpeakerList; serverTime: number };

const ask = (login: Login, id: string, body: object) => room.call<Answer>(login, 'POST', `/api/meetings/${id}/speakers`, body);
const control = (id: string, body: object, login: Login = 'chair') => room.call<{ list: SpeakerList; serverTime: number; message?: string }>(login, 'POST', `/api/meetings/${id}/speakers/control`, body);
const lists = async (id: string, login: Login = 'delegate1') => {
  const r = await room.call<{ lists: SpeakerList[]; serverTime: number }>(login, 'GET', `/api/meetings/${id}/speakers`);
  expect(r.status).toBe(200);
  return r.body;
};
const names = (l: SpeakerList) => l.waiting.map((s) => `${s.userId}:${s.kind}`);

function speakerRows(meetingId: string): number {
  const db = openHubDb(room.hub.dataDir);
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM speakers WHERE meeting_id = ?").get(meetingId) as { n: number }).n
      + (db.prepare("SELECT COUNT(*) AS n FROM audit WHERE target = ? AND action LIKE 'speaker%'").get(meetingId) as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('requests and who may make them', () => {
  it('request, position, withdraw; refusals for outsiders, others\' requests, duplicates, bad bodies', async () => {
    const id = await room.meeting(ALL, { agenda: ['a1'] });
    const r1 = await ask('delegate1', id, { agendaItemId: 'a1', note: 'về ngân sách' });
    expect(r1.status).toBe(201);
    expect(r1.body).toMatchObject({ position: 1, speaker: { userId: room.id('delegate1'), kind: 'normal', state: 'waiting', note: 'về ngân sách' } });
    const r2 = await ask('delegate2', id, { agendaItemId: 'a1' });
    expect(r2.body.position).toBe(2);
    const d3 = await room.live('delegate3', id);
    await waitFor(() => speakerList(d3.doc, 'a1')?.waiting.length === 2, 10_000, 'two waiting on the live doc');

    const before = speakerRows(id);
    // Not a participant: the meeting does not exist for them.
    const outsider = await room.meeting({ chair: 'chair' }, { agenda: ['x'] });
    expect((await ask('delegate1', outsider, { agendaItemId: 'x' })).status).toBe(404);
    expect((await room.call('delegate1', 'GET', `/api/meetings/${outsider}/speakers`)).status).toBe(404);
    expect((await control(outsider, { action: 'close', agendaItemId: 'x' }, 'delegate1')).status).toBe(404);
    // A delegate cannot run the list; an admin who is no member cannot ask for the floor.
    const deleg = await control(id, { action: 'start', agendaItemId: 'a1' }, 'delegate1');
    expect(deleg.status).toBe(403);
    expect(deleg.body.message).toMatch(/chair or secretary/);
    expect((await room.call('delegate1', 'PATCH', `/api/meetings/${id}/speakers/settings`, { sortRule: 'fifo' })).status).toBe(403);
    expect((await ask('admin', id, { agendaItemId: 'a1' })).status).toBe(403);
    // Twice on the same list: 409.
    expect((await ask('delegate1', id, { agendaItemId: 'a1' })).status).toBe(409);
    // Someone else's request: 403, even for the chair (the chair removes instead).
    const other = await room.call<{ message: string }>('delegate2', 'DELETE', `/api/meetings/${id}/speakers/${r1.body.speaker.id}`);
    expect(other.status).toBe(403);
    expect(other.body.message).toMatch(/only the member who asked/);
    expect((await room.call('chair', 'DELETE', `/api/meetings/${id}/speakers/${r1.body.speaker.id}`)).status).toBe(403);
    expect((await room.call('delegate1', 'DELETE', `/api/meetings/${id}/speakers/nosuchspeaker`)).status).toBe(404);
    // Bad bodies: 400 with the field named.
    for (const [body, message] of [
      [{ agendaItemId: 'nope' }, /no agenda item nope/],
      [{}, /agendaItemId/],
      [{ agendaItemId: 'a1', kind: 'reply' }, /kind/],
      [{ agendaItemId: 'a1', note: 'x'.repeat(251) }, /note/],
      [{ agendaItemId: 'a1', extra: true }, /unknown field/],
    ] as const) {
      const r = await room.call<{ message: string }>('delegate3', 'POST', `/api/meetings/${id}/speakers`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toMatch(message);
    }
    for (const [body, message] of [
      [{ action: 'fly', agendaItemId: 'a1' }, /action/],
      [{ action: 'add_time', agendaItemId: 'a1' }, /seconds/],
      [{ action: 'add_time', agendaItemId: 'a1', seconds: 99999 }, /seconds/],
      [{ action: 'reorder', agendaItemId: 'a1', speakerIds: [r1.body.speaker.id] }, /every waiting speaker/],
      [{ action: 'add', agendaItemId: 'a1', userId: room.id('admin') }, /not a member/],
      [{ action: 'start', agendaItemId: 'zz' }, /no agenda item zz/],
    ] as const) {
      const r = await control(id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toMatch(message);
    }
    expect(speakerRows(id)).toBe(before);

    // The member withdraws: gone from the list everywhere.
    expect((await room.call('delegate1', 'DELETE', `/api/meetings/${id}/speakers/${r1.body.speaker.id}`)).status).toBe(204);
    await waitFor(() => speakerList(d3.doc, 'a1')?.waiting.length === 1, 10_000, 'withdrawal on the live doc');
    expect(speakerList(d3.doc, 'a1')!.waiting[0]!.userId).toBe(room.id('delegate2'));
    // Withdrawn is final; asking again is a new request at the end.
    expect((await room.call('delegate1', 'DELETE', `/api/meetings/${id}/speakers/${r1.body.speaker.id}`)).status).toBe(409);
    expect((await ask('delegate1', id, { agendaItemId: 'a1' })).body.position).toBe(2);
  });
});

describe('the order of speakers', () => {
  it('points of order go first, first come first served among themselves; a closed list takes only those', async () => {
    const id = await room.meeting(ALL, { agenda: ['a1'] });
    await ask('delegate1', id, { agendaItemId: 'a1' });
    await ask('delegate2', id, { agendaItemId: 'a1' });
    const p1 = await ask('delegate3', id, { agendaItemId: 'a1', kind: 'point_of_order' });
    expect(p1.body.position).toBe(1);
    const p2 = await ask('chair', id, { agendaItemId: 'a1', kind: 'point_of_order' });
    expect(p2.body.position).toBe(2);
    // delegate1 may also raise a point of order while waiting to speak.
    expect((await ask('delegate1', id, { agendaItemId: 'a1', kind: 'point_of_order' })).body.position).toBe(3);
    const l = (await lists(id)).lists[0]!;
    expect(names(l)).toEqual([
      `${room.id('delegate3')}:point_of_order`, `${room.id('chair')}:point_of_order`, `${room.id('delegate1')}:point_of_order`,
      `${room.id('delegate1')}:normal`, `${room.id('delegate2')}:normal`,
    ]);
    expect((await control(id, { action: 'close', agendaItemId: 'a1' })).body.list.closed).toBe(true);
    const closed = await ask('secretary', id, { agendaItemId: 'a1' });
    expect(closed.status).toBe(409);
    expect((await ask('secretary', id, { agendaItemId: 'a1', kind: 'point_of_order' })).body.position).toBe(4);
    // The chair may still add someone to a closed list.
    expect((await control(id, { action: 'add', agendaItemId: 'a1', userId: room.id('delegate3') })).body.list.waiting.at(-1)!.userId).toBe(room.id('delegate3'));
    expect((await control(id, { action: 'open', agendaItemId: 'a1' })).body.list.closed).toBe(false);
    expect((await ask('secretary', id, { agendaItemId: 'a1' })).status).toBe(201);
  });

  it('first_time_first puts a member who has not spoken on the item before those who have; fifo does not', async () => {
    const id = await room.meeting(ALL, { agenda: ['a1', 'a2'] });
    // delegate1 speaks once on a1.
    await ask('delegate1', id, { agendaItemId: 'a1' });
    expect((await control(id, { action: 'start', agendaItemId: 'a1' })).status).toBe(200);
    expect((await control(id, { action: 'end', agendaItemId: 'a1' })).status).toBe(200);
    // fifo (default): delegate1 again, then delegate2: in that order.
    await ask('delegate1', id, { agendaItemId: 'a1' });
    await ask('delegate2', id, { agendaItemId: 'a1' });
    expect(names((await lists(id)).lists.find((x) => x.agendaItemId === 'a1')!)).toEqual([`${room.id('delegate1')}:normal`, `${room.id('delegate2')}:normal`]);
    // first_time_first for this item: delegate3 (new) goes before the first waiting member who has
    // spoken (delegate1, at the top), so ahead of delegate2 too, who waits behind delegate1.
    const s = await room.call('chair', 'PATCH', `/api/meetings/${id}/speakers/settings`, { agendaItemId: 'a1', sortRule: 'first_time_first' });
    expect(s.status).toBe(200);
    const r3 = await ask('delegate3', id, { agendaItemId: 'a1' });
    expect(r3.body.position).toBe(1);
    // Points of order still above everyone.
    await ask('secretary', id, { agendaItemId: 'a1', kind: 'point_of_order' });
    const l = (await lists(id)).lists.find((x) => x.agendaItemId === 'a1')!;
    expect(names(l)).toEqual([`${room.id('secretary')}:point_of_order`, `${room.id('delegate3')}:normal`, `${room.id('delegate1')}:normal`, `${room.id('delegate2')}:normal`]);
    expect(l.waiting.map((w) => w.spokeBefore)).toEqual([false, false, true, false]);
    expect(l.sortRule).toBe('first_time_first');
    // Another item keeps the meeting's rule (fifo), and "spoke before" is per item.
    await ask('delegate1', id, { agendaItemId: 'a2' });
    await ask('delegate2', id, { agendaItemId: 'a2' });
    expect(names((await lists(id)).lists.find((x) => x.agendaItemId === 'a2')!)).toEqual([`${room.id('delegate1')}:normal`, `${room.id('delegate2')}:normal`]);
    // Reorder by the chair: exactly the waiting ones, logged.
    const ids = l.waiting.map((w) => w.id).reverse();
    const re = await control(id, { action: 'reorder', agendaItemId: 'a1', speakerIds: ids });
    expect(re.status).toBe(200);
    expect(re.body.list.waiting.map((w) => w.id)).toEqual(ids);
    const audit = (await room.auditActions()).find((a) => a.target === id && a.detail?.includes('"reorder"'));
    expect(JSON.parse(audit!.detail!)).toMatchObject({ action: 'reorder', order: ids, agendaItemId: 'a1' });
  });
});

describe('the chair\'s controls and the countdown', () => {
  it('start, pause, resume, add time, next in one step, readd last, remove; wrong states are 409 and change nothing', async () => {
    const id = await room.meeting(ALL, { agenda: ['a1'] });
    const d1 = await room.live('delegate1', id);
    const untouched = speakerRows(id);
    expect((await control(id, { action: 'start', agendaItemId: 'a1' })).status).toBe(409);
    expect((await control(id, { action: 'pause', agendaItemId: 'a1' })).status).toBe(409);
    expect((await control(id, { action: 'next', agendaItemId: 'a1' })).status).toBe(409);
    expect(speakerRows(id)).toBe(untouched);
    for (const login of ['delegate1', 'delegate2', 'delegate3'] as const) await ask(login, id, { agendaItemId: 'a1' });

    const t0 = Date.now();
    const started = await control(id, { action: 'start', agendaItemId: 'a1' });
    const t1 = Date.now();
    expect(started.status).toBe(200);
    const c = started.body.list.current!;
    expect(c).toMatchObject({ userId: room.id('delegate1'), state: 'speaking' });
    expect(c.countdown).toMatchObject({ running: true, allottedMs: 300_000, warnAtMs: 60_000 });
    expect(c.countdown.endsAt).toBeGreaterThanOrEqual(t0 + 300_000);
    expect(c.countdown.endsAt).toBeLessThanOrEqual(t1 + 300_000);
    expect(started.body.list.waiting).toHaveLength(2);
    await waitFor(() => speakerList(d1.doc, 'a1')?.current?.state === 'speaking', 10_000, 'speaking on the live doc');
    expect((await control(id, { action: 'start', agendaItemId: 'a1' })).status).toBe(409);
    expect((await control(id, { action: 'resume', agendaItemId: 'a1' })).status).toBe(409);
    const whileSpeaking = speakerRows(id);
    expect((await control(id, { action: 'remove', agendaItemId: 'a1', speakerId: c.id })).status).toBe(409);
    expect(speakerRows(id)).toBe(whileSpeaking);

    const paused = await control(id, { action: 'pause', agendaItemId: 'a1' });
    const tp = Date.now();
    const pc = paused.body.list.current!.countdown;
    expect(pc).toMatchObject({ running: false, endsAt: null });
    expect(pc.remainingMs).toBeLessThanOrEqual(300_000);
    expect(pc.remainingMs).toBeGreaterThanOrEqual(300_000 - (tp - t0));
    // Paused time does not run: asked again later, the same remaining.
    await waitFor(() => Date.now() > tp + 30, 1000, 'some time to pass');
    expect((await lists(id)).lists[0]!.current!.countdown.remainingMs).toBe(pc.remainingMs);
    const resumed = await control(id, { action: 'resume', agendaItemId: 'a1' });
    const rc = resumed.body.list.current!.countdown;
    expect(rc.running).toBe(true);
    // The end moved by the pause.
    expect(rc.endsAt! - c.countdown.endsAt!).toBeGreaterThanOrEqual(30);
    const more = await control(id, { action: 'add_time', agendaItemId: 'a1', seconds: 60 });
    expect(more.body.list.current!.countdown.allottedMs).toBe(360_000);
    expect(more.body.list.current!.countdown.endsAt).toBe(rc.endsAt! + 60_000);
    // Time taken away below zero: the allotment stops at 0 and the turn runs over (negative).
    const over = await control(id, { action: 'add_time', agendaItemId: 'a1', seconds: -3600 });
    expect(over.body.list.current!.countdown.allottedMs).toBe(0);
    expect(over.body.list.current!.countdown.remainingMs).toBeLessThan(0);

    // next: delegate1's turn ends and delegate2's starts in one transaction; the live doc never
    // shows a list with nobody at the microphone in between.
    const seen: Array<string | null> = [];
    d1.doc.getMap('speakers').observe(() => seen.push(speakerList(d1.doc, 'a1')?.current?.userId ?? null));
    const next = await control(id, { action: 'next', agendaItemId: 'a1' });
    expect(next.body.list.current).toMatchObject({ userId: room.id('delegate2'), state: 'speaking' });
    expect(next.body.list.finishedCount).toBe(1);
    await waitFor(() => speakerList(d1.doc, 'a1')?.current?.userId === room.id('delegate2'), 10_000, 'next on the live doc');
    expect(seen).toEqual([room.id('delegate2')]);
    const db = openHubDb(room.hub.dataDir);
    try {
      const turns = db.prepare('SELECT user_id AS u, state, end_time AS e, begin_time AS b FROM speakers WHERE meeting_id = ? ORDER BY seq').all(id) as Array<{ u: string; state: string; e: number; b: number }>;
      expect(turns.map((t) => t.state)).toEqual(['finished', 'speaking', 'waiting']);
      // One moment on the hub's clock: the end of one turn is the start of the next.
      expect(turns[0]!.e).toBe(turns[1]!.b);
    } finally {
      db.close();
    }

    // The last speaker back at the top; removing a waiting speaker.
    const readd = await control(id, { action: 'readd_last', agendaItemId: 'a1' });
    expect(readd.body.list.waiting.map((w) => w.userId)).toEqual([room.id('delegate1'), room.id('delegate3')]);
    expect((await control(id, { action: 'readd_last', agendaItemId: 'a1' })).status).toBe(409);
    const removed = await control(id, { action: 'remove', agendaItemId: 'a1', speakerId: readd.body.list.waiting[1]!.id });
    expect(removed.body.list.waiting.map((w) => w.userId)).toEqual([room.id('delegate1')]);
    // next with nobody speaking after: ends the turn; then end with nobody speaking is 409.
    await control(id, { action: 'next', agendaItemId: 'a1' });
    const last = await control(id, { action: 'next', agendaItemId: 'a1' });
    expect(last.body.list.current).toBeNull();
    expect(last.body.list.finishedCount).toBe(3);
    expect((await control(id, { action: 'end', agendaItemId: 'a1' })).status).toBe(409);
  });

  it('the list\'s and the meeting\'s speaking time', async () => {
    const id = await room.meeting(ALL, { agenda: ['a1', 'a2'] });
    expect((await room.call('secretary', 'PATCH', `/api/meetings/${id}/speakers/settings`, { defaultTimeS: 120, warnAtS: 30 })).status).toBe(200);
    expect((await room.call('secretary', 'PATCH', `/api/meetings/${id}/speakers/settings`, { agendaItemId: 'a2', defaultTimeS: 60 })).status).toBe(200);
    await ask('delegate1', id, { agendaItemId: 'a1' });
    await ask('delegate1', id, { agendaItemId: 'a2' });
    expect((await control(id, { action: 'start', agendaItemId: 'a1' })).body.list.current!.countdown).toMatchObject({ allottedMs: 120_000, warnAtMs: 30_000 });
    expect((await control(id, { action: 'start', agendaItemId: 'a2' })).body.list.current!.countdown).toMatchObject({ allottedMs: 60_000, warnAtMs: 30_000 });
    expect((await room.call('secretary', 'PATCH', `/api/meetings/${id}/speakers/settings`, { defaultTimeS: 5 })).status).toBe(400);
  });
});

describe('statistics and a restart', () => {
  it('turns, time, first-timers and who never spoke; all of it and a running countdown survive a restart', async () => {
    const id = await room.meeting(ALL, { agenda: ['a1', 'a2'] });
    const turn = async (login: Login, item: string) => {
      expect((await ask(login, id, { agendaItemId: item })).status).toBe(201);
      expect((await control(id, { action: 'start', agendaItemId: item })).status).toBe(200);
      expect((await control(id, { action: 'end', agendaItemId: item })).status).toBe(200);
    };
    await turn('delegate1', 'a1');
    await turn('delegate2', 'a1');
    await turn('delegate1', 'a2');
    await turn('delegate3', 'a2');
    await ask('chair', id, { agendaItemId: 'a2' });
    const started = await control(id, { action: 'start', agendaItemId: 'a2' });
    await ask('delegate2', id, { agendaItemId: 'a2', kind: 'point_of_order' });

    const stats = (await room.call<SpeakerStats>('delegate2', 'GET', `/api/meetings/${id}/speakers/stats`)).body;
    const a1 = stats.items.find((i) => i.agendaItemId === 'a1')!;
    const a2 = stats.items.find((i) => i.agendaItemId === 'a2')!;
    expect(a1).toMatchObject({ turns: 2, firstTimers: 2 });
    // delegate1 spoke on a1 first: on a2 only delegate3 and the chair are first-timers.
    expect(a2).toMatchObject({ turns: 3, firstTimers: 2 });
    expect(stats.meeting).toMatchObject({ turns: 5, firstTimers: 4 });
    expect(stats.meeting.speakers.find((s) => s.userId === room.id('delegate1'))!.turns).toBe(2);
    expect(stats.meeting.neverSpoke).toEqual([{ userId: room.id('secretary'), name: 'Trần Thị Hương' }]);
    expect(stats.meeting.totalMs).toBe(stats.meeting.speakers.reduce((n, s) => n + s.totalMs, 0));
    expect(stats.meeting.avgMs).toBe(Math.round(stats.meeting.totalMs / 5));

    const before = await lists(id);
    await room.restart();
    const after = await lists(id);
    expect(after.lists.map((l) => ({ ...l, at: 0, current: l.current && { ...l.current, countdown: { ...l.current.countdown, remainingMs: 0 } } })))
      .toEqual(before.lists.map((l) => ({ ...l, at: 0, current: l.current && { ...l.current, countdown: { ...l.current.countdown, remainingMs: 0 } } })));
    const cur = after.lists.find((l) => l.agendaItemId === 'a2')!.current!;
    expect(cur).toMatchObject({ userId: room.id('chair'), state: 'speaking' });
    // On the hub's clock: the same end as before the restart.
    expect(cur.countdown.endsAt).toBe(started.body.list.current!.countdown.endsAt);
    const d3 = await room.live('delegate3', id);
    expect(speakerList(d3.doc, 'a2')!.waiting.map((w) => w.kind)).toEqual(['point_of_order']);
    expect((await control(id, { action: 'next', agendaItemId: 'a2' })).body.list.current!.userId).toBe(room.id('delegate2'));
  });
});
