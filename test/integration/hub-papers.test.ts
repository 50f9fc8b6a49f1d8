// Papers through the real hub process: real and broken PDFs, versions, ETag and Range, who may
// download what (restricted papers included), bad HTTP input, and the audit log.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type BetterSqlite3 from 'better-sqlite3';
import * as Y from 'yjs';
import { api, FIXTURES, haveFixtures, signIn } from '../helpers/processes.ts';
import { connectDoc, waitSynced } from '../helpers/yclient.ts';
import { openHubDb, startHubIn, storedDoc, type HubUnderTest } from './hub-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import type { PaperInfo, UploadResponse } from '../../shared/api.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};
const userIds: Record<string, string> = {};

async function makePdf(pages: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const t of pages) doc.addPage([400, 300]).drawText(t, { x: 30, y: 150, size: 16, font });
  return Buffer.from(await doc.save());
}

function upload(body: Buffer | string, query: string, opts: { token?: string; type?: string } = {}) {
  return api<UploadResponse & { error?: string; message?: string }>(hub.url, opts.token ?? tokens.secretary!, `/api/meetings/${meetingId}/documents?${query}`, {
    method: 'POST', headers: { 'content-type': opts.type ?? 'application/pdf' }, body: typeof body === 'string' ? body : new Uint8Array(body),
  });
}

function download(sha: string, token: string | null, headers: Record<string, string> = {}) {
  return fetch(`${hub.url}/api/blobs/${sha}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
}

/** Everything an upload could leave behind, to prove a refused one left nothing. */
function footprint() {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    blobs: n('SELECT COUNT(*) AS n FROM blobs'),
    chunks: n('SELECT COUNT(*) AS n FROM blob_chunks'),
    papers: n('SELECT COUNT(*) AS n FROM papers'),
    versions: n('SELECT COUNT(*) AS n FROM paper_versions'),
    uploadsAudited: n("SELECT COUNT(*) AS n FROM audit WHERE action = 'paper-uploaded'"),
    meetingDoc: Buffer.from(Y.encodeStateVector(storedDoc(db, `meeting/${meetingId}`))).toString('hex'),
  };
}

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['admin', 'secretary', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    userIds[login] = s.user.id;
  }
  await api(hub.url, tokens.admin!, '/api/accounts', { method: 'POST', body: JSON.stringify({ login: 'outsider', name: 'Outsider', role: 'delegate', password: 'outsider-pw' }) });
  tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-pw')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.secretary!, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  db?.close();
  await hub?.stop();
});

describe.skipIf(!haveFixtures)('real PDFs (../shared/fixtures/pdfs)', () => {
  const expected: Record<string, number> = {
    'tracemonkey.pdf': 14, 'freeculture.pdf': 352, 'images.pdf': 1, 'XiaoBiaoSong.pdf': 1, 'Pages-tree-refs.pdf': 2,
    'TAMReview.pdf': 23, '160F-2019.pdf': 1, 'alphatrans.pdf': 1, 'issue5567.pdf': 1, 'issue6286.pdf': 1, 'issue6961.pdf': 2,
    'seed-report-en.pdf': 9, 'seed-report-ja.pdf': 4, 'to-trinh-vi.pdf': 5,
    // Fuzzed files that pdf.js still opens are papers like any other; they must not hang or crash anything.
    'PDFBOX-3148-2-fuzzed.pdf': 1, 'GHOSTSCRIPT-698804-1-fuzzed.pdf': 1,
  };

  it('accepts each with its page count and serves back the same bytes', async () => {
    for (const [file, pages] of Object.entries(expected)) {
      const bytes = fs.readFileSync(path.join(FIXTURES, file));
      const res = await upload(bytes, `title=${encodeURIComponent(file)}&fileName=${encodeURIComponent(file)}`);
      expect({ file, status: res.status, pages: res.body.pages }).toEqual({ file, status: 201, pages });
      const back = await download(res.body.sha256, tokens.delegate1!);
      expect(back.status).toBe(200);
      expect(Buffer.from(await back.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const doc = storedDoc(db, `meeting/${meetingId}`);
    const titles = meetingDoc.readPapers(doc).map((p) => p.title);
    for (const file of Object.keys(expected)) expect(titles).toContain(file);
  }, 240_000); // 16 files, 13 MB, each opened by pdf.js in a child process on a shared 2-core machine

  it('rejects a PDF that pdf.js cannot open (REDHAT-1531897-0.pdf) and stores nothing', async () => {
    const before = footprint();
    const res = await upload(fs.readFileSync(path.join(FIXTURES, 'REDHAT-1531897-0.pdf')), 'title=Broken');
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/could not be opened/);
    expect(footprint()).toEqual(before);
  });
});

describe('bad uploads get a clear 4xx and leave nothing behind', () => {
  it('not a PDF, empty, truncated, fuzzed, or the wrong content type', async () => {
    const good = await makePdf(['one', 'two', 'three']);
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const fuzzed = Buffer.from(good);
    for (let i = 0; i < good.length * 0.05; i++) fuzzed[8 + Math.floor(rnd() * (good.length - 8))] = Math.floor(rnd() * 256);
    const cases: Array<[string, Buffer | string, string, number, RegExp]> = [
      ['html', Buffer.from('<html><body>hello</body></html>'), 'application/pdf', 422, /not a PDF/],
      ['empty', Buffer.alloc(0), 'application/pdf', 400, /empty/],
      ['tiny', Buffer.from('%PDF'), 'application/pdf', 422, /too short|not a PDF/],
      ['truncated', good.subarray(0, Math.floor(good.length / 3)), 'application/pdf', 422, /could not be opened/],
      ['header then noise', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4000 }, () => Math.floor(rnd() * 256)))]), 'application/pdf', 422, /could not be opened/],
      ['fuzzed', fuzzed, 'application/pdf', 422, /could not be opened/],
      ['text/plain', good, 'text/plain', 415, /Content-Type: application\/pdf|unsupported/i],
      ['json content type', '{"pdf":true}', 'application/json', 415, /application\/pdf/],
      // The upload route takes no JSON, so a JSON body is refused unread, malformed or not.
      ['malformed json content type', '{"pdf":', 'application/json', 415, /application\/pdf/],
    ];
    for (const [what, body, type, status, message] of cases) {
      const before = footprint();
      const res = await upload(body, `title=${encodeURIComponent(what)}`, { type });
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(res.body.message).toMatch(message);
      expect(footprint()).toEqual(before);
    }
  });

  it('refuses uploads from delegates (403), strangers (404) and without a session (401)', async () => {
    const pdf = await makePdf(['x']);
    const before = footprint();
    expect((await upload(pdf, 'title=x', { token: tokens.delegate1 })).status).toBe(403);
    expect((await upload(pdf, 'title=x', { token: tokens.outsider })).status).toBe(404);
    expect((await upload(pdf, 'title=x', { token: 'nope' })).status).toBe(401);
    expect((await upload(pdf, 'title=x&bogus=1')).status).toBe(400);
    expect(footprint()).toEqual(before);
  });
});

describe('malformed JSON and wrong content types on the API', () => {
  it('answers 4xx with a message that says what is wrong', async () => {
    const post = (body: string, type: string) => fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: Array<[string, string, number, RegExp]> = [
      ['{"login": "admin", ', 'application/json', 400, /JSON/i],
      ['[1,2,3]', 'application/json', 400, /invalid sign-in request/],
      ['{"login":"admin","password":"demo","extra":1}', 'application/json', 400, /invalid sign-in request/],
      ['{"login":"admin","password":42}', 'application/json', 400, /password/],
      ['login=admin&password=demo', 'application/x-www-form-urlencoded', 415, /unsupported|content-type/i],
      ['{"login":"admin","password":"demo"}', 'text/plain', 415, /unsupported|content-type/i],
      [`{"login":"admin","password":"${'x'.repeat(70_000)}"}`, 'application/json', 413, /too large/],
    ];
    for (const [body, type, status, message] of cases) {
      const res = await post(body, type);
      const json = (await res.json()) as { error: string; message: string };
      expect({ body: body.slice(0, 40), status: res.status }).toEqual({ body: body.slice(0, 40), status });
      expect(json.message).toMatch(message);
    }
    const patch = await api<{ message: string }>(hub.url, tokens.secretary!, `/api/meetings/${meetingId}`, { method: 'PATCH', body: '{"status":"sideways"}' });
    expect(patch.status).toBe(400);
    expect(patch.body.message).toMatch(/status/);
  });
});

describe('versions, ETag and Range', () => {
  let v1: UploadResponse;
  let v1Bytes: Buffer;
  it('replacing a paper makes version 2 and version 1 stays downloadable', async () => {
    v1Bytes = await makePdf(['first', 'second']);
    v1 = (await upload(v1Bytes, 'title=Versioned')).body;
    expect(v1.version).toBe(1);
    const v2Bytes = await makePdf(['first', 'second, revised', 'third']);
    const v2 = await upload(v2Bytes, `replace=${v1.id}`);
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ id: v1.id, version: 2, pages: 3 });
    const papers = (await api<PaperInfo[]>(hub.url, tokens.delegate1!, `/api/meetings/${meetingId}/papers`)).body;
    expect(papers.find((p) => p.id === v1.id)!.versions.map((v) => [v.version, v.sha256])).toEqual([[1, v1.sha256], [2, v2.body.sha256]]);
    const inDoc = meetingDoc.readPaper(storedDoc(db, `meeting/${meetingId}`), v1.id)!;
    expect(inDoc.versions.map((v) => v.version)).toEqual([1, 2]);
    const old = await download(v1.sha256, tokens.delegate1!);
    expect(old.status).toBe(200);
    expect(Buffer.from(await old.arrayBuffer()).equals(v1Bytes)).toBe(true);
    expect((await upload(v2Bytes, 'replace=no-such-paper')).status).toBe(404);
  });

  it('answers If-None-Match with 304, a Range with 206, an impossible Range with 416', async () => {
    const full = await download(v1.sha256, tokens.delegate1!);
    const etag = full.headers.get('etag')!;
    expect(etag).toBe(`"${v1.sha256}"`);
    // A browser must not keep a (possibly restricted) paper in its unencrypted, URL-keyed cache.
    expect(full.headers.get('cache-control')).toBe('private, no-store');
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    await full.arrayBuffer();
    const cached = await download(v1.sha256, tokens.delegate1!, { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    const part = await download(v1.sha256, tokens.delegate1!, { range: 'bytes=10-109' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-109/${v1Bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(v1Bytes.subarray(10, 110))).toBe(true);
    const tail = await download(v1.sha256, tokens.delegate1!, { range: 'bytes=-20' });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(v1Bytes.subarray(v1Bytes.length - 20))).toBe(true);
    const beyond = await download(v1.sha256, tokens.delegate1!, { range: `bytes=${v1Bytes.length + 10}-` });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${v1Bytes.length}`);
    // A stale If-Range gets the whole file rather than a piece of a different one.
    const stale = await download(v1.sha256, tokens.delegate1!, { range: 'bytes=0-9', 'if-range': '"0000"' });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();
  });

  it('refuses the blob to anyone who takes part in no meeting holding it', async () => {
    expect((await download(v1.sha256, tokens.outsider!)).status).toBe(404);
    expect((await download(v1.sha256, null)).status).toBe(401);
    expect((await download('f'.repeat(64), tokens.delegate1!)).status).toBe(404);
    expect((await download('not-a-sha', tokens.delegate1!)).status).toBe(400);
  });
});

describe('restricted papers', () => {
  it('are invisible to everyone but the named participants and the managers', async () => {
    const bytes = await makePdf(['confidential']);
    const res = await upload(bytes, `title=Confidential&restrictTo=${userIds.delegate1}`);
    expect(res.status).toBe(201);
    const list = async (login: string) => (await api<PaperInfo[]>(hub.url, tokens[login]!, `/api/meetings/${meetingId}/papers`)).body.map((p) => p.id);
    expect(await list('delegate1')).toContain(res.body.id);
    expect(await list('secretary')).toContain(res.body.id);
    expect(await list('delegate2')).not.toContain(res.body.id);
    expect((await download(res.body.sha256, tokens.delegate2!)).status).toBe(404);
    expect((await download(res.body.sha256, tokens.outsider!)).status).toBe(404);
    const ok = await download(res.body.sha256, tokens.delegate1!);
    expect(ok.status).toBe(200);
    expect(Buffer.from(await ok.arrayBuffer()).equals(bytes)).toBe(true);
    // Not in the meeting document, which every participant replicates.
    expect(meetingDoc.readPaper(storedDoc(db, `meeting/${meetingId}`), res.body.id)).toBeNull();
    const c = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate2!);
    await waitSynced(c);
    expect(meetingDoc.readPapers(c.doc).some((p) => p.title === 'Confidential')).toBe(false);
    c.destroy();
  });
});

describe('audit log', () => {
  it('records sign-ins, uploads and downloads with who did them', async () => {
    const before = (await api<Array<{ id: number }>>(hub.url, tokens.admin!, '/api/audit')).body[0]!.id;
    const s = await signIn(hub.url, 'delegate2');
    const up = await upload(await makePdf(['audited']), 'title=Audited');
    await (await download(up.body.sha256, s.token)).arrayBuffer();
    await fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate2', password: 'wrong' }) });
    const rows = (await api<Array<{ id: number; action: string; user_id: string | null; target: string | null }>>(hub.url, tokens.admin!, '/api/audit')).body.filter((r) => r.id > before);
    const has = (action: string, user: string, target?: string) => rows.some((r) => r.action === action && r.user_id === user && (target === undefined || r.target === target));
    expect(has('sign-in', userIds.delegate2!)).toBe(true);
    expect(has('paper-uploaded', userIds.secretary!, up.body.id)).toBe(true);
    expect(has('paper-downloaded', userIds.delegate2!, up.body.sha256)).toBe(true);
    expect(has('sign-in-failed', userIds.delegate2!)).toBe(true);
    expect((await api(hub.url, tokens.delegate1!, '/api/audit')).status).toBe(403);
  });
});
