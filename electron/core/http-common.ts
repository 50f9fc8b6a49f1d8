// HTTP pieces that hub and agent serve identically: errors, bearer tokens, blobs with ETag and
// Range, and the built renderer at `/`.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { sliceChunks, type BlobCache } from './blob-cache.ts';
import rangeParser from 'range-parser';
import { ZodError } from 'zod';
import type { DocStore } from './store.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: unknown) => new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message = 'sign in first: send Authorization: Bearer <token>') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'you may not do this') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'not found') => new HttpError(404, 'not_found', message);

/** Parses with a zod schema; a failure is a 400 that says which field is wrong. */
export function parseOr400<T>(schema: { parse(v: unknown): T }, value: unknown, what: string): T {
  try {
    return schema.parse(value);
  } catch (err) {
    if (err instanceof ZodError) {
      const first = err.issues[0];
      const where = first?.path.length ? first.path.join('.') : what;
      throw badRequest(`invalid ${what}: ${where}: ${first?.message ?? 'invalid'}`, err.issues);
    }
    throw err;
  }
}

export function installErrorHandler(app: FastifyInstance, log?: (msg: string, extra?: Record<string, unknown>) => void): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, _req, reply) => {
    if (err instanceof HttpError) {
      void reply.status(err.status).send({ error: err.code, message: err.message, details: err.details });
      return;
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      void reply.status(413).send({ error: 'too_large', message: 'the request body is too large' });
      return;
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      void reply.status(415).send({ error: 'unsupported_media_type', message: err.message });
      return;
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      void reply.status(err.statusCode).send({ error: 'bad_request', message: err.message });
      return;
    }
    log?.('request failed', { error: String(err), stack: err.stack });
    void reply.status(500).send({ error: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route for ${req.method} ${req.url.split('?')[0]}` });
  });
}

export function bearerToken(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string' && h.startsWith('Bearer ')) return h.slice(7).trim() || null;
  return null;
}

/** Sends a stored blob, honouring If-None-Match and a single byte Range. */
export function sendBlob(req: FastifyRequest, reply: FastifyReply, store: DocStore, sha256: string, cache?: BlobCache): FastifyReply {
  const info = store.blobInfo(sha256);
  if (!info || !info.complete) throw notFound('no such paper file');
  const etag = `"${sha256}"`;
  // no-store: a browser's HTTP cache is keyed by URL, not by who asked, and is neither encrypted
  // nor wiped with the device cache; a confidential paper must not outlive its access there.
  // The renderer keeps recently read papers open in memory and the agent keeps its own copy.
  void reply.header('ETag', etag).header('Accept-Ranges', 'bytes').header('Cache-Control', 'private, no-store')
    .header('Content-Type', 'application/pdf').header('X-Content-Type-Options', 'nosniff');
  if (req.headers['if-none-match'] === etag) return reply.status(304).send();
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
  const held = cache?.chunks(store, sha256, info.size);
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
