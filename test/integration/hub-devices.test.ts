// The hub's device-facing pieces: the update feed the desktop app's updater reads (served from a
// folder, signatures verified by the real updater code), and wipe orders delivered to a real
// agent process, whose SQLite file is then read to prove the meeting's data is gone.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { openAgentCache, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { waitFor } from '../helpers/yclient.ts';
import { generateSigningKeys, signFile } from '../../electron/shell/update-verify.ts';
import { fetchVerifiedUpdate } from '../../electron/shell/updater.ts';

let hub: HubUnderTest;
let updatesDir: string;
let meetingId: string;
const agents: RunningProcess[] = [];

beforeAll(async () => {
  updatesDir = tempDir('chamber-updates-');
  hub = await startHubIn(undefined, { demo: true, args: ['--updates', updatesDir] });
  const sec = await signIn(hub.url, 'secretary');
  meetingId = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  await hub?.stop();
});

/** A GET with the path sent exactly as written (fetch would normalise `..` away). */
function rawGet(port: number, rawPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('update feed at /updates/', () => {
  it('serves the feed, installers and signatures read-only, and the updater accepts them', async () => {
    const keys = generateSigningKeys();
    const installer = path.join(updatesDir, 'Chamber Setup 9.0.0.exe');
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) & 0xff;
    fs.writeFileSync(installer, bytes);
    fs.writeFileSync(`${installer}.sig`, JSON.stringify(await signFile(installer, keys.privatePem)));
    fs.writeFileSync(path.join(updatesDir, 'latest.yml'), "version: 9.0.0\npath: Chamber Setup 9.0.0.exe\nreleaseDate: '2030-01-01T00:00:00.000Z'\n");

    const feed = await fetch(`${hub.url}/updates/latest.yml`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/yaml; charset=utf-8');
    expect(await feed.text()).toContain('version: 9.0.0');

    const file = await fetch(`${hub.url}/updates/${encodeURIComponent('Chamber Setup 9.0.0.exe')}`);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    const etag = file.headers.get('etag');
    expect(etag).toBeTruthy();
    // (fetch adds Cache-Control: no-cache to a conditional request, which rightly forces a 200.)
    expect((await rawGet(hub.port, `/updates/${encodeURIComponent('Chamber Setup 9.0.0.exe')}`, { 'if-none-match': etag! })).status).toBe(304);
    const part = await fetch(`${hub.url}/updates/${encodeURIComponent('Chamber Setup 9.0.0.exe')}`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const sig = await fetch(`${hub.url}/updates/${encodeURIComponent('Chamber Setup 9.0.0.exe.sig')}`);
    expect(sig.headers.get('content-type')).toBe('application/json; charset=utf-8');

    // The desktop app's own update check, pointed at the hub exactly as electron/main does.
    const result = await fetchVerifiedUpdate({
      feedUrl: new URL('/updates/', hub.url).toString(), platform: 'win32', arch: 'x64', currentVersion: '1.0.0',
      publicKeyPem: keys.publicPem, downloadDir: tempDir('chamber-download-'),
    });
    expect(result.status).toBe('ready');
    if (result.status === 'ready') expect(fs.readFileSync(result.file).equals(bytes)).toBe(true);

    // Read-only: no other method is routed there.
    expect((await fetch(`${hub.url}/updates/latest.yml`, { method: 'PUT', body: 'x' })).status).toBe(404);
  });

  it('refuses traversal, dotfiles, sub-folders and symlinks out of the folder; 404 for missing files', async () => {
    fs.writeFileSync(path.join(updatesDir, '.env'), 'SECRET=1');
    fs.mkdirSync(path.join(updatesDir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(updatesDir, 'sub', 'inner.yml'), 'version: 1.0.0');
    fs.symlinkSync(path.join(hub.dataDir, 'hub.sqlite'), path.join(updatesDir, 'escape.yml'));
    const hubFile = fs.readFileSync(path.join(hub.dataDir, 'hub.sqlite')).subarray(0, 16);
    for (const p of [
      '/updates/../hub.sqlite', '/updates/%2e%2e/hub.sqlite', '/updates/..%2fhub.sqlite', '/updates/..%5chub.sqlite',
      '/updates/.env', '/updates/%2eenv', '/updates/sub/inner.yml', '/updates/sub%2finner.yml', '/updates/escape.yml',
      '/updates/', '/updates/missing.yml', '/updates/latest.yml%00.exe',
    ]) {
      const r = await rawGet(hub.port, p);
      expect([400, 403, 404], p).toContain(r.status);
      expect(r.body.includes(hubFile), p).toBe(false);
      expect(r.body.toString('utf8'), p).not.toContain('SECRET');
    }
    expect((await rawGet(hub.port, '/updates/missing.yml')).status).toBe(404);
  });
});

describe('wipe orders', () => {
  it('only the meeting\'s managers may order a wipe, with a valid body', async () => {
    const delegate = await signIn(hub.url, 'delegate2');
    const secretary = await signIn(hub.url, 'secretary');
    const post = (token: string, body: unknown) => api(hub.url, token, '/api/devices/wipe', { method: 'POST', body: JSON.stringify(body) });
    expect((await fetch(`${hub.url}/api/devices/wipe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ meetingId }) })).status).toBe(401);
    expect((await post(delegate.token, { meetingId })).status).toBe(403);
    for (const bad of [{}, { meetingId: 'NOT AN ID' }, { meetingId, refetch: 'yes' }, { meetingId, extra: 1 }, { meetingId, userId: '../x' }, [meetingId]]) {
      const r = await post(secretary.token, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await post(secretary.token, { meetingId, userId: 'nosuchaccount' })).status).toBe(400);
    expect((await post(secretary.token, { meetingId: 'nosuchmeeting' })).status).toBe(404);
    // Nothing was stored by the refused requests.
    expect((await api<unknown[]>(hub.url, secretary.token, `/api/devices/wipe?meetingId=${meetingId}`)).body).toEqual([]);
    expect((await api(hub.url, delegate.token, `/api/devices/wipe?meetingId=${meetingId}`)).status).toBe(403);
  });

  it('reaches the agent, which purges the meeting\'s documents and papers, acknowledges, and keeps it out until a new sign-in', async () => {
    const dir = tempDir();
    let agent = await startAgentProcess(hub.url, dir, 'delegate1');
    agents.push(agent);
    const local = await signIn(agent.url, 'delegate1');
    const replicated = (s: { hub: string; prefetch: Array<{ papersDone: number; papersTotal: number }> }) =>
      s.hub === 'online' && s.prefetch.length === 1 && s.prefetch[0]!.papersTotal > 0 && s.prefetch[0]!.papersDone === s.prefetch[0]!.papersTotal;
    await waitStatus(agent.url, local.token, replicated, 'replicated');
    // The agent's clients cannot read or acknowledge its orders.
    expect((await api(agent.url, local.token, '/api/devices/orders?deviceId=abc')).status).toBe(404);

    const secretary = await signIn(hub.url, 'secretary');
    const order = await api<{ id: number; refetch: boolean; userId: string }>(hub.url, secretary.token, '/api/devices/wipe', {
      method: 'POST', body: JSON.stringify({ meetingId, userId: local.user.id }),
    });
    expect(order.status).toBe(201);
    expect(order.body.refetch).toBe(false);

    // Addressed to delegate1's devices only; another user's device is not told.
    const other = await signIn(hub.url, 'delegate2');
    expect((await api<unknown[]>(hub.url, other.token, '/api/devices/orders?deviceId=otherdevice')).body).toEqual([]);
    expect((await api(hub.url, other.token, `/api/devices/orders/${order.body.id}/ack`, { method: 'POST', body: JSON.stringify({ deviceId: 'otherdevice' }) })).status).toBe(404);
    expect((await api(hub.url, other.token, '/api/devices/orders')).status).toBe(400);

    const acks = async () => (await api<Array<{ id: number; acks: Array<{ deviceId: string; userId: string }> }>>(hub.url, secretary.token, `/api/devices/wipe?meetingId=${meetingId}`))
      .body.find((o) => o.id === order.body.id)!.acks;
    const start = Date.now();
    while ((await acks()).length === 0) {
      if (Date.now() - start > 15_000) throw new Error('the order was not acknowledged');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await acks()).toEqual([expect.objectContaining({ userId: local.user.id })]);
    expect((await api<unknown[]>(agent.url, local.token, '/api/meetings')).body).toEqual([]);
    // Still out in the rounds after it (the user still takes part; the order said no refetch):
    // the agent says when a round finds the meeting listed and keeps it out.
    await waitFor(() => agent.output().includes('keeping out a meeting a hub wipe order removed'), 15_000, 'a round keeping the meeting out');
    expect((await api<unknown[]>(agent.url, local.token, '/api/meetings')).body).toEqual([]);
    expect((await api(agent.url, local.token, `/api/meetings/${meetingId}`)).status).toBe(404);
    const audit = (await api<Array<{ action: string }>>(hub.url, (await signIn(hub.url, 'admin')).token, '/api/audit')).body.map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['device-wipe-ordered', 'device-wipe-acked']));

    await agent.stop();
    const db = openAgentCache(dir);
    try {
      const n = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
      expect(n("SELECT COUNT(*) AS n FROM (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates) WHERE doc LIKE '%' || ? || '%'", meetingId)).toBe(0);
      expect(n('SELECT COUNT(*) AS n FROM blobs')).toBe(0);
      expect(n('SELECT COUNT(*) AS n FROM blob_chunks')).toBe(0);
      expect(n('SELECT COUNT(*) AS n FROM agent_meetings')).toBe(0);
    } finally {
      db.close();
    }

    // A restart (the agent signs itself in with its start-up password) does not bring it back;
    // the user signing in again does.
    agent = await startAgentProcess(hub.url, dir, 'delegate1');
    agents.push(agent);
    await waitStatus(agent.url, local.token, (s) => s.hub === 'online', 'online after restart');
    await waitFor(() => agent.output().includes('keeping out a meeting a hub wipe order removed'), 15_000, 'a round after the restart keeping the meeting out');
    expect((await api<unknown[]>(agent.url, local.token, '/api/meetings')).body).toEqual([]);
    const again = await signIn(agent.url, 'delegate1');
    await waitStatus(agent.url, again.token, replicated, 'replicated after signing in again');
    // The order is not delivered twice to a device that acknowledged it.
    expect(await acks()).toHaveLength(1);

    // With refetch, the meeting is wiped and fetched again on the same device.
    const refetch = await api<{ id: number }>(hub.url, secretary.token, '/api/devices/wipe', { method: 'POST', body: JSON.stringify({ meetingId, refetch: true }) });
    expect(refetch.status).toBe(201);
    const t0 = Date.now();
    while (!(await api<Array<{ id: number; acks: unknown[] }>>(hub.url, secretary.token, `/api/devices/wipe?meetingId=${meetingId}`)).body.find((o) => o.id === refetch.body.id)!.acks.length) {
      if (Date.now() - t0 > 15_000) throw new Error('the refetch order was not acknowledged');
      await new Promise((r) => setTimeout(r, 200));
    }
    await waitStatus(agent.url, again.token, replicated, 'replicated after a refetch wipe');
    // A device first seen after an order is not told about it.
    const fresh = await signIn(hub.url, 'delegate1');
    expect((await api<unknown[]>(hub.url, fresh.token, '/api/devices/orders?deviceId=brandnewdevice')).body).toEqual([]);
  });
});
