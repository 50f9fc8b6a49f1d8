// A paper exported with the caller's own annotations (issue 16, "My notes"; docs/api.md), through
// a real hub process: annotations written by real y-websocket clients into each delegate's notes
// document, the export read back with pdf-lib (the raw annotation dictionaries) and pdf.js (what
// another reader lists). Only the caller's own notes go in; the paper's access and level rules
// hold as for the plain export; the bounds refuse with a clear 413; an agent forwards it, and
// answers 503 `hub_offline` without its hub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { rawAnnotations, readerAnnotations } from '../helpers/pdf-annotations.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { signInAgent, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { pdfText } from './minutes-helpers.ts';
import { annotationsMap, putAnnotation, type Annotation } from '../../shared/notes-doc.ts';
import { DEFAULT_LEVELS, type ClassificationLevel } from '../../shared/classification.ts';
import type { UploadResponse } from '../../shared/api.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};
const users: Record<string, { id: string; name: string }> = {};
const clients: YClient[] = [];

async function makePdf(text: string, pages = 2): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`${text} page ${i}`, { x: 60, y: 700, size: 18, font });
  return Buffer.from(await doc.save());
}

/** The standard fonts draw WinAnsi only: a Vietnamese title goes into the page without its marks. */
const ascii = (s: string) => s.normalize('NFD').replace(/[^\x20-\x7e]/g, '');

async function upload(title: string, query = '', body?: Buffer) {
  const res = await api<UploadResponse>(hub.url, tokens.secretary!, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}${query}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(body ?? await makePdf(ascii(title))),
  });
  expect(res.status).toBe(201);
  return res.body;
}

const exportWithNotes = (paperId: string, token: string, query = '', base = hub.url) =>
  fetch(`${base}/api/papers/${paperId}/export-with-notes${query}`, { headers: { authorization: `Bearer ${token}` } });
const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());
const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

/** Writes annotations into `login`'s own notes doc through a real client and waits until a second client reads them back from the hub. */
async function draw(login: string, list: Annotation[], chunk = 5000): Promise<void> {
  const name = `notes/${meetingId}/${users[login]!.id}`;
  const c = connectDoc(hub.url, name, tokens[login]!);
  clients.push(c);
  await waitSynced(c);
  for (let i = 0; i < list.length; i += chunk) c.doc.transact(() => list.slice(i, i + chunk).forEach((a) => putAnnotation(c.doc, a)));
  const check = connectDoc(hub.url, name, tokens[login]!);
  clients.push(check);
  await waitSynced(check);
  await waitFor(() => list.every((a) => annotationsMap(check.doc).has(a.id)), 20_000, 'the annotations stored on the hub');
}

const at = Date.UTC(2026, 10, 29, 9, 30, 0);
let order = 0;
/** Each one a millisecond after the last (the export keeps the drawing order), all in the same second. */
const base = (id: string, paperId: string, sha256: string, page: number) => ({ id, paperId, sha256, page, createdAt: at + (order++ % 1000) });

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['admin', 'secretary', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user;
  }
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.secretary!, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  db?.close();
  await hub?.stop();
});

describe('a paper with my notes', () => {
  const title = 'Ngân sách 2027: dự thảo';
  let paperId: string;
  let sha: string;
  let pen: Annotation, marker: Annotation, highlight: Annotation, note: Annotation;

  beforeAll(async () => {
    ({ id: paperId, sha256: sha } = await upload(title));
    pen = { ...base('pen-1', paperId, sha, 1), kind: 'ink', tool: 'pen', color: '#c0392b', width: 2.4, points: [100, 600, 0.5, 150, 640, 0.5, 220, 610, 0.5] };
    marker = { ...base('marker-1', paperId, sha, 2), kind: 'ink', tool: 'highlighter', color: '#ffe066', width: 12, points: [60, 500, 0.5, 300, 500, 0.5] };
    highlight = { ...base('hl-1', paperId, sha, 2), kind: 'highlight', color: '#74c0fc', rects: [60, 695, 200, 22, 60, 670, 120, 22], text: 'page 2' };
    note = { ...base('note-1', paperId, sha, 2), kind: 'note', x: 400, y: 720, text: 'Hỏi lại khoản chi 3,2 tỷ đồng', color: '#ffd43b' };
    await draw('delegate1', [pen, marker, highlight, note, { ...base('bm-1', paperId, sha, 1), kind: 'bookmark', label: 'start' }]);
    // Someone else's notes on the same paper must never reach delegate1's export.
    await draw('delegate2', [{ ...base('d2-note', paperId, sha, 1), kind: 'note', x: 100, y: 100, text: 'delegate2 private remark' }]);
  });

  it('holds my ink, highlight and note as real PDF annotations on their pages', async () => {
    const res = await exportWithNotes(paperId, tokens.delegate1!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    // The Vietnamese survives in filename*; the colon, which Windows refuses in a file name, does not.
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe('Ngân sách 2027_ dự thảo (my notes).pdf');
    const bytes = await bytesOf(res);
    expect((await pdfText(bytes)).text).toContain('page 2');

    const raw = await rawAnnotations(bytes);
    expect(raw.map((a) => [a.page, a.subtype, a.nm])).toEqual([[1, 'Ink', 'pen-1'], [2, 'Ink', 'marker-1'], [2, 'Highlight', 'hl-1'], [2, 'Text', 'note-1']]);
    for (const a of raw) {
      expect(a.pageRefOk).toBe(true);
      expect(a.flags & 4).toBe(4);
      expect(a.author).toBe(users.delegate1!.name);
      expect(a.m).toBe('D:20261129093000Z');
      expect(a.hasAppearance).toBe(true);
    }
    const [ink, hiInk, hl, text] = raw as [typeof raw[0], typeof raw[0], typeof raw[0], typeof raw[0]];
    expect(ink.inkList).toEqual([[100, 600, 150, 640, 220, 610]]);
    expect(ink.borderWidth).toBe(2.4);
    expect(ink.color.map((c) => Math.round(c * 255))).toEqual([0xc0, 0x39, 0x2b]);
    expect(ink.rect[0]).toBeLessThanOrEqual(100);
    expect(ink.rect[3]).toBeGreaterThanOrEqual(640);
    expect(hiInk.inkList).toEqual([[60, 500, 300, 500]]);
    expect(hiInk.borderWidth).toBe(12);
    // Upper left, upper right, lower left, lower right per rectangle.
    expect(hl.quadPoints).toEqual([60, 717, 260, 717, 60, 695, 260, 695, 60, 692, 180, 692, 60, 670, 180, 670]);
    expect(hl.contents).toBe('page 2');
    expect(text.contents).toBe('Hỏi lại khoản chi 3,2 tỷ đồng');
    expect(text.rect).toEqual([390, 710, 410, 730]);

    // Another reader lists them too.
    const listed = await readerAnnotations(bytes);
    expect(listed.map((a) => [a.page, a.subtype])).toEqual([[1, 'Ink'], [2, 'Ink'], [2, 'Highlight'], [2, 'Text']]);
    expect(listed.find((a) => a.subtype === 'Text')!.contents).toBe('Hỏi lại khoản chi 3,2 tỷ đồng');
    expect(listed.find((a) => a.subtype === 'Text')!.title).toBe(users.delegate1!.name);
    expect(JSON.stringify(listed)).not.toContain('delegate2 private remark');

    const audit = db.prepare("SELECT user_id, detail FROM audit WHERE action = 'paper-exported-with-notes' AND target = ?").all(paperId) as Array<{ user_id: string; detail: string }>;
    expect(audit).toHaveLength(1);
    expect(audit[0]!.user_id).toBe(users.delegate1!.id);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ sha256: sha, level: 'normal', watermarked: false, annotations: 4 });
  });

  it('holds only the caller\'s own notes: another delegate gets theirs, and no parameter names someone else', async () => {
    const res = await exportWithNotes(paperId, tokens.delegate2!);
    expect(res.status).toBe(200);
    const raw = await rawAnnotations(await bytesOf(res));
    expect(raw.map((a) => [a.subtype, a.contents, a.author])).toEqual([['Text', 'delegate2 private remark', users.delegate2!.name]]);
    // The secretary (a manager of the meeting) has drawn nothing: a clean copy, not anyone's notes.
    expect(await rawAnnotations(await bytesOf(await exportWithNotes(paperId, tokens.secretary!)))).toEqual([]);
    for (const q of [`?user=${users.delegate1!.id}`, `?userId=${users.delegate1!.id}`, '?v=not-a-sha']) {
      const bad = await exportWithNotes(paperId, tokens.delegate2!, q);
      expect(bad.status, q).toBe(400);
      expect(await errorOf(bad)).toBe('bad_request');
    }
    expect((await fetch(`${hub.url}/api/papers/${paperId}/export-with-notes`)).status).toBe(401);
  });

  it('exports the version asked for, with the notes made on it', async () => {
    const v2 = await upload(title, `&replace=${paperId}`, await makePdf('Second version', 3));
    await draw('delegate1', [{ ...base('v2-ink', paperId, v2.sha256, 3), kind: 'ink', tool: 'pen', color: '#1f3a93', width: 1.2, points: [10, 10, 1, 20, 20, 1] }]);
    const latest = await rawAnnotations(await bytesOf(await exportWithNotes(paperId, tokens.delegate1!)));
    expect(latest.map((a) => [a.page, a.nm])).toEqual([[3, 'v2-ink']]);
    const old = await exportWithNotes(paperId, tokens.delegate1!, `?v=${sha}`);
    expect(old.status).toBe(200);
    const oldBytes = await bytesOf(old);
    expect((await PDFDocument.load(oldBytes)).getPageCount()).toBe(2);
    expect((await rawAnnotations(oldBytes)).map((a) => a.nm)).toEqual(['pen-1', 'marker-1', 'hl-1', 'note-1']);
    const unknown = await exportWithNotes(paperId, tokens.delegate1!, `?v=${'0'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toBe('no_such_version');
  });
});

describe('the paper\'s rules', () => {
  it('a restricted paper someone may not read is 404, as for the paper\'s other routes', async () => {
    const { id } = await upload('Restricted', `&restrictTo=${users.delegate2!.id}`);
    const res = await exportWithNotes(id, tokens.delegate1!);
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toBe('not_found');
    expect((await exportWithNotes(id, tokens.delegate2!)).status).toBe(200);
    expect((await exportWithNotes('no-such-paper', tokens.delegate1!)).status).toBe(404);
  });

  it('a level forbidding export is 403, to managers too', async () => {
    const { id } = await upload('Secret', '&level=secret');
    for (const who of ['delegate1', 'secretary']) {
      const res = await exportWithNotes(id, tokens[who]!);
      expect(res.status).toBe(403);
      expect(await errorOf(res)).toBe('export_not_allowed');
    }
  });

  it('a watermarking level stamps the reader on every page, under the notes', async () => {
    const internal: ClassificationLevel = {
      id: 'internal', rank: 5, name: { en: 'Internal', vi: 'Nội bộ' }, watermark: true, exportAllowed: true, printAllowed: true, offlineHours: 168, recordReading: false,
    };
    expect((await api(hub.url, tokens.admin!, '/api/classification-levels', { method: 'PUT', body: JSON.stringify([...DEFAULT_LEVELS, internal]) })).status).toBe(200);
    const { id, sha256 } = await upload('Internal memo', '&level=internal');
    await draw('delegate1', [{ ...base('int-note', id, sha256, 2), kind: 'note', x: 50, y: 50, text: 'xem lại' }]);
    const res = await fetch(`${hub.url}/api/papers/${id}/export-with-notes`, { headers: { authorization: `Bearer ${tokens.delegate1!}`, 'x-chamber-device': 'tablet-07' } });
    expect(res.status).toBe(200);
    const bytes = await bytesOf(res);
    const { text } = await pdfText(bytes);
    expect(text).toContain(`${users.delegate1!.name} (delegate1)`);
    expect(text).toContain('device tablet-07');
    expect((await rawAnnotations(bytes)).map((a) => [a.page, a.subtype, a.contents])).toEqual([[2, 'Text', 'xem lại']]);
  });
});

describe('bounds', () => {
  it('refuses more than 20,000 annotations with a clear 413, and writes nothing', async () => {
    const { id, sha256 } = await upload('Crowded');
    const many: Annotation[] = Array.from({ length: 20_001 }, (_, i) => ({ ...base(`n${i}`, id, sha256, 1), kind: 'note', x: i % 500, y: 400, text: '' }));
    await draw('delegate2', many);
    const res = await exportWithNotes(id, tokens.delegate2!);
    expect(res.status).toBe(413);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('too_many_annotations');
    expect(body.message).toMatch(/20001.*20000/);
    expect(db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'paper-exported-with-notes' AND target = ?").get(id)).toEqual({ n: 0 });
  });
});

describe('through a device agent', () => {
  it('is forwarded to the hub, and without the hub is a 503 hub_offline', async () => {
    const { id, sha256 } = await upload('Agent paper');
    await draw('delegate1', [{ ...base('agent-ink', id, sha256, 1), kind: 'ink', tool: 'pen', color: '#111111', width: 2.4, points: [10, 10, 1, 50, 50, 1] }]);
    const agent = await startAgentProcess(hub.url, tempDir('chamber-notes-agent-'), 'delegate1');
    try {
      const s = await signInAgent(agent.url, 'delegate1');
      await waitStatus(agent.url, s.token, (st) => st.hub === 'online', 'the agent online');
      const res = await exportWithNotes(id, s.token, '', agent.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('Agent paper (my notes).pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
      expect((await rawAnnotations(await bytesOf(res))).map((a) => a.nm)).toEqual(['agent-ink']);

      await hub.stop();
      await waitStatus(agent.url, s.token, (st) => st.hub === 'offline', 'the agent offline');
      const offline = await exportWithNotes(id, s.token, '', agent.url);
      expect(offline.status).toBe(503);
      expect(await errorOf(offline)).toBe('hub_offline');
    } finally {
      await agent.stop();
    }
  });
});
