// Offline expiry of classified papers (issue 17) with real hub and agent processes. Time is moved
// through the agent's clock file, never waited for: a Secret paper (8 h offline) is sealed under
// its own key on the device, stays readable offline within its lifetime (also across an agent
// restart, which resets the monotonic clock), expires past it whatever the device's own clock
// says (its key row destroyed, the chunks left unreadable), and comes back when the hub does. A
// Normal paper never expires.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { agentStatus, signInAgent } from './agent-helpers.ts';
import { clockFileIn, pollUntil, readCache, setClock, startAgentWithClock, uploadPaper } from './recall-helpers.ts';
import { openSealedChunk } from '../../electron/agent/sealed-store.ts';
import { OFFLINE_EXPIRED } from '../../shared/recall.ts';

const HOUR = 3_600_000;
let hubDir: string;
let hub: RunningProcess;
let agent: RunningProcess;
let dir: string;
let clock: string;
let secret: { id: string; sha256: string };
let normal: { id: string; sha256: string };
let token: string;
let sec: string;
let meetingId: string;

beforeAll(async () => {
  hubDir = tempDir();
  hub = await startHub(hubDir, { demo: true });
  sec = (await signIn(hub.url, 'secretary')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, sec, '/api/meetings')).body[0]!.id;
  secret = await uploadPaper(hub.url, sec, meetingId, 'Secret budget', { level: 'secret' });
  normal = await uploadPaper(hub.url, sec, meetingId, 'Normal budget');
  dir = tempDir();
  clock = clockFileIn(dir);
  setClock(clock, {});
  agent = await startAgentWithClock(hub.url, dir, 'delegate1', { clockFile: clock });
  token = (await signInAgent(agent.url, 'delegate1')).token;
});
afterAll(async () => {
  await agent?.stop();
  await hub?.stop();
});

const get = (sha: string) => api<{ error?: string; message?: string }>(agent.url, token, `/api/blobs/${sha}`);
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
async function bytes(sha: string): Promise<Buffer> {
  const res = await fetch(`${agent.url}/api/blobs/${sha}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('offline access that expires', () => {
  it('seals a classified paper under its own key; a Normal paper is stored as before', async () => {
    const held = await pollUntil(() => readCache(dir, secret.sha256), (c) => c.blob?.complete === 1 && c.indexed === 1, 'the secret paper held and indexed');
    expect(held.key?.key?.length).toBe(32);
    // What is on disk is not the PDF, and opens with the paper's own key.
    expect(held.firstChunk!.subarray(0, 5).toString()).not.toBe('%PDF-');
    expect(openSealedChunk(held.key!.key!, secret.sha256, 0, held.firstChunk!).subarray(0, 5).toString()).toBe('%PDF-');
    const plain = await pollUntil(() => readCache(dir, normal.sha256), (c) => c.blob?.complete === 1, 'the normal paper held');
    expect(plain.key).toBeNull();
    expect(plain.firstChunk!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sha256(await bytes(secret.sha256))).toBe(secret.sha256);
  });

  it('seals a paper held in the clear once it is classified', async () => {
    const later = await uploadPaper(hub.url, sec, meetingId, 'Classified later');
    await pollUntil(() => readCache(dir, later.sha256), (c) => c.blob?.complete === 1 && c.key === null, 'the paper held in the clear');
    const r = await api(hub.url, sec, `/api/papers/${later.id}/classification`, { method: 'PATCH', body: JSON.stringify({ level: 'confidential' }) });
    expect(r.status).toBe(200);
    const sealed = await pollUntil(() => readCache(dir, later.sha256), (c) => c.blob?.complete === 1 && !!c.key?.key, 'the paper fetched again, sealed');
    expect(sealed.firstChunk!.subarray(0, 5).toString()).not.toBe('%PDF-');
    expect(sha256(await bytes(later.sha256))).toBe(later.sha256);
  });

  it('stays readable offline within its lifetime, also across a restart', async () => {
    await hub.stop();
    await pollUntil(() => agentStatus(agent.url, token), (s) => s.hub === 'offline', 'the agent offline');
    setClock(clock, { monotonicOffsetMs: 5 * HOUR });
    expect(sha256(await bytes(secret.sha256))).toBe(secret.sha256);
    // A restart resets the monotonic clock; the 5 h counted so far are kept (saved on close).
    await agent.stop();
    agent = await startAgentWithClock(hub.url, dir, 'delegate1', { clockFile: clock });
    token = (await signInAgent(agent.url, 'delegate1')).token;
    expect(sha256(await bytes(secret.sha256))).toBe(secret.sha256);
  });

  it('expires past its lifetime even with the device clock set back: key destroyed, chunks unreadable', async () => {
    const before = readCache(dir, secret.sha256);
    // 3.5 h more in this run (8.5 h in all), and the device's clock set back a month.
    setClock(clock, { monotonicOffsetMs: 5 * HOUR + 3.5 * HOUR, wallOffsetMs: -30 * 24 * HOUR });
    const r = await get(secret.sha256);
    expect(r.status).toBe(410);
    expect(r.body.error).toBe(OFFLINE_EXPIRED);
    expect(r.body.message).toMatch(/Offline access to this paper has expired/);
    const after = readCache(dir, secret.sha256);
    expect(after.key?.key).toBeNull();
    expect(after.key?.destroyed_at).toEqual(expect.any(Number));
    // The ciphertext is still there, and no key the device holds opens it.
    expect(after.firstChunk!.equals(before.firstChunk!)).toBe(true);
    expect(after.firstChunk!.subarray(0, 5).toString()).not.toBe('%PDF-');
    expect(() => openSealedChunk(crypto.randomBytes(32), secret.sha256, 0, after.firstChunk!)).toThrow();
    // Its text left the device's search index with it.
    expect(after.indexed).toBe(0);
    // Setting the clock forward again, or back to the truth, does not bring it back.
    setClock(clock, { monotonicOffsetMs: 0, wallOffsetMs: 0 });
    expect((await get(secret.sha256)).status).toBe(410);
  });

  it('never expires a Normal paper', async () => {
    setClock(clock, { monotonicOffsetMs: 10_000 * HOUR });
    expect(sha256(await bytes(normal.sha256))).toBe(normal.sha256);
  });

  it('renews on reconnecting: the paper is fetched again under a new key', async () => {
    const old = readCache(dir, secret.sha256);
    hub = await startHub(hubDir, { port: hub.port });
    await pollUntil(() => agentStatus(agent.url, token), (s) => s.hub === 'online', 'the agent back online');
    const back = await pollUntil(() => readCache(dir, secret.sha256), (c) => c.blob?.complete === 1 && !!c.key?.key, 'the paper fetched again');
    expect(back.firstChunk!.equals(old.firstChunk!)).toBe(false);
    expect(sha256(await bytes(secret.sha256))).toBe(secret.sha256);
  });
});
