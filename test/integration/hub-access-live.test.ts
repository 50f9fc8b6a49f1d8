// Access is re-evaluated on open connections, at once, whenever something it depends on changes:
// a participant's role, an account's role, a meeting put back to draft, sign-out, and the
// session's expiry. Real hub process (expiry: a hub created in-process with a short session
// lifetime), real y-websocket clients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startDemoHub, storedDoc, type HubUnderTest } from './hub-helpers.ts';
import { createHub } from '../../electron/hub/hub.ts';
import { hashPassword } from '../../electron/hub/passwords.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
const clients: YClient[] = [];

function client(login: string, name: string, token = tokens[login]!): YClient {
  const c = connectDoc(hub.url, name, token);
  clients.push(c);
  return c;
}

const asAdmin = (path: string, method: string, body?: unknown) => api(hub.url, tokens.admin!, path, { method, ...(body ? { body: JSON.stringify(body) } : {}) });

/** A published meeting of its own for each test, with the given participants. */
async function meetingWith(roles: Record<string, string>): Promise<string> {
  const created = await api<{ id: string }>(hub.url, tokens.secretary!, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: `live access ${Object.keys(roles).join(' ')}` }) });
  const id = created.body.id;
  for (const [login, role] of Object.entries(roles)) {
    expect((await asAdmin(`/api/meetings/${id}/participants/${users[login]}`, 'PUT', { role })).status).toBe(200);
  }
  expect((await asAdmin(`/api/meetings/${id}`, 'PATCH', { status: 'published' })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  ({ hub, db, meetingId } = await startDemoHub(tokens, users));
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  db?.close();
  await hub?.stop();
});

describe('role changes on open connections', () => {
  it('a secretary demoted to delegate keeps reading but can no longer write; promoted back, writes again', async () => {
    const id = await meetingWith({ secretary: 'secretary', chair: 'chair', delegate1: 'delegate' });
    const doc = `meeting/${id}`;
    const sec = client('secretary', doc);
    const chair = client('chair', doc);
    const reader = client('delegate1', doc);
    await Promise.all([sec, chair, reader].map((c) => waitSynced(c)));
    meetingDoc.addAgendaItem(sec.doc, 'before-demotion', { title: 'Before' });
    await waitFor(() => meetingDoc.readAgenda(reader.doc).some((i) => i.id === 'before-demotion'), 5000, 'secretary edit');

    expect((await asAdmin(`/api/meetings/${id}/participants/${users.secretary}`, 'PUT', { role: 'delegate' })).status).toBe(200);
    meetingDoc.addAgendaItem(sec.doc, 'after-demotion', { title: 'After' });
    await waitFor(() => sec.denied.length > 0, 5000, 'permission-denied to the demoted secretary');
    expect(sec.denied[0]).toMatch(/read-only/);
    // Still reading: the chair's edit reaches the demoted secretary, and proves the refused edit
    // was processed before it and is nowhere.
    meetingDoc.addAgendaItem(chair.doc, 'chair-marker', { title: 'Marker' });
    await waitFor(() => meetingDoc.readAgenda(sec.doc).some((i) => i.id === 'chair-marker'), 5000, 'chair edit at the demoted secretary');
    await waitFor(() => meetingDoc.readAgenda(reader.doc).some((i) => i.id === 'chair-marker'), 5000, 'chair edit at the reader');
    expect(meetingDoc.readAgenda(reader.doc).some((i) => i.id === 'after-demotion')).toBe(false);
    expect(meetingDoc.readAgenda(storedDoc(db, doc)).some((i) => i.id === 'after-demotion')).toBe(false);
    expect(sec.provider.wsconnected).toBe(true);

    // Promoted back: the connection is closed with 1012 and the provider reconnects as a writer
    // (Yjs cannot skip the changes the hub dropped meanwhile; they travel with the resync).
    expect((await asAdmin(`/api/meetings/${id}/participants/${users.secretary}`, 'PUT', { role: 'secretary' })).status).toBe(200);
    expect((await sec.closed).code).toBe(1012);
    meetingDoc.addAgendaItem(sec.doc, 'after-promotion', { title: 'Promoted' });
    await waitFor(() => meetingDoc.readAgenda(reader.doc).some((i) => i.id === 'after-promotion'), 5000, 'edit after promotion');
    for (const c of [sec, chair, reader]) c.provider.disconnect();
  });

  it('an admin demoted to delegate loses the meetings they do not take part in (4410)', async () => {
    const created = await asAdmin('/api/accounts', 'POST', { login: 'admin2', name: 'Second admin', role: 'admin', password: 'admin2-password' });
    expect(created.status).toBe(201);
    const admin2 = (created.body as { id: string }).id;
    const token = (await signIn(hub.url, 'admin2', 'admin2-password')).token;
    const doc = `meeting/${meetingId}`;
    const c = client('admin2', doc, token);
    const reader = client('delegate2', doc);
    await Promise.all([c, reader].map((x) => waitSynced(x)));
    meetingDoc.updateAgendaItem(c.doc, 'item-other', { presenter: 'admin2 while admin' });
    await waitFor(() => meetingDoc.readAgenda(reader.doc).some((i) => i.presenter === 'admin2 while admin'), 5000, 'admin edit');
    expect((await asAdmin(`/api/accounts/${admin2}`, 'PATCH', { role: 'delegate' })).status).toBe(200);
    expect(await c.closed).toEqual({ code: 4410, reason: 'access to this document ended' });
    expect(reader.provider.wsconnected).toBe(true);
    reader.provider.disconnect();
  });
});

describe('meeting status', () => {
  it('back to draft: delegates lose the meeting and their notes at once; its managers keep writing', async () => {
    const id = await meetingWith({ secretary: 'secretary', delegate1: 'delegate', delegate2: 'delegate' });
    const sec = client('secretary', `meeting/${id}`);
    const del = client('delegate1', `meeting/${id}`);
    const notes = client('delegate1', `notes/${id}/${users.delegate1}`);
    const elsewhere = client('delegate2', `meeting/${meetingId}`);
    await Promise.all([sec, del, notes, elsewhere].map((c) => waitSynced(c)));
    expect((await api(hub.url, tokens.secretary!, `/api/meetings/${id}`, { method: 'PATCH', body: JSON.stringify({ status: 'draft' }) })).status).toBe(200);
    expect((await del.closed).code).toBe(4410);
    expect((await notes.closed).code).toBe(4410);
    meetingDoc.addAgendaItem(sec.doc, 'draft-edit', { title: 'Still editing the draft' });
    await waitFor(() => meetingDoc.readAgenda(storedDoc(db, `meeting/${id}`)).some((i) => i.id === 'draft-edit'), 5000, 'secretary edit to the draft');
    expect(sec.provider.wsconnected).toBe(true);
    expect(elsewhere.provider.wsconnected).toBe(true);
    for (const c of [sec, elsewhere]) c.provider.disconnect();
  });
});

describe('sessions', () => {
  it('signing out closes that session’s connections with 4401, not the same user’s other session', async () => {
    const doc = `meeting/${meetingId}`;
    const other = (await signIn(hub.url, 'delegate1')).token;
    const leaving = (await signIn(hub.url, 'delegate1')).token;
    const a = client('delegate1', doc, leaving);
    const b = client('delegate1', doc, other);
    await Promise.all([a, b].map((c) => waitSynced(c)));
    expect((await api(hub.url, leaving, '/api/session', { method: 'DELETE' })).status).toBe(204);
    expect((await a.closed).code).toBe(4401);
    expect(b.provider.wsconnected).toBe(true);
    b.provider.disconnect();
  });

  it('a session that expires while its socket is open is closed at its expiry (4401)', async () => {
    const ttl = 2500;
    const local = await createHub({ dataDir: tempDir('chamber-expiry-'), port: 0, log: () => {}, sessionTtlMs: ttl });
    try {
      const user = local.db.createAccount({ login: 'short', name: 'Short session', role: 'delegate', pwHash: await hashPassword('short-session') });
      const id = local.db.createMeeting({ title: 'Expiry', status: 'published' }).id;
      local.db.setParticipant(id, user.id, 'delegate');
      const s = await signIn(local.url, 'short', 'short-session');
      const c = connectDoc(local.url, `meeting/${id}`, s.token);
      clients.push(c);
      await waitSynced(c);
      const closed = await c.closed;
      expect(closed).toEqual({ code: 4401, reason: 'session ended: sign in again' });
      expect(Date.now()).toBeGreaterThanOrEqual(new Date((s as unknown as { expiresAt: string }).expiresAt).getTime());
      c.provider.disconnect();
    } finally {
      await local.close();
    }
  });
});
