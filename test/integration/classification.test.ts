// Classification levels through the real hub process (issue 17, docs/classification.md): the
// levels' list and who may change it, a paper's level (set on upload or later, by whom), the
// level reaching the paper list and the meeting document that devices read, and the export that
// the level refuses or stamps with the reader's watermark (read back with pdf.js).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced } from '../helpers/yclient.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { signInAgent, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { pdfText } from './minutes-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { DEFAULT_LEVELS, type ClassificationLevel } from '../../shared/classification.ts';
import type { PaperInfo, UploadResponse } from '../../shared/api.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};
const users: Record<string, { id: string; name: string }> = {};

async function makePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 2; i++) doc.addPage([595, 842]).drawText(`${text} page ${i}`, { x: 60, y: 700, size: 18, font });
  return Buffer.from(await doc.save());
}

async function upload(title: string, query = '', token = tokens.secretary!) {
  return api<UploadResponse & { error?: string }>(hub.url, token, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}${query}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await makePdf(title)),
  });
}

const levels = (token = tokens.delegate1!) => api<ClassificationLevel[]>(hub.url, token, '/api/classification-levels');
const putLevels = (body: unknown, token = tokens.admin!) =>
  api<ClassificationLevel[] & { error?: string; message?: string }>(hub.url, token, '/api/classification-levels', { method: 'PUT', body: JSON.stringify(body) });
const classify = (paperId: string, body: unknown, token = tokens.secretary!) =>
  api<PaperInfo & { error?: string }>(hub.url, token, `/api/papers/${paperId}/classification`, { method: 'PATCH', body: JSON.stringify(body) });
const papers = async (token = tokens.delegate1!) => (await api<PaperInfo[]>(hub.url, token, `/api/meetings/${meetingId}/papers`)).body;
const exportPaper = (paperId: string, token = tokens.delegate1!, headers: Record<string, string> = {}) =>
  fetch(`${hub.url}/api/papers/${paperId}/export`, { headers: { authorization: `Bearer ${token}`, ...headers } });
const levelRows = () => db.prepare('SELECT id, position, definition FROM classification_levels ORDER BY position').all();

/** A level that watermarks and still lets readers export (what an office might call "internal"). */
const INTERNAL: ClassificationLevel = {
  id: 'internal', rank: 5, name: { en: 'Internal', vi: 'Nội bộ' }, watermark: true, exportAllowed: true, printAllowed: true, offlineHours: 168, recordReading: false,
};

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['admin', 'secretary', 'chair', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user;
  }
  await api(hub.url, tokens.admin!, '/api/accounts', { method: 'POST', body: JSON.stringify({ login: 'outsider', name: 'Outsider', role: 'delegate', password: 'outsider-pw' }) });
  tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-pw')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.secretary!, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  db?.close();
  await hub?.stop();
});

describe('the levels', () => {
  it('start as the defaults, readable by anyone signed in and nobody else', async () => {
    expect((await levels()).body).toEqual(DEFAULT_LEVELS);
    expect((await levels(tokens.outsider)).status).toBe(200);
    expect((await fetch(`${hub.url}/api/classification-levels`)).status).toBe(401);
  });

  it('are changed by an admin only, and a bad list changes nothing', async () => {
    const before = levelRows();
    expect((await putLevels([...DEFAULT_LEVELS, INTERNAL], tokens.secretary)).status).toBe(403);
    expect((await putLevels([...DEFAULT_LEVELS, INTERNAL], tokens.delegate1)).status).toBe(403);
    const dup = await putLevels([...DEFAULT_LEVELS, { ...INTERNAL, id: 'secret' }]);
    expect(dup.status).toBe(400);
    expect(JSON.stringify(dup.body)).toMatch(/unique/);
    const noNormal = await putLevels(DEFAULT_LEVELS.slice(1));
    expect(noNormal.status).toBe(400);
    expect(JSON.stringify(noNormal.body)).toMatch(/normal/);
    expect((await putLevels([...DEFAULT_LEVELS, { ...INTERNAL, id: 'Not An Id' }])).status).toBe(400);
    expect((await putLevels([...DEFAULT_LEVELS, { ...INTERNAL, offlineHours: -1 }])).status).toBe(400);
    expect((await putLevels([...DEFAULT_LEVELS, { ...INTERNAL, extra: true }])).status).toBe(400);
    expect((await putLevels([])).status).toBe(400);
    expect(levelRows()).toEqual(before);

    const ok = await putLevels([...DEFAULT_LEVELS, INTERNAL]);
    expect(ok.status).toBe(200);
    expect((await levels()).body.map((l) => l.id)).toEqual(['normal', 'confidential', 'secret', 'internal']);
    expect(db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'classification-levels-set'").get()).toEqual({ n: 1 });
  });
});

describe('a paper\'s level', () => {
  let paperId: string;

  it('is set on upload, and an unknown level stores nothing', async () => {
    const count = () => (db.prepare('SELECT COUNT(*) AS n FROM papers').get() as { n: number }).n;
    const before = count();
    const bad = await upload('Unknown level', '&level=top-secret');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('unknown_level');
    expect((await upload('Bad id', '&level=NOPE')).status).toBe(400);
    expect(count()).toBe(before);

    const res = await upload('Budget 2027', '&level=confidential');
    expect(res.status).toBe(201);
    paperId = res.body.id;
    const listed = (await papers()).find((p) => p.id === paperId)!;
    expect(listed.level).toBe('confidential');
    expect(listed.classification).toEqual(DEFAULT_LEVELS[1]);
    // Without a level a paper is normal, in the list as everywhere.
    const plain = await upload('Plain paper');
    expect((await papers()).find((p) => p.id === plain.body.id)!.level).toBe('normal');
  });

  it('is changed by the meeting\'s managers only: others 403, outsiders 404, unknown levels 400', async () => {
    expect((await classify(paperId, { level: 'secret' }, tokens.delegate1)).status).toBe(403);
    expect((await classify(paperId, { level: 'secret' }, tokens.outsider)).status).toBe(404);
    const unknown = await classify(paperId, { level: 'cosmic' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unknown_level');
    expect((await classify(paperId, { level: 'secret', more: 1 })).status).toBe(400);
    expect((await classify(paperId, {})).status).toBe(400);
    expect((await classify('no-such-paper', { level: 'secret' })).status).toBe(404);
    expect((await papers()).find((p) => p.id === paperId)!.level).toBe('confidential');

    const res = await classify(paperId, { level: 'secret' }, tokens.chair);
    expect(res.status).toBe(200);
    expect(res.body.level).toBe('secret');
    expect((await papers(tokens.delegate2)).find((p) => p.id === paperId)!.classification).toEqual(DEFAULT_LEVELS[2]);
    const audit = db.prepare("SELECT user_id, detail FROM audit WHERE action = 'paper-classified' AND target = ?").get(paperId) as { user_id: string; detail: string };
    expect(audit.user_id).toBe(users.chair!.id);
    expect(JSON.parse(audit.detail)).toEqual({ from: 'confidential', to: 'secret' });
  });

  it('reaches the meeting document devices read, live, with its rules', async () => {
    const c = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate1!);
    try {
      await waitSynced(c);
      const entry = () => meetingDoc.readPaper(c.doc, paperId);
      expect(entry()?.level).toBe('secret');
      expect(entry()?.classification).toEqual(DEFAULT_LEVELS[2]);
      expect((await classify(paperId, { level: 'internal' })).status).toBe(200);
      await waitFor(() => entry()?.level === 'internal', 10_000, 'the new level in the meeting document');
      expect(entry()?.classification).toEqual(INTERNAL);
      // A change to the level's own rules is written to every paper of that level.
      expect((await putLevels([...DEFAULT_LEVELS, { ...INTERNAL, offlineHours: 24 }])).status).toBe(200);
      await waitFor(() => entry()?.classification?.offlineHours === 24, 10_000, 'the changed rules in the meeting document');
      // A level still in use cannot be removed.
      const inUse = await putLevels(DEFAULT_LEVELS);
      expect(inUse.status).toBe(409);
      expect((inUse.body as unknown as { error: string }).error).toBe('level_in_use');
      expect((await levels()).body.map((l) => l.id)).toContain('internal');
    } finally {
      c.destroy();
    }
  });
});

describe('export', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    for (const level of ['normal', 'confidential', 'secret', 'internal']) ids[level] = (await upload(`Export ${level}`, `&level=${level}`)).body.id;
  });

  it('is refused for confidential and secret papers, to managers too', async () => {
    for (const level of ['confidential', 'secret']) {
      for (const who of ['delegate1', 'secretary', 'admin']) {
        const res = await exportPaper(ids[level]!, tokens[who]);
        expect(res.status).toBe(403);
        expect(((await res.json()) as { error: string }).error).toBe('export_not_allowed');
      }
    }
    expect((await exportPaper(ids.confidential!, tokens.outsider)).status).toBe(404);
    expect((await exportPaper(ids.normal!, tokens.outsider)).status).toBe(404);
  });

  it('gives a normal paper as it was uploaded', async () => {
    const res = await exportPaper(ids.normal!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    const text = (await pdfText(new Uint8Array(await res.arrayBuffer()))).text;
    expect(text).toContain('Export normal page 1');
    expect(text).not.toContain(users.delegate1!.name);
  });

  it('stamps a watermarking level\'s export with the reader, their device and the time, on every page', async () => {
    const res = await exportPaper(ids.internal!, tokens.delegate1, { 'x-chamber-device': 'tablet-07' });
    expect(res.status).toBe(200);
    const { pages, text } = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pages).toBe(2);
    expect(text).toContain('Export internal page 2');
    expect(text).toContain(`${users.delegate1!.name} (delegate1)`);
    expect(text).toContain('device tablet-07');
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d\d:\d\d/);
    // Another reader's export names them, not the first.
    const other = await pdfText(new Uint8Array(await (await exportPaper(ids.internal!, tokens.delegate2)).arrayBuffer()));
    expect(other.text).toContain(`${users.delegate2!.name} (delegate2)`);
    expect(other.text).toContain('no device');
    expect(other.text).not.toContain(users.delegate1!.name);
    // A HEAD learns the headers; nothing is stamped or audited for it.
    const head = await fetch(`${hub.url}/api/papers/${ids.internal!}/export`, { method: 'HEAD', headers: { authorization: `Bearer ${tokens.delegate1!}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/pdf');
    const audited = db.prepare("SELECT detail FROM audit WHERE action = 'paper-exported' AND target = ? ORDER BY id").all(ids.internal!) as Array<{ detail: string }>;
    expect(audited.map((r) => JSON.parse(r.detail) as { watermarked: boolean; deviceId: string | null })).toMatchObject([
      { watermarked: true, deviceId: 'tablet-07' }, { watermarked: true, deviceId: null },
    ]);
  });
});

describe('reading records', () => {
  it('are kept for a level that records reading and not for one that does not', async () => {
    const secret = (await upload('Reading secret', '&level=secret')).body.id;
    const normal = (await upload('Reading normal')).body.id;
    const report = (paperId: string) => api<{ recorded: boolean }>(hub.url, tokens.delegate1!, `/api/papers/${paperId}/reading`, {
      method: 'POST', body: JSON.stringify({ pages: [1, 2], openedAt: new Date().toISOString() }),
    });
    expect((await report(secret)).body).toEqual({ recorded: true });
    expect((await report(normal)).body).toEqual({ recorded: false });
    // The level decides, as it is now: the normal paper made secret records from then on.
    expect((await classify(normal, { level: 'secret' })).status).toBe(200);
    expect((await report(normal)).body).toEqual({ recorded: true });
  });
});

describe('through a device agent', () => {
  it('serves the level and its rules from its cache, names its device in its status, and its export carries that device', async () => {
    const paperId = (await upload('Agent internal', '&level=internal')).body.id;
    const agent = await startAgentProcess(hub.url, tempDir('chamber-class-agent-'), 'delegate1');
    try {
      const s = await signInAgent(agent.url, 'delegate1');
      const status = await waitStatus(agent.url, s.token, (st) => st.hub === 'online' && st.prefetch.length > 0, 'the agent online');
      expect(status.deviceId).toMatch(/^[a-z0-9_-]{1,64}$/);
      const listed = (await api<PaperInfo[]>(agent.url, s.token, `/api/meetings/${meetingId}/papers`)).body.find((p) => p.id === paperId);
      expect(listed?.level).toBe('internal');
      expect(listed?.classification?.watermark).toBe(true);
      const res = await fetch(`${agent.url}/api/papers/${paperId}/export`, { headers: { authorization: `Bearer ${s.token}` } });
      expect(res.status).toBe(200);
      const { text } = await pdfText(new Uint8Array(await res.arrayBuffer()));
      expect(text).toContain(`${users.delegate1!.name} (delegate1)`);
      expect(text).toContain(`device ${status.deviceId}`);
      const refused = await fetch(`${agent.url}/api/papers/${(await upload('Agent secret', '&level=secret')).body.id}/export`, { headers: { authorization: `Bearer ${s.token}` } });
      expect(refused.status).toBe(403);
    } finally {
      await agent.stop();
    }
  });
});
