// Search through a device's agent, with real hub and agent processes: while the hub answers, the
// agent passes its answer on; with the hub gone, the agent answers from the index of the papers
// it holds (accents optional, source 'agent'); a restricted paper the user may not read never
// reaches the device or its answers, and one the user loses access to leaves the index; a wipe
// order and a revoked session take the index rows with the papers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { openAgentCache, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { PDFDocument } from 'pdf-lib';
import { makeDemoPdf } from '../../electron/hub/demo-papers.ts';
import { foldText } from '../../shared/search-text.ts';
import type { SearchResponse } from '../../shared/search.ts';
import type { AgentStatus, MeetingDetail, PaperInfo } from '../../shared/api.ts';

let hubDir: string;
let hub: RunningProcess;
let agent: RunningProcess;
let agentDir: string;
let meetingId: string;
let secretary: string;
let delegateToken: string;
const ids: Record<string, string> = {};
/** Restricted papers: `mine` to delegate1 (and delegate2), `theirs` to delegate2 only. */
const restricted: Record<'mine' | 'theirs', { id: string; sha256: string }> = {} as never;

const SCAN_TITLE = 'Bản quét hợp đồng thuê hội trường';
const MINE_WORD = 'Zephyrin';
const THEIRS_WORD = 'Quillomat';

async function uploadRestricted(title: string, body: string, to: string[]): Promise<{ id: string; sha256: string }> {
  const pdf = await makeDemoPdf({ title, fileName: 'x.pdf', lang: 'vi', sections: [{ heading: 'Nội dung mật', body }] });
  const res = await api<{ id: string; sha256: string }>(hub.url, secretary, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}&restrictTo=${to.join(',')}`, {
    method: 'POST', body: Buffer.from(pdf), headers: { 'content-type': 'application/pdf' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

/** The index rows in the agent's cache file, read beside the running agent. */
function indexRows(): { papers: Map<string, string>; pages: number } {
  const db = openAgentCache(agentDir);
  try {
    const papers = new Map((db.prepare('SELECT sha256, status FROM search_papers').all() as Array<{ sha256: string; status: string }>).map((r) => [r.sha256, r.status]));
    const pages = (db.prepare('SELECT COUNT(*) AS n FROM search_pages').get() as { n: number }).n;
    return { papers, pages };
  } finally {
    db.close();
  }
}

/** The latest file of each paper the agent lists for the user (none while it holds no such meeting). */
async function agentLatestShas(): Promise<string[]> {
  const list = await api<PaperInfo[]>(agent.url, delegateToken, `/api/meetings/${meetingId}/papers`);
  if (list.status === 404) return [];
  expect(list.status).toBe(200);
  return list.body.map((p) => p.versions.reduce((a, b) => (b.version > a.version ? b : a)).sha256);
}

/** Polls `cond` (every 100 ms) until it holds. */
async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitIndexed(what: string): Promise<string[]> {
  let shas: string[] = [];
  await until(async () => {
    shas = await agentLatestShas();
    const { papers } = indexRows();
    return shas.length > 0 && shas.every((s) => papers.get(s) === 'indexed' || papers.get(s) === 'no-text');
  }, 60_000, what);
  return shas;
}

const search = (base: string, token: string, q: string) => api<SearchResponse>(base, token, `/api/search?q=${encodeURIComponent(q)}`);

const replicated = (s: AgentStatus) => s.hub === 'online' && s.prefetch.length === 1 && s.prefetch[0]!.papersTotal > 0 && s.prefetch[0]!.papersDone === s.prefetch[0]!.papersTotal;

beforeAll(async () => {
  hubDir = tempDir();
  hub = await startHub(hubDir, { demo: true });
  secretary = (await signIn(hub.url, 'secretary')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, secretary, '/api/meetings')).body[0]!.id;
  const detail = await api<MeetingDetail>(hub.url, secretary, `/api/meetings/${meetingId}`);
  for (const p of detail.body.participants) ids[p.login] = p.userId;
  restricted.mine = await uploadRestricted('Phụ lục mật A', `Báo cáo thẩm định dự án ${MINE_WORD} về quỹ dự phòng.`, [ids.delegate1!, ids.delegate2!]);
  restricted.theirs = await uploadRestricted('Phụ lục mật B', `Kinh phí ${THEIRS_WORD} chỉ dành cho người được chỉ định.`, [ids.delegate2!]);
  // A scan: pages with no text layer at all.
  const scan = await PDFDocument.create();
  scan.addPage([595, 842]);
  scan.addPage([595, 842]);
  const up = await api(hub.url, secretary, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(SCAN_TITLE)}`, {
    method: 'POST', body: Buffer.from(await scan.save()), headers: { 'content-type': 'application/pdf' },
  });
  expect(up.status).toBe(201);
  agentDir = tempDir('chamber-agent-search-');
  agent = await startAgentProcess(hub.url, agentDir, 'delegate1');
  delegateToken = (await signIn(agent.url, 'delegate1')).token;
  await waitStatus(agent.url, delegateToken, replicated, 'papers held', 30_000);
}, 90_000);

afterAll(async () => {
  await agent?.stop();
  await hub?.stop();
});

describe('search through the agent', () => {
  it('indexes the papers it holds, and never the restricted paper the user may not read', async () => {
    const shas = await waitIndexed('every held paper indexed');
    expect(shas).toContain(restricted.mine.sha256);
    expect(shas).not.toContain(restricted.theirs.sha256);
    const { papers, pages } = indexRows();
    expect(papers.has(restricted.mine.sha256)).toBe(true);
    expect(papers.has(restricted.theirs.sha256)).toBe(false);
    expect(pages).toBeGreaterThan(0);
  });

  it('passes the hub\'s answer on while the hub answers', async () => {
    const direct = await search(hub.url, (await signIn(hub.url, 'delegate1')).token, 'ngân sách');
    expect(direct.status).toBe(200);
    expect(direct.body.source).toBe('hub');
    const through = await search(agent.url, delegateToken, 'ngân sách');
    expect(through.status).toBe(200);
    expect(through.body).toEqual(direct.body);
    // A query the contract refuses is refused the same way by the agent, without the hub.
    expect((await api(agent.url, delegateToken, '/api/search?q=')).status).toBe(400);
    expect((await api(agent.url, delegateToken, `/api/search?q=${'x'.repeat(501)}`)).status).toBe(400);
    expect((await api(agent.url, delegateToken, '/api/search?q=a&extra=1')).status).toBe(400);
  });

  it('answers from its own index when the hub is gone: accents optional, restricted papers only for their readers', async () => {
    await hub.stop();
    await waitStatus(agent.url, delegateToken, (s) => s.hub === 'offline', 'agent sees the hub gone');

    const res = await search(agent.url, delegateToken, 'ngan sach');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body.source).toBe('agent');
    expect(body.pendingPapers).toBe(0);
    expect(body.untextedPapers).toBe(1);
    const budget = body.hits.filter((h) => h.paperTitle === 'Tờ trình ngân sách năm 2027');
    expect(budget.length).toBeGreaterThan(0);
    const hit = budget[0]!;
    expect(hit).toMatchObject({ meetingId, page: 1, version: 1 });
    expect(hit.meetingTitle).toMatch(/Council meeting/);
    // The snippet is the printed text, accents kept, and the marks cover the accented words.
    expect(hit.snippet).toMatch(/ngân sách/i);
    const marked = hit.marks.map(([a, b]) => foldText(hit.snippet.slice(a, b)));
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(m).toMatch(/^(ngan|sach|ngan sach)$/);
    // The agenda item's title is a record hit.
    expect(body.records.some((r) => r.kind === 'agenda' && r.meetingId === meetingId && /Ngân sách/.test(r.snippet))).toBe(true);

    // The scan is found by its title (accent-free too), on its first page.
    const scan = await search(agent.url, delegateToken, 'ban quet hop dong');
    expect(scan.body.hits).toHaveLength(1);
    expect(scan.body.hits[0]).toMatchObject({ paperTitle: SCAN_TITLE, page: 1, snippet: SCAN_TITLE });
    expect(scan.body.untextedPapers).toBe(1);

    // The restricted paper the user may read is found; the other is absent, title and all.
    const mine = await search(agent.url, delegateToken, MINE_WORD.toLowerCase());
    expect(mine.body.hits.map((h) => h.paperId)).toEqual([restricted.mine.id]);
    const theirs = await search(agent.url, delegateToken, THEIRS_WORD);
    expect(theirs.body).toMatchObject({ hits: [], records: [], source: 'agent' });
    const byTitle = await search(agent.url, delegateToken, 'Phụ lục mật B');
    expect(JSON.stringify(byTitle.body)).not.toContain('mật B');

    // What FTS5 would read as syntax is searched as words, never a 500; nothing to search for is a 400.
    for (const q of ['"ngân AND (sách', 'NEAR(ngan', 'ngan*', 'title:x OR y^2']) {
      const r = await search(agent.url, delegateToken, q);
      expect(r.status, q).toBe(200);
      expect(r.body.source, q).toBe('agent');
    }
    expect((await search(agent.url, delegateToken, '(ngân) "sách:')).body.hits.some((h) => h.paperTitle === 'Tờ trình ngân sách năm 2027')).toBe(true);
    for (const q of ['-', '"', ' ( ) ']) {
      const r = await search(agent.url, delegateToken, q);
      expect(r.status, q).toBe(400);
      expect((r.body as unknown as { message: string }).message, q).toMatch(/no words/);
    }
  });

  it('drops a paper from its index when the user loses access to it', async () => {
    hub = await startHub(hubDir, { port: hub.port });
    await waitStatus(agent.url, delegateToken, (s) => s.hub === 'online', 'agent back online');
    const sec = (await signIn(hub.url, 'secretary')).token;
    const patched = await api(hub.url, sec, `/api/papers/${restricted.mine.id}`, { method: 'PATCH', body: JSON.stringify({ restrictTo: [ids.delegate2] }) });
    expect(patched.status).toBe(200);
    await until(() => !indexRows().papers.has(restricted.mine.sha256), 20_000, 'the revoked paper\'s rows dropped');
    expect(await agentLatestShas()).not.toContain(restricted.mine.sha256);
    // Its pages are gone too, not only its entry.
    const db = openAgentCache(agentDir);
    try {
      const left = db.prepare('SELECT COUNT(*) AS n FROM search_pages WHERE sha256 = ?').get(restricted.mine.sha256) as { n: number };
      expect(left.n).toBe(0);
    } finally {
      db.close();
    }
  });

  it('drops the index rows with the papers on a wipe order and on a revoked session', async () => {
    const sec = (await signIn(hub.url, 'secretary')).token;
    expect(indexRows().pages).toBeGreaterThan(0);
    const order = await api(hub.url, sec, '/api/devices/wipe', { method: 'POST', body: JSON.stringify({ meetingId, userId: ids.delegate1 }) });
    expect(order.status).toBe(201);
    await until(() => agent.output().includes('carried out a wipe order'), 20_000, 'the wipe order carried out');
    expect(indexRows()).toEqual({ papers: new Map(), pages: 0 });

    // Signing in again lets the meeting back: its papers are held and indexed again.
    delegateToken = (await signIn(agent.url, 'delegate1')).token;
    await waitIndexed('indexed again after a new sign-in');
    expect(indexRows().pages).toBeGreaterThan(0);

    // A revoked session purges everything the user held on the device, the index with it.
    const admin = (await signIn(hub.url, 'admin')).token;
    expect((await api(hub.url, admin, `/api/accounts/${ids.delegate1}/revoke-sessions`, { method: 'POST' })).status).toBe(200);
    await until(async () => (await api(agent.url, delegateToken, '/api/meetings')).status === 401, 20_000, 'the session revoked');
    expect(indexRows()).toEqual({ papers: new Map(), pages: 0 });
  });
});
