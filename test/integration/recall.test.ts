// Recall (issue 17) with real hub and agent processes: a recalled paper leaves an online device
// at once through the meeting's live document (the agent there runs its periodic round only every
// 10 minutes, and logs which way the recall came), an offline device at its next contact, and a
// download under way is stopped with its bytes discarded. Each is read off the agent's database
// file and the hub's status of the recall; closing a meeting may recall all its papers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { agentStatus, Relay, signInAgent } from './agent-helpers.ts';
import { makePdf, pollUntil, readCache, startAgentWithClock, uploadPaper } from './recall-helpers.ts';
import type { RecallStatus } from '../../shared/recall.ts';

let hub: RunningProcess;
let sec: string;
let meetingId: string;
const agents: RunningProcess[] = [];
const relays: Relay[] = [];
let delegate2Dir = '';

beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
  sec = (await signIn(hub.url, 'secretary')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, sec, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await Promise.all(relays.map((r) => r.close()));
  await hub?.stop();
});

const recall = (paperId: string, body: unknown = { reason: 'sent to the wrong meeting' }, token = sec) =>
  api<RecallStatus & { error?: string }>(hub.url, token, `/api/papers/${paperId}/recall`, { method: 'POST', body: JSON.stringify(body) });
const status = async (paperId: string) => (await api<RecallStatus[]>(hub.url, sec, `/api/papers/${paperId}/recall`)).body[0]!;

async function heldBy(dir: string, sha: string): Promise<string> {
  const v = await pollUntil(() => readCache(dir, sha), (c) => c.blob?.complete === 1 && c.indexed === 1, 'the paper held and indexed on the device');
  return v.deviceId;
}

describe('recall', () => {
  it('refuses bad input and outsiders, changing nothing', async () => {
    const p = await uploadPaper(hub.url, sec, meetingId, 'Kept paper');
    expect((await recall(p.id, {})).status).toBe(400);
    expect((await recall(p.id, { reason: 'x', extra: 1 })).status).toBe(400);
    expect((await recall(p.id, { reason: '   ' })).status).toBe(400);
    const del = (await signIn(hub.url, 'delegate1')).token;
    expect((await recall(p.id, { reason: 'mine now' }, del)).status).toBe(403);
    expect((await api(hub.url, del, `/api/papers/${p.id}/recall`)).status).toBe(403);
    expect((await recall('no-such-paper')).status).toBe(404);
    expect((await api(hub.url, del, `/api/devices/recalls/nope/ack`, { method: 'POST', body: JSON.stringify({ deviceId: 'd1' }) })).status).toBe(404);
    const list = await api<Array<{ id: string }>>(hub.url, sec, `/api/meetings/${meetingId}/papers`);
    expect(list.body.some((x) => x.id === p.id)).toBe(true);
    expect((await api<unknown[]>(hub.url, sec, `/api/papers/${p.id}/recall`)).body).toEqual([]);
  });

  it('reaches an online device through the live document, and the hub records its confirmation', async () => {
    const dir = tempDir();
    const agent = await startAgentWithClock(hub.url, dir, 'delegate1', { refreshMs: 600_000 });
    agents.push(agent);
    const p = await uploadPaper(hub.url, sec, meetingId, 'Recalled online');
    // The new paper arrives through the meeting document's papersRev (a round on that signal).
    const deviceId = await heldBy(dir, p.sha256);

    const started = Date.now();
    const r = await recall(p.id);
    expect(r.status).toBe(201);
    expect(r.body.pending.map((d) => d.deviceId)).toContain(deviceId);
    const gone = await pollUntil(() => readCache(dir, p.sha256), (c) => !c.blob && c.chunks === 0 && c.indexed === 0, 'the paper gone from the device');
    expect(gone.key).toBeNull();
    const done = await pollUntil(() => status(p.id), (s) => s.confirmed.some((d) => d.deviceId === deviceId), 'the confirmation at the hub');
    console.log(`recall → deleted and confirmed on an online device in ${Date.now() - started} ms`);
    // Carried by the live document (the agent logs which way each recall came).
    const line = agent.output().split('\n').find((l) => l.includes('carried out a recall from the hub') && l.includes(r.body.id));
    expect(line).toContain('"via":"live document"');
    expect(done.confirmed.find((d) => d.deviceId === deviceId)).toMatchObject({ userName: expect.any(String), confirmedAt: expect.any(String) });
    expect(done.pending.some((d) => d.deviceId === deviceId)).toBe(false);

    // Gone for everyone: the list, the file, and the agent's own answers.
    const del = await signInAgent(agent.url, 'delegate1');
    expect((await api<Array<{ id: string }>>(hub.url, sec, `/api/meetings/${meetingId}/papers`)).body.some((x) => x.id === p.id)).toBe(false);
    expect((await api(agent.url, del.token, `/api/blobs/${p.sha256}`)).status).toBe(404);
    // Recalling it again: it is no longer there.
    expect((await recall(p.id)).status).toBe(404);
  });

  it('reaches an offline device at its next contact; until then the hub lists it as not confirmed', async () => {
    const dir = (delegate2Dir = tempDir());
    let agent = await startAgentWithClock(hub.url, dir, 'delegate2');
    const p = await uploadPaper(hub.url, sec, meetingId, 'Recalled offline');
    const deviceId = await heldBy(dir, p.sha256);
    await agent.stop();

    expect((await recall(p.id)).status).toBe(201);
    const before = await status(p.id);
    expect(before.pending.map((d) => d.deviceId)).toContain(deviceId);
    expect(before.confirmed.some((d) => d.deviceId === deviceId)).toBe(false);
    // Still on the switched-off device's disk.
    expect(readCache(dir, p.sha256).blob?.complete).toBe(1);

    agent = await startAgentWithClock(hub.url, dir, 'delegate2');
    agents.push(agent);
    await pollUntil(() => readCache(dir, p.sha256), (c) => !c.blob && c.chunks === 0 && c.indexed === 0, 'the paper gone once the device is back');
    await pollUntil(() => status(p.id), (s) => s.confirmed.some((d) => d.deviceId === deviceId) && !s.pending.some((d) => d.deviceId === deviceId), 'the confirmation');
  });

  it('closing a meeting "with its papers recalled" recalls every paper in the same step', async () => {
    const m = (await api<{ id: string }>(hub.url, sec, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: 'Closed with recall' }) })).body;
    const a = await uploadPaper(hub.url, sec, m.id, 'First paper');
    const b = await uploadPaper(hub.url, sec, m.id, 'Second paper');
    // A malformed option is refused before anything changes.
    expect((await api(hub.url, sec, `/api/meetings/${m.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed', recallPapers: 'yes' }) })).status).toBe(400);
    expect((await api<Array<{ id: string }>>(hub.url, sec, `/api/meetings/${m.id}/papers`)).body).toHaveLength(2);

    const closed = await api<{ status: string }>(hub.url, sec, `/api/meetings/${m.id}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed', recallPapers: true }) });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    const list = (await api<RecallStatus[]>(hub.url, sec, `/api/meetings/${m.id}/recalls`)).body;
    expect(list.map((r) => r.paperId).sort()).toEqual([a.id, b.id].sort());
    expect(list.every((r) => r.reason === 'recalled when the meeting was closed')).toBe(true);
    expect((await api<unknown[]>(hub.url, sec, `/api/meetings/${m.id}/papers`)).body).toEqual([]);
    // An admin sees them too.
    const admin = (await signIn(hub.url, 'admin')).token;
    expect((await api(hub.url, admin, `/api/meetings/${m.id}/recalls`)).status).toBe(200);
  });

  it('names a restricted paper\'s files only to devices that held it', async () => {
    const users = Object.fromEntries(await Promise.all(['delegate1', 'delegate2'].map(async (l) => [l, (await signIn(hub.url, l)).user.id] as const)));
    const q = `?title=Restricted&restrictTo=${users.delegate1}`;
    const up = await api<{ id: string; sha256: string }>(hub.url, sec, `/api/meetings/${meetingId}/documents${q}`, {
      method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await makePdf('restricted')),
    });
    expect(up.status).toBe(201);
    const r = await recall(up.body.id);
    expect(r.status).toBe(201);
    const holders = [...r.body.pending, ...r.body.confirmed].map((d) => d.userId);
    expect(holders).toContain(users.delegate1);
    expect(holders).not.toContain(users.delegate2);
    // delegate2's device is told nothing of it, however it asks.
    const d2 = (await signIn(hub.url, 'delegate2')).token;
    const pending = await api<Array<{ paperId: string }>>(hub.url, d2, `/api/devices/recalls?deviceId=${readCache(delegate2Dir, up.body.sha256).deviceId}`);
    expect(pending.status).toBe(200);
    expect(pending.body.some((x) => x.paperId === up.body.id)).toBe(false);
  });

  it('stops a download under way and discards its bytes', async () => {
    const relay = new Relay(hub.port);
    relays.push(relay);
    await relay.listen();
    const dir = tempDir();
    const p = await uploadPaper(hub.url, sec, meetingId, 'Recalled mid-download', { padBytes: 6 * 1024 * 1024 });
    relay.watchSha = p.sha256;
    // 17 chunks pass (one commit of 16 is written), then the hub's answer is held mid-flight.
    relay.stallAfter = 17 * 256 * 1024 + 1000;
    const agent = await startAgentWithClock(`http://127.0.0.1:${relay.port}`, dir, 'delegate3');
    agents.push(agent);
    const partial = await pollUntil(() => readCache(dir, p.sha256), (c) => c.blob?.complete === 0 && c.chunks >= 16, 'part of the paper on disk');
    expect(partial.chunks).toBeGreaterThan(0);
    const requests = relay.requests.length;

    expect((await recall(p.id)).status).toBe(201);
    await pollUntil(() => status(p.id), (s) => s.confirmed.some((d) => d.deviceId === partial.deviceId), 'the confirmation');
    relay.release();
    const after = readCache(dir, p.sha256);
    expect(after.blob).toBeNull();
    expect(after.chunks).toBe(0);
    // Nothing is fetched again: the device's plan no longer holds it, and every other paper is held.
    const del = await signInAgent(agent.url, 'delegate3');
    await pollUntil(async () => (await agentStatus(agent.url, del.token)).prefetch,
      (pf) => pf.length > 0 && pf.every((m) => m.papersDone === m.papersTotal), 'the prefetch complete without it');
    expect(relay.requests.length).toBe(requests);
    expect(readCache(dir, p.sha256).chunks).toBe(0);
  });
});
