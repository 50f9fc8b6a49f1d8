// Files made by the hub, fetched through a device's agent (real hub and agent processes on
// loopback): the meeting package streams through with the hub's headers and verifies against the
// hub's key, its papers byte for byte the hub's; a damaged paper's refusal arrives as the hub's
// own 500 `paper_damaged`, not as the agent's 503; 503 `hub_offline` only once the hub is gone.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { startAgentProcess, waitStatus } from './agent-helpers.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { archiveCli, download, smallPdf, unzip } from './archive-helpers.ts';
import { MANIFEST_PATH, packageManifestSchema } from '../../shared/archive.ts';

let hub: HubUnderTest;
let agent: RunningProcess;
const capped: RunningProcess[] = [];
let db: BetterSqlite3.Database;
let hubToken: string;
let agentToken: string;
let meetingId: string;
let paper: { sha256: string; bytes: Buffer };

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const exportPath = () => `/api/meetings/${meetingId}/export`;

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  hubToken = (await signIn(hub.url, 'secretary')).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, hubToken, '/api/meetings')).body[0]!.id;
  const bytes = await smallPdf('Streamed through the agent');
  const up = await api<{ sha256: string }>(hub.url, hubToken, `/api/meetings/${meetingId}/documents?title=Through%20the%20agent`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(bytes),
  });
  expect(up.status, JSON.stringify(up.body)).toBe(201);
  paper = { sha256: up.body.sha256, bytes };
  // A paper of 3 MB (random bytes attached: nothing compresses them), so the package is far past
  // a 1 MiB cap that its first chunks on the wire are well within.
  const large = await PDFDocument.load(await smallPdf('Large'));
  await large.attach(crypto.randomBytes(3 * 1024 * 1024), 'annex.bin', { mimeType: 'application/octet-stream' });
  const largeUp = await api(hub.url, hubToken, `/api/meetings/${meetingId}/documents?title=Large`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await large.save()),
  });
  expect(largeUp.status, JSON.stringify(largeUp.body)).toBe(201);
  expect((await api(hub.url, hubToken, `/api/meetings/${meetingId}`, { method: 'PATCH', body: JSON.stringify({ status: 'closed' }) })).status).toBe(200);
  agent = await startAgentProcess(hub.url, tempDir('chamber-agent-downloads-'), 'secretary');
  agentToken = (await signIn(agent.url, 'secretary')).token;
  await waitStatus(agent.url, agentToken, (st) => st.hub === 'online', 'the agent in touch with its hub');
});

afterAll(async () => {
  db?.close();
  for (const a of capped) await a.stop();
  await agent?.stop();
  await hub?.stop();
});

describe('a download through the agent', () => {
  it('streams the meeting package with the hub\'s headers; it verifies and holds the hub\'s papers', async () => {
    const direct = await download(`${hub.url}${exportPath()}`, hubToken);
    expect(direct.status).toBe(200);
    const res = await download(`${agent.url}${exportPath()}`, agentToken);
    expect(res.status, res.body.toString().slice(0, 200)).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toBe(direct.headers.get('content-disposition'));
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9-]+\.zip"$/);
    // Relayed as it came (chunked), not gathered into one body the agent measured first.
    expect(res.headers.get('content-length')).toBeNull();

    const entries = unzip(res.body);
    const manifest = packageManifestSchema.parse(JSON.parse(entries.find((e) => e.name === MANIFEST_PATH)!.bytes.toString('utf8')));
    const listed = manifest.files.find((f) => f.sha256 === paper.sha256)!;
    expect(listed.kind).toBe('paper');
    expect(sha(entries.find((e) => e.name === listed.path)!.bytes)).toBe(sha(paper.bytes));
    // The same files as the hub's own package of the meeting, each as the signed manifest lists it.
    const mine = new Map(entries.map((e) => [e.name, sha(e.bytes)]));
    const hubs = new Map(unzip(direct.body).map((e) => [e.name, sha(e.bytes)]));
    expect([...mine.keys()].sort()).toEqual([...hubs.keys()].sort());
    for (const f of manifest.files) expect(mine.get(f.path), f.path).toBe(f.sha256);

    const key = (await api<{ fingerprint: string }>(agent.url, agentToken, '/api/hub/key')).body.fingerprint;
    const file = path.join(tempDir('chamber-agent-package-'), 'package.zip');
    fs.writeFileSync(file, res.body);
    const verified = await archiveCli(['verify', file, '--key', key]);
    expect(verified.code, verified.out).toBe(0);
  });

  it('passes a hub refusal on as the hub\'s: 400 and 500 paper_damaged keep their status and code', async () => {
    const bad = await download(`${agent.url}${exportPath()}?draft=2`, agentToken);
    expect([bad.status, (JSON.parse(bad.body.toString()) as { error: string }).error]).toEqual([400, 'bad_request']);

    const row = db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 0').get(paper.sha256) as { data: Buffer };
    const damaged = Buffer.from(row.data);
    damaged[100] = damaged[100]! ^ 0xff;
    db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = 0').run(damaged, paper.sha256);
    try {
      const res = await download(`${agent.url}${exportPath()}`, agentToken);
      expect(res.status).toBe(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const body = JSON.parse(res.body.toString()) as { error: string; message: string };
      expect(body.error).toBe('paper_damaged');
      expect(body.message).toContain(paper.sha256);
      // The agent does not take the hub's 500 for an outage: it still counts the hub as there.
      expect((await api<{ hub: string }>(agent.url, agentToken, '/api/agent/status')).body.hub).not.toBe('offline');
    } finally {
      db.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = 0').run(row.data, paper.sha256);
    }
  });

  it('holds a file to the agent\'s cap: refused when the hub declares more, cut off when it grows past it', async () => {
    const cappedAgent = async (cap: number) => {
      const a = await startAgentProcess(hub.url, tempDir('chamber-agent-capped-'), 'secretary', 'demo', ['--max-download-bytes', String(cap)]);
      capped.push(a);
      const t = (await signIn(a.url, 'secretary')).token;
      await waitStatus(a.url, t, (st) => st.hub === 'online', 'a capped agent in touch with its hub');
      return { url: a.url, token: t };
    };
    const CAP = 2000;
    const { url: cappedUrl, token } = await cappedAgent(CAP);

    // The minutes document comes with its length: refused before a byte is relayed.
    const minutesPath = `/api/meetings/${meetingId}/minutes/document?format=pdf&lang=en`;
    const whole = await download(`${hub.url}${minutesPath}`, hubToken);
    expect(whole.status, whole.body.toString().slice(0, 200)).toBe(200);
    expect(Number(whole.headers.get('content-length'))).toBeGreaterThan(CAP);
    const refused = await download(`${cappedUrl}${minutesPath}`, token);
    expect([refused.status, (JSON.parse(refused.body.toString()) as { error: string }).error]).toEqual([502, 'download_too_large']);
    // Under the default cap it comes through whole, with the hub's headers (its date makes each copy differ).
    const through = await download(`${agent.url}${minutesPath}`, agentToken);
    expect([through.status, through.headers.get('content-disposition'), through.body.subarray(0, 5).toString()]).toEqual([200, whole.headers.get('content-disposition'), '%PDF-']);
    expect(Number(through.headers.get('content-length'))).toBe(through.body.length);

    // The package streams without a length. Past the cap in the first chunk the agent gets,
    // nothing has gone out and the answer is the 502; the hub's first bytes may also arrive in a
    // piece under 2000 bytes, and then the transfer breaks off (as below). Never a short file.
    const early = await fetch(`${cappedUrl}${exportPath()}`, { headers: { authorization: `Bearer ${token}` } });
    if (early.status === 200) await expect(early.arrayBuffer()).rejects.toThrow();
    else expect([early.status, ((await early.json()) as { error: string }).error]).toEqual([502, 'download_too_large']);
    // Past it after the first megabyte has gone out: the transfer breaks off, never ends short.
    const mib = await cappedAgent(1024 * 1024);
    const res = await fetch(`${mib.url}${exportPath()}`, { headers: { authorization: `Bearer ${mib.token}` } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/zip']);
    await expect(res.arrayBuffer()).rejects.toThrow();
  });

  it('answers 503 hub_offline only when the hub cannot be reached', async () => {
    await hub.stop();
    const res = await download(`${agent.url}${exportPath()}`, agentToken);
    expect(res.status).toBe(503);
    expect((JSON.parse(res.body.toString()) as { error: string }).error).toBe('hub_offline');
  });
});
