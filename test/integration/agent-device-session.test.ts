// Staying signed in on a device (issue 16): a real hub and a real agent process on loopback. A
// password sign-in asks to be remembered and gets an HttpOnly, SameSite=Strict cookie; a page
// holding it resumes with a fresh local token (never the hub's), across an agent restart and a
// kill -9; sign-out, expiry (the agent's test clock), a wipe order, an IT wipe and another user
// signing in each end it; a request from another origin, or not typed JSON, cannot resume.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../electron/agent/agent.ts';
import { silentLog } from '../../electron/core/log.ts';
import { api, signIn, startHub, startProcess, tempDir, type RunningProcess } from '../helpers/processes.ts';

let hub: RunningProcess;
let agent: RunningProcess;
let dir: string;
let clockFile: string;
let meetingId: string;
const started: RunningProcess[] = [];

/** `npm run agent` on the same data folder each time, its wall clock moved by `clockFile`. */
const startDeviceAgent = async () => {
  const p = await startProcess('electron/agent/cli.ts', [
    '--hub', hub.url, '--login', 'delegate1', '--password', 'demo', '--data', dir, '--port', '0', '--refresh-ms', '1000', '--retry-max-ms', '800', '--quiet',
  ], { env: { CHAMBER_TEST_CLOCK_FILE: clockFile } });
  started.push(p);
  return p;
};

interface Sent {
  status: number;
  body: Record<string, unknown>;
  setCookie: string[];
}

async function send(url: string, method: string, pathname: string, opts: { token?: string; cookie?: string; origin?: string; body?: string; type?: string } = {}): Promise<Sent> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.origin) headers.origin = opts.origin;
  if (opts.body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  const res = await fetch(`${url}${pathname}`, { method, headers, body: opts.body });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* empty or not JSON */
  }
  return { status: res.status, body, setCookie: res.headers.getSetCookie() };
}

/** Signs in with the password and asks to stay signed in: the cookie (name=value) and its Set-Cookie line. */
async function rememberedSignIn(url: string, login = 'delegate1'): Promise<{ cookie: string; line: string; token: string }> {
  const s = await signIn(url, login);
  const r = await send(url, 'POST', '/api/session/device', { token: s.token });
  expect(r.status).toBe(204);
  expect(r.setCookie).toHaveLength(1);
  const line = r.setCookie[0]!;
  return { cookie: line.split(';')[0]!, line, token: s.token };
}

const resume = (url: string, cookie?: string, origin?: string) => send(url, 'POST', '/api/session/resume', { cookie, origin: origin ?? url, body: '{}' });

beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
  const d1 = await signIn(hub.url, 'delegate1');
  meetingId = (await api<Array<{ id: string }>>(hub.url, d1.token, '/api/meetings')).body[0]!.id;
  dir = tempDir();
  clockFile = path.join(tempDir(), 'clock.json');
  agent = await startDeviceAgent();
});

afterAll(async () => {
  for (const p of started) await p.stop().catch(() => {});
  await hub?.stop();
});

describe('a device session on the agent', () => {
  it('is issued after a password sign-in as an HttpOnly, SameSite=Strict cookie, and resumes with a working local token', async () => {
    const { cookie, line, token } = await rememberedSignIn(agent.url);
    expect(line).toMatch(/^chamber_device=[A-Za-z0-9_-]{43}; /);
    expect(line).toContain('HttpOnly');
    expect(line).toContain('SameSite=Strict');
    expect(line).toContain('Path=/');
    expect(line).toContain('Max-Age=43200');

    const r = await resume(agent.url, cookie);
    expect(r.status).toBe(200);
    const fresh = r.body.token as string;
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(token);
    expect((r.body.user as { login: string }).login).toBe('delegate1');
    // A local token: it works here, and the hub has never heard of it.
    const meetings = await api<Array<{ id: string }>>(agent.url, fresh, '/api/meetings');
    expect(meetings.status).toBe(200);
    expect((await api(hub.url, fresh, '/api/meetings')).status).toBe(401);
    // The secret is in no answer's body.
    expect(JSON.stringify(r.body)).not.toContain(cookie.split('=')[1]!);

    // Without the cookie, or with one the agent never made: 401.
    const none = await resume(agent.url);
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('no_device_session');
    expect((await resume(agent.url, `chamber_device=${'A'.repeat(43)}`)).status).toBe(401);
  });

  it('is granted once, only to a fresh password sign-in: never to a resumed token', async () => {
    const { cookie, token } = await rememberedSignIn(agent.url);
    expect((await send(agent.url, 'POST', '/api/session/device', { token })).status).toBe(403);
    const resumed = (await resume(agent.url, cookie)).body.token as string;
    const again = await send(agent.url, 'POST', '/api/session/device', { token: resumed });
    expect(again.status).toBe(403);
    expect(again.setCookie).toEqual([]);
    expect((await send(agent.url, 'POST', '/api/session/device')).status).toBe(401);
  });

  it('cannot be resumed from another origin, a rebound name, or without a JSON body', async () => {
    const { cookie } = await rememberedSignIn(agent.url);
    const port = new URL(agent.url).port;
    for (const origin of ['http://evil.example', `http://127.0.0.1:${Number(port) + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const r = await resume(agent.url, cookie, origin);
      expect(r.status, origin).toBe(403);
      expect(r.body.error, origin).toBe('forbidden_origin');
      expect(r.body.token, origin).toBeUndefined();
    }
    // A rebound DNS name arrives with its own Host.
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/session/resume', headers: { host: `evil.example:${port}`, cookie, 'content-type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      }, reject);
    });
    expect(rebound).toBe(403);
    // The bodies a cross-site form may send without a preflight, and bodies that are not `{}`.
    expect((await send(agent.url, 'POST', '/api/session/resume', { cookie, origin: agent.url, body: '{}', type: 'text/plain' })).status).toBe(415);
    expect((await send(agent.url, 'POST', '/api/session/resume', { cookie, origin: agent.url, body: 'x=1', type: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await send(agent.url, 'POST', '/api/session/resume', { cookie, origin: agent.url, body: '{"secret":"x"}' })).status).toBe(400);
    // From its own origin it still resumes.
    expect((await resume(agent.url, cookie)).status).toBe(200);
  });

  it('survives the agent restarting, and being killed (kill -9)', async () => {
    const { cookie } = await rememberedSignIn(agent.url);
    await agent.stop();
    agent = await startDeviceAgent();
    const r = await resume(agent.url, cookie);
    expect(r.status).toBe(200);
    expect((await api(agent.url, r.body.token as string, '/api/session')).status).toBe(200);

    const second = await rememberedSignIn(agent.url);
    await agent.kill9();
    agent = await startDeviceAgent();
    expect((await resume(agent.url, second.cookie)).status).toBe(200);
  });

  it('ends at sign-out: the cookie is cleared and no page can resume with it', async () => {
    const { cookie } = await rememberedSignIn(agent.url);
    const other = await rememberedSignIn(agent.url);
    const page = (await resume(agent.url, cookie)).body.token as string;
    const out = await send(agent.url, 'DELETE', '/api/session', { token: page, cookie });
    expect(out.status).toBe(204);
    expect(out.setCookie).toEqual([expect.stringMatching(/^chamber_device=; Max-Age=0;.*HttpOnly/)]);
    const after = await resume(agent.url, cookie);
    expect(after.status).toBe(401);
    // A refused cookie is cleared too, so the page stops presenting it.
    expect(after.setCookie).toEqual([expect.stringMatching(/^chamber_device=; Max-Age=0/)]);
    // Signing out on the device ends every page kept signed in on it.
    expect((await resume(agent.url, other.cookie)).status).toBe(401);
    expect((await api(agent.url, page, '/api/session')).status).toBe(401);
  });

  it('ends at its expiry, by the agent\'s clock', async () => {
    const { cookie } = await rememberedSignIn(agent.url);
    fs.writeFileSync(clockFile, JSON.stringify({ wallOffsetMs: 11 * 3600_000 }));
    expect((await resume(agent.url, cookie)).status).toBe(200);
    fs.writeFileSync(clockFile, JSON.stringify({ wallOffsetMs: 12 * 3600_000 + 60_000 }));
    expect((await resume(agent.url, cookie)).status).toBe(401);
    // Setting the clock back afterwards does not revive it.
    fs.writeFileSync(clockFile, JSON.stringify({}));
    expect((await resume(agent.url, cookie)).status).toBe(401);
  });

  it('ends when another user signs in on the device', async () => {
    const { cookie } = await rememberedSignIn(agent.url);
    await signIn(agent.url, 'delegate2');
    expect((await resume(agent.url, cookie)).status).toBe(401);
    // delegate1 back, for the wipe below.
    await signIn(agent.url, 'delegate1');
  });

  it('ends with a wipe order from the hub', async () => {
    const { cookie } = await rememberedSignIn(agent.url);
    expect((await resume(agent.url, cookie)).status).toBe(200);
    const secretary = await signIn(hub.url, 'secretary');
    const d1 = await signIn(hub.url, 'delegate1');
    const order = await api<{ id: number }>(hub.url, secretary.token, '/api/devices/wipe', {
      method: 'POST', body: JSON.stringify({ meetingId, userId: d1.user.id }),
    });
    expect(order.status).toBe(201);
    const acked = async () => (await api<Array<{ id: number; acks: unknown[] }>>(hub.url, secretary.token, `/api/devices/wipe?meetingId=${meetingId}`))
      .body.find((o) => o.id === order.body.id)!.acks.length > 0;
    const deadline = Date.now() + 20_000;
    while (!(await acked())) {
      if (Date.now() > deadline) throw new Error('the wipe order was not carried out');
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await resume(agent.url, cookie)).status).toBe(401);
  });
});

describe('a device session on an in-process agent', () => {
  let local: Agent;
  beforeAll(async () => {
    local = await startAgent({ hubUrl: hub.url, dataDir: tempDir(), port: 0, log: silentLog, refreshMs: 1000 });
  });
  afterAll(async () => {
    await local?.close();
  });

  it('ends with an IT wipe of a meeting on the device', async () => {
    const { cookie } = await rememberedSignIn(local.url);
    expect((await resume(local.url, cookie)).status).toBe(200);
    await local.wipeMeeting(meetingId);
    expect((await resume(local.url, cookie)).status).toBe(401);
  });
});
