// The agent's reason to exist: the hub goes away, the room keeps working through the agents,
// and when the hub is back everything converges with nothing lost. Real hub and agent processes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startAgentProcess, waitStatus } from './agent-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import * as notesDoc from '../../shared/notes-doc.ts';

let hubDir: string;
let hub: RunningProcess;
let agentA: RunningProcess; // delegate1's tablet
let agentB: RunningProcess; // the secretary's tablet
let dirA: string;
let meetingId: string;
let delegateId: string;
const clients: YClient[] = [];
const track = (c: YClient) => (clients.push(c), c);

beforeAll(async () => {
  hubDir = tempDir();
  hub = await startHub(hubDir, { demo: true });
  dirA = tempDir();
  [agentA, agentB] = await Promise.all([startAgentProcess(hub.url, dirA, 'delegate1'), startAgentProcess(hub.url, tempDir(), 'secretary')]);
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([agentA?.stop(), agentB?.stop(), hub?.stop()]);
});

/** Reads y-protocols' permission-denied messages that a client receives. */
function captureDenials(c: YClient): string[] {
  const reasons: string[] = [];
  c.provider.messageHandlers[2] = (_enc: unknown, dec: decoding.Decoder) => {
    decoding.readVarUint(dec);
    reasons.push(decoding.readVarString(dec));
  };
  return reasons;
}

describe('device agent, offline and back', () => {
  it('replicates the meetings and prefetches the papers', async () => {
    const del = await signIn(agentA.url, 'delegate1');
    delegateId = del.user.id;
    const s = await waitStatus(agentA.url, del.token, (st) => st.hub === 'online' && st.prefetch.length === 1 && st.prefetch[0]!.papersDone === st.prefetch[0]!.papersTotal && st.prefetch[0]!.papersTotal > 0, 'replicated');
    meetingId = s.prefetch[0]!.meetingId;
    const meetings = await api<Array<{ id: string }>>(agentA.url, del.token, '/api/meetings');
    expect(meetings.body.map((m) => m.id)).toEqual([meetingId]);
    // The agent's token is its own: the hub does not know it.
    expect((await api(hub.url, del.token, '/api/meetings')).status).toBe(401);
  });

  it('refuses a delegate\'s agenda edit at once, and it never spreads', async () => {
    const del = await signIn(agentA.url, 'delegate1');
    const writer = track(connectDoc(agentA.url, `meeting/${meetingId}`, del.token));
    const watcher = track(connectDoc(agentA.url, `meeting/${meetingId}`, del.token));
    const denials = captureDenials(writer);
    await Promise.all([waitSynced(writer), waitSynced(watcher)]);
    meetingDoc.addAgendaItem(writer.doc, 'item-rogue', { title: 'Rogue item' });
    await waitFor(() => denials.length > 0, 5000, 'permission denied from the agent');
    expect(denials[0]).toMatch(/read-only/);
    // A change that the agent accepts is seen by the watcher; the rogue one must not be.
    const sec = await signIn(hub.url, 'secretary');
    const hubSec = track(connectDoc(hub.url, `meeting/${meetingId}`, sec.token));
    await waitSynced(hubSec);
    meetingDoc.addAgendaItem(hubSec.doc, 'item-marker', { title: 'Marker' });
    await waitFor(() => meetingDoc.readAgenda(watcher.doc).some((i) => i.title === 'Marker'), 10_000, 'marker through the agent');
    expect(meetingDoc.readAgenda(watcher.doc).some((i) => i.title === 'Rogue item')).toBe(false);
    expect(meetingDoc.readAgenda(hubSec.doc).some((i) => i.title === 'Rogue item')).toBe(false);
    writer.destroy();
  });

  it('keeps working with the hub down, survives kill -9, and converges when the hub is back', async () => {
    const secA = await signIn(agentB.url, 'secretary');
    await waitStatus(agentB.url, secA.token, (s) => s.hub === 'online', 'secretary agent online');
    await hub.kill9();
    const delA = await signIn(agentA.url, 'delegate1');
    expect((delA as { offline?: boolean }).offline).toBe(true);
    await waitStatus(agentA.url, delA.token, (s) => s.hub === 'offline', 'agent A sees the hub gone');
    const wrong = await fetch(`${agentA.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate1', password: 'not-demo' }) });
    expect(wrong.status).toBe(401);
    const otherUser = await fetch(`${agentA.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate2', password: 'demo' }) });
    expect(otherUser.status).toBe(401);
    // Hub-only actions say so clearly.
    const present = await api<{ error: string }>(agentA.url, delA.token, `/api/meetings/${meetingId}/present`, { method: 'POST', body: JSON.stringify({ paperId: 'x', page: 1 }) });
    expect(present.status).toBe(503);
    expect(present.body.error).toBe('hub_offline');

    // Offline: the delegate annotates through agent A; the secretary edits the agenda on agent B.
    const notes = connectDoc(agentA.url, `notes/${meetingId}/${delegateId}`, delA.token);
    const notesWatch = connectDoc(agentA.url, `notes/${meetingId}/${delegateId}`, delA.token);
    await Promise.all([waitSynced(notes), waitSynced(notesWatch)]);
    const sha = 'a'.repeat(64);
    notesDoc.putAnnotation(notes.doc, { id: 'n-offline', kind: 'note', paperId: 'p1', sha256: sha, page: 1, createdAt: 1, x: 10, y: 20, text: 'written offline' });
    // Seen by another client of the agent: the agent has committed it (commit before broadcast).
    await waitFor(() => notesDoc.readAnnotations(notesWatch.doc).length === 1, 5000, 'note on the second client');

    const secClient = track(connectDoc(agentB.url, `meeting/${meetingId}`, secA.token));
    await waitSynced(secClient);
    meetingDoc.addAgendaItem(secClient.doc, 'item-offline', { title: 'Added while the hub was down' });
    meetingDoc.updateAgendaItem(secClient.doc, 'item-budget', { title: 'Budget (revised offline)' });
    const secWatch = track(connectDoc(agentB.url, `meeting/${meetingId}`, secA.token));
    await waitSynced(secWatch);
    await waitFor(() => meetingDoc.readAgenda(secWatch.doc).some((i) => i.id === 'item-offline'), 5000, 'agenda edit committed on agent B');

    // kill -9 agent A with the note only on its disk; it comes back offline, from its cache.
    notes.destroy();
    notesWatch.destroy();
    await agentA.kill9();
    agentA = await startAgentProcess(hub.url, dirA, 'delegate1');
    const delA2 = await signIn(agentA.url, 'delegate1');
    expect((delA2 as { offline?: boolean }).offline).toBe(true);
    const afterKill = track(connectDoc(agentA.url, `notes/${meetingId}/${delegateId}`, delA2.token));
    await waitSynced(afterKill);
    expect(notesDoc.readAnnotations(afterKill.doc).map((a) => a.id)).toEqual(['n-offline']);
    const meetingOnA = track(connectDoc(agentA.url, `meeting/${meetingId}`, delA2.token));
    await waitSynced(meetingOnA);
    expect(meetingDoc.readAgenda(meetingOnA.doc).length).toBeGreaterThanOrEqual(4);

    // The hub comes back on the same address: both agents reconnect and everything converges.
    hub = await startHub(hubDir, { port: hub.port });
    await waitStatus(agentA.url, delA2.token, (s) => s.hub === 'online', 'agent A back online', 30_000);
    await waitStatus(agentB.url, secA.token, (s) => s.hub === 'online', 'agent B back online', 30_000);
    const hubDel = await signIn(hub.url, 'delegate1');
    const hubNotes = track(connectDoc(hub.url, `notes/${meetingId}/${delegateId}`, hubDel.token));
    const hubMeeting = track(connectDoc(hub.url, `meeting/${meetingId}`, hubDel.token));
    await Promise.all([waitSynced(hubNotes), waitSynced(hubMeeting)]);
    await waitFor(() => notesDoc.readAnnotations(hubNotes.doc).some((a) => a.id === 'n-offline'), 15_000, 'offline note on the hub');
    await waitFor(() => meetingDoc.readAgenda(hubMeeting.doc).some((i) => i.id === 'item-offline'), 15_000, 'offline agenda item on the hub');
    await waitFor(() => meetingDoc.readAgenda(meetingOnA.doc).some((i) => i.id === 'item-offline'), 15_000, 'offline agenda item on agent A');
    const titles = (c: YClient) => meetingDoc.readAgenda(c.doc).map((i) => `${i.id}:${i.title}`).join('|');
    await waitFor(() => titles(meetingOnA) === titles(hubMeeting) && titles(secWatch) === titles(hubMeeting), 15_000, 'agendas converge');
    expect(titles(hubMeeting)).toContain('item-budget:Budget (revised offline)');
    expect(titles(hubMeeting)).toContain('item-marker:Marker');
    expect(titles(hubMeeting)).not.toContain('Rogue');
  });
});
