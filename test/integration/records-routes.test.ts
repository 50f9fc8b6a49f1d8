// The meeting's record on the real hub process, route by route: item outcomes, decisions linked to
// a published vote (its result copied, never anything per voter), reserved opinions, action items,
// and every refusal — an outsider 404, a delegate 403 on a manager's route, an owner limited to
// status and evidence, a vote not published 409, bad input 400 — each leaving the tables and the
// audit log as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Room } from './procedures-attendance-helpers.ts';
import { createAction, createDecision, expectOk, expectRefused, footprint, record, runPoll } from './records-helpers.ts';
import { actionItemSchema, decisionSchema, itemOutcomeSchema } from '../../shared/records.ts';
import { pollResultSchema } from '../../shared/procedures/polls.ts';

const room = new Room();
let m: string; // delegate1 and delegate2 take part; delegate3 does not
let other: string; // another meeting, for what must stay in its own

beforeAll(async () => {
  await room.start();
  m = await room.meeting({ chair: 'chair', delegate1: 'delegate', delegate2: 'delegate' }, { agenda: ['item-a', 'item-b'] });
  other = await room.meeting({ chair: 'chair', delegate1: 'delegate' }, { agenda: ['item-x'] });
});
afterAll(() => room.stop());

/** Runs a call that must be refused and proves it changed nothing. */
async function refusedUnchanged(p: () => Promise<{ status: number; body: unknown }>, status: number, code?: string): Promise<string> {
  const before = footprint(room);
  const msg = await expectRefused(p(), status, code);
  expect(footprint(room)).toEqual(before);
  return msg;
}

describe('item outcomes', () => {
  const put = (login: Parameters<Room['call']>[0], item: string, body: unknown, meeting = m) => room.call(login, 'PUT', `/api/meetings/${meeting}/items/${item}/outcome`, body);

  it('the chair concludes an item; the secretary\'s summary and a new status replace it; everyone taking part reads it', async () => {
    const first = await expectOk(put('chair', 'item-a', { status: 'concluded', conclusion: '  Thông qua dự toán ngân sách 2027.  ' }), 200, itemOutcomeSchema);
    expect(first).toMatchObject({ agendaItemId: 'item-a', status: 'concluded', conclusion: 'Thông qua dự toán ngân sách 2027.', summary: '' });
    const second = await expectOk(put('secretary', 'item-a', { status: 'concluded', conclusion: first.conclusion, summary: 'Ba ý kiến phát biểu.' }), 200, itemOutcomeSchema);
    expect(second.summary).toBe('Ba ý kiến phát biểu.');
    // A long summary in Vietnamese: more bytes than the API's usual 64 KiB body, within 50,000 characters.
    const summary = 'Đại biểu thảo luận kỹ về từng khoản chi. '.repeat(1200).trim();
    expect(summary.length).toBeLessThanOrEqual(50_000);
    const long = await expectOk(put('secretary', 'item-b', { status: 'pending', summary }), 200, itemOutcomeSchema);
    expect(long.summary).toBe(summary);
    await expectOk(put('chair', 'item-b', { status: 'deferred' }), 200, itemOutcomeSchema);
    const seen = await record(room, 'delegate2', m);
    expect(seen.outcomes.map((o) => [o.agendaItemId, o.status]).sort()).toEqual([['item-a', 'concluded'], ['item-b', 'deferred']]);
    expect(seen.locked).toBe(false);
    const audit = (await room.auditActions()).filter((r) => r.action === 'record.outcome' && r.target === 'item-a');
    expect(audit).toHaveLength(2);
  });

  it('refuses a delegate (403), an outsider (404), an item not on the agenda (404) and bad input (400), changing nothing', async () => {
    await refusedUnchanged(() => put('delegate1', 'item-a', { status: 'withdrawn' }), 403);
    await refusedUnchanged(() => put('delegate3', 'item-a', { status: 'withdrawn' }), 404);
    await refusedUnchanged(() => put('chair', 'item-x', { status: 'withdrawn' }), 404); // another meeting's item
    await refusedUnchanged(() => put('chair', 'item-a', { status: 'adopted' }), 400);
    await refusedUnchanged(() => put('chair', 'item-a', { status: 'concluded', extra: 1 }), 400);
    await refusedUnchanged(() => put('chair', 'item-a', { status: 'concluded', conclusion: 'x'.repeat(20_001) }), 400);
    await refusedUnchanged(() => put('chair', 'item-a', [1, 2]), 400);
    await refusedUnchanged(() => put('chair', 'bad id!', { status: 'concluded' }), 400);
    expect((await record(room, 'chair', m)).outcomes.find((o) => o.agendaItemId === 'item-a')?.status).toBe('concluded');
  });
});

describe('decisions', () => {
  it('links a published vote: its result is copied as published, with counts only, also for a secret vote', async () => {
    const named = await runPoll(room, m, { delegate1: 'yes', delegate2: 'no', chair: 'yes' });
    const d = await createDecision(room, m, { agendaItemId: 'item-a', kind: 'resolution', text: 'Nghị quyết thông qua ngân sách', pollId: named });
    expect(d).toMatchObject({ meetingId: m, agendaItemId: 'item-a', kind: 'resolution', pollId: named, dissents: [] });
    expect(d.result).toMatchObject({ yes: 2, no: 1, abstain: 0, passed: true, voted: 3 });
    const raw = (await room.call<Record<string, unknown>>('chair', 'GET', `/api/meetings/${m}/record`)).body;
    // Nothing about who voted what travels with the decision (a named vote's ballots stay with the poll).
    expect(JSON.stringify(raw)).not.toContain(room.id('delegate2'));

    const secret = await runPoll(room, m, { delegate1: 'yes', delegate2: 'abstain' }, { visibility: 'secret' });
    const s = await createDecision(room, m, { agendaItemId: 'item-b', kind: 'approval', text: 'Approved by secret ballot', pollId: secret });
    expect(s.result).toMatchObject({ yes: 1, no: 0, abstain: 1 });
    // As sent, not as parsed (parsing would drop a key the hub should not have sent): counts only.
    const sent = (await room.call<{ decisions: Array<{ id: string; result: Record<string, unknown> }> }>('delegate1', 'GET', `/api/meetings/${m}/record`)).body;
    const keys = Object.keys(sent.decisions.find((x) => x.id === s.id)!.result);
    expect(keys.filter((k) => !(k in pollResultSchema.shape))).toEqual([]);
  });

  it('refuses a vote not yet published (409), one of another meeting or none (400), a delegate (403), an outsider (404)', async () => {
    const open = await runPoll(room, m, { delegate1: 'yes' }, { until: 'finished' });
    const msg = await refusedUnchanged(() => room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: 'x', pollId: open }), 409, 'poll_not_published');
    expect(msg).toMatch(/published/);
    const elsewhere = await runPoll(room, other, { delegate1: 'yes' });
    await refusedUnchanged(() => room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: 'x', pollId: elsewhere }), 400);
    await refusedUnchanged(() => room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: 'x', pollId: 'nope' }), 400);
    await refusedUnchanged(() => room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-x', kind: 'resolution', text: 'x' }), 400);
    await refusedUnchanged(() => room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'verdict', text: 'x' }), 400);
    await refusedUnchanged(() => room.call('chair', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: '   ' }), 400);
    await refusedUnchanged(() => room.call('delegate1', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: 'x' }), 403);
    await refusedUnchanged(() => room.call('delegate3', 'POST', `/api/meetings/${m}/decisions`, { agendaItemId: 'item-a', kind: 'resolution', text: 'x' }), 404);
  });

  it('is edited and deleted by managers only; a re-link copies the new vote\'s result, the same link keeps the first copy', async () => {
    const d = await createDecision(room, m, { agendaItemId: 'item-a', kind: 'conclusion', text: 'Draft' });
    expect(d.result).toBeNull();
    const patch = (login: Parameters<Room['call']>[0], body: unknown) => room.call(login, 'PATCH', `/api/decisions/${d.id}`, body);
    const edited = await expectOk(patch('secretary', { text: 'Kết luận của chủ tọa', kind: 'resolution' }), 200, decisionSchema);
    expect(edited).toMatchObject({ text: 'Kết luận của chủ tọa', kind: 'resolution', pollId: null });
    const poll = await runPoll(room, m, { delegate1: 'no', delegate2: 'no' });
    const linked = await expectOk(patch('chair', { pollId: poll }), 200, decisionSchema);
    expect(linked.result).toMatchObject({ yes: 0, no: 2, passed: false });
    const again = await expectOk(patch('chair', { pollId: poll, text: 'Not adopted' }), 200, decisionSchema);
    expect(again.result).toEqual(linked.result);
    await refusedUnchanged(() => patch('delegate1', { text: 'mine now' }), 403);
    await refusedUnchanged(() => patch('delegate3', { text: 'mine now' }), 404);
    await refusedUnchanged(() => patch('chair', { text: '' }), 400);
    await refusedUnchanged(() => patch('chair', { agendaItemId: 'item-b' }), 400);
    await refusedUnchanged(() => room.call('delegate1', 'DELETE', `/api/decisions/${d.id}`), 403);
    await refusedUnchanged(() => room.call('chair', 'PATCH', '/api/decisions/nosuchdecision', { text: 'x' }), 404);
    const unlinked = await expectOk(patch('chair', { pollId: null }), 200, decisionSchema);
    expect(unlinked).toMatchObject({ pollId: null, result: null });

    const task = await createAction(room, m, { decisionId: d.id, title: 'Follow up' });
    expect(task.agendaItemId).toBe('item-a'); // from its decision
    expect((await room.call('chair', 'DELETE', `/api/decisions/${d.id}`)).status).toBe(204);
    const after = await record(room, 'delegate1', m);
    expect(after.decisions.some((x) => x.id === d.id)).toBe(false);
    // The action item outlives the decision, no longer linked to it.
    expect(after.actionItems.find((a) => a.id === task.id)).toMatchObject({ decisionId: null, title: 'Follow up' });
  });
});

describe('reserved opinions', () => {
  let d: string;
  beforeAll(async () => {
    d = (await createDecision(room, m, { agendaItemId: 'item-a', kind: 'resolution', text: 'Opinions' })).id;
  });
  const post = (login: Parameters<Room['call']>[0], body: unknown) => room.call(login, 'POST', `/api/decisions/${d}/dissents`, body);

  it('a participant reserves their own, once: a second replaces the first', async () => {
    await expectOk(post('delegate1', { text: 'Tôi bảo lưu ý kiến về mục 3.' }), 200, decisionSchema);
    const replaced = await expectOk(post('delegate1', { text: 'Bảo lưu toàn bộ.' }), 200, decisionSchema);
    expect(replaced.dissents).toEqual([expect.objectContaining({ userId: room.id('delegate1'), name: 'Lê Minh Tuấn', text: 'Bảo lưu toàn bộ.' })]);
  });

  it('a manager records one for a named participant; a delegate may not name someone else', async () => {
    const withTwo = await expectOk(post('secretary', { text: 'Recorded for her', userId: room.id('delegate2') }), 200, decisionSchema);
    expect(withTwo.dissents.map((x) => x.userId).sort()).toEqual([room.id('delegate1'), room.id('delegate2')].sort());
    await refusedUnchanged(() => post('delegate1', { text: 'for you', userId: room.id('delegate2') }), 403);
    await refusedUnchanged(() => post('secretary', { text: 'outsider', userId: room.id('delegate3') }), 400);
    await refusedUnchanged(() => post('delegate3', { text: 'let me in' }), 404);
    await refusedUnchanged(() => post('delegate1', { text: '' }), 400);
    await refusedUnchanged(() => post('delegate1', { text: 'x', extra: true }), 400);
  });

  it('each withdraws their own; only a manager removes someone else\'s', async () => {
    const del = (login: Parameters<Room['call']>[0], userId: string) => room.call(login, 'DELETE', `/api/decisions/${d}/dissents/${userId}`);
    await refusedUnchanged(() => del('delegate1', room.id('delegate2')), 403);
    expect((await del('delegate1', room.id('delegate1'))).status).toBe(204);
    await refusedUnchanged(() => del('delegate1', room.id('delegate1')), 404);
    expect((await del('chair', room.id('delegate2'))).status).toBe(204);
    expect((await record(room, 'delegate2', m)).decisions.find((x) => x.id === d)?.dissents).toEqual([]);
  });
});

describe('action items', () => {
  it('a manager assigns one to a person and units; its owner may change only its status and evidence', async () => {
    const decision = await createDecision(room, m, { agendaItemId: 'item-b', kind: 'resolution', text: 'Digitise the archive' });
    const a = await createAction(room, m, {
      decisionId: decision.id, title: 'Số hóa hồ sơ lưu trữ', ownerUserId: room.id('delegate1'), ownerUnit: 'Văn phòng',
      coUnits: ['Sở Tài chính', 'Sở Nội vụ'], dueDate: '2099-12-31',
    });
    expect(a).toMatchObject({
      meetingId: m, decisionId: decision.id, agendaItemId: 'item-b', ownerName: 'Lê Minh Tuấn', ownerUnit: 'Văn phòng',
      coUnits: ['Sở Tài chính', 'Sở Nội vụ'], dueDate: '2099-12-31', status: 'open', overdue: false, evidence: '',
    });
    const patch = (login: Parameters<Room['call']>[0], body: unknown) => room.call(login, 'PATCH', `/api/action-items/${a.id}`, body);
    const progressed = await expectOk(patch('delegate1', { status: 'in_progress', evidence: 'Công văn 12/VP' }), 200, actionItemSchema);
    expect(progressed).toMatchObject({ status: 'in_progress', evidence: 'Công văn 12/VP', title: 'Số hóa hồ sơ lưu trữ' });
    const msg = await refusedUnchanged(() => patch('delegate1', { dueDate: '2100-01-01' }), 403);
    expect(msg).toMatch(/status and evidence/);
    await refusedUnchanged(() => patch('delegate2', { status: 'done' }), 403);
    await refusedUnchanged(() => patch('delegate3', { status: 'done' }), 404);
    const moved = await expectOk(patch('chair', { dueDate: null, ownerUserId: room.id('delegate2'), coUnits: [] }), 200, actionItemSchema);
    expect(moved).toMatchObject({ ownerUserId: room.id('delegate2'), ownerName: 'Phạm Thu Hà', dueDate: null, coUnits: [] });
    // No longer the owner: no longer allowed to report on it.
    await refusedUnchanged(() => patch('delegate1', { status: 'done' }), 403);
    await refusedUnchanged(() => room.call('delegate2', 'DELETE', `/api/action-items/${a.id}`), 403);
    expect((await room.call('secretary', 'DELETE', `/api/action-items/${a.id}`)).status).toBe(204);
    await refusedUnchanged(() => patch('chair', { status: 'done' }), 404);
  });

  it('an owner who does not take part in the meeting still sees and updates their item', async () => {
    const a = await createAction(room, m, { title: 'Prepare the report', ownerUserId: room.id('delegate3'), ownerUnit: 'Sở Kế hoạch' });
    const done = await expectOk(room.call('delegate3', 'PATCH', `/api/action-items/${a.id}`, { status: 'done' }), 200, actionItemSchema);
    expect(done.status).toBe('done');
    // ...but not the meeting's record.
    await expectRefused(room.call('delegate3', 'GET', `/api/meetings/${m}/record`), 404);
  });

  it('refuses bad input (400), a delegate (403) and an outsider (404), changing nothing', async () => {
    const create = (login: Parameters<Room['call']>[0], body: unknown) => room.call(login, 'POST', `/api/meetings/${m}/action-items`, body);
    await refusedUnchanged(() => create('secretary', { title: 'x', dueDate: '2026-02-30' }), 400);
    await refusedUnchanged(() => create('secretary', { title: 'x', dueDate: '31/12/2026' }), 400);
    await refusedUnchanged(() => create('secretary', { title: 'x', ownerUserId: 'nosuchaccount' }), 400);
    await refusedUnchanged(() => create('secretary', { title: 'x', status: 'done' }), 400);
    await refusedUnchanged(() => create('secretary', { title: '' }), 400);
    await refusedUnchanged(() => create('secretary', { title: 'x', coUnits: [''] }), 400);
    await refusedUnchanged(() => create('secretary', { title: 'x', agendaItemId: 'item-x' }), 400);
    const foreign = await createDecision(room, other, { agendaItemId: 'item-x', kind: 'resolution', text: 'Elsewhere' });
    await refusedUnchanged(() => create('secretary', { title: 'x', decisionId: foreign.id }), 400);
    await refusedUnchanged(() => create('delegate1', { title: 'x' }), 403);
    await refusedUnchanged(() => create('delegate3', { title: 'x' }), 404);
    const a = await createAction(room, m, { title: 'Valid' });
    await refusedUnchanged(() => room.call('chair', 'PATCH', `/api/action-items/${a.id}`, { status: 'overdue' }), 400);
    await refusedUnchanged(() => room.call('chair', 'PATCH', `/api/action-items/${a.id}`, { meetingId: other }), 400);
  });
});
