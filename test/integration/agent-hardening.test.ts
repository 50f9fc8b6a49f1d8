// The agent's loopback service as a hostile web page on the tablet sees it: requests written byte
// by byte on raw sockets (encoded paths, forged Host and Origin headers, a cross-site text/plain
// sign-in), the desktop shell's real forwarder, and password guessing online and offline. Real
// hub and agent processes throughout.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { startAgentProcess, waitStatus } from './agent-helpers.ts';
import { createAppProtocolHandler } from '../../electron/shell/app-protocol.ts';

let hub: RunningProcess;
let agent: RunningProcess;
let token: string;
let meetingId: string;

interface RawReply { status: number; headers: Record<string, string>; body: string }

/**
 * One HTTP/1.1 request exactly as written (no client normalises the path or adds headers). The
 * reply is complete at its Content-Length: a server that refuses a body it did not read may
 * keep the connection open a while rather than reset it.
 */
function raw(port: number, head: string, body = ''): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (force: boolean) => {
      const end = buf.indexOf('\r\n\r\n');
      if (done || end < 0) return;
      const lines = buf.subarray(0, end).toString('utf8').split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const bodyBytes = buf.subarray(end + 4);
      const length = headers['content-length'] === undefined ? null : Number(headers['content-length']);
      if (!force && (length === null || bodyBytes.length < length)) return;
      done = true;
      sock.destroy();
      resolve({ status: Number(lines[0]?.split(' ')[1] ?? 0), headers, body: bodyBytes.subarray(0, length ?? undefined).toString('utf8') });
    };
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      finish(false);
    });
    sock.on('error', (err) => {
      // A reset after the reply (the server cut a body it refused) still leaves the reply.
      finish(true);
      if (!done) reject(err);
    });
    sock.on('close', () => {
      finish(true);
      if (!done) reject(new Error('connection closed without a reply'));
    });
    sock.write(`${head.replace(/\n/g, '\r\n')}\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

const get = (p: string, extra = '') => raw(agent.port, `GET ${p} HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nAuthorization: Bearer ${token}${extra ? `\n${extra}` : ''}`);

beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
  agent = await startAgentProcess(hub.url, tempDir(), 'delegate1');
  token = (await signIn(agent.url, 'delegate1')).token;
  const s = await waitStatus(agent.url, token, (st) => st.hub === 'online' && st.prefetch.length === 1, 'replicated');
  meetingId = s.prefetch[0]!.meetingId;
});
afterAll(async () => {
  await Promise.all([agent?.stop(), hub?.stop()]);
});

describe('agent routing on decoded paths', () => {
  it('never lets a spelling of the wipe-order routes through to the hub', async () => {
    // The hub itself answers this caller 200 [] for its orders: the agent must not relay that.
    const direct = await signIn(hub.url, 'delegate1');
    expect((await api(hub.url, direct.token, '/api/devices/orders?deviceId=rogue')).status).toBe(200);
    for (const p of [
      '/api/devices/orders?deviceId=rogue', '/api/devices/%6frders?deviceId=rogue', '/api/devices/%6Frders?deviceId=rogue',
      '/api/%64evices/orders?deviceId=rogue', '/api//devices/orders?deviceId=rogue', '/api/devices/orders/?deviceId=rogue',
      '/api/devices//orders?deviceId=rogue',
    ]) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body, p).not.toBe('[]');
    }
    const ack = await raw(agent.port, `POST /api/devices/%6frders/1/ack HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nAuthorization: Bearer ${token}\nContent-Type: application/json`, '{"deviceId":"rogue"}');
    expect(ack.status).toBe(404);
  });

  it('answers malformed paths 400 and lives on; routes the decoded path otherwise', async () => {
    for (const p of ['/api/meetings/%ff', '/api/meetings/a%2Fb', '/api/devices/%2e%2e/orders', '/api/../api/devices/orders', '/api/meetings/%00', '/%5c..%5capi']) {
      expect((await get(p)).status, p).toBe(400);
    }
    // A decoded spelling reaches the very route it names (served from the cache here).
    const papers = await get(`/api/meetings/${meetingId}/%70apers`);
    expect(papers.status).toBe(200);
    expect(JSON.parse(papers.body)).toEqual(expect.arrayContaining([expect.objectContaining({ meetingId })]));
    // A route the hub has but the agent does not forward.
    expect((await get('/api/nonexistent')).status).toBe(404);
    expect((await raw(agent.port, `GET /health HTTP/1.1\nHost: 127.0.0.1:${agent.port}`)).status).toBe(200);
  });
});

describe('agent Host and Origin checks', () => {
  it('refuses a Host that is not its own loopback address and port (DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${agent.port}`, `rebind.127.0.0.1.nip.io:${agent.port}`, `127.0.0.1:${agent.port + 1}`, `127.0.0.1:${agent.port}@evil.example`]) {
      for (const p of ['/health', '/', `/api/meetings`]) {
        const r = await raw(agent.port, `GET ${p} HTTP/1.1\nHost: ${host}\nAuthorization: Bearer ${token}`);
        expect(r.status, `${host} ${p}`).toBe(403);
        expect(r.body, `${host} ${p}`).toContain('forbidden_host');
      }
    }
    // HTTP/1.0 may omit Host: refused too.
    expect((await raw(agent.port, 'GET /health HTTP/1.0')).status).toBe(403);
    for (const host of [`127.0.0.1:${agent.port}`, `localhost:${agent.port}`, `LOCALHOST:${agent.port}`]) {
      expect((await raw(agent.port, `GET /api/meetings HTTP/1.1\nHost: ${host}\nAuthorization: Bearer ${token}`)).status, host).toBe(200);
    }
  });

  it('refuses another site\'s Origin, even with a valid token; accepts its own and none', async () => {
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:${agent.port + 1}`, `https://127.0.0.1:${agent.port}`, `http://evil.example:${agent.port}`, hub.url]) {
      const r = await get('/api/meetings', `Origin: ${origin}`);
      expect(r.status, origin).toBe(403);
      expect(r.body, origin).toContain('forbidden_origin');
      const s = await raw(agent.port, `POST /api/session HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nOrigin: ${origin}\nContent-Type: application/json`, '{"login":"delegate1","password":"demo"}');
      expect(s.status, origin).toBe(403);
      expect(s.body).not.toContain('token');
    }
    expect((await get('/api/meetings', `Origin: http://127.0.0.1:${agent.port}`)).status).toBe(200);
    expect((await get('/api/meetings', `Origin: http://localhost:${agent.port}`)).status).toBe(200);
    expect((await get('/api/meetings')).status).toBe(200);
  });

  it('refuses a sync connection from another origin; its own origin syncs', async () => {
    const url = `ws://127.0.0.1:${agent.port}/sync/meeting/${meetingId}?token=${token}`;
    const closed = (ws: WebSocket) => new Promise<number>((r) => ws.on('close', (code) => r(code)));
    const foreign = new WebSocket(url, { origin: 'http://evil.example' });
    foreign.on('error', () => {});
    expect(await closed(foreign)).toBe(4403);
    const rebound = new WebSocket(url, { headers: { host: `evil.example:${agent.port}` } });
    rebound.on('error', () => {});
    expect(await closed(rebound)).toBe(4403);
    const own = new WebSocket(url, { origin: `http://127.0.0.1:${agent.port}` });
    const first = await new Promise<Buffer>((resolve, reject) => {
      own.once('message', (d: Buffer) => resolve(d));
      own.once('close', (code) => reject(new Error(`closed ${code}`)));
    });
    expect(first[0]).toBe(0); // a sync message: the connection was accepted
    own.close();
  });

  it('refuses a cross-site text/plain or form sign-in (CSRF); JSON works', async () => {
    const body = '{"login":"delegate1","password":"demo"}';
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await raw(agent.port, `POST /api/session HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nContent-Type: ${type}`, body);
      expect(r.status, type).toBe(415);
      expect(r.body, type).not.toContain('token');
    }
    const none = await raw(agent.port, `POST /api/session HTTP/1.1\nHost: 127.0.0.1:${agent.port}`, body);
    expect(none.status).toBe(415);
    const ok = await raw(agent.port, `POST /api/session HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nContent-Type: application/json; charset=utf-8`, body);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toHaveProperty('token');
    // A form body to a forwarded route is refused before it is read, token or not.
    const form = await raw(agent.port, `POST /api/meetings HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nAuthorization: Bearer ${token}\nContent-Type: text/plain`, '{"title":"x"}');
    expect(form.status).toBe(415);
  });

  it('refuses an anonymous body before reading it', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const r = await raw(agent.port, `POST /api/meetings/${meetingId}/documents?title=T HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nContent-Type: application/pdf`, big);
    expect(r.status).toBe(401);
    // Sign-in takes 8 KiB at most (LIMITS.maxSignInBytes), like the hub's.
    const tooBig = await raw(agent.port, `POST /api/session HTTP/1.1\nHost: 127.0.0.1:${agent.port}\nContent-Type: application/json`, `{"login":"${'x'.repeat(9 * 1024)}"}`);
    expect(tooBig.status).toBe(413);
  });

  it('serves the desktop shell\'s forwarder (chamber://app/api/... → the agent, no Origin)', async () => {
    const handler = createAppProtocolHandler({ distDir: tempDir(), agent: () => ({ url: agent.url }) });
    const res = await handler(new Request('chamber://app/api/session', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate1', password: 'demo' }),
    }));
    expect(res.status).toBe(200);
    const { token: t } = (await res.json()) as { token: string };
    const list = await handler(new Request('chamber://app/api/meetings', { headers: { authorization: `Bearer ${t}` } }));
    expect(list.status).toBe(200);
    expect(((await list.json()) as Array<{ id: string }>).map((m) => m.id)).toEqual([meetingId]);
    expect((await handler(new Request('chamber://app/health'))).status).toBe(200);
  });
});

describe('agent sign-in throttling', () => {
  it('relays the hub\'s 429 and Retry-After', async () => {
    const otherHub = await startHub(tempDir(), { demo: true });
    const a = await startAgentProcess(otherHub.url, tempDir(), 'delegate2');
    try {
      let last: Response | null = null;
      for (let i = 0; i < 40; i++) {
        last = await fetch(`${a.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate3', password: `wrong-${i}` }) });
        if (last.status === 429) break;
        expect(last.status).toBe(401);
      }
      expect(last!.status).toBe(429);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await last!.json()) as { error: string }).error).toBe('too_many_attempts');
    } finally {
      await Promise.all([a.stop(), otherHub.stop()]);
    }
  });

  it('throttles offline password guesses with growing waits, and the right password works after the wait', async () => {
    const hubDir = tempDir();
    const h = await startHub(hubDir, { demo: true });
    const a = await startAgentProcess(h.url, tempDir(), 'delegate3');
    try {
      const t = (await signIn(a.url, 'delegate3')).token;
      await waitStatus(a.url, t, (s) => s.hub === 'online', 'online');
      await h.kill9();
      const attempt = (password: string) => fetch(`${a.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'delegate3', password }) });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await attempt(`guess-${i}`)).status);
      // Five free failures, the sixth starts a wait, the seventh meets it.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
      const blocked = await attempt('demo');
      expect(blocked.status).toBe(429);
      const wait = Number(blocked.headers.get('retry-after'));
      expect(wait).toBeGreaterThanOrEqual(1);
      // After the wait a wrong guess doubles it...
      const deadline = Date.now() + 10_000;
      let r = await attempt('guess-again');
      while (r.status === 429 && Date.now() < deadline) {
        await new Promise((res) => setTimeout(res, 200));
        r = await attempt('guess-again');
      }
      expect(r.status).toBe(401);
      const doubled = await attempt('demo');
      expect(doubled.status).toBe(429);
      expect(Number(doubled.headers.get('retry-after'))).toBeGreaterThanOrEqual(wait);
      // ...and the right password, once it is over, signs in (offline): no lock-out.
      let ok = await attempt('demo');
      while (ok.status === 429 && Date.now() < deadline + 10_000) {
        await new Promise((res) => setTimeout(res, 200));
        ok = await attempt('demo');
      }
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { offline?: boolean }).offline).toBe(true);
    } finally {
      await Promise.all([a.stop(), h.stop()]);
    }
  });
});
