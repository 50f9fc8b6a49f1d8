// Search across papers through the real hub process: Vietnamese text found without its accents,
// agenda titles followed from the meeting document, and every access rule the papers list has —
// restricted papers for each role (not a hit, a title, a snippet or a count to anyone else),
// draft meetings, removed and replaced papers — plus scans and hostile query strings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitSynced } from '../helpers/yclient.ts';
import { health, openSearchDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { marked, scannedPdf, search, searchUntil, textPdf, uploadPdf } from './search-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import type { SearchResponse } from '../../shared/search.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const ROLES = ['admin', 'secretary', 'chair', 'delegate1', 'delegate2', 'outsider'] as const;

const idle = (token = tokens.admin!) => searchUntil(hub.url, token, 'zzzidle', (r) => r.pendingPapers === 0);
const statusOf = (sha: string) => (db.prepare('SELECT status FROM search_papers WHERE sha256 = ?').get(sha) as { status: string } | undefined)?.status;

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openSearchDb(hub.dataDir);
  for (const login of ROLES.filter((r) => r !== 'outsider')) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    ids[login] = s.user.id;
  }
  const created = await api<{ id: string }>(hub.url, tokens.admin!, '/api/accounts', { method: 'POST', body: JSON.stringify({ login: 'outsider', name: 'Người ngoài', role: 'delegate', password: 'outsider-pw' }) });
  ids.outsider = created.body.id;
  tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-pw')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.secretary!, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  db?.close();
  await hub?.stop();
});

describe('index and query', () => {
  it('finds Vietnamese text with or without its accents, on its page, with the words marked', async () => {
    const paper = await uploadPdf(hub.url, tokens.secretary!, meetingId, await textPdf([
      'Báo cáo tổng hợp\nDự toán NGÂN SÁCH nhà nước năm 2027 được trình Hội đồng.',
      'Nghị quyết của Đảng ủy về chuyển đổi số\nvà phòng họp không giấy.',
    ]), `title=${encodeURIComponent('Báo cáo tổng hợp 2027')}`);
    const r = await searchUntil(hub.url, tokens.delegate1!, 'ngan sach', (x) => x.hits.some((h) => h.paperId === paper.id));
    const hit = r.hits.find((h) => h.paperId === paper.id)!;
    expect(hit).toMatchObject({ meetingId, page: 1, version: 1, paperTitle: 'Báo cáo tổng hợp 2027' });
    expect(hit.meetingTitle).toMatch(/Phiên họp Hội đồng/);
    expect(marked(hit)).toEqual(['NGÂN', 'SÁCH']);
    expect(r.source).toBe('hub');

    const dang = await search(hub.url, tokens.delegate1!, 'dang');
    const onPage2 = dang.hits.find((h) => h.paperId === paper.id)!;
    expect(onPage2.page).toBe(2);
    expect(marked(onPage2)).toEqual(['Đảng']);
    // With the accents typed, and as a quoted phrase, and as a prefix: the same page.
    expect((await search(hub.url, tokens.delegate1!, 'Đảng ủy')).hits.map((h) => [h.paperId, h.page])).toContainEqual([paper.id, 2]);
    expect((await search(hub.url, tokens.delegate1!, '"phong hop khong giay"')).hits.map((h) => [h.paperId, h.page])).toEqual([[paper.id, 2]]);
    expect((await search(hub.url, tokens.delegate1!, 'chuyen*')).hits.map((h) => [h.paperId, h.page])).toContainEqual([paper.id, 2]);
    // Words that are not on the same page do not make a hit together.
    expect((await search(hub.url, tokens.delegate1!, 'ngan dang')).hits.filter((h) => h.paperId === paper.id)).toEqual([]);
    // Its pages are found as each batch lands; the paper is marked whole once the last has.
    await idle();
    expect(statusOf(paper.sha256)).toBe('indexed');
  });

  it('indexes the demo seed at start and finds the agenda titles of the meeting document', async () => {
    const r = await search(hub.url, tokens.delegate2!, 'ngan sach 2027');
    expect(r.hits.some((h) => h.paperTitle === 'Tờ trình ngân sách năm 2027')).toBe(true);
    expect(r.records).toContainEqual(expect.objectContaining({ kind: 'agenda', meetingId, agendaItemId: 'item-budget', snippet: 'Ngân sách 2027 / Budget 2027' }));
  });

  it('follows agenda edits made over sync: a new item is found, a renamed one by its new title only', async () => {
    const client = connectDoc(hub.url, `meeting/${meetingId}`, tokens.secretary!);
    try {
      await waitSynced(client);
      meetingDoc.addAgendaItem(client.doc, 'item-danang', { title: 'Quy hoạch thành phố Đà Nẵng', presenter: 'Trần Thị Hương', durationMin: 10, paperIds: [] });
      const found = await searchUntil(hub.url, tokens.delegate1!, 'da nang', (x) => x.records.some((h) => h.refId === 'item-danang'));
      expect(marked(found.records.find((h) => h.refId === 'item-danang')!)).toEqual(['Đà', 'Nẵng']);
      meetingDoc.updateAgendaItem(client.doc, 'item-danang', { title: 'Quy hoạch tỉnh Quảng Nam' });
      await searchUntil(hub.url, tokens.delegate1!, 'quang nam', (x) => x.records.some((h) => h.refId === 'item-danang'));
      expect((await search(hub.url, tokens.delegate1!, 'da nang')).records.filter((h) => h.refId === 'item-danang')).toEqual([]);
      meetingDoc.removeAgendaItem(client.doc, 'item-danang');
      await searchUntil(hub.url, tokens.delegate1!, 'quang nam', (x) => !x.records.some((h) => h.refId === 'item-danang'));
    } finally {
      client.destroy();
    }
  });
});

describe('a paper with no text layer (a scan)', () => {
  it('is indexed as having no text, counted as such, and found by its title only', async () => {
    await idle();
    const before = await search(hub.url, tokens.delegate1!, 'zzz');
    const scan = await uploadPdf(hub.url, tokens.secretary!, meetingId, await scannedPdf(3), `title=${encodeURIComponent('Bản chụp Hội nghị')}`);
    const after = await searchUntil(hub.url, tokens.delegate1!, 'ban chup', (x) => x.pendingPapers === 0 && x.untextedPapers === before.untextedPapers + 1);
    expect(statusOf(scan.sha256)).toBe('no-text');
    expect(after.hits.filter((h) => h.paperId === scan.id).map((h) => [h.page, marked(h)])).toEqual([[1, ['Bản', 'chụp']]]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM search_pages WHERE sha256 = ?').get(scan.sha256) as { n: number }).n).toBe(0);
  });
});

describe('who finds what', () => {
  const secretWord = 'zephyrquartz';
  let textId = '';
  let scanId = '';
  const baseline: Partial<Record<(typeof ROLES)[number], SearchResponse>> = {};

  beforeAll(async () => {
    await idle();
    for (const role of ROLES) baseline[role] = await search(hub.url, tokens[role]!, 'ngan sach');
    const only = `restrictTo=${ids.delegate1}`;
    textId = (await uploadPdf(hub.url, tokens.secretary!, meetingId, await textPdf([`Hồ sơ mật ${secretWord}\nPhương án ngân sách dự phòng.`]), `title=${encodeURIComponent('Hồ sơ Xylophon')}&${only}`)).id;
    scanId = (await uploadPdf(hub.url, tokens.secretary!, meetingId, await scannedPdf(1, 'restricted scan'), `title=${encodeURIComponent('Bản chụp Xylophon ngân sách')}&${only}`)).id;
    await idle();
  });

  it.each(['admin', 'secretary', 'chair', 'delegate1'] as const)('%s, who may read the restricted papers, finds them', async (role) => {
    const text = await search(hub.url, tokens[role]!, secretWord);
    expect(text.hits.map((h) => [h.paperId, h.page, h.paperTitle])).toEqual([[textId, 1, 'Hồ sơ Xylophon']]);
    const title = await search(hub.url, tokens[role]!, 'xylophon');
    expect(title.hits.map((h) => h.paperId)).toEqual([scanId]);
    const budget = await search(hub.url, tokens[role]!, 'ngan sach');
    expect(budget.hits.map((h) => h.paperId)).toEqual(expect.arrayContaining([textId, scanId]));
    expect(budget.untextedPapers).toBe(baseline[role]!.untextedPapers + 1);
  });

  it.each(['delegate2', 'outsider'] as const)('%s, who may not, learns nothing of them: no hit, title, snippet or count', async (role) => {
    for (const q of [secretWord, 'xylophon', 'ngan sach', 'du phong', 'ho so mat']) {
      const r = await search(hub.url, tokens[role]!, q);
      const text = JSON.stringify(r);
      for (const leak of [textId, scanId, 'Xylophon', secretWord, 'dự phòng', 'mật']) expect(text, `${role} searching ${q}`).not.toContain(leak);
    }
    const budget = await search(hub.url, tokens[role]!, 'ngan sach');
    expect(budget).toEqual(baseline[role]);
  });

  it('an outsider finds nothing of a meeting they do not take part in, not even its agenda', async () => {
    const r = await search(hub.url, tokens.outsider!, 'ngan sach');
    expect(r).toEqual({ hits: [], records: [], untextedPapers: 0, pendingPapers: 0, source: 'hub' });
    // The same words find the demo meeting's paper and agenda item for a participant.
    expect((await search(hub.url, tokens.delegate2!, 'ngan sach')).records.length).toBeGreaterThan(0);
  });

  it('a draft meeting is not searched for its delegates until it is published', async () => {
    const draft = (await api<{ id: string }>(hub.url, tokens.secretary!, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: 'Phiên họp dự thảo' }) })).body.id;
    await api(hub.url, tokens.secretary!, `/api/meetings/${draft}/participants/${ids.delegate1}`, { method: 'PUT', body: JSON.stringify({ role: 'delegate' }) });
    const paper = await uploadPdf(hub.url, tokens.secretary!, draft, await textPdf(['Đề án thí điểm quillfeather cho năm sau.']), 'title=Draft%20paper');
    await searchUntil(hub.url, tokens.secretary!, 'quillfeather', (x) => x.hits.some((h) => h.paperId === paper.id));
    expect(await search(hub.url, tokens.delegate1!, 'quillfeather')).toMatchObject({ hits: [], records: [] });
    expect((await search(hub.url, tokens.admin!, 'quillfeather')).hits.map((h) => h.paperId)).toEqual([paper.id]);
    await api(hub.url, tokens.secretary!, `/api/meetings/${draft}`, { method: 'PATCH', body: JSON.stringify({ status: 'published' }) });
    expect((await search(hub.url, tokens.delegate1!, 'quillfeather')).hits.map((h) => [h.paperId, h.meetingTitle])).toEqual([[paper.id, 'Phiên họp dự thảo']]);
  });

  it('a removed paper is found by nobody, admins included', async () => {
    const paper = await uploadPdf(hub.url, tokens.secretary!, meetingId, await textPdf(['Văn bản sắp bị rút: marmaladequay.']), 'title=Withdrawn');
    await searchUntil(hub.url, tokens.delegate1!, 'marmaladequay', (x) => x.hits.length === 1);
    expect((await api(hub.url, tokens.secretary!, `/api/papers/${paper.id}`, { method: 'DELETE' })).status).toBe(204);
    for (const role of ROLES) expect((await search(hub.url, tokens[role]!, 'marmaladequay')).hits, role).toEqual([]);
  });

  it('a replaced paper is found by its new version\'s text, not the old', async () => {
    const v1 = await uploadPdf(hub.url, tokens.secretary!, meetingId, await textPdf(['Phiên bản đầu: oldlantern.']), 'title=Versioned');
    await searchUntil(hub.url, tokens.delegate1!, 'oldlantern', (x) => x.hits.length === 1);
    const v2 = await uploadPdf(hub.url, tokens.secretary!, meetingId, await textPdf(['Phiên bản sửa: newlantern.']), `replace=${v1.id}`);
    expect(v2).toMatchObject({ id: v1.id, version: 2 });
    const r = await searchUntil(hub.url, tokens.delegate1!, 'newlantern', (x) => x.hits.length === 1);
    expect(r.hits[0]).toMatchObject({ paperId: v1.id, version: 2, page: 1 });
    expect((await search(hub.url, tokens.delegate1!, 'oldlantern')).hits).toEqual([]);
  });
});

describe('hostile and odd queries', () => {
  it('answers 200 for anything with a word in it, whatever FTS5 would make of it', async () => {
    const queries = [
      'ngân "sách', '"ngan sach', 'ngan sach"', '""ngan""', 'NEAR(ngan sach)', 'ngan NEAR/2 sach', 'NEAR(ngan sach, 0)', '-ngan', 'ngan -sach',
      '^ngan', 'ngan:sach', 'body:ngan', '{body}: ngan', '(ngan OR sach)', 'ngan AND', 'AND', 'OR NOT', 'NOT ngan', 'ngan*', '*ngan', 'ngan**', 'ngan sach"*',
      "'; DROP TABLE papers; --", 'rank', 'search_fts', 'ngan\u0000sach', 'Ngân sách 😀', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'الميزانية', '预算', 'ﬁnance', 'İstanbul',
      `${'ngân sách "NEAR(* '.repeat(25)}`.slice(0, 500), 'a'.repeat(500), 'x '.repeat(250),
    ];
    for (const q of queries) {
      expect(q.length, q).toBeLessThanOrEqual(500);
      const res = await api<SearchResponse>(hub.url, tokens.delegate1!, `/api/search?q=${encodeURIComponent(q)}`);
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
    }
    // Punctuation separates words, an unclosed quote is ignored, and operator names are plain
    // words: these find what their words say.
    for (const q of ['"ngan sach', 'ngan:sach', 'ngan -sach', '(ngan) ^sach']) expect((await search(hub.url, tokens.delegate1!, q)).hits.length, q).toBeGreaterThan(0);
    expect((await search(hub.url, tokens.delegate1!, 'NEAR(ngan sach)')).hits).toEqual([]);
  });

  it('answers 400 with a clear message when nothing searchable is left, and for malformed requests', async () => {
    for (const q of ['"', '""', '*', '()', ' - ', '(*)', '^', ':', '😀', '\u0301', '  ']) {
      const res = await api<{ error: string; message: string }>(hub.url, tokens.delegate1!, `/api/search?q=${encodeURIComponent(q)}`);
      expect({ q, status: res.status, message: res.body.message }).toEqual({ q, status: 400, message: expect.stringMatching(/no words to look for/) });
    }
    const bad = [`q=${'a'.repeat(501)}`, 'q=', '', 'q=a&q=b', 'q=a&extra=1'];
    for (const query of bad) expect((await api(hub.url, tokens.delegate1!, `/api/search?${query}`)).status, query).toBe(400);
    expect((await fetch(`${hub.url}/api/search?q=ngan`)).status).toBe(401);
    expect((await health(hub.url)).ok).toBe(true);
  });
});
