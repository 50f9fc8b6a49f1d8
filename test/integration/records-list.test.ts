// Action items across meetings on the real hub process: `overdue` judged against the hub's day (a
// task due today is not overdue; a done one never is), overdue first, and who sees what — a
// delegate their own items anywhere and every item of the meetings they take part in, an admin
// everything, an outsider nothing — with `mine`, `overdue` and `meetingId` filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Room, type Login } from './procedures-attendance-helpers.ts';
import { createAction, expectRefused, listActions } from './records-helpers.ts';
import type { ActionItem } from '../../shared/records.ts';

const room = new Room();
let today: string;
let yesterday: string;
let a: string; // delegate1, delegate2 take part
let b: string; // delegate2 takes part
let draft: string; // a draft: delegates do not see it yet
const ids: Record<string, string> = {};

const shift = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const titles = (items: Array<{ title: string }>) => items.map((i) => i.title);

beforeAll(async () => {
  await room.start();
  today = (await listActions(room, 'admin')).today;
  yesterday = shift(today, -1);
  a = await room.meeting({ chair: 'chair', delegate1: 'delegate', delegate2: 'delegate' });
  b = await room.meeting({ chair: 'chair', delegate2: 'delegate' });
  const created = await room.call<{ id: string }>('secretary', 'POST', '/api/meetings', { title: 'Draft meeting' });
  draft = created.body.id;
  for (const l of ['delegate1', 'delegate2'] as const) expect((await room.call('admin', 'PUT', `/api/meetings/${draft}/participants/${room.id(l)}`, { role: 'delegate' })).status).toBe(200);

  const add = async (meeting: string, title: string, owner: Login | null, dueDate: string | null, status?: ActionItem['status']) => {
    const item = await createAction(room, meeting, { title, ownerUserId: owner ? room.id(owner) : null, dueDate });
    if (status) expect((await room.call('secretary', 'PATCH', `/api/action-items/${item.id}`, { status })).status).toBe(200);
    ids[title] = item.id;
  };
  await add(a, 'a1 overdue', 'delegate1', yesterday);
  await add(a, 'a2 due today', 'delegate2', today);
  await add(a, 'a3 done late', 'delegate1', yesterday, 'done');
  await add(a, 'a4 long overdue', 'delegate1', '2000-01-01', 'in_progress');
  await add(a, 'a5 undated', 'delegate1', null);
  await add(a, 'c1 for an outsider', 'delegate3', '2099-01-01');
  await add(b, 'b1 mine elsewhere', 'delegate1', '2099-12-31');
  await add(b, 'b2 hers overdue', 'delegate2', yesterday);
  await add(draft, 'd1 mine in a draft', 'delegate1', null);
  await add(draft, 'd2 cancelled late', 'delegate2', '2001-01-01', 'cancelled');
});
afterAll(() => room.stop());

describe('the overdue flag', () => {
  it('is set on open and in-progress items whose due day has passed, judged against the hub\'s day', async () => {
    const { items, today: day } = await listActions(room, 'admin');
    expect(day).toBe(today);
    const flag = (title: string) => items.find((i) => i.title === title)!.overdue;
    expect(flag('a1 overdue')).toBe(true);
    expect(flag('a4 long overdue')).toBe(true);
    expect(flag('b2 hers overdue')).toBe(true);
    expect(flag('a2 due today')).toBe(false);
    expect(flag('a3 done late')).toBe(false);
    expect(flag('d2 cancelled late')).toBe(false);
    expect(flag('a5 undated')).toBe(false);
    // The record of the meeting says the same.
    const rec = (await room.call<{ actionItems: ActionItem[] }>('delegate1', 'GET', `/api/meetings/${a}/record`)).body;
    expect(rec.actionItems.filter((i) => i.overdue).map((i) => i.title).sort()).toEqual(['a1 overdue', 'a4 long overdue']);
  });

  it('goes once the item is done', async () => {
    expect((await room.call('delegate1', 'PATCH', `/api/action-items/${ids['a1 overdue']}`, { status: 'done' })).status).toBe(200);
    expect(titles((await listActions(room, 'delegate1', '?overdue=1')).items)).toEqual(['a4 long overdue']);
    expect((await room.call('delegate1', 'PATCH', `/api/action-items/${ids['a1 overdue']}`, { status: 'open' })).status).toBe(200);
    expect(titles((await listActions(room, 'delegate1', '?overdue=1')).items)).toEqual(['a4 long overdue', 'a1 overdue']);
  });
});

describe('who sees which action items', () => {
  it('a delegate: every item of the meetings they take part in and their own anywhere, overdue first, with the meeting\'s title', async () => {
    const { items } = await listActions(room, 'delegate1');
    expect(titles(items)).toEqual(['a4 long overdue', 'a1 overdue', 'a3 done late', 'a2 due today', 'c1 for an outsider', 'b1 mine elsewhere', 'd1 mine in a draft', 'a5 undated']);
    const meetingTitle = (await room.call<{ title: string }>('chair', 'GET', `/api/meetings/${b}`)).body.title;
    expect(items.find((i) => i.title === 'b1 mine elsewhere')).toMatchObject({ meetingId: b, meetingTitle, ownerName: 'Lê Minh Tuấn' });
    expect(items.find((i) => i.title === 'd1 mine in a draft')?.meetingTitle).toBe('Draft meeting');
  });

  it('`mine=1` keeps their own; `meetingId` one meeting; both together', async () => {
    expect(titles((await listActions(room, 'delegate1', '?mine=1')).items).sort()).toEqual(['a1 overdue', 'a3 done late', 'a4 long overdue', 'a5 undated', 'b1 mine elsewhere', 'd1 mine in a draft']);
    expect(titles((await listActions(room, 'delegate2', `?meetingId=${b}`)).items).sort()).toEqual(['b1 mine elsewhere', 'b2 hers overdue']);
    expect(titles((await listActions(room, 'delegate1', `?meetingId=${b}`)).items)).toEqual(['b1 mine elsewhere']);
    expect(titles((await listActions(room, 'delegate2', `?mine=1&overdue=1`)).items)).toEqual(['b2 hers overdue']);
  });

  it('another delegate sees their meetings, not a draft they are not shown yet (unless they own the item)', async () => {
    expect(titles((await listActions(room, 'delegate2')).items).sort()).toEqual([
      'a1 overdue', 'a2 due today', 'a3 done late', 'a4 long overdue', 'a5 undated', 'b1 mine elsewhere', 'b2 hers overdue', 'c1 for an outsider', 'd2 cancelled late',
    ]);
  });

  it('someone in no meeting sees only what they own; an admin sees everything', async () => {
    expect(titles((await listActions(room, 'delegate3')).items)).toEqual(['c1 for an outsider']);
    expect((await listActions(room, 'admin')).items).toHaveLength(Object.keys(ids).length);
    // The secretary made the draft (its manager) and takes part in all three.
    expect((await listActions(room, 'secretary')).items).toHaveLength(Object.keys(ids).length);
  });

  it('refuses a filter it does not know (400)', async () => {
    await expectRefused(room.call('delegate1', 'GET', '/api/action-items?overdue=yes'), 400);
    await expectRefused(room.call('delegate1', 'GET', '/api/action-items?owner=me'), 400);
    await expectRefused(room.call('delegate1', 'GET', '/api/action-items?meetingId=BAD%20ID'), 400);
  });
});
