// HTTP pieces that hub and agent serve identically: errors, bearer tokens, blobs with ETag and
// Range, and the built renderer at `/`.
import fs from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { CorruptBlobError, sliceChunks, type BlobCache } from './blob-cache.ts';
import rangeParser from 'range-parser';
import { ZodError, ZodObject, type core as zcore } from 'zod';
import type { DocStore } from './store.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Response headers that belong to the error (e.g. Retry-After on a 429). */
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'sign in first: send Authorization: Bearer <token>') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'you may not do this') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);

/** A JSON object as JSON.parse or a query parser makes it (not an array, string, Buffer...). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  // Object.prototype, none, or (the query parser's) a prototype that itself has none.
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

// Error answers are bounded whatever the input: a strict schema reports every unknown key, so a
// 100 KB body of keys once got a 1.9 MB answer. Names are cut short and values never repeated.
const MAX_ISSUES = 5;
const MAX_NAME = 40;
const MAX_MESSAGE = 200;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

function issueMessage(issue: zcore.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const names = issue.keys.slice(0, MAX_ISSUES).map((k) => JSON.stringify(clip(k, MAX_NAME))).join(', ');
    const more = issue.keys.length > MAX_ISSUES ? ` and ${issue.keys.length - MAX_ISSUES} more` : '';
    return `unknown field${issue.keys.length === 1 ? '' : 's'} ${names}${more}`;
  }
  return clip(issue.message, MAX_MESSAGE);
}

const issuePath = (issue: zcore.$ZodIssue) => issue.path.slice(0, MAX_ISSUES).map((p) => (typeof p === 'number' ? p : clip(String(p), MAX_NAME)));

/**
 * Parses with a zod schema; a failure is a 400 that says which field is wrong. A value that is
 * not a JSON object never reaches an object schema: a Buffer or a long string would otherwise be
 * walked key by key (a 10 MB body blocked the hub for half a minute).
 */
export function parseOr400<T>(schema: { parse(v: unknown): T }, value: unknown, what: string): T {
  if (schema instanceof ZodObject && !isPlainObject(value)) throw badRequest(`invalid ${what}: expected a JSON object`);
  try {
    return schema.parse(value);
  } catch (err) {
    if (err instanceof ZodError) {
      const first = err.issues[0];
      const where = first?.path.length ? `${issuePath(first).join('.')}: ` : '';
      const details = err.issues.slice(0, MAX_ISSUES).map((i) => ({ code: i.code, path: issuePath(i), message: issueMessage(i) }));
      throw badRequest(`invalid ${what}: ${where}${first ? issueMessage(first) : 'invalid'}`, details);
    }
    throw err;
  }
}

/** Fastify's own 4xx errors whose messages are fixed text (others could quote the request). */
const FRAMEWORK_4XX: Record<string, { error: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { error: 'too_large', message: 'the request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { error: 'unsupported_media_type', message: 'unsupported content type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { error: 'bad_request', message: 'the request body does not match its Content-Length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { error: 'bad_request', message: 'the body is empty but Content-Type says JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { error: 'bad_request', message: 'the body is not valid JSON' },
};

/** How long a connection whose request body was refused unread is kept before it is cut. */
const LINGER_MS = 5000;

/** Headers every answer carries (installSecurityHeaders adds a CSP to HTML besides). */
const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' } as const;

/**
 * Sends a JSON error. A request refused before its body was read (no session, wrong type, too
 * large) is answered without ever reading the body: the answer says `Connection: close` so no
 * client reuses the connection; once it is written the hub half-closes, stops reading (what the
 * client still sends waits in TCP buffers, costing the hub nothing) and cuts the connection after
 * LINGER_MS. Node's own close right after the answer made the kernel answer the unread bytes with
 * a reset, which often reached the client before it had read the refusal (it saw a dropped
 * connection, not a 413); draining the body instead would cost a core for as long as a hostile
 * client kept sending. Node closes a `Connection: close` socket as soon as the response ends, so
 * this answer is written whole (headers and all of its Content-Length) but the response is never
 * ended: Fastify's reply is hijacked and the socket's end is ours.
 */
function sendError(req: FastifyRequest, reply: FastifyReply, status: number, body: object, headers: Record<string, string> = {}): void {
  const socket = req.raw.socket;
  const res = reply.raw;
  // `res.socket !== socket`: a pipelined answer before this one still holds the connection.
  if (req.raw.complete || !socket || res.socket !== socket || res.headersSent) {
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v);
    void reply.status(status).send(body);
    return;
  }
  const payload = JSON.stringify(body);
  const all: Record<string, string | number | string[]> = {};
  for (const set of [reply.getHeaders(), SECURITY_HEADERS, headers]) {
    for (const [k, v] of Object.entries(set)) if (v !== undefined) all[k.toLowerCase()] = v;
  }
  reply.hijack();
  res.writeHead(status, { ...all, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), connection: 'close' });
  res.flushHeaders();
  if (req.method !== 'HEAD') res.write(payload);
  lingeringClose(socket);
}

function lingeringClose(socket: Socket): void {
  socket.end();
  socket.pause();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
}

export function installErrorHandler(app: FastifyInstance, log?: (msg: string, extra?: Record<string, unknown>) => void): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof HttpError) {
      sendError(req, reply, err.status, { error: err.code, message: err.message, details: err.details }, err.headers);
      return;
    }
    const known = err.code ? FRAMEWORK_4XX[err.code] : undefined;
    if (known) {
      sendError(req, reply, err.statusCode ?? 400, known);
      return;
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // A body parser's message may quote the body: answer with the status's own words.
      sendError(req, reply, err.statusCode, { error: 'bad_request', message: `the request was refused (${err.statusCode})` });
      return;
    }
    log?.('request failed', { error: String(err), stack: err.stack });
    sendError(req, reply, 500, { error: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route for ${req.method} at this address` });
  });
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim() || null;
  return null;
}

/**
 * Sends a stored blob, honouring If-None-Match and a single byte Range. With a cache, the bytes
 * are verified against their sha256 before any of them is sent (a damaged file is a 500 and is
 * logged by the cache); without one they are streamed as stored.
 */
export async function sendBlob(req: FastifyRequest, reply: FastifyReply, store: DocStore, sha256: string, cache?: BlobCache): Promise<FastifyReply> {
  const info = store.blobInfo(sha256);
  if (!info || !info.complete) throw notFound('no such paper file');
  const etag = `"${sha256}"`;
  // A client holding this ETag already has these bytes: nothing needs reading to say so.
  if (req.headers['if-none-match'] === etag) {
    return reply.status(304).header('ETag', etag).header('Cache-Control', 'private, no-store').send();
  }
  let held: Buffer[] | null = null;
  if (cache) {
    try {
      held = await cache.verifiedChunks(store, sha256, info.size);
    } catch (err) {
      if (err instanceof CorruptBlobError) throw new HttpError(500, 'damaged_file', 'the stored copy of this paper is damaged and is not served: upload the paper again');
      throw err;
    }
  }
  // no-store: a browser's HTTP cache is keyed by URL, not by who asked, and is neither encrypted
  // nor wiped with the device cache; a confidential paper must not outlive its access there.
  // The renderer keeps recently read papers open in memory and the agent keeps its own copy.
  void reply.header('ETag', etag).header('Accept-Ranges', 'bytes').header('Cache-Control', 'private, no-store')
    .header('Content-Type', 'application/pdf').header('X-Content-Type-Options', 'nosniff');
  let start = 0;
  let end = info.size - 1;
  const range = req.headers.range;
  const ifRange = req.headers['if-range'];
  if (typeof range === 'string' && info.size > 0 && (ifRange === undefined || ifRange === etag)) {
    const parsed = rangeParser(info.size, range, { combine: true });
    if (parsed === -1) {
      // The PDF content type set above would make Fastify refuse to serialise this JSON error (a 500).
      return reply.status(416).header('Content-Range', `bytes */${info.size}`).type('application/json; charset=utf-8')
        .send({ error: 'range_not_satisfiable', message: `the requested range is outside the file (${info.size} bytes)` });
    }
    // Multiple ranges are answered with the whole file (RFC 9110 allows it); malformed ones are ignored.
    if (parsed !== -2 && parsed.length === 1) {
      start = parsed[0]!.start;
      end = parsed[0]!.end;
      void reply.status(206).header('Content-Range', `bytes ${start}-${end}/${info.size}`);
    }
  }
  void reply.header('Content-Length', String(end - start + 1));
  if (req.method === 'HEAD') return reply.send();
  return reply.send(Readable.from(held ? sliceChunks(held, start, end) : store.readBlob(sha256, start, end), { objectMode: false }));
}

/** The built renderer (Vite's dist/) at `/`, with an index.html fallback for client routes. */
export async function serveRenderer(app: FastifyInstance, distDir: string): Promise<void> {
  const index = path.join(distDir, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(
      '<!doctype html><meta charset="utf-8"><title>Chamber</title><p>The client is not built yet: run <code>npm run build</code>.</p>'));
    return;
  }
  // The plugin only sends files here (no route per file): with `wildcard: false` it listed dist/
  // (207 files, mostly pdf.js's cmaps and fonts) and registered two routes per file before the
  // server could listen: 20-50 ms of every start of the agent and the hub, measured here (the
  // agent's start-up in the catch-up bench went from 6 ms without a dist/ to 55 ms with one).
  // The same list is read once, on the first request for the renderer, and only listed files are
  // sent: anything else gets index.html, as before.
  await app.register(fastifyStatic, { root: distDir, serve: false, cacheControl: false });
  let files: Promise<Set<string>> | null = null;
  app.get('/*', async (req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/sync/')) throw notFound();
    const file = distPath(req.url);
    if (file !== null && (await (files ??= listDist(distDir))).has(file)) return reply.sendFile(file);
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}

/** The renderer's files, as `a/b.js` paths under dist/ (no dot-files, as the plugin's own list). */
async function listDist(distDir: string): Promise<Set<string>> {
  const entries = await fs.promises.readdir(distDir, { recursive: true, withFileTypes: true });
  const out = new Set<string>();
  for (const e of entries) {
    if (!e.isFile()) continue;
    const rel = path.relative(distDir, path.join(e.parentPath, e.name)).split(path.sep);
    if (!rel.some((seg) => seg.startsWith('.'))) out.add(rel.join('/'));
  }
  return out;
}

/** `/assets/a%20b.js?x` → `assets/a b.js`; null for the root or a path that names no file of ours. */
function distPath(url: string): string | null {
  const pathname = url.split(/[?#]/, 1)[0]!;
  const segs: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // eslint-disable-next-line no-control-regex
    if (seg.startsWith('.') || /[/\\\u0000-\u001f\u007f]/.test(seg)) return null;
    segs.push(seg);
  }
  return segs.length > 0 ? segs.join('/') : null;
}

/** Security headers for every response (the renderer is served from here too). */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.headers(SECURITY_HEADERS);
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      void reply.header('Content-Security-Policy', [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '));
    }
    return payload;
  });
}
