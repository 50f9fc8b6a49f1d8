// The device session's cookie as untrusted input (electron/agent/device-session.ts), and the
// desktop forwarder's handling of it (electron/shell/app-protocol.ts with a device jar) against a
// real HTTP server on loopback: the secret is added only to resume and sign-out, the page's own
// cookies never pass, and no Set-Cookie ever reaches the page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAR_DEVICE_COOKIE, deviceCookie, deviceSecretOf, deviceSetCookie } from '../../electron/agent/device-session.ts';
import { createAppProtocolHandler } from '../../electron/shell/app-protocol.ts';
import { memoryJar } from '../../electron/shell/device-jar.ts';

const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const OTHER = 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj';

describe('the device cookie, read back', () => {
  it('takes only our name and our shape from a Cookie header', () => {
    expect(deviceSecretOf(`a=1; chamber_device=${SECRET}; b=2`)).toBe(SECRET);
    expect(deviceSecretOf(`chamber_device=${SECRET.slice(1)}`)).toBeNull();
    expect(deviceSecretOf(`chamber_device=${SECRET}x`)).toBeNull();
    expect(deviceSecretOf('chamber_device=../../etc')).toBeNull();
    expect(deviceSecretOf(`xchamber_device=${SECRET}`)).toBeNull();
    expect(deviceSecretOf(undefined)).toBeNull();
    expect(deviceSecretOf('')).toBeNull();
  });

  it('tells a new secret, a cleared one and none apart in Set-Cookie lines', () => {
    expect(deviceSetCookie([deviceCookie(SECRET, 43200)])).toBe(SECRET);
    expect(deviceSetCookie([CLEAR_DEVICE_COOKIE])).toBeNull();
    expect(deviceSetCookie([`chamber_device=${SECRET}; Max-Age=0; Path=/`])).toBeNull();
    expect(deviceSetCookie(['other=1; Path=/'])).toBeUndefined();
    expect(deviceSetCookie([])).toBeUndefined();
    expect(deviceCookie(SECRET, 60)).toBe(`chamber_device=${SECRET}; Max-Age=60; Path=/; HttpOnly; SameSite=Strict`);
  });
});

describe('the desktop forwarder keeps the device secret itself', () => {
  let server: http.Server;
  let url = '';
  const seen: Array<{ method: string; path: string; cookie: string | undefined }> = [];
  /** What the stand-in agent sets next (a Set-Cookie line, or none). */
  let setCookie: string | null = null;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method!, path: req.url!, cookie: req.headers.cookie });
      if (setCookie) res.setHeader('set-cookie', setCookie);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('stores what the agent sets, sends it only to resume and sign-out, and never hands Set-Cookie to the page', async () => {
    const jar = memoryJar();
    const handle = createAppProtocolHandler({ distDir: '/nonexistent', agent: () => ({ url }), deviceJar: jar });
    const call = (method: string, path: string, cookie?: string) =>
      handle(new Request(`chamber://app${path}`, { method, headers: cookie ? { cookie, 'content-type': 'application/json' } : { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' }));

    setCookie = deviceCookie(SECRET, 43200);
    const remembered = await call('POST', '/api/session/device');
    expect(remembered.headers.get('set-cookie')).toBeNull();
    expect(jar.get()).toBe(SECRET);

    setCookie = null;
    seen.length = 0;
    // The page's own Cookie header never passes; the shell's secret goes only where it is read.
    await call('GET', '/api/meetings', `chamber_device=${OTHER}`);
    await call('POST', '/api/session', `chamber_device=${OTHER}`);
    await call('POST', '/api/session/resume', `chamber_device=${OTHER}`);
    await call('DELETE', '/api/session');
    expect(seen.map((s) => [s.method, s.path, s.cookie])).toEqual([
      ['GET', '/api/meetings', undefined],
      ['POST', '/api/session', undefined],
      ['POST', '/api/session/resume', `chamber_device=${SECRET}`],
      ['DELETE', '/api/session', `chamber_device=${SECRET}`],
    ]);

    // The agent clears it: the jar forgets, and the next resume carries nothing.
    setCookie = CLEAR_DEVICE_COOKIE;
    const out = await call('DELETE', '/api/session');
    expect(out.headers.get('set-cookie')).toBeNull();
    expect(jar.get()).toBeNull();
    setCookie = null;
    seen.length = 0;
    await call('POST', '/api/session/resume');
    expect(seen[0]!.cookie).toBeUndefined();
  });
});
