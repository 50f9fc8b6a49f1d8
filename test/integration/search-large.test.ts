// A large paper (the 352-page fixture) through the real hub: the upload is answered at once, the
// text is indexed in the background while the hub keeps answering HTTP and sync, the index
// survives a restart without being redone, and a hub killed half way through indexes that
// paper again, whole and once, when it comes back.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, FIXTURES, haveFixtures, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { health, openSearchDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { search, searchUntil, uploadPdf } from './search-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};

const statusOf = (sha: string) => (db.prepare('SELECT status FROM search_papers WHERE sha256 = ?').get(sha) as { status: string } | undefined)?.status ?? null;
const pageRows = (sha: string) => (db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT page) AS pages FROM search_pages WHERE sha256 = ?').get(sha) as { n: number; pages: number });
const ftsRows = () => (db.prepare('SELECT COUNT(*) AS n FROM search_pages').get() as { n: number }).n;

async function signInAll() {
  for (const login of ['secretary', 'delegate1']) tokens[login] = (await signIn(hub.url, login)).token;
}

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openSearchDb(hub.dataDir);
  await signInAll();
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.secretary!, '/api/meetings')).body[0]!.id;
  await searchUntil(hub.url, tokens.secretary!, 'zzz', (r) => r.pendingPapers === 0);
});
afterAll(async () => {
  db?.close();
  await hub?.stop();
});

describe.skipIf(!haveFixtures)('a 352-page paper (freeculture.pdf)', () => {
  const bytes = haveFixtures ? fs.readFileSync(path.join(FIXTURES, 'freeculture.pdf')) : Buffer.alloc(0);
  let sha = '';
  let paperId = '';

  it('is answered at once and indexed in the background while the hub keeps answering HTTP and sync', async () => {
    const writer = connectDoc(hub.url, `meeting/${meetingId}`, tokens.secretary!);
    const reader: YClient = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate1!);
    try {
      await Promise.all([waitSynced(writer), waitSynced(reader)]);
      const up = await uploadPdf(hub.url, tokens.secretary!, meetingId, bytes, 'title=Free%20Culture');
      ({ sha256: sha, id: paperId } = up);
      expect(up.pages).toBe(352);
      // The upload's answer came before its text was indexed.
      expect(statusOf(sha)).not.toBe('indexed');
      await waitFor(() => statusOf(sha) === 'partial' && pageRows(sha).n > 0, 30_000, 'indexing under way');
      // While the index is being written: /health and a change relayed from one sync client to
      // another, again and again; each round counts only if the paper was still unfinished after it.
      let rounds = 0;
      for (let i = 0; statusOf(sha) === 'partial'; i++) {
        expect((await health(hub.url)).ok).toBe(true);
        meetingDoc.addAgendaItem(writer.doc, `probe-${i}`, { title: `Probe ${i}`, presenter: '', durationMin: 1, paperIds: [] });
        await waitFor(() => meetingDoc.readAgenda(reader.doc).some((item) => item.id === `probe-${i}`), 10_000, 'the change relayed');
        const midway = await search(hub.url, tokens.delegate1!, 'culture');
        if (statusOf(sha) === 'partial') {
          rounds++;
          expect(midway.pendingPapers).toBeGreaterThanOrEqual(1);
        }
      }
      expect(rounds).toBeGreaterThan(0);
      expect(statusOf(sha)).toBe('indexed');
    } finally {
      writer.destroy();
      reader.destroy();
    }
    const r = await search(hub.url, tokens.delegate1!, 'free culture');
    expect(r.pendingPapers).toBe(0);
    expect(r.hits.filter((h) => h.paperId === paperId).length).toBeGreaterThan(10);
    // Every page with text once (the fixture's first page is an image).
    expect(pageRows(sha)).toEqual({ n: 351, pages: 351 });
  }, 120_000);

  it('keeps its index across a restart without indexing anything again', async () => {
    const before = db.prepare('SELECT sha256, status, updated_at FROM search_papers ORDER BY sha256').all();
    const rows = ftsRows();
    const answer = await search(hub.url, tokens.delegate1!, 'lessig');
    expect(answer.hits.length).toBeGreaterThan(0);
    await hub.stop();
    db.close();
    hub = await startHubIn(hub.dataDir);
    db = openSearchDb(hub.dataDir);
    await signInAll();
    expect(await search(hub.url, tokens.delegate1!, 'lessig')).toEqual(answer);
    expect(db.prepare('SELECT sha256, status, updated_at FROM search_papers ORDER BY sha256').all()).toEqual(before);
    expect(ftsRows()).toBe(rows);
  }, 60_000);

  it('killed half way through indexing, indexes the paper again from the start when it comes back', async () => {
    // Other bytes (a comment after the end of the file), the same text: a file of its own.
    const copy = Buffer.concat([bytes, Buffer.from('\n% a second copy\n')]);
    const up = await uploadPdf(hub.url, tokens.secretary!, meetingId, copy, 'title=Free%20Culture%20copy');
    await waitFor(() => statusOf(up.sha256) === 'partial' && pageRows(up.sha256).n > 0, 30_000, 'indexing under way');
    await hub.kill9();
    db.close();
    hub = await startHubIn(hub.dataDir);
    db = openSearchDb(hub.dataDir);
    await signInAll();
    await searchUntil(hub.url, tokens.delegate1!, 'zzz', (r) => r.pendingPapers === 0, 60_000);
    expect(statusOf(up.sha256)).toBe('indexed');
    expect(pageRows(up.sha256)).toEqual({ n: 351, pages: 351 });
    // A phrase from one page of the middle of the book finds that page in both copies.
    const text = (db.prepare('SELECT text FROM search_pages WHERE sha256 = ? AND page = 200').get(up.sha256) as { text: string }).text;
    const phrase = `"${text.match(/[\p{L}\p{N}]+/gu)!.slice(20, 30).join(' ')}"`;
    const hits = (await search(hub.url, tokens.delegate1!, phrase)).hits;
    expect(hits.map((h) => [h.paperId, h.page]).sort()).toEqual([[paperId, 200], [up.id, 200]].sort());
  }, 120_000);
});
