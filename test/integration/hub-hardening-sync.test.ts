// Issue 12 on the sync side, against the real hub process: anonymous upgrades that used to kill
// it, a poisoned document (sent live, or already in the store), a stored row Yjs cannot read,
// an upload whose document write fails, a frame over the limit on the real path, and presence
// spoken for someone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { startAgentProcess } from './agent-helpers.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { health, openHubDb, rawSync, startHubIn, storedDoc, storedRows, type HubUnderTest } from './hub-helpers.ts';
import { deepChainUpdates, presenceFrame, rawUpgrade, syncFrame } from './sync-frames.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { LIMITS } from '../../shared/api.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
let docName: string;
const tokens: Record<string, string> = {};
const clients: YClient[] = [];

function client(login: string, name = docName): YClient {
  const c = connectDoc(hub.url, name, tokens[login]!);
  clients.push(c);
  return c;
}

async function restartHub(): Promise<void> {
  db.close();
  await hub.stop();
  hub = await startHubIn(hub.dataDir);
  db = openHubDb(hub.dataDir);
}

async function makePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([400, 300]).drawText(text, { x: 30, y: 150, size: 16, font });
  return Buffer.from(await doc.save());
}

const upload = async (title: string) => api<{ id: string; error?: string }>(hub.url, tokens.secretary!, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}`, {
  method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await makePdf(title)),
});

const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
const footprint = () => ({
  blobs: count('SELECT COUNT(*) AS n FROM blobs'),
  chunks: count('SELECT COUNT(*) AS n FROM blob_chunks'),
  papers: count('SELECT COUNT(*) AS n FROM papers'),
  versions: count('SELECT COUNT(*) AS n FROM paper_versions'),
});

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['admin', 'secretary', 'chair', 'delegate1', 'delegate2']) tokens[login] = (await signIn(hub.url, login)).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.delegate1!, '/api/meetings')).body[0]!.id;
  docName = `meeting/${meetingId}`;
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  db?.close();
  await hub?.stop();
});

const badUpgrades = (): Array<[string, { omit?: string[] }, number]> => [
  ['GET /sync/%ff HTTP/1.1', {}, 400],
  ['GET /sync/meeting%2Fx%E0%A4%A HTTP/1.1', {}, 400],
  ['GET //x:99999/sync/meeting HTTP/1.1', {}, 400],
  ['GET //[/sync/meeting HTTP/1.1', {}, 400],
  [`GET /sync/${docName} HTTP/1.1`, { omit: ['Sec-WebSocket-Key'] }, 400],
  [`GET /sync/${docName} HTTP/1.1`, { omit: ['Sec-WebSocket-Version'] }, 400],
  ['GET /not-sync/anything HTTP/1.1', {}, 404],
];

describe('the upgrade path answers every request and the process lives', () => {
  it('hub: bad URLs, bad percent-encoding and missing headers get 400 or 404; the hub keeps serving', async () => {
    for (const [line, opts, status] of badUpgrades()) {
      const r = await rawUpgrade(hub.url, line, opts);
      expect({ line, status: r.status }).toEqual({ line, status });
      expect(r.text).not.toMatch(/%ff|%E0/i);
      expect((await health(hub.url)).ok).toBe(true);
    }
    // No token on a bad name: still a clean answer, and the hub still syncs.
    expect((await rawUpgrade(hub.url, 'GET /sync/%ff?token= HTTP/1.1')).status).toBe(400);
    const c = client('delegate1');
    await waitSynced(c);
    expect(meetingDoc.readAgenda(c.doc).length).toBeGreaterThan(0);
    c.provider.disconnect();
  });

  it('agent: the same requests on its loopback port (any local page could send them) get the same answers', async () => {
    const agent = await startAgentProcess(hub.url, tempDir('chamber-agent-upgrade-'), 'delegate1');
    try {
      for (const [line, opts, status] of badUpgrades()) {
        const r = await rawUpgrade(agent.url, line, opts);
        expect({ line, status: r.status }).toEqual({ line, status });
        expect((await fetch(`${agent.url}/health`)).status).toBe(200);
      }
      expect(agent.proc.exitCode).toBeNull();
    } finally {
      await agent.stop();
    }
  });
});

describe('a poisoned document', () => {
  it('the deep update is refused with 4422 and nothing of it stored; the doc loads for others, also after a restart', async () => {
    const { deep, deleteTop } = deepChainUpdates(2000);
    expect(deep.length).toBeLessThan(30_000);
    const reader = client('delegate2');
    await waitSynced(reader);
    const rows = storedRows(db, docName);
    const s = rawSync(hub.url, docName, tokens.secretary!);
    await s.opened;
    s.ws.send(syncFrame(2, deep));
    s.ws.send(syncFrame(2, deleteTop));
    const closed = await s.closed;
    expect(closed).toEqual({ code: 4422, reason: 'refused: shared types nested deeper than 16 levels' });
    expect(storedRows(db, docName)).toBe(rows);
    expect(storedDoc(db, docName).getMap('agenda').has('deep-chain')).toBe(false);
    // Everyone else carries on: a secretary edit reaches the reader, a new client loads the doc.
    const sec = client('secretary');
    await waitSynced(sec);
    meetingDoc.updateAgendaItem(sec.doc, 'item-budget', { presenter: 'after the poison' });
    await waitFor(() => meetingDoc.readAgenda(reader.doc).some((i) => i.presenter === 'after the poison'), 5000, 'edit after poison');
    sec.provider.disconnect();
    reader.provider.disconnect();
    await restartHub();
    const late = client('delegate1');
    await waitSynced(late);
    expect(meetingDoc.readAgenda(late.doc).find((i) => i.id === 'item-budget')?.presenter).toBe('after the poison');
    late.provider.disconnect();
  });

  it('a store poisoned before the guard existed loads with the bad row set aside, and uploads work', async () => {
    const { deep, deleteTop } = deepChainUpdates(2000);
    db.close();
    await hub.stop();
    db = openHubDb(hub.dataDir);
    const insert = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
    const deepRow = Number(insert.run(docName, deep).lastInsertRowid);
    insert.run(docName, deleteTop);
    db.close();
    hub = await startHubIn(hub.dataDir);
    db = openHubDb(hub.dataDir);
    const c = client('delegate1');
    await waitSynced(c);
    expect(meetingDoc.readAgenda(c.doc).map((i) => i.id)).toContain('item-budget');
    expect(c.doc.getMap('agenda').has('deep-chain')).toBe(false);
    const set = db.prepare('SELECT source, row_id AS rowId, reason, LENGTH(data) AS bytes FROM doc_quarantine WHERE doc = ?').all(docName);
    expect(set).toEqual([{ source: 'update', rowId: deepRow, reason: 'shared types nested deeper than 16 levels', bytes: deep.length }]);
    expect(hub.output()).not.toMatch(/Maximum call stack/);
    // Before the fix an upload here answered 500 and stored the paper anyway.
    const up = await upload('After the quarantine');
    expect(up.status).toBe(201);
    await waitFor(() => meetingDoc.readPapers(c.doc).some((p) => p.id === up.body.id), 5000, 'uploaded paper in the doc');
    c.provider.disconnect();
  });

  it('a stored row Yjs cannot read is set aside at load; the document loads without it', async () => {
    const before = storedDoc(db, docName).getMap('agenda').toJSON();
    db.close();
    await hub.stop();
    db = openHubDb(hub.dataDir);
    const junk = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x00, 0x41, 0x42]);
    const junkRow = Number(db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)').run(docName, junk).lastInsertRowid);
    db.close();
    hub = await startHubIn(hub.dataDir);
    db = openHubDb(hub.dataDir);
    const c = client('delegate2');
    await waitSynced(c);
    expect(c.doc.getMap('agenda').toJSON()).toEqual(before);
    const row = db.prepare('SELECT source, row_id AS rowId, reason FROM doc_quarantine WHERE doc = ? AND row_id = ?').get(docName, junkRow) as { reason: string } | undefined;
    expect(row?.reason).toMatch(/^cannot be decoded/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE id = ?').get(junkRow)).toEqual({ n: 0 });
    c.provider.disconnect();
  });
});

describe('a route that fails stores nothing', () => {
  it('an upload whose meeting-document write fails answers 500 and leaves no paper, version or blob', async () => {
    const reader = client('delegate1');
    await waitSynced(reader);
    const papersBefore = meetingDoc.readPapers(reader.doc).length;
    const before = footprint();
    // A real SQLite fault on exactly that write: a trigger refusing rows for this document.
    db.exec(`CREATE TRIGGER refuse_meeting_doc BEFORE INSERT ON doc_updates WHEN NEW.doc = '${docName}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`);
    try {
      const r = await upload('Never stored');
      expect(r.status).toBe(500);
      expect(footprint()).toEqual(before);
      expect((await api<Array<{ title: string }>>(hub.url, tokens.secretary!, `/api/meetings/${meetingId}/papers`)).body.map((p) => p.title)).not.toContain('Never stored');
    } finally {
      db.exec('DROP TRIGGER refuse_meeting_doc');
    }
    // The document was reloaded from the store: clients resync and see no trace of it.
    const again = client('delegate1');
    await waitSynced(again);
    expect(meetingDoc.readPapers(again.doc).length).toBe(papersBefore);
    expect(meetingDoc.readPapers(again.doc).some((p) => p.title === 'Never stored')).toBe(false);
    const ok = await upload('Stored after the fault');
    expect(ok.status).toBe(201);
    await waitFor(() => meetingDoc.readPapers(again.doc).some((p) => p.id === ok.body.id), 5000, 'paper after the fault');
    reader.provider.disconnect();
    again.provider.disconnect();
  });
});

describe('frames over the limit', () => {
  it('a 9 MiB frame sent whole by a real client closes with 1009 and stores nothing', async () => {
    const rows = storedRows(db, docName);
    const s = rawSync(hub.url, docName, tokens.secretary!);
    await s.opened;
    s.ws.send(Buffer.alloc(9 * 1024 * 1024, 7));
    expect((await s.closed).code).toBe(1009);
    expect(9 * 1024 * 1024).toBeGreaterThan(LIMITS.maxWsFrameBytes);
    expect(storedRows(db, docName)).toBe(rows);
    expect((await health(hub.url)).ok).toBe(true);
  });
});

describe('presence', () => {
  const stateOf = (c: YClient, id: number) => c.provider.awareness.getStates().get(id) as Record<string, unknown> | undefined;

  it('is accepted only for the ids a connection owns, within a size cap; a read-only peer has its own', async () => {
    const chair = client('chair');
    chair.provider.awareness.setLocalState({ user: 'chair', page: 3 });
    const del = client('delegate1');
    del.provider.awareness.setLocalState({ user: 'delegate1', page: 1 });
    const watcher = client('delegate2');
    await Promise.all([chair, del, watcher].map((c) => waitSynced(c)));
    const chairId = chair.doc.clientID;
    await waitFor(() => stateOf(watcher, chairId)?.user === 'chair' && stateOf(watcher, del.doc.clientID)?.user === 'delegate1', 5000, 'presence of chair and delegate');

    // A read-only delegate's raw connection speaks for the chair's id, then sends 9 KiB of its
    // own, then a small state of its own as a marker: only the marker gets through.
    const rogue = rawSync(hub.url, docName, tokens.delegate1!);
    await rogue.opened;
    const rogueId = 424242;
    rogue.ws.send(presenceFrame(chairId, { user: 'hijacked' }, 1000));
    rogue.ws.send(presenceFrame(rogueId, { user: 'rogue', blob: 'x'.repeat(9 * 1024) }, 1));
    rogue.ws.send(presenceFrame(rogueId, { user: 'rogue-marker' }, 2));
    await waitFor(() => stateOf(watcher, rogueId)?.user === 'rogue-marker', 5000, 'marker presence');
    expect(stateOf(watcher, chairId)).toEqual({ user: 'chair', page: 3 });
    expect(stateOf(chair, chairId)).toEqual({ user: 'chair', page: 3 });
    // Having claimed an id, the connection cannot speak for a second one.
    rogue.ws.send(presenceFrame(rogueId + 1, { user: 'second id' }, 1));
    rogue.ws.send(presenceFrame(rogueId, { user: 'rogue-marker-2' }, 3));
    await waitFor(() => stateOf(watcher, rogueId)?.user === 'rogue-marker-2', 5000, 'second marker');
    expect(stateOf(watcher, rogueId + 1)).toBeUndefined();
    rogue.ws.close();
    await waitFor(() => stateOf(watcher, rogueId) === undefined, 5000, 'rogue presence gone with its socket');

    // The same user on a new connection (a tablet reconnecting) takes their own id over.
    const again = rawSync(hub.url, docName, (await signIn(hub.url, 'chair')).token);
    await again.opened;
    again.ws.send(presenceFrame(chairId, { user: 'chair', page: 4 }, 1000));
    await waitFor(() => stateOf(watcher, chairId)?.page === 4, 5000, 'chair presence from the new connection');
    again.ws.close();
    for (const c of [chair, del, watcher]) c.provider.disconnect();
  });
});
