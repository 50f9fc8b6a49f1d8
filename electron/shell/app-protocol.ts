// The privileged `chamber:` protocol. chamber://app/ serves the built renderer from dist/, and
// chamber://app/api/... (plus /health) is forwarded to the in-process agent's loopback HTTP API.
// One origin for both keeps the renderer's relative URLs working unchanged, and the page never
// learns the agent's port or opens a network connection of its own.
//
// The handler speaks WHATWG Request/Response, which is what Electron's protocol.handle() uses
// and what Node provides globally, so it runs unchanged under the tests.
import fs from 'node:fs';
import path from 'node:path';
import { securityHeaders } from './csp.ts';
import { DEVICE_COOKIE, deviceSetCookie } from '../agent/device-session.ts';
import type { DeviceJar } from './device-jar.ts';

export const APP_SCHEME = 'chamber';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Argument for protocol.registerSchemesAsPrivileged. `standard` gives the page a real origin
 * (storage, relative URLs), `secure` a secure context, `supportFetchAPI` lets fetch() reach the
 * API. Deliberately absent: bypassCSP, allowServiceWorkers, corsEnabled (nothing cross-origin).
 */
export const PRIVILEGED_SCHEMES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.pfb': 'application/octet-stream',
  '.bcmap': 'application/octet-stream',
  '.icc': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/** What the forwarder passes to the agent and back; everything else (cookies above all) is dropped. */
const REQUEST_HEADERS = ['accept', 'authorization', 'content-type', 'if-none-match', 'if-range', 'range'];
// Content-Disposition: the name the hub gives a file it makes (the minutes, a package), which the page saves it under.
const RESPONSE_HEADERS = ['accept-ranges', 'cache-control', 'content-disposition', 'content-length', 'content-range', 'content-type', 'etag', 'last-modified'];

export type FileResolution =
  | { ok: true; file: string }
  | { ok: false; status: 400 | 404; reason: string };

/**
 * Maps a URL path onto a file inside `root`, refusing anything that would escape it: encoded
 * dot-segments and slashes, backslashes, NUL bytes, and symlinks pointing outside.
 */
export function resolveAppFile(root: string, urlPath: string): FileResolution {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL in path' };
  // A backslash is a separator on Windows; refusing it everywhere keeps behaviour identical.
  if (decoded.includes('\\')) return { ok: false, status: 400, reason: 'backslash in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 400, reason: 'dot-segment in path' };
  const rel = segments.filter(Boolean).join('/') || 'index.html';
  if (path.isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return { ok: false, status: 400, reason: 'absolute path' };

  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    return { ok: false, status: 404, reason: 'the app is not built' };
  }
  const candidate = path.resolve(realRoot, rel);
  if (!isInside(realRoot, candidate)) return { ok: false, status: 400, reason: 'path escapes the app folder' };
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
  if (!isInside(realRoot, real)) return { ok: false, status: 400, reason: 'path escapes the app folder' };
  if (!fs.statSync(real).isFile()) return { ok: false, status: 404, reason: 'not a file' };
  return { ok: true, file: real };
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/health' || pathname.startsWith('/api/');
}

/** The part of an agent this module needs: where its HTTP API listens. */
export interface ApiTarget {
  readonly url: string;
}

export interface AppProtocolOptions {
  distDir: string;
  /** The agent, once started; null while it is starting or after it stopped. */
  agent: () => ApiTarget | null;
  /**
   * Where the shell keeps the device session's secret (device-jar.ts): the one cookie the
   * forwarder handles, itself, on the routes that read it. Without a jar none is kept.
   */
  deviceJar?: DeviceJar;
  fetch?: typeof fetch;
}

/** The agent routes that read the device session's cookie (resume, and sign-out, which ends it). */
const readsDeviceCookie = (method: string, pathname: string): boolean =>
  (method === 'POST' && pathname === '/api/session/resume') || (method === 'DELETE' && pathname === '/api/session');

function errorResponse(status: number, error: string, message: string): Response {
  return new Response(JSON.stringify({ error, message }), {
    status,
    headers: { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

export function createAppProtocolHandler(opts: AppProtocolOptions): (request: Request) => Promise<Response> {
  const doFetch = opts.fetch ?? fetch;

  const serveFile = async (url: URL, method: string): Promise<Response> => {
    if (method !== 'GET' && method !== 'HEAD') return errorResponse(405, 'method_not_allowed', 'app files are read-only');
    // The raw pathname (before WHATWG normalisation ate plain "..") is what an attacker controls;
    // URL has already removed literal dot-segments, so only encoded ones reach this point.
    const found = resolveAppFile(opts.distDir, url.pathname);
    if (!found.ok) return errorResponse(found.status, found.status === 404 ? 'not_found' : 'bad_path', found.reason);
    const type = CONTENT_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
    const body = method === 'HEAD' ? null : await fs.promises.readFile(found.file);
    return new Response(body, {
      status: 200,
      headers: { ...securityHeaders(), 'Content-Type': type, 'Cache-Control': 'no-cache' },
    });
  };

  const forward = async (request: Request, url: URL): Promise<Response> => {
    const agent = opts.agent();
    if (!agent) return errorResponse(503, 'agent_unavailable', 'the device agent is not running yet; try again in a moment');
    const target = new URL(url.pathname + url.search, agent.url);
    const headers = new Headers();
    for (const name of REQUEST_HEADERS) {
      const v = request.headers.get(name);
      if (v !== null) headers.set(name, v);
    }
    const secret = opts.deviceJar && readsDeviceCookie(request.method, url.pathname) ? opts.deviceJar.get() : null;
    if (secret) headers.set('cookie', `${DEVICE_COOKIE}=${secret}`);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    let upstream: Response;
    try {
      upstream = await doFetch(target, {
        method: request.method,
        headers,
        body: hasBody ? await request.arrayBuffer() : undefined,
        redirect: 'manual',
      });
    } catch (err) {
      return errorResponse(502, 'agent_unreachable', `the device agent did not answer: ${(err as Error).message}`);
    }
    // Kept by the shell, never passed to the page (Set-Cookie is not in RESPONSE_HEADERS).
    const device = deviceSetCookie(upstream.headers.getSetCookie());
    if (opts.deviceJar && device !== undefined) opts.deviceJar.set(device);
    const out = new Headers(securityHeaders());
    for (const name of RESPONSE_HEADERS) {
      const v = upstream.headers.get(name);
      if (v !== null) out.set(name, v);
    }
    // A redirect would carry the page to wherever the agent pointed; it never should.
    if (upstream.status >= 300 && upstream.status < 400 && upstream.status !== 304) {
      return errorResponse(502, 'agent_redirect', 'the device agent answered with a redirect, which the app does not follow');
    }
    return new Response(upstream.status === 204 || upstream.status === 304 || request.method === 'HEAD' ? null : upstream.body, {
      status: upstream.status,
      statusText: upstream.statusText,
      headers: out,
    });
  };

  return async (request: Request): Promise<Response> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return errorResponse(400, 'bad_url', 'malformed URL');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return errorResponse(404, 'not_found', 'unknown host');
    if (url.username || url.password || url.port) return errorResponse(400, 'bad_url', 'unexpected URL parts');
    if (isApiPath(url.pathname)) return forward(request, url);
    if (url.pathname === '/sync' || url.pathname.startsWith('/sync/')) {
      return errorResponse(404, 'not_found', 'sync runs over the shell MessagePort, not HTTP');
    }
    return serveFile(url, request.method);
  };
}
