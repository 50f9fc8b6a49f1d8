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

/**
 * A request refused before its body was read (no session, wrong type, too large): the body is
 * never read. The answer says `Connection: close` so no client reuses the connection; once it is
 * written the hub half-closes, stops reading (what the client still sends waits in TCP buffers,
 * costing the hub nothing) and cuts the connection after LINGER_MS. Node's own close right after
 * the answer made the kernel answer the unread bytes with a reset, which often reached the
 * client before it had read the refusal (it saw a dropped connection, not a 413); draining the
 * body instead would cost a core for as long as a hostile client kept sending.
 */
function stopReadingRefusedBody(req: FastifyRequest, reply: FastifyReply): void {
  const socket = req.raw.socket;
  if (req.raw.complete || !socket) return;
  void reply.header('connection', 'close');
  // Node calls this once a `Connection: close` answer is written; only this socket is changed.
  socket.destroySoon = function lingeringClose(this: Socket) {
    this.end();
    // After Node's own resume of the dropped request, which it schedules as the answer finishes.
    setImmediate(() => this.pause());
    const timer = setTimeout(() => this.destroy(), LINGER_MS).unref();
    this.once('close', () => clearTimeout(timer));
  };
}

export function installErrorHandler(app: FastifyInstance, log?: (msg: string, extra?: Record<string, unknown>) => void): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    stopReadingRefusedBody(req, reply);
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) void reply.header(k, v);
      void reply.status(err.status).send({ error: err.code, message: err.message, details: err.details });
      return;
    }
    const known = err.code ? FRAMEWORK_4XX[err.code] : undefined;
    if (known) {
      void reply.status(err.statusCode ?? 400).send(known);
      return;
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // A body parser's message may quote the body: answer with the status's own words.
      void reply.status(err.statusCode).send({ error: 'bad_request', message: `the request was refused (${err.statusCode})` });
      return;
    }
    log?.('request failed', { error: String(err), stack: err.stack });
    void reply.status(500).send({ error: 'internal', message: 'internal error' });
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
  await app.register(fastifyStatic, { root: distDir, prefix: '/', index: ['index.html'], wildcard: false, cacheControl: false });
  app.get('/*', async (req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/sync/')) throw notFound();
    return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
  });
}

/** Security headers for every response (the renderer is served from here too). */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer').header('X-Frame-Options', 'DENY');
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
