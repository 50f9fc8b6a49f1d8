// What the agent's cache holds and gives up: a meeting the user was removed from is purged
// (documents and papers), a revoked session purges everything and needs a new sign-in, and a
// corrupt cache file is moved aside and rebuilt from the hub instead of crashing the agent.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced } from '../helpers/yclient.ts';
import { openAgentCache, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { Backoff } from '../../electron/agent/backoff.ts';

let hub: RunningProcess;
const agents: RunningProcess[] = [];
let meetingId: string;

/** What the agent's (encrypted) file holds, read beside the running agent. */
function cacheCounts(dir: string): { docs: number; blobs: number; chunks: number; meetings: number } {
  const db = openAgentCache(dir);
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      docs: n('SELECT COUNT(*) AS n FROM (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates)'),
      blobs: n('SELECT COUNT(*) AS n FROM blobs'),
      chunks: n('SELECT COUNT(*) AS n FROM blob_chunks'),
      meetings: n('SELECT COUNT(*) AS n FROM agent_meetings'),
    };
  } finally {
    db.close();
  }
}

const replicated = (s: { hub: string; prefetch: Array<{ papersDone: number; papersTotal: number }> }) =>
  s.hub === 'online' && s.prefetch.length === 1 && s.prefetch[0]!.papersTotal > 0 && s.prefetch[0]!.papersDone === s.prefetch[0]!.papersTotal;

beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
  const sec = await signIn(hub.url, 'secretary');
  meetingId = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub?.stop();
});

describe('agent cache: purge and recovery', () => {
  it('purges a meeting, its documents and papers when the user is removed from it', async () => {
    const dir = tempDir();
    const agent = await startAgentProcess(hub.url, dir, 'delegate1');
    agents.push(agent);
    const tok = (await signIn(agent.url, 'delegate1')).token;
    await waitStatus(agent.url, tok, replicated, 'replicated');
    const papers = await api<Array<{ versions: Array<{ sha256: string }> }>>(agent.url, tok, `/api/meetings/${meetingId}/papers`);
    const sha = papers.body[0]!.versions[0]!.sha256;
    const before = cacheCounts(dir);
    expect(before.docs).toBeGreaterThanOrEqual(1);
    expect(before.blobs).toBeGreaterThan(0);
    const client = connectDoc(agent.url, `meeting/${meetingId}`, tok);
    await waitSynced(client);

    const admin = await signIn(hub.url, 'admin');
    const me = (await api<{ user: { id: string } }>(agent.url, tok, '/api/session')).body.user.id;
    expect((await api(hub.url, admin.token, `/api/meetings/${meetingId}/participants/${me}`, { method: 'DELETE' })).status).toBe(204);

    // The agent's client is told at once that the document is gone for it.
    const closed = await client.closed;
    expect(closed.code).toBe(4410);
    client.destroy();
    await waitStatus(agent.url, tok, (s) => s.prefetch.length === 0, 'meeting purged');
    expect((await api<unknown[]>(agent.url, tok, '/api/meetings')).body).toEqual([]);
    expect((await api(agent.url, tok, `/api/blobs/${sha}`)).status).toBe(404);
    expect((await api(agent.url, tok, `/api/meetings/${meetingId}`)).status).toBe(404);
    expect(cacheCounts(dir)).toEqual({ docs: 0, blobs: 0, chunks: 0, meetings: 0 });
  });

  it('purges everything and requires a new sign-in when the hub revokes the session', async () => {
    const dir = tempDir();
    const agent = await startAgentProcess(hub.url, dir, 'delegate2');
    agents.push(agent);
    const first = await signIn(agent.url, 'delegate2');
    await waitStatus(agent.url, first.token, replicated, 'replicated');
    expect(cacheCounts(dir).blobs).toBeGreaterThan(0);
    const meetingId = (await api<Array<{ id: string }>>(agent.url, first.token, '/api/meetings')).body[0]!.id;
    const client = connectDoc(agent.url, `meeting/${meetingId}`, first.token);
    await waitSynced(client);
    // A tablet connected straight to the hub, with a session of its own.
    const direct = connectDoc(hub.url, `meeting/${meetingId}`, (await signIn(hub.url, 'delegate2')).token);
    await waitSynced(direct);

    const admin = await signIn(hub.url, 'admin');
    const logMark = agent.output().length;
    expect((await api(hub.url, admin.token, `/api/accounts/${first.user.id}/revoke-sessions`, { method: 'POST' })).status).toBe(200);
    // Both are told the session is gone (sign in again), not that one document is.
    expect((await direct.closed).code).toBe(4401);
    expect((await client.closed).code).toBe(4401);
    client.destroy();
    direct.destroy();
    const start = Date.now();
    while ((await api(agent.url, first.token, '/api/meetings')).status !== 401) {
      if (Date.now() - start > 15_000) throw new Error('local session still valid after revocation');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(cacheCounts(dir)).toEqual({ docs: 0, blobs: 0, chunks: 0, meetings: 0 });
    // The agent does not sign itself back in with the password it was started with: the round
    // after the purge says it waits for a client, and the cache is still empty after it.
    await waitFor(() => agent.output().slice(logMark).includes('waiting for a client to sign in'), 15_000, 'the round after the purge');
    expect(cacheCounts(dir).meetings).toBe(0);
    expect((await api(agent.url, first.token, '/api/meetings')).status).toBe(401);

    // A new sign-in (the hub accepts it) brings the meeting back.
    const again = await signIn(agent.url, 'delegate2');
    await waitStatus(agent.url, again.token, replicated, 'replicated again');
  });

  it('moves a corrupt cache file aside and rebuilds from the hub', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'agent.sqlite');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('not a database at all '), Buffer.alloc(8192, 7)]));
    const agent = await startAgentProcess(hub.url, dir, 'delegate3');
    agents.push(agent);
    const tok = (await signIn(agent.url, 'delegate3')).token;
    await waitStatus(agent.url, tok, replicated, 'rebuilt');
    expect(agent.output()).toMatch(/cache file is corrupt/);
    const aside = fs.readdirSync(dir).filter((f) => f.startsWith('agent.sqlite.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, aside[0]!)).subarray(0, 22).toString()).toBe('not a database at all ');
  });
});

describe('reconnect backoff', () => {
  it('grows exponentially up to its cap, with every delay drawn below the cap', () => {
    const draws = [0.999, 0.999, 0.999, 0.999, 0.999, 0.5, 0];
    const b = new Backoff({ baseMs: 100, maxMs: 1000, random: () => draws.shift() ?? 0.5 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([99, 199, 399, 799, 999, 500, 50]);
    b.reset();
    expect(b.attempts).toBe(0);
    // Spread: a room of tablets does not retry at one instant.
    const room = Array.from({ length: 50 }, () => new Backoff({ baseMs: 500, maxMs: 30_000 }));
    for (const t of room) for (let i = 0; i < 5; i++) t.next();
    const fifth = room.map((t) => t.next());
    expect(new Set(fifth.map((d) => Math.floor(d / 1000))).size).toBeGreaterThan(5);
  });
});
