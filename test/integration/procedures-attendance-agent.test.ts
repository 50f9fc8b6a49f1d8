// Procedure commands through a device's agent: forwarded to the hub while it is there (and the
// live document replicated to the tablet), answered 503 when it is gone, and never queued: when
// the hub is back, nothing the tablet tried while it was away has happened. Real processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startAgentProcess, waitStatus } from './agent-helpers.ts';
import { OFFLINE_MESSAGE } from '../../electron/agent/hub-proxy.ts';
import { attendanceSummary, member, speakerList } from '../../shared/live-doc.ts';
import { DEVICE_HEADER, type AttendanceView, type CheckInAnswer } from '../../shared/procedures/attendance.ts';

let hubDir: string;
let hub: RunningProcess;
let agent: RunningProcess;
let meetingId: string;
const clients: YClient[] = [];

beforeAll(async () => {
  hubDir = tempDir();
  hub = await startHub(hubDir, { demo: true });
  agent = await startAgentProcess(hub.url, tempDir(), 'delegate2');
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([agent?.stop(), hub?.stop()]);
});

describe('procedures through the agent', () => {
  it('are forwarded while the hub is there, 503 without it, and never queued', async () => {
    const local = await signIn(agent.url, 'delegate2');
    await waitStatus(agent.url, local.token, (s) => s.hub === 'online' && s.prefetch.length === 1, 'online with the meeting');
    meetingId = (await api<Array<{ id: string }>>(agent.url, local.token, '/api/meetings')).body[0]!.id;
    const at = (path: string, method = 'GET', body?: unknown) => api<{ error?: string; message?: string }>(agent.url, local.token, `/api/meetings/${meetingId}${path}`, {
      method, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

    // Forwarded: a check-in and a request to speak, seen on the tablet's replica of live/.
    const live = connectDoc(agent.url, `live/${meetingId}`, local.token);
    clients.push(live);
    await waitSynced(live);
    // A page cannot name another device: the agent sends its own id, whatever the client says.
    const checkedIn = await api<CheckInAnswer>(agent.url, local.token, `/api/meetings/${meetingId}/attendance`, {
      method: 'POST', body: JSON.stringify({ status: 'present' }), headers: { [DEVICE_HEADER]: 'spoofed-device' },
    });
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.body.member).toMatchObject({ userId: local.user.id, status: 'present' });
    const secretary = await signIn(hub.url, 'secretary');
    const seen = await api<AttendanceView>(hub.url, secretary.token, `/api/meetings/${meetingId}/attendance`);
    const device = seen.body.members.find((m) => m.userId === local.user.id)?.votingDeviceId;
    expect(device).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(device).not.toBe('spoofed-device');
    expect((await at('/speakers', 'POST', { agendaItemId: 'item-budget' })).status).toBe(201);
    await waitFor(() => member(live.doc, local.user.id)?.status === 'present' && speakerList(live.doc, 'item-budget')?.waiting.length === 1, 15_000, 'live doc through the agent');
    expect(attendanceSummary(live.doc)?.present).toBe(1);

    await hub.stop();
    await waitStatus(agent.url, local.token, (s) => s.hub === 'offline', 'agent sees the hub gone');
    const tried: Array<[string, string, unknown?]> = [
      ['/attendance', 'GET'],
      ['/attendance', 'POST', { status: 'left' }],
      ['/attendance/bulk', 'POST', { userIds: [local.user.id], status: 'absent' }],
      ['/attendance/settings', 'PATCH', { checkInOpen: false }],
      ['/speakers', 'GET'],
      ['/speakers', 'POST', { agendaItemId: 'item-digital' }],
      ['/speakers/control', 'POST', { action: 'start', agendaItemId: 'item-budget' }],
      ['/speakers/settings', 'PATCH', { sortRule: 'first_time_first' }],
      ['/speakers/stats', 'GET'],
    ];
    for (const [path, method, body] of tried) {
      const r = await at(path, method, body);
      expect(r.status, `${method} ${path}`).toBe(503);
      expect(r.body.message).toBe(OFFLINE_MESSAGE);
    }
    // The tablet still shows the last state it had.
    expect(member(live.doc, local.user.id)?.status).toBe('present');

    hub = await startHub(hubDir, { port: hub.port });
    await waitStatus(agent.url, local.token, (s) => s.hub === 'online', 'agent back online');
    const after = await at('/attendance');
    expect(after.status).toBe(200);
    const v = after.body as unknown as AttendanceView;
    expect(v.members.find((m) => m.userId === local.user.id)?.status).toBe('present');
    expect(v.checkInOpen).toBe(true);
    const speakers = (await at('/speakers')).body as unknown as { lists: Array<{ agendaItemId: string; waiting: unknown[]; current: unknown }> };
    expect(speakers.lists.map((l) => [l.agendaItemId, l.waiting.length, l.current])).toEqual([['item-budget', 1, null]]);
  });
});
