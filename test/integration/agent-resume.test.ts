// Paper prefetch under faults: the hub killed mid-download (the agent resumes with Range from
// the whole chunks it kept) and bytes that do not match their sha256 (discarded, reported, and
// fetched again). The agent reaches the hub through a TCP relay that can hold or alter bytes.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, FIXTURES, haveFixtures, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { waitFor } from '../helpers/yclient.ts';
import { Relay, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { BLOB_CHUNK } from '../../electron/core/store.ts';

describe.skipIf(!haveFixtures)('paper prefetch under faults', () => {
  let hubDir: string;
  let hub: RunningProcess;
  let agent: RunningProcess;
  let relay: Relay;
  let meetingId: string;
  let secToken: string;

  const upload = async (file: string, title: string) => {
    const bytes = fs.readFileSync(path.join(FIXTURES, file));
    const res = await fetch(`${hub.url}/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}`, {
      method: 'POST', headers: { authorization: `Bearer ${secToken}`, 'content-type': 'application/pdf' }, body: bytes,
    });
    expect(res.status).toBe(201);
    return { sha: crypto.createHash('sha256').update(bytes).digest('hex'), bytes };
  };

  beforeAll(async () => {
    hubDir = tempDir();
    hub = await startHub(hubDir, { demo: true });
    secToken = (await signIn(hub.url, 'secretary')).token;
    meetingId = (await api<Array<{ id: string }>>(hub.url, secToken, '/api/meetings')).body[0]!.id;
    relay = new Relay(hub.port);
    await relay.listen();
  });
  afterAll(async () => {
    await agent?.stop();
    await relay?.close();
    await hub?.stop();
  });

  it('resumes a download cut by a killed hub with a Range request, and verifies it', async () => {
    const big = await upload('freeculture.pdf', 'Free Culture');
    relay.watchSha = big.sha;
    relay.stallAfter = 1024 * 1024;
    agent = await startAgentProcess(`http://127.0.0.1:${relay.port}`, tempDir(), 'delegate1');
    const tok = (await signIn(agent.url, 'delegate1')).token;
    await waitFor(() => relay.forwarded >= 1024 * 1024, 20_000, 'the first MiB to pass the relay');
    expect(relay.requests).toHaveLength(1);
    expect(relay.requests[0]).not.toMatch(/^range:/im);

    await hub.kill9();
    relay.cutStalled();
    // The whole chunks received before the cut are kept and reported.
    const partial = await waitStatus(agent.url, tok, (s) => s.hub === 'offline' && (s.prefetch[0]?.bytesDone ?? 0) >= 3 * BLOB_CHUNK, 'partial download kept');
    expect(partial.prefetch[0]!.papersDone).toBeLessThan(partial.prefetch[0]!.papersTotal);

    relay.release();
    hub = await startHub(hubDir, { port: hub.port });
    const done = await waitStatus(agent.url, tok, (s) => s.hub === 'online' && s.prefetch[0]!.papersDone === s.prefetch[0]!.papersTotal, 'download complete', 30_000);
    expect(done.prefetch[0]!.bytesDone).toBe(done.prefetch[0]!.bytesTotal);
    // The second request asked only for the rest, from a chunk boundary past the first MiB's chunks.
    const resume = relay.requests.slice(1).find((r) => /^range:/im.test(r));
    const from = Number(/^range: bytes=(\d+)-/im.exec(resume ?? '')?.[1]);
    expect(from).toBeGreaterThanOrEqual(3 * BLOB_CHUNK);
    expect(from % BLOB_CHUNK).toBe(0);
    expect(relay.requests.slice(1).every((r) => /^range:/im.test(r))).toBe(true);

    // Served from the agent's cache, byte-identical.
    const res = await fetch(`${agent.url}/api/blobs/${big.sha}`, { headers: { authorization: `Bearer ${tok}` } });
    expect(res.status).toBe(200);
    const got = Buffer.from(await res.arrayBuffer());
    expect(crypto.createHash('sha256').update(got).digest('hex')).toBe(big.sha);
  });

  it('discards bytes that do not match the sha256, reports it, and fetches the paper again', async () => {
    const tok = (await signIn(agent.url, 'delegate1')).token;
    const paper = await upload('tracemonkey.pdf', 'TraceMonkey');
    relay.watchSha = paper.sha;
    relay.corruptNext = true;
    const before = relay.requests.length;
    // The first attempt is altered in flight; the status says why it failed.
    const failed = await waitStatus(agent.url, tok, (s) => /hash/.test(s.prefetch[0]?.lastError ?? ''), 'mismatch reported');
    expect(failed.prefetch[0]!.lastError).toMatch(/discarded/);
    const done = await waitStatus(agent.url, tok, (s) => s.prefetch[0]!.papersDone === s.prefetch[0]!.papersTotal && !s.prefetch[0]!.lastError, 'paper fetched again', 30_000);
    expect(done.prefetch[0]!.bytesDone).toBe(done.prefetch[0]!.bytesTotal);
    expect(relay.requests.length - before).toBeGreaterThanOrEqual(2);
    const res = await fetch(`${agent.url}/api/blobs/${paper.sha}`, { headers: { authorization: `Bearer ${tok}` } });
    expect(crypto.createHash('sha256').update(Buffer.from(await res.arrayBuffer())).digest('hex')).toBe(paper.sha);
  });
});
