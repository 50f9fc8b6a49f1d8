// A meeting closed at the hub is read-only on a device's agent too, at once: the secretary's own
// tablet socket (through the agent) is told so without waiting for the agent's next round, an edit
// on it reaches neither the agent's copy nor the hub, and the meeting still reads from the cache.
// Real hub and agent processes on loopback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type BetterSqlite3 from 'better-sqlite3';
import * as decoding from 'lib0/decoding';
import { api, signIn, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startAgentProcess } from './agent-helpers.ts';
import { openHubDb, rawSync, startHubIn, storedDoc, type HubUnderTest } from './hub-helpers.ts';
import { syncFrame } from './sync-frames.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

const DEADLINE_MS = 10_000;
let hub: HubUnderTest;
let agent: RunningProcess;
let db: BetterSqlite3.Database;
const clients: YClient[] = [];

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  db?.close();
  await agent?.stop();
  await hub?.stop();
});

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > DEADLINE_MS) throw new Error(`not within ${DEADLINE_MS} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const syncKind = (b: Buffer): string => {
  const d = decoding.createDecoder(b);
  const type = decoding.readVarUint(d);
  return type === 0 ? `sync${decoding.readVarUint(d)}` : `type ${type}`;
};

describe('a closed meeting on a device', () => {
  it('turns the secretary\'s local socket read-only at once; the meeting still reads from the cache', async () => {
    const hubSession = await signIn(hub.url, 'secretary');
    const meetingId = (await api<Array<{ id: string }>>(hub.url, hubSession.token, '/api/meetings')).body[0]!.id;
    // Rounds ten minutes apart: only the hub telling the agent's own link can make this quick.
    agent = await startAgentProcess(hub.url, tempDir('chamber-agent-archive-'), 'secretary', 'demo', ['--refresh-ms', '600000']);
    const { token } = await signIn(agent.url, 'secretary');
    await waitUntil(async () => (await api<Array<{ id: string }>>(agent.url, token, '/api/meetings')).body.some?.((m) => m.id === meetingId) ?? false, 'the agent holds the meeting');
    const doc = `meeting/${meetingId}`;
    const local = connectDoc(agent.url, doc, token);
    clients.push(local);
    await waitSynced(local);
    meetingDoc.addAgendaItem(local.doc, 'written-while-open', { title: 'Before the close' });
    await waitFor(() => meetingDoc.readAgenda(storedDoc(db, doc)).some((i) => i.id === 'written-while-open'), DEADLINE_MS, 'the edit at the hub');

    expect((await api(hub.url, hubSession.token, `/api/meetings/${meetingId}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) })).status).toBe(200);
    await waitFor(() => local.denied.length > 0, DEADLINE_MS, 'the local socket told it is read-only');
    expect(local.denied[0]).toMatch(/read-only/);
    // The cached status follows with the meeting document's details, which may land just after the refusal.
    await waitUntil(async () => (await api<{ status: string }>(agent.url, token, `/api/meetings/${meetingId}`)).body.status === 'closed', 'the agent answers the meeting as closed');

    // A write on a socket opened now is dropped by the agent itself: it answers the sync step 1
    // sent after it, and a reader connecting afterwards sees no trace of it, nor does the hub.
    const raw = rawSync(agent.url, doc, token);
    await raw.opened;
    const edit = new Y.Doc();
    meetingDoc.addAgendaItem(edit, 'written-after-close', { title: 'Too late' });
    const from = raw.received.length;
    raw.ws.send(syncFrame(2, Y.encodeStateAsUpdate(edit)));
    raw.ws.send(syncFrame(0, Y.encodeStateVector(new Y.Doc())));
    await waitFor(() => raw.received.slice(from).some((b) => syncKind(b) === 'sync1'), DEADLINE_MS, 'the agent\'s answer to the sync step 1');
    raw.ws.close();
    const reader = connectDoc(agent.url, doc, token);
    clients.push(reader);
    await waitSynced(reader);
    expect(meetingDoc.readAgenda(reader.doc).map((i) => i.id)).toContain('written-while-open');
    expect(meetingDoc.readAgenda(reader.doc).map((i) => i.id)).not.toContain('written-after-close');
    expect(meetingDoc.readDetails(reader.doc).status).toBe('closed');
    expect(meetingDoc.readAgenda(storedDoc(db, doc)).map((i) => i.id)).not.toContain('written-after-close');

    // A locked route forwarded by the agent answers as the hub does.
    const refused = await api<{ error: string }>(agent.url, token, `/api/meetings/${meetingId}`, { method: 'PATCH', body: JSON.stringify({ title: 'Renamed' }) });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('meeting_closed');
  });
});
