// Access is re-checked live on the agent's own loopback sync sockets, as on the hub: a local
// client's socket is closed or made read-only as soon as the agent knows its access changed —
// the local session's expiry, a local sign-out, a hub round that finds the user removed from the
// meeting or their role (in the meeting, or their account's) lowered, a revoked hub session, a
// wipe order. Real hub and agent processes on loopback; every change is made through the hub's
// API and every outcome is seen by a real y-websocket client on the agent's /sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startAgentProcess } from './agent-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

/** How long the agent may take to act on a change: its rounds run every second in these tests. */
const DEADLINE_MS = 10_000;

let hub: RunningProcess;
const agents: RunningProcess[] = [];
const clients: YClient[] = [];
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};

const asAdmin = (path: string, method: string, body?: unknown) => api(hub.url, tokens.admin!, path, { method, ...(body ? { body: JSON.stringify(body) } : {}) });

function track(c: YClient): YClient {
  clients.push(c);
  return c;
}

/** `p`, or a failure naming `what` once the deadline passes (the close is waited on as an event). */
async function within<T>(p: Promise<T>, what: string, ms = DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not within ${ms} ms: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `check` holds, or fails at the deadline. */
async function until(check: () => Promise<boolean>, what: string, ms = DEADLINE_MS): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A published meeting of its own for each test, with the given participants. */
async function meetingWith(roles: Record<string, string>): Promise<string> {
  const created = await api<{ id: string }>(hub.url, tokens.secretary!, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: `agent live access ${Object.keys(roles).join(' ')}` }) });
  expect(created.status).toBe(201);
  const id = created.body.id;
  for (const [login, role] of Object.entries(roles)) {
    expect((await asAdmin(`/api/meetings/${id}/participants/${users[login]}`, 'PUT', { role })).status).toBe(200);
  }
  expect((await asAdmin(`/api/meetings/${id}`, 'PATCH', { status: 'published' })).status).toBe(200);
  return id;
}

/** A real agent process for `login`, a local session on it, and the meeting `id` in its cache. */
async function agentFor(login: string, meetingId: string, opts: { password?: string; args?: string[] } = {}) {
  const agent = await startAgentProcess(hub.url, tempDir('chamber-agent-live-'), login, opts.password ?? 'demo', opts.args ?? []);
  agents.push(agent);
  const session = await signIn(agent.url, login, opts.password ?? 'demo');
  await until(async () => (await api<Array<{ id: string }>>(agent.url, session.token, '/api/meetings')).body.some?.((m) => m.id === meetingId) ?? false, `the agent holds meeting ${meetingId}`);
  return { agent, token: session.token, userId: session.user.id };
}

const hasItem = (c: YClient, id: string) => meetingDoc.readAgenda(c.doc).some((i) => i.id === id);

beforeAll(async () => {
  hub = await startHub(tempDir('chamber-hub-live-'), { demo: true });
  for (const login of ['admin', 'secretary', 'chair', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user.id;
  }
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all(agents.map((a) => a.stop()));
  await hub?.stop();
});

describe('local sessions', () => {
  it('a local session that expires while its socket is open is closed at its expiry (4401)', async () => {
    const id = await meetingWith({ delegate1: 'delegate' });
    const { agent } = await agentFor('delegate1', id, { args: ['--session-ttl-ms', '4000'] });
    // A session of its own, so its 4 s are not spent waiting for the agent's first round.
    const session = await signIn(agent.url, 'delegate1');
    const { token } = session;
    const expiresAt = (session as unknown as { expiresAt: string }).expiresAt;
    const c = track(connectDoc(agent.url, `meeting/${id}`, token));
    await waitSynced(c);
    const closed = await within(c.closed, 'the expired session\'s socket closed', 4000 + DEADLINE_MS);
    expect(closed).toEqual({ code: 4401, reason: 'session ended: sign in again' });
    // Closed at the session's end, not before it.
    expect(Date.now()).toBeGreaterThanOrEqual(new Date(expiresAt).getTime());
    expect((await api(agent.url, token, '/api/session')).status).toBe(401);
  });

  it('signing out locally closes that session’s sockets (4401) and not those of another session', async () => {
    const id = await meetingWith({ secretary: 'secretary', delegate1: 'delegate' });
    const { agent, token } = await agentFor('delegate1', id);
    const other = (await signIn(agent.url, 'delegate1')).token;
    const leaving = track(connectDoc(agent.url, `meeting/${id}`, token));
    const staying = track(connectDoc(agent.url, `meeting/${id}`, other));
    await Promise.all([leaving, staying].map((c) => waitSynced(c)));
    expect((await api(agent.url, token, '/api/session', { method: 'DELETE' })).status).toBe(204);
    expect(await within(leaving.closed, 'the signed-out session\'s socket closed')).toEqual({ code: 4401, reason: 'signed out' });
    // The other session still reads: an edit made at the hub reaches it through the agent.
    const sec = track(connectDoc(hub.url, `meeting/${id}`, tokens.secretary!));
    await waitSynced(sec);
    meetingDoc.addAgendaItem(sec.doc, 'after-sign-out', { title: 'Still here' });
    await waitFor(() => hasItem(staying, 'after-sign-out'), DEADLINE_MS, 'the hub edit at the other session');
    expect(staying.provider.wsconnected).toBe(true);
  });
});

describe('what a hub round learns', () => {
  it('removed from the meeting at the hub: its meeting and notes sockets close (4410), another meeting’s stays', async () => {
    const id = await meetingWith({ delegate1: 'delegate' });
    const { agent, token, userId } = await agentFor('delegate1', id);
    const demoMeeting = (await api<Array<{ id: string; title: string }>>(agent.url, token, '/api/meetings')).body.find((m) => m.id !== id)!.id;
    const meeting = track(connectDoc(agent.url, `meeting/${id}`, token));
    const notes = track(connectDoc(agent.url, `notes/${id}/${userId}`, token));
    const elsewhere = track(connectDoc(agent.url, `meeting/${demoMeeting}`, token));
    await Promise.all([meeting, notes, elsewhere].map((c) => waitSynced(c)));
    expect((await asAdmin(`/api/meetings/${id}/participants/${userId}`, 'DELETE')).status).toBe(204);
    expect((await within(meeting.closed, 'the meeting socket closed')).code).toBe(4410);
    expect((await within(notes.closed, 'the notes socket closed')).code).toBe(4410);
    expect(elsewhere.provider.wsconnected).toBe(true);
  });

  it('a meeting put back to draft: the delegate’s socket on the agent closes (4410)', async () => {
    const id = await meetingWith({ delegate2: 'delegate' });
    const { agent, token } = await agentFor('delegate2', id);
    const c = track(connectDoc(agent.url, `meeting/${id}`, token));
    await waitSynced(c);
    expect((await asAdmin(`/api/meetings/${id}`, 'PATCH', { status: 'draft' })).status).toBe(200);
    expect((await within(c.closed, 'the socket closed')).code).toBe(4410);
  });

  it('a secretary demoted to delegate: the socket stays open but read-only at once; promoted back, it reconnects (1012) and writes', async () => {
    const id = await meetingWith({ secretary: 'secretary', chair: 'chair' });
    const { agent, token } = await agentFor('secretary', id);
    const writer = track(connectDoc(agent.url, `meeting/${id}`, token));
    const reader = track(connectDoc(agent.url, `meeting/${id}`, token));
    const chair = track(connectDoc(hub.url, `meeting/${id}`, tokens.chair!));
    await Promise.all([writer, reader, chair].map((c) => waitSynced(c)));
    meetingDoc.addAgendaItem(writer.doc, 'before-demotion', { title: 'Before' });
    await waitFor(() => hasItem(chair, 'before-demotion'), DEADLINE_MS, 'the edit at the hub');

    expect((await asAdmin(`/api/meetings/${id}/participants/${users.secretary}`, 'PUT', { role: 'delegate' })).status).toBe(200);
    // The agent's round sees the new role; the open socket is rechecked in that same step.
    await until(async () => (await api<{ myRole: string }>(agent.url, token, `/api/meetings/${id}`)).body.myRole === 'delegate', 'the agent learns the new role');
    // The socket is told the moment it turns read-only; a write after that goes nowhere.
    await waitFor(() => writer.denied.length > 0 && reader.denied.length > 0, DEADLINE_MS, 'permission-denied from the agent');
    expect(writer.denied[0]).toMatch(/read-only/);
    meetingDoc.addAgendaItem(writer.doc, 'after-demotion', { title: 'After' });
    // Still reading: the chair's edit reaches both local sockets, and proves the dropped edit was
    // processed before it and went nowhere (not to the other local socket, not to the hub).
    meetingDoc.addAgendaItem(chair.doc, 'chair-marker', { title: 'Marker' });
    await waitFor(() => hasItem(reader, 'chair-marker') && hasItem(writer, 'chair-marker'), DEADLINE_MS, 'the chair edit through the agent');
    expect(hasItem(reader, 'after-demotion')).toBe(false);
    expect(hasItem(chair, 'after-demotion')).toBe(false);
    expect(writer.provider.wsconnected).toBe(true);

    expect((await asAdmin(`/api/meetings/${id}/participants/${users.secretary}`, 'PUT', { role: 'secretary' })).status).toBe(200);
    expect((await within(writer.closed, 'the promoted socket asked to reconnect')).code).toBe(1012);
    meetingDoc.addAgendaItem(writer.doc, 'after-promotion', { title: 'Promoted' });
    await waitFor(() => hasItem(chair, 'after-promotion'), DEADLINE_MS, 'the edit after promotion at the hub');
  });

  it('a demotion reaches the agent\'s local socket at once, not at its next round', async () => {
    const id = await meetingWith({ secretary: 'secretary', chair: 'chair' });
    // Rounds ten minutes apart: only the hub telling the agent's own link can make this quick.
    const { agent, token } = await agentFor('secretary', id, { args: ['--refresh-ms', '600000'] });
    const local = track(connectDoc(agent.url, `meeting/${id}`, token));
    const chair = track(connectDoc(hub.url, `meeting/${id}`, tokens.chair!));
    await Promise.all([local, chair].map((c) => waitSynced(c)));
    meetingDoc.addAgendaItem(local.doc, 'written-as-secretary', { title: 'Before' });
    await waitFor(() => hasItem(chair, 'written-as-secretary'), DEADLINE_MS, 'the edit at the hub');

    expect((await asAdmin(`/api/meetings/${id}/participants/${users.secretary}`, 'PUT', { role: 'delegate' })).status).toBe(200);
    // Told without writing anything: the hub tells the agent's link, the agent asks the hub
    // again, and its own endpoint tells the local socket.
    await waitFor(() => local.denied.length > 0, DEADLINE_MS, 'the local socket told it is read-only');
    expect(local.denied[0]).toMatch(/read-only/);
    meetingDoc.addAgendaItem(local.doc, 'written-as-delegate', { title: 'After' });
    meetingDoc.addAgendaItem(chair.doc, 'chair-marker-2', { title: 'Marker' });
    await waitFor(() => hasItem(local, 'chair-marker-2'), DEADLINE_MS, 'the chair edit through the agent');
    expect(hasItem(chair, 'written-as-delegate')).toBe(false);
  });

  it('an admin whose account is demoted: a meeting they sit in as a delegate turns read-only on the agent', async () => {
    const password = 'admin-three-password';
    const created = await asAdmin('/api/accounts', 'POST', { login: 'admin3', name: 'Third admin', role: 'admin', password });
    expect(created.status).toBe(201);
    const admin3 = (created.body as { id: string }).id;
    users.admin3 = admin3;
    const id = await meetingWith({ admin3: 'delegate', chair: 'chair' });
    const { agent, token } = await agentFor('admin3', id, { password });
    const c = track(connectDoc(agent.url, `meeting/${id}`, token));
    const chair = track(connectDoc(hub.url, `meeting/${id}`, tokens.chair!));
    await Promise.all([c, chair].map((x) => waitSynced(x)));
    meetingDoc.addAgendaItem(c.doc, 'as-admin', { title: 'Written as admin' });
    await waitFor(() => hasItem(chair, 'as-admin'), DEADLINE_MS, 'the admin edit at the hub');

    expect((await asAdmin(`/api/accounts/${admin3}`, 'PATCH', { role: 'delegate' })).status).toBe(200);
    await until(async () => (await api<{ user: { role: string } }>(agent.url, token, '/api/session')).body.user?.role === 'delegate', 'the agent learns the account role');
    await waitFor(() => c.denied.length > 0, DEADLINE_MS, 'permission-denied from the agent');
    meetingDoc.addAgendaItem(c.doc, 'as-delegate', { title: 'Written after the demotion' });
    meetingDoc.addAgendaItem(chair.doc, 'chair-marker', { title: 'Marker' });
    await waitFor(() => hasItem(c, 'chair-marker'), DEADLINE_MS, 'the chair edit through the agent');
    expect(hasItem(chair, 'as-delegate')).toBe(false);
    expect(c.provider.wsconnected).toBe(true);
  });

  it('the hub revokes the session: the agent’s local sockets close (4401)', async () => {
    const id = await meetingWith({ delegate1: 'delegate' });
    const { agent, token, userId } = await agentFor('delegate1', id);
    const meeting = track(connectDoc(agent.url, `meeting/${id}`, token));
    const notes = track(connectDoc(agent.url, `notes/${id}/${userId}`, token));
    await Promise.all([meeting, notes].map((c) => waitSynced(c)));
    expect((await asAdmin(`/api/accounts/${userId}/revoke-sessions`, 'POST')).status).toBe(200);
    expect((await within(meeting.closed, 'the meeting socket closed')).code).toBe(4401);
    expect((await within(notes.closed, 'the notes socket closed')).code).toBe(4401);
    expect((await api(agent.url, token, '/api/meetings')).status).toBe(401);
  });

  it('a wipe order for the meeting: the agent’s local sockets to it close (4410)', async () => {
    const id = await meetingWith({ delegate2: 'delegate' });
    const { agent, token, userId } = await agentFor('delegate2', id);
    const meeting = track(connectDoc(agent.url, `meeting/${id}`, token));
    const notes = track(connectDoc(agent.url, `notes/${id}/${userId}`, token));
    await Promise.all([meeting, notes].map((c) => waitSynced(c)));
    const order = await asAdmin('/api/devices/wipe', 'POST', { meetingId: id, userId });
    expect(order.status).toBe(201);
    expect((await within(meeting.closed, 'the meeting socket closed')).code).toBe(4410);
    expect((await within(notes.closed, 'the notes socket closed')).code).toBe(4410);
    expect((await api(agent.url, token, `/api/meetings/${id}`)).status).toBe(404);
  });
});
