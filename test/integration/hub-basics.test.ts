import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced } from '../helpers/yclient.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

let hub: RunningProcess;
beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
});
afterAll(async () => hub?.stop());

describe('hub contract', () => {
  it('answers /health and signs in the demo accounts', async () => {
    const res = await fetch(`${hub.url}/health`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true);
    const s = await signIn(hub.url, 'delegate1');
    expect(s.user.name).toBeTruthy();
    const bad = await fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate1', password: 'nope' }) });
    expect(bad.status).toBe(401);
  });

  it('syncs the meeting document to a delegate and refuses their edits', async () => {
    const sec = await signIn(hub.url, 'secretary');
    const del = await signIn(hub.url, 'delegate1');
    const meetings = await api<Array<{ id: string; title: string }>>(hub.url, del.token, '/api/meetings');
    const id = meetings.body[0]!.id;
    const a = connectDoc(hub.url, `meeting/${id}`, sec.token);
    const b = connectDoc(hub.url, `meeting/${id}`, del.token);
    await Promise.all([waitSynced(a), waitSynced(b)]);
    expect(meetingDoc.readAgenda(b.doc).length).toBeGreaterThanOrEqual(3);
    meetingDoc.addAgendaItem(a.doc, 'item-new', { title: 'Added live' });
    await waitFor(() => meetingDoc.readAgenda(b.doc).some((i) => i.title === 'Added live'), 5000, 'agenda item on delegate');
    // The delegate's own edit is dropped by the hub: the secretary never sees it.
    meetingDoc.addAgendaItem(b.doc, 'item-rogue', { title: 'Rogue' });
    meetingDoc.updateAgendaItem(a.doc, 'item-new', { title: 'Renamed' });
    await waitFor(() => meetingDoc.readAgenda(b.doc).some((i) => i.title === 'Renamed'), 5000, 'rename');
    expect(meetingDoc.readAgenda(a.doc).some((i) => i.title === 'Rogue')).toBe(false);
    a.destroy();
    b.destroy();
  });
});
