// Papers staged before release (issue 16), through the real hub process: an upload with
// `stage=1` is seen by the meeting's managers only — not in the meeting document, the readers'
// list, the blob route, search or the meeting's package — until a manager releases it, when it
// reaches a delegate's open replica without a reconnect, onto the chosen agenda item. Discard
// deletes it with its file; delegates cannot release; bad ids 404; a closed meeting refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, tempDir } from '../helpers/processes.ts';
import { openAgentCache, signInAgent, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { startDemoHub, type HubUnderTest } from './hub-helpers.ts';
import { download, smallPdf, unzip } from './archive-helpers.ts';
import { search, searchUntil } from './search-helpers.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { MANIFEST_PATH, packageManifestSchema } from '../../shared/archive.ts';

type Listed = { id: string; title: string; staged?: boolean; replaces?: string; restricted: boolean; agendaItemIds?: string[]; versions: Array<{ sha256: string }> };

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let meetingId: string;
let reader: YClient;
/** One file uploaded twice: a discarded paper does not take a file another paper holds. */
let personnel: Buffer;
const papersRev = (c: YClient) => meetingDoc.live(c.doc).get('papersRev');
/** Polls an async check until it holds (no fixed sleeps). */
async function waitForAsync(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  ({ hub, db, meetingId } = await startDemoHub(tokens, users));
  personnel = await smallPdf('Personnel matter');
});

afterAll(async () => {
  reader?.destroy();
  db?.close();
  await hub?.stop();
});

const call = <T = Record<string, unknown>>(login: string, method: string, path: string, body?: unknown) =>
  api<T>(hub.url, tokens[login]!, path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
const upload = async (login: string, query: string, pdf: Buffer) =>
  api<{ id: string; sha256: string; error?: string }>(hub.url, tokens[login]!, `/api/meetings/${meetingId}/documents?${query}`,
    { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(pdf) });
const list = async (login: string) => (await call<Listed[]>(login, 'GET', `/api/meetings/${meetingId}/papers`)).body;
const staged = async (login: string) => call<Listed[]>(login, 'GET', `/api/meetings/${meetingId}/staged-papers`);
const blobStatus = async (login: string, sha: string) => (await fetch(`${hub.url}/api/blobs/${sha}`, { headers: { authorization: `Bearer ${tokens[login]}` } })).status;
const hits = async (login: string, q: string) => (await search(hub.url, tokens[login]!, q)).hits.map((h) => h.paperId);
const packagePapers = async (query = '?draft=1') => {
  const zip = await download(`${hub.url}/api/meetings/${meetingId}/export${query}`, tokens.secretary!);
  expect(zip.status).toBe(200);
  const manifest = packageManifestSchema.parse(JSON.parse(unzip(zip.body).find((e) => e.name === MANIFEST_PATH)!.bytes.toString('utf8')));
  return manifest.papers.map((p) => p.id);
};

describe('a staged paper', () => {
  let paper: { id: string; sha256: string };
  const word = 'Zebrafinch';

  it('is seen by the meeting\'s managers only until it is released', async () => {
    reader = connectDoc(hub.url, `meeting/${meetingId}`, tokens.delegate1!);
    await waitSynced(reader);
    const revBefore = papersRev(reader);

    const res = await upload('secretary', `title=${word}%20draft&fileName=scan-0042.pdf&stage=1`, await smallPdf(`${word} budget annex`));
    expect(res.status).toBe(201);
    paper = res.body;

    // Managers: in their staged list, marked staged, and its file readable.
    const mine = await staged('secretary');
    expect(mine.status).toBe(200);
    expect(mine.body.map((p) => [p.id, p.title, p.staged])).toEqual([[paper.id, `${word} draft`, true]]);
    expect((await staged('chair')).body.map((p) => p.id)).toEqual([paper.id]);
    expect(await blobStatus('secretary', paper.sha256)).toBe(200);

    // Delegates: not in the list (nor is it in anyone's, managers included: it is not a paper of
    // the meeting yet), no file, no staged list, nothing in search by its title or its text.
    for (const login of ['delegate1', 'delegate2', 'secretary']) expect((await list(login)).some((p) => p.id === paper.id), login).toBe(false);
    expect(await blobStatus('delegate1', paper.sha256)).toBe(404);
    expect((await staged('delegate1')).status).toBe(403);
    // Not yet indexed it would be found by its title, indexed by its text: either way it must not be.
    for (const login of ['delegate1', 'secretary']) expect(await hits(login, word), login).not.toContain(paper.id);
    expect(await packagePapers()).not.toContain(paper.id);

    // The meeting document never names it (the papers revision may move: it says nothing).
    await waitFor(() => papersRev(reader) !== revBefore, 10_000, 'the papers revision bumped');
    expect(JSON.stringify(reader.doc.toJSON())).not.toContain(paper.id);
    expect(JSON.stringify(reader.doc.toJSON())).not.toContain(word);

    // Nothing but the managers' routes touch it: a delegate 404s on it as on no paper at all.
    expect((await call('delegate1', 'POST', `/api/papers/${paper.id}/release`, {})).status).toBe(404);
    expect((await call('delegate1', 'PATCH', `/api/papers/${paper.id}`, { title: 'x' })).status).toBe(404);
    expect((await call('delegate1', 'DELETE', `/api/papers/${paper.id}`)).status).toBe(404);
    expect((await call('chair', 'POST', `/api/meetings/${meetingId}/present`, { paperId: paper.id, page: 1 })).status).toBe(400);
  });

  it('is renamed and released onto an agenda item: a delegate\'s open replica gets it at once', async () => {
    const itemId = meetingDoc.readAgenda(reader.doc)[0]!.id;
    expect((await call('secretary', 'PATCH', `/api/papers/${paper.id}`, { title: `${word} interim` })).status).toBe(200);
    expect(JSON.stringify(reader.doc.toJSON())).not.toContain(word);
    // Bad input changes nothing: an unknown agenda item, an unknown field, an unknown account.
    expect((await call('secretary', 'POST', `/api/papers/${paper.id}/release`, { agendaItemId: 'no-such-item' })).status).toBe(400);
    expect((await call('secretary', 'POST', `/api/papers/${paper.id}/release`, { publish: true })).status).toBe(400);
    expect((await call('secretary', 'POST', `/api/papers/${paper.id}/release`, { restrictTo: ['no-such-user'] })).status).toBe(400);
    expect((await staged('secretary')).body.map((p) => p.id)).toEqual([paper.id]);

    const released = await call<Listed>('secretary', 'POST', `/api/papers/${paper.id}/release`, { title: `${word} budget annex`, agendaItemId: itemId });
    expect(released.status).toBe(200);
    expect(released.body.staged).toBeUndefined();
    expect(released.body.title).toBe(`${word} budget annex`);

    // The same Y client, never reconnected: the paper, with its title and version, on the item.
    await waitFor(() => meetingDoc.papersMap(reader.doc).has(paper.id), 10_000, 'the released paper in the delegate\'s replica');
    expect(meetingDoc.readPapers(reader.doc).find((p) => p.id === paper.id)?.title).toBe(`${word} budget annex`);
    await waitFor(() => meetingDoc.readAgenda(reader.doc).find((i) => i.id === itemId)!.paperIds.includes(paper.id), 10_000, 'on its agenda item');

    expect((await list('delegate1')).find((p) => p.id === paper.id)?.versions.map((v) => v.sha256)).toEqual([paper.sha256]);
    expect((await staged('secretary')).body).toEqual([]);
    expect(await blobStatus('delegate1', paper.sha256)).toBe(200);
    await searchUntil(hub.url, tokens.delegate1!, word, (r) => r.hits.some((h) => h.paperId === paper.id));
    expect(await packagePapers()).toContain(paper.id);

    // Released once: again is a conflict, and the audit holds one release row.
    expect((await call<{ error: string }>('secretary', 'POST', `/api/papers/${paper.id}/release`, {})).body.error).toBe('not_staged');
    expect((db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'paper-released' AND target = ?").get(paper.id) as { n: number }).n).toBe(1);
    // A delegate may see it now, and still not release it: the managers' rule.
    expect((await call('delegate1', 'POST', `/api/papers/${paper.id}/release`, {})).status).toBe(403);
  });

  it('released restricted stays with its readers and the managers', async () => {
    const res = await upload('secretary', 'title=Personnel%20matter&stage=1', personnel);
    const released = await call<Listed>('secretary', 'POST', `/api/papers/${res.body.id}/release`, { restrictTo: [users.delegate2] });
    expect(released.status).toBe(200);
    expect(released.body.restricted).toBe(true);
    expect((await list('delegate2')).some((p) => p.id === res.body.id)).toBe(true);
    expect((await list('delegate1')).some((p) => p.id === res.body.id)).toBe(false);
    expect(await blobStatus('delegate1', res.body.sha256)).toBe(404);
    expect(meetingDoc.papersMap(reader.doc).has(res.body.id)).toBe(false);
  });

  it('is discarded with its file, which no other paper holds; another paper\'s file stays', async () => {
    const own = await upload('secretary', 'title=Wrong%20file&stage=1', await smallPdf('Uploaded by mistake'));
    const shared = await upload('secretary', 'title=Same%20bytes&stage=1', personnel);
    expect((await staged('secretary')).body.map((p) => p.id).sort()).toEqual([own.body.id, shared.body.id].sort());

    expect((await call('secretary', 'DELETE', `/api/papers/${own.body.id}`)).status).toBe(204);
    expect((await call('secretary', 'DELETE', `/api/papers/${shared.body.id}`)).status).toBe(204);
    expect((await staged('secretary')).body).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM papers WHERE id IN (?, ?)').get(own.body.id, shared.body.id)).toEqual({ n: 0 });
    // Its own file is gone; a file a released paper also holds is not.
    expect(await blobStatus('secretary', own.body.sha256)).toBe(404);
    expect(db.prepare('SELECT COUNT(*) AS n FROM blobs WHERE sha256 = ?').get(own.body.sha256)).toEqual({ n: 0 });
    expect((await list('secretary')).find((p) => p.title === 'Personnel matter')!.versions[0]!.sha256).toBe(shared.body.sha256);
    expect(await blobStatus('delegate2', shared.body.sha256)).toBe(200);
    expect((db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'paper-discarded' AND target = ?").get(own.body.id) as { n: number }).n).toBe(1);
    // Gone: a second discard, or a release, finds nothing.
    expect((await call('secretary', 'DELETE', `/api/papers/${own.body.id}`)).status).toBe(404);
    expect((await call('secretary', 'POST', `/api/papers/${own.body.id}/release`, {})).status).toBe(404);
  });

  it('as a new version of a released paper: readers keep the current version until its release', async () => {
    const before = (await list('delegate1')).find((p) => p.id === paper.id)!;
    const v2 = await upload('secretary', `replace=${paper.id}&stage=1&fileName=annex-v2.pdf`, await smallPdf(`${word} budget annex, revised`));
    expect(v2.status).toBe(201);
    expect(v2.body.id).not.toBe(paper.id);
    // The managers see it waiting, naming the paper it replaces; readers see the paper unchanged.
    expect((await staged('secretary')).body.map((p) => [p.id, p.replaces, p.title])).toEqual([[v2.body.id, paper.id, before.title]]);
    expect((await list('delegate1')).find((p) => p.id === paper.id)).toEqual(before);
    expect(meetingDoc.readPapers(reader.doc).find((p) => p.id === paper.id)?.versions.map((v) => v.sha256)).toEqual([paper.sha256]);
    expect(await blobStatus('delegate1', v2.body.sha256)).toBe(404);
    // Its paper's agenda item and readers stay the paper's.
    expect((await call('secretary', 'POST', `/api/papers/${v2.body.id}/release`, { agendaItemId: null })).status).toBe(400);

    const released = await call<Listed>('secretary', 'POST', `/api/papers/${v2.body.id}/release`, {});
    expect(released.status).toBe(200);
    expect(released.body.id).toBe(paper.id);
    expect(released.body.versions.map((v) => v.sha256)).toEqual([paper.sha256, v2.body.sha256]);
    // The same replica, never reconnected, holds version 2; the staged row is gone.
    await waitFor(() => meetingDoc.readPapers(reader.doc).find((p) => p.id === paper.id)?.versions.length === 2, 10_000, 'version 2 in the replica');
    expect((await staged('secretary')).body).toEqual([]);
    expect((await list('delegate1')).some((p) => p.id === v2.body.id)).toBe(false);
    expect(await blobStatus('delegate1', v2.body.sha256)).toBe(200);
    expect((await call('secretary', 'POST', `/api/papers/${v2.body.id}/release`, {})).status).toBe(404);
  });

  it('is never prefetched by a delegate\'s device agent until it is released', async () => {
    const draft = await upload('secretary', 'title=Device%20draft&stage=1', await smallPdf('Device draft'));
    const dir = tempDir('chamber-agent-');
    const agent = await startAgentProcess(hub.url, dir, 'delegate1');
    try {
      const token = (await signInAgent(agent.url, 'delegate1')).token;
      const cached = (sha: string) => {
        const cache = openAgentCache(dir);
        try {
          return cache.prepare('SELECT complete FROM blobs WHERE sha256 = ?').get(sha) !== undefined;
        } finally {
          cache.close();
        }
      };
      await waitStatus(agent.url, token, (st) => st.prefetch.some((m) => m.meetingId === meetingId && m.papersTotal > 0 && m.papersDone === m.papersTotal), 'the released papers prefetched');
      // Every released paper is on the device; the staged one is neither listed nor stored.
      const onDevice = (await api<Listed[]>(agent.url, token, `/api/meetings/${meetingId}/papers`)).body;
      expect(onDevice.some((p) => p.id === paper.id)).toBe(true);
      expect(cached(paper.sha256)).toBe(true);
      expect(onDevice.some((p) => p.id === draft.body.id)).toBe(false);
      expect(cached(draft.body.sha256)).toBe(false);

      expect((await call('secretary', 'POST', `/api/papers/${draft.body.id}/release`, {})).status).toBe(200);
      await waitForAsync(async () => (await api<Listed[]>(agent.url, token, `/api/meetings/${meetingId}/papers`)).body.some((p) => p.id === draft.body.id), 'the agent lists the released paper');
      await waitForAsync(async () => cached(draft.body.sha256), 'the released paper stored on the device');
    } finally {
      await agent.stop();
    }
  });

  it('answers bad and unknown ids, and a closed meeting', async () => {
    expect((await call('secretary', 'POST', '/api/papers/NOT AN ID/release', {})).status).toBe(400);
    expect((await call('secretary', 'POST', '/api/papers/no-such-paper/release', {})).status).toBe(404);
    expect((await call('secretary', 'GET', '/api/meetings/no-such-meeting/staged-papers')).status).toBe(404);

    const pending = await upload('secretary', 'title=Left%20staged&stage=1', await smallPdf('Left staged'));
    expect((await call('secretary', 'PATCH', `/api/meetings/${meetingId}`, { status: 'closed' })).status).toBe(200);
    const release = await call<{ error: string }>('secretary', 'POST', `/api/papers/${pending.body.id}/release`, {});
    expect([release.status, release.body.error]).toEqual([409, 'meeting_closed']);
    const discard = await call<{ error: string }>('secretary', 'DELETE', `/api/papers/${pending.body.id}`);
    expect([discard.status, discard.body.error]).toEqual([409, 'meeting_closed']);
    // Still staged, still the managers' alone, and not in the closed meeting's package.
    expect((await staged('secretary')).body.map((p) => p.id)).toEqual([pending.body.id]);
    expect((await list('delegate1')).some((p) => p.id === pending.body.id)).toBe(false);
    expect(await packagePapers('')).not.toContain(pending.body.id);
  });
});
