// A tablet's agent and votes: through the agent a delegate votes as on the hub; with the hub gone
// the agent answers a ballot 503 at once and never queues it — when the hub is back on the same
// address and the agent has reconnected, the vote still has no ballot from that tablet, and the
// delegate votes again. A queued ballot could arrive after the poll closed, or twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { startAgentProcess, waitStatus } from './agent-helpers.ts';
import type { PollDetail } from '../../shared/procedures/polls.ts';

let hub: RunningProcess;
let agent: RunningProcess;
let hubDir: string;

beforeAll(async () => {
  hubDir = tempDir();
  hub = await startHub(hubDir, { demo: true });
  agent = await startAgentProcess(hub.url, tempDir(), 'delegate1');
});
afterAll(async () => {
  await agent?.stop();
  await hub?.stop();
});

describe('votes through a device agent', () => {
  it('answers 503 without the hub and never queues the ballot', async () => {
    const chair = await signIn(hub.url, 'chair');
    const onTablet = await signIn(agent.url, 'delegate1');
    await waitStatus(agent.url, onTablet.token, (s) => s.hub === 'online', 'agent online');
    const meetingId = (await api<Array<{ id: string }>>(hub.url, chair.token, '/api/meetings')).body[0]!.id;
    // Checking in goes through the agent to the hub too.
    expect((await api(agent.url, onTablet.token, `/api/meetings/${meetingId}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'present' }) })).status).toBe(200);
    const created = await api<{ id: string }>(hub.url, chair.token, `/api/meetings/${meetingId}/polls`, { method: 'POST', body: JSON.stringify({ title: 'Offline', method: 'approval', visibility: 'secret' }) });
    const pollId = created.body.id;
    expect((await api(hub.url, chair.token, `/api/polls/${pollId}/start`, { method: 'POST' })).status).toBe(200);
    const seen = await api<PollDetail>(agent.url, onTablet.token, `/api/polls/${pollId}`);
    expect(seen.body).toMatchObject({ state: 'started', me: { entitled: true, voted: false } });

    await hub.kill9();
    const refused = await api(agent.url, onTablet.token, `/api/polls/${pollId}/ballots`, { method: 'POST', body: JSON.stringify({ value: 'yes' }) });
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: 'hub_offline', message: expect.stringMatching(/hub is unreachable/) });
    expect((await api(agent.url, onTablet.token, `/api/polls/${pollId}`)).status).toBe(503);

    hub = await startHub(hubDir, { port: hub.port });
    await waitStatus(agent.url, onTablet.token, (s) => s.hub === 'online', 'agent back online', 30_000);
    // The agent has been through a whole round with the hub: anything it had queued would be there by now.
    const chair2 = await signIn(hub.url, 'chair');
    const afterReturn = await api<PollDetail>(hub.url, chair2.token, `/api/polls/${pollId}`);
    expect(afterReturn.body).toMatchObject({ state: 'started', voted: 0 });
    const again = await api<{ tracker: string }>(agent.url, onTablet.token, `/api/polls/${pollId}/ballots`, { method: 'POST', body: JSON.stringify({ value: 'no' }) });
    expect(again.status).toBe(201);
    expect(again.body.tracker).toMatch(/^[0-9a-f]{64}$/);
    expect((await api<PollDetail>(hub.url, chair2.token, `/api/polls/${pollId}`)).body.voted).toBe(1);
    const stopped = await api<PollDetail>(hub.url, chair2.token, `/api/polls/${pollId}/stop`, { method: 'POST' });
    expect(stopped.body.result).toMatchObject({ yes: 0, no: 1, voted: 1 });
  });
});
