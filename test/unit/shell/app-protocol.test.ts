import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createAppProtocolHandler, resolveAppFile, type ApiTarget } from '../../../electron/shell/app-protocol.ts';
import { CONTENT_SECURITY_POLICY, parseCsp } from '../../../electron/shell/csp.ts';

let tmp: string;
let dist: string;
let server: http.Server;
let agent: ApiTarget | null = null;
const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-proto-'));
  dist = path.join(tmp, 'dist');
  fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Chamber</title>');
  fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP SECRET');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dist, 'assets', 'link.js'));

  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      if (req.url === '/api/redirect') {
        res.writeHead(302, { location: 'https://evil.example/' });
        return res.end();
      }
      res.writeHead(req.url!.startsWith('/api/session') ? 201 : 200, { 'content-type': 'application/json', 'set-cookie': 'a=b', etag: '"x"', 'x-powered-by': 'agent', 'content-disposition': 'attachment; filename="x.json"' });
      res.end(JSON.stringify({ ok: true, url: req.url }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  agent = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(tmp, { recursive: true, force: true });
});

const handler = () => createAppProtocolHandler({ distDir: dist, agent: () => agent });

describe('app files', () => {
  it('serves the build with the CSP and nosniff', async () => {
    const res = await handler()(new Request('chamber://app/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Chamber</title>');
    const root = await handler()(new Request('chamber://app/'));
    expect(await root.text()).toContain('<title>Chamber</title>');
    const js = await handler()(new Request('chamber://app/assets/app.js'));
    expect(js.headers.get('content-type')).toContain('text/javascript');
  });

  it('refuses traversal in every spelling', async () => {
    const attempts = [
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/%00index.html',
      '/%252e%252e/secret.txt',
      '/%E0%A4%A',
      `/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`,
      '/assets/link.js',
    ];
    for (const p of attempts) {
      const r = resolveAppFile(dist, p);
      expect(r.ok, p).toBe(false);
      const res = await handler()(new Request(`chamber://app${p}`));
      expect([400, 404], p).toContain(res.status);
      expect(await res.text(), p).not.toContain('TOP SECRET');
    }
    // The URL parser already folds literal dot-segments; the result must still stay inside.
    const folded = await handler()(new Request('chamber://app/../../secret.txt'));
    expect(await folded.text()).not.toContain('TOP SECRET');
  });

  it('answers only for chamber://app, read-only', async () => {
    expect((await handler()(new Request('chamber://other/index.html'))).status).toBe(404);
    expect((await handler()(new Request('chamber://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await handler()(new Request('chamber://app/missing.js'))).status).toBe(404);
    expect((await handler()(new Request('chamber://app/sync/meeting/m1'))).status).toBe(404);
  });

  it('sends a strict policy', () => {
    const csp = parseCsp(CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    for (const d of ['script-src', 'style-src', 'worker-src']) {
      expect(csp.get(d), d).not.toContain("'unsafe-inline'");
      expect(csp.get(d), d).not.toContain("'unsafe-eval'");
      expect(csp.get(d), d).not.toContain("'self'");
    }
    for (const d of ['object-src', 'frame-ancestors', 'base-uri', 'form-action']) expect(csp.get(d), d).toEqual(["'none'"]);
  });
});

describe('API forwarding', () => {
  it('forwards method, path, query, body and allowed headers only', async () => {
    seen.length = 0;
    const res = await handler()(new Request('chamber://app/api/session?x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer agent-token', cookie: 'c=d', 'x-forwarded-for': '1.2.3.4', origin: 'chamber://app', host: 'evil.example' },
      body: JSON.stringify({ login: 'delegate1', password: 'demo' }),
    }));
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ ok: true, url: '/api/session?x=1' });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/session?x=1', body: '{"login":"delegate1","password":"demo"}' });
    expect(seen[0]!.headers.authorization).toBe('Bearer agent-token');
    expect(seen[0]!.headers.cookie).toBeUndefined();
    expect(seen[0]!.headers['x-forwarded-for']).toBeUndefined();
    // The agent accepts only its own loopback Host and no foreign Origin: the page's are not passed on.
    expect(seen[0]!.headers.origin).toBeUndefined();
    expect(seen[0]!.headers.host).toBe(new URL(agent!.url).host);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('etag')).toBe('"x"');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="x.json"');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('forwards /health and blob ranges', async () => {
    seen.length = 0;
    expect((await handler()(new Request('chamber://app/health'))).status).toBe(200);
    await handler()(new Request('chamber://app/api/blobs/abc', { headers: { range: 'bytes=0-9' } }));
    expect(seen.map((s) => s.url)).toEqual(['/health', '/api/blobs/abc']);
    expect(seen[1]!.headers.range).toBe('bytes=0-9');
  });

  it('does not follow a redirect out of the app', async () => {
    const res = await handler()(new Request('chamber://app/api/redirect'));
    expect(res.status).toBe(502);
    expect(res.headers.get('location')).toBeNull();
  });

  it('says clearly when the agent is not there', async () => {
    const starting = createAppProtocolHandler({ distDir: dist, agent: () => null });
    const res = await starting(new Request('chamber://app/api/meetings'));
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe('agent_unavailable');
    const gone = createAppProtocolHandler({ distDir: dist, agent: () => ({ url: 'http://127.0.0.1:1' }) });
    expect((await gone(new Request('chamber://app/api/meetings'))).status).toBe(502);
  });
});
