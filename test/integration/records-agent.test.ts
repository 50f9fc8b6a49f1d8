// The record on a delegate's tablet, through its real device agent: the live document replicated
// from the hub shows the conclusion, the decision and the action item as the chair records them;
// the delegate's own commands (a reserved opinion, progress on an action item, their list) are
// forwarded to the hub; without the hub the record still reads from the tablet's copy, and every
// command answers 503 (never queued). Real processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startAgentProcess, waitStatus } from './agent-helpers.ts';
import * as live from '../../shared/live-doc.ts';
import type { ActionItem, Decision } from '../../shared/records.ts';

let hub: RunningProcess;
let agent: RunningProcess;
const clients: YClient[] = [];

beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
  agent = await startAgentProcess(hub.url, tempDir(), 'delegate1');
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([agent?.stop(), hub?.stop()]);
});

describe('the record through a device agent', () => {
  it('replicates live, forwards the delegate\'s commands, and reads offline while refusing writes with 503', async () => {
    const local = await signIn(agent.url, 'delegate1');
    await waitStatus(agent.url, local.token, (s) => s.hub === 'online' && s.prefetch.length === 1, 'online with the meeting');
    const meetingId = (await api<Array<{ id: string }>>(agent.url, local.token, '/api/meetings')).body[0]!.id;
    const chair = (await signIn(hub.url, 'chair')).token;
    const onHub = <T>(method: string, path: string, body?: unknown) => api<T>(hub.url, chair, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const onAgent = <T>(method: string, path: string, body?: unknown) => api<T>(agent.url, local.token, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

    const tablet = connectDoc(agent.url, `live/${meetingId}`, local.token);
    clients.push(tablet);
    await waitSynced(tablet);
    expect((await onHub('PUT', `/api/meetings/${meetingId}/items/item-budget/outcome`, { status: 'concluded', conclusion: 'Thông qua' })).status).toBe(200);
    const decision = (await onHub<Decision>('POST', `/api/meetings/${meetingId}/decisions`, { agendaItemId: 'item-budget', kind: 'resolution', text: 'Nghị quyết' })).body;
    const task = (await onHub<ActionItem>('POST', `/api/meetings/${meetingId}/action-items`, { title: 'Báo cáo', ownerUserId: local.user.id, decisionId: decision.id })).body;
    await waitFor(() => live.itemOutcomes(tablet.doc).length === 1 && live.decisions(tablet.doc).length === 1 && live.actionItems(tablet.doc).length === 1, 15_000, 'the record on the tablet');

    // A long summary of the debate (more than the agent's usual 64 KiB) is passed on whole, not refused 413.
    const summary = 'Ý kiến thảo luận về dự toán ngân sách. '.repeat(1300).trim();
    expect(Buffer.byteLength(JSON.stringify({ summary }))).toBeGreaterThan(64 * 1024);
    const long = await onAgent<{ error?: string }>('PUT', `/api/meetings/${meetingId}/items/item-budget/outcome`, { status: 'concluded', conclusion: 'Thông qua', summary });
    // Forwarded whole: the hub answers, and a delegate is not a manager (403, not 413).
    expect(long.status, JSON.stringify(long.body)).toBe(403);

    // Forwarded: the delegate's reserved opinion, their progress and their list.
    expect((await onAgent('POST', `/api/decisions/${decision.id}/dissents`, { text: 'Bảo lưu' })).status).toBe(200);
    expect((await onAgent('PATCH', `/api/action-items/${task.id}`, { status: 'in_progress' })).status).toBe(200);
    const mine = await onAgent<{ items: ActionItem[] }>('GET', '/api/action-items?mine=1');
    expect(mine.body.items.map((i) => [i.id, i.status])).toEqual([[task.id, 'in_progress']]);
    await waitFor(() => live.decisions(tablet.doc)[0]?.dissents.length === 1 && live.actionItems(tablet.doc)[0]?.status === 'in_progress', 15_000, 'the delegate\'s changes on the tablet');

    await hub.stop();
    await waitStatus(agent.url, local.token, (s) => s.hub === 'offline', 'agent sees the hub gone');
    // A screen opened now still reads the record from the tablet's copy.
    const later = connectDoc(agent.url, `live/${meetingId}`, local.token);
    clients.push(later);
    await waitSynced(later);
    expect(live.itemOutcomes(later.doc)[0]).toMatchObject({ agendaItemId: 'item-budget', conclusion: 'Thông qua' });
    expect(live.decisions(later.doc)[0]!.dissents[0]).toMatchObject({ userId: local.user.id, text: 'Bảo lưu' });
    expect(live.actionItems(later.doc)[0]).toMatchObject({ id: task.id, status: 'in_progress' });
    for (const [method, path, body] of [
      ['POST', `/api/decisions/${decision.id}/dissents`, { text: 'Đổi ý' }],
      ['DELETE', `/api/decisions/${decision.id}/dissents/${local.user.id}`, undefined],
      ['PATCH', `/api/action-items/${task.id}`, { status: 'done' }],
      ['GET', '/api/action-items?mine=1', undefined],
      ['GET', `/api/meetings/${meetingId}/record`, undefined],
    ] as const) {
      expect((await onAgent(method, path, body)).status, `${method} ${path}`).toBe(503);
    }
  });
});
