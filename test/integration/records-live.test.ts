// The record beyond one call, on the real hub process: every change mirrored into live/<meetingId>
// as a delegate's real y-websocket client sees it; a linked vote's result copied once (annulling the
// vote later leaves it as it was); the record locked once the meeting is closed (409
// `record_locked`, an action item's progress excepted) and open again when it is reopened; and
// everything acknowledged kept across kill -9, with a lost live document rebuilt at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, type YClient } from '../helpers/yclient.ts';
import { startHubIn } from './hub-helpers.ts';
import { Room } from './procedures-attendance-helpers.ts';
import { createAction, createDecision, expectOk, expectRefused, footprint, record, runPoll } from './records-helpers.ts';
import * as live from '../../shared/live-doc.ts';
import { actionItemSchema, decisionSchema, RECORD_LOCKED, type MeetingRecord } from '../../shared/records.ts';

const room = new Room();
let m: string;
let watch: YClient;

beforeAll(async () => {
  await room.start();
  m = await room.meeting({ chair: 'chair', delegate1: 'delegate', delegate2: 'delegate' }, { agenda: ['item-a', 'item-b'] });
  watch = await room.live('delegate2', m);
});
afterAll(() => room.stop());

/** What the live document shows of the record, in the API's shape. */
const shown = (doc: YClient['doc']) => ({
  outcomes: live.itemOutcomes(doc), decisions: live.decisions(doc), actionItems: live.actionItems(doc), locked: live.recordLocked(doc),
});
const sameAsApi = (doc: YClient['doc'], rec: MeetingRecord) => {
  const s = shown(doc);
  const byKey = <T>(list: T[], key: (t: T) => string) => [...list].sort((x, y) => key(x).localeCompare(key(y)));
  return JSON.stringify(byKey(s.outcomes, (o) => o.agendaItemId)) === JSON.stringify(byKey(rec.outcomes, (o) => o.agendaItemId))
    && JSON.stringify(s.decisions) === JSON.stringify(rec.decisions) && JSON.stringify(s.actionItems) === JSON.stringify(rec.actionItems) && s.locked === rec.locked;
};

let decisionId: string;
let pollId: string;
let actionId: string;

describe('the live document mirrors the record', () => {
  it('shows each outcome, decision, reserved opinion and action item as it is made, and drops what is deleted', async () => {
    await expectOk(room.call('chair', 'PUT', `/api/meetings/${m}/items/item-a/outcome`, { status: 'concluded', conclusion: 'Đồng ý chủ trương.' }), 200, { parse: (v) => v });
    await waitFor(() => live.itemOutcomes(watch.doc).some((o) => o.conclusion === 'Đồng ý chủ trương.'), 10_000, 'the conclusion live');

    pollId = await runPoll(room, m, { delegate1: 'yes', delegate2: 'yes', chair: 'no' });
    decisionId = (await createDecision(room, m, { agendaItemId: 'item-a', kind: 'resolution', text: 'Thông qua', pollId })).id;
    await waitFor(() => live.decisions(watch.doc).some((d) => d.id === decisionId && d.result?.yes === 2), 10_000, 'the decision live');

    await expectOk(room.call('delegate1', 'POST', `/api/decisions/${decisionId}/dissents`, { text: 'Bảo lưu' }), 200, decisionSchema);
    await waitFor(() => live.decisions(watch.doc).find((d) => d.id === decisionId)?.dissents.length === 1, 10_000, 'the reserved opinion live');

    actionId = (await createAction(room, m, { decisionId, title: 'Triển khai', ownerUserId: room.id('delegate1'), dueDate: '2000-01-01' })).id;
    await waitFor(() => live.actionItems(watch.doc).some((x) => x.id === actionId && x.overdue), 10_000, 'the action item live');

    const scratch = await createDecision(room, m, { agendaItemId: 'item-b', kind: 'conclusion', text: 'Scratch' });
    await waitFor(() => live.decisions(watch.doc).some((d) => d.id === scratch.id), 10_000, 'the scratch decision live');
    expect((await room.call('chair', 'DELETE', `/api/decisions/${scratch.id}`)).status).toBe(204);
    await waitFor(() => !live.decisions(watch.doc).some((d) => d.id === scratch.id), 10_000, 'the scratch decision gone');

    const rec = await record(room, 'delegate2', m);
    await waitFor(() => sameAsApi(watch.doc, rec), 10_000, 'the live record equal to the API\'s');
  });

  it('the live document refuses a delegate\'s own edit of the record', async () => {
    const mine = await room.live('delegate1', m);
    live.applyLiveChanges(mine.doc, [{ map: 'record', key: 'outcome:item-b', value: { forged: true } }], Date.now(), 'me');
    await waitFor(() => mine.denied.length > 0, 10_000, 'the refusal');
    const check = await room.live('delegate1', m);
    expect(check.doc.getMap('record').get('outcome:item-b')).toBeUndefined();
  });
});

describe('a linked vote\'s result', () => {
  it('stays as published when the vote is annulled afterwards; the annulled vote cannot be linked again', async () => {
    const before = (await record(room, 'chair', m)).decisions.find((d) => d.id === decisionId)!.result;
    expect((await room.call('chair', 'POST', `/api/polls/${pollId}/annul`, { reason: 'Sai quy trình' })).status).toBe(200);
    expect((await record(room, 'chair', m)).decisions.find((d) => d.id === decisionId)!.result).toEqual(before);
    expect(live.decisions(watch.doc).find((d) => d.id === decisionId)!.result).toEqual(before);
    await expectRefused(room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: 'again', pollId }), 409, 'poll_not_published');
  });
});

describe('locking', () => {
  it('once the meeting is closed every write of the record answers 409 record_locked and changes nothing; progress on an action item still goes', async () => {
    expect((await room.call('secretary', 'PATCH', `/api/meetings/${m}`, { status: 'closed' })).status).toBe(200);
    await waitFor(() => live.recordLocked(watch.doc), 10_000, 'locked in the live doc');
    expect((await record(room, 'delegate1', m)).locked).toBe(true);

    const before = footprint(room);
    const writes: Array<[Parameters<Room['call']>[0], string, string, unknown?]> = [
      ['chair', 'PUT', `/api/meetings/${m}/items/item-b/outcome`, { status: 'withdrawn' }],
      ['chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-b', kind: 'conclusion', text: 'late' }],
      ['chair', 'PATCH', `/api/decisions/${decisionId}`, { text: 'rewritten' }],
      ['chair', 'DELETE', `/api/decisions/${decisionId}`],
      ['delegate2', 'POST', `/api/decisions/${decisionId}/dissents`, { text: 'too late' }],
      ['delegate1', 'DELETE', `/api/decisions/${decisionId}/dissents/${room.id('delegate1')}`],
      ['secretary', 'POST', `/api/meetings/${m}/action-items`, { title: 'late' }],
      ['secretary', 'PATCH', `/api/action-items/${actionId}`, { dueDate: '2099-01-01' }],
      ['secretary', 'DELETE', `/api/action-items/${actionId}`],
    ];
    for (const [login, method, path, body] of writes) {
      const msg = await expectRefused(room.call(login, method, path, body), 409, RECORD_LOCKED);
      expect(msg, `${method} ${path}`).toMatch(/closed/);
    }
    expect(footprint(room)).toEqual(before);

    // Following up an action item is what happens after the meeting: its owner reports on it.
    const done = await expectOk(room.call('delegate1', 'PATCH', `/api/action-items/${actionId}`, { status: 'done', evidence: 'Báo cáo số 7' }), 200, actionItemSchema);
    expect(done).toMatchObject({ status: 'done', overdue: false });
    await waitFor(() => live.actionItems(watch.doc).find((x) => x.id === actionId)?.status === 'done', 10_000, 'the progress live');
  });

  it('opens again when an admin reopens the meeting', async () => {
    const reopened = await room.call('admin', 'POST', `/api/meetings/${m}/reopen`, { reason: 'Bổ sung kết luận' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    await waitFor(() => !live.recordLocked(watch.doc), 10_000, 'unlocked in the live doc');
    await expectOk(room.call('chair', 'PUT', `/api/meetings/${m}/items/item-b/outcome`, { status: 'withdrawn', summary: 'Rút khỏi chương trình' }), 200, { parse: (v) => v });
  });
});

describe('durability', () => {
  it('keeps every acknowledged change across kill -9, and rebuilds a lost live document from the tables at start', async () => {
    const before = await record(room, 'chair', m);
    watch.destroy();
    await room.hub.kill9();
    room.hub = await startHubIn(room.hub.dataDir, { demo: true });
    expect(await record(room, 'chair', m)).toEqual(before);
    const again = await room.live('delegate2', m);
    await waitFor(() => sameAsApi(again.doc, before), 10_000, 'the live record after kill -9');

    // Closed, then restarted without its live document: a closed meeting with a record is rebuilt too, locked.
    expect((await room.call('secretary', 'PATCH', `/api/meetings/${m}`, { status: 'closed' })).status).toBe(200);
    await room.restartWithoutLiveDoc(m);
    const closed = { ...before, locked: true };
    expect(await record(room, 'delegate1', m)).toEqual(closed);
    const rebuilt = await room.live('delegate1', m);
    await waitFor(() => sameAsApi(rebuilt.doc, closed), 10_000, 'the live record rebuilt');
    expect(before.outcomes).toHaveLength(2);
    expect(before.decisions[0]!.dissents).toHaveLength(1);
  });
});
