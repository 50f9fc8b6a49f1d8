// Reading records (issue 17; docs/audit.md): `POST /api/papers/:id/reading` from the viewer, on a
// real hub over loopback HTTP with its real SQLite file. Outsiders and those a restricted paper is
// not shared with get 404; bad reports 400 with nothing stored; a row `paper-read` is written only
// when the paper's level records reading. The level is read through the policy the hub is given
// (createHub's `audit.recordsReading`), here a set of paper ids the test controls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { createHub, type Hub } from '../../electron/hub/hub.ts';
import { seedDemo } from '../../electron/hub/demo-seed.ts';
import { auditCli } from './audit-helpers.ts';
import { signInAgent, startAgentProcess, waitStatus } from './agent-helpers.ts';

let hub: Hub;
let dataDir: string;
const recording = new Set<string>();
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
let papers: Array<{ id: string; title: string }>;

const auditRows = () => hub.db.db.prepare("SELECT user_id, target, detail FROM audit WHERE action = 'paper-read' ORDER BY id").all() as Array<{ user_id: string; target: string; detail: string }>;
const count = () => (hub.db.db.prepare('SELECT COUNT(*) AS n FROM audit').get() as { n: number }).n;
const report = (login: string, paperId: string, body: unknown) =>
  api<{ recorded?: boolean; error?: string; message?: string }>(hub.url, tokens[login]!, `/api/papers/${paperId}/reading`, { method: 'POST', body: JSON.stringify(body) });
const OPENED = '2026-11-29T08:00:00+07:00';

beforeAll(async () => {
  dataDir = tempDir('chamber-audit-reading-');
  hub = await createHub({ dataDir, port: 0, log: () => {}, distDir: tempDir('chamber-no-dist-'), audit: { recordsReading: (id) => recording.has(id) } });
  const { meetingId } = await seedDemo(hub);
  for (const login of ['admin', 'secretary', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user.id;
  }
  const created = await api<{ id: string }>(hub.url, tokens.admin!, '/api/accounts', { method: 'POST', body: JSON.stringify({ login: 'outsider', name: 'Người ngoài', role: 'delegate', password: 'outsider-pass-1' }) });
  expect(created.status).toBe(201);
  tokens.outsider = (await signIn(hub.url, 'outsider', 'outsider-pass-1')).token;
  papers = (await api<Array<{ id: string; title: string }>>(hub.url, tokens.secretary!, `/api/meetings/${meetingId}/papers`)).body;
  expect(papers.length).toBeGreaterThanOrEqual(2);
}, 60_000);

afterAll(async () => {
  await hub.close();
});

describe('POST /api/papers/:id/reading', () => {
  it('records nothing for a level that does not record reading', async () => {
    const before = count();
    const r = await report('delegate1', papers[0]!.id, { pages: [1, 2], openedAt: OPENED });
    expect(r).toEqual({ status: 200, body: { recorded: false } });
    expect(count()).toBe(before);
  });

  it('records who read which pages and when, for a level that records reading', async () => {
    const paper = papers[1]!;
    recording.add(paper.id);
    const r = await report('delegate1', paper.id, { pages: [3, 1, 1, 2], openedAt: OPENED });
    expect(r).toEqual({ status: 200, body: { recorded: true } });
    const rows = auditRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.user_id).toBe(users.delegate1);
    expect(rows[0]!.target).toBe(paper.id);
    expect(JSON.parse(rows[0]!.detail)).toMatchObject({ pages: [1, 2, 3], openedAt: OPENED });
  });

  it('refuses outsiders and those a restricted paper is not shared with (404), changing nothing', async () => {
    const paper = papers[1]!;
    const restrict = await api(hub.url, tokens.secretary!, `/api/papers/${paper.id}`, { method: 'PATCH', body: JSON.stringify({ restrictTo: [users.delegate1] }) });
    expect(restrict.status).toBe(200);
    const before = count();
    for (const login of ['outsider', 'delegate2']) {
      const r = await report(login, paper.id, { pages: [1], openedAt: OPENED });
      expect(r.status).toBe(404);
      expect(r.body.message).toBe('no such paper');
    }
    expect((await report('delegate1', 'no-such-paper', { pages: [1], openedAt: OPENED })).status).toBe(404);
    expect(count()).toBe(before);
    // The one it is shared with is still recorded.
    expect((await report('delegate1', paper.id, { pages: [1], openedAt: OPENED })).body).toEqual({ recorded: true });
    expect(count()).toBe(before + 1);
  });

  it('answers bad reports with 400 and stores nothing', async () => {
    const paper = papers[1]!;
    const before = count();
    const bad: Array<[unknown, string]> = [
      [{ pages: [], openedAt: OPENED }, 'pages'],
      [{ pages: [0], openedAt: OPENED }, 'pages'],
      [{ pages: [1.5], openedAt: OPENED }, 'pages'],
      [{ pages: Array.from({ length: 501 }, (_v, i) => i + 1), openedAt: OPENED }, 'pages'],
      [{ pages: [1], openedAt: 'yesterday' }, 'openedAt'],
      [{ pages: [1] }, 'openedAt'],
      [{ pages: [1], openedAt: OPENED, user: 'someone-else' }, 'user'],
      [{ pages: [9999], openedAt: OPENED }, 'page 9999'],
    ];
    for (const [body, named] of bad) {
      const r = await report('delegate1', paper.id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.message).toContain('invalid reading report');
      expect(r.body.message).toContain(named);
    }
    const notJson = await fetch(`${hub.url}/api/papers/${paper.id}/reading`, { method: 'POST', headers: { authorization: `Bearer ${tokens.delegate1}`, 'content-type': 'text/plain' }, body: 'pages=1' });
    expect(notJson.status).toBe(415);
    expect(count()).toBe(before);
  });

  it('reaches the hub from a device: the agent forwards the viewer\'s report with its own hub session', async () => {
    const agent = await startAgentProcess(hub.url, tempDir('chamber-audit-agent-'), 'delegate1');
    try {
      const local = (await signInAgent(agent.url, 'delegate1')).token;
      await waitStatus(agent.url, local, (st) => st.hub === 'online', 'online');
      const paper = papers[1]!;
      const before = auditRows().length;
      const r = await api<{ recorded: boolean }>(agent.url, local, `/api/papers/${paper.id}/reading`, { method: 'POST', body: JSON.stringify({ pages: [2], openedAt: OPENED }) });
      expect(r).toEqual({ status: 200, body: { recorded: true } });
      const rows = auditRows();
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)).toMatchObject({ user_id: users.delegate1, target: paper.id });
      const bad = await api<{ message: string }>(agent.url, local, `/api/papers/${paper.id}/reading`, { method: 'POST', body: JSON.stringify({ pages: [] }) });
      expect(bad.status).toBe(400);
      expect(auditRows()).toHaveLength(before + 1);
    } finally {
      await agent.stop();
    }
  });

  it('leaves a trail the verifier accepts once the hub has stopped', async () => {
    await hub.close();
    const r = await auditCli('verify', dataDir);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).not.toContain('not yet checkpointed');
    // afterAll closes again: a second close must be harmless, so reopen nothing here.
    hub = { close: async () => {} } as unknown as Hub;
  });
});
