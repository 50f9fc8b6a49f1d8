// Files the hub makes on request (a meeting's package, the minutes document, a paper's export, the
// audit export: the routes the table marks `response: 'bytes'` and `forward`) go from the hub to
// the client as they arrive rather than held whole in the agent: a package can run to hundreds of
// MB, more than a tablet should buffer, and the client's first byte would otherwise wait for the
// hub's last. The hub's headers that name and describe the file go along. hub-proxy.ts sends the
// request and deals with the hub's refusals; this passes a successful answer's bytes on.
import { Readable, Transform, pipeline } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { FastifyReply } from 'fastify';
import { HttpError } from '../core/http-common.ts';
import type { Log } from '../core/log.ts';

/**
 * The largest file the agent passes on: ten papers at the upload limit (200 MB each) and their
 * minutes fit. A larger declared size is refused before a byte is sent; an answer that grows past
 * it is cut off, so the client sees a failed download, never a short file (docs/operations.md).
 */
export const MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024 * 1024;
/** The hub checks every paper of a package before it answers: this long for its headers. */
export const HEADERS_WAIT_MS = 120_000;
/** A download from which no byte has come for this long is given up (the hub or the link stalled). */
const IDLE_MS = 60_000;
/** The hub's headers that describe the file; the agent adds its own security headers as for any answer. */
const RELAYED = ['content-type', 'content-disposition', 'content-length', 'cache-control', 'etag', 'last-modified'] as const;

export interface StreamOptions {
  /** Aborts the hub request: its body stops and the hub sees the connection close. */
  upstream: AbortController;
  maxBytes?: number;
  log?: Log;
  /** For the log line. */
  what: string;
}

/** Relays a successful hub answer to the client as a stream (status, describing headers, bytes). */
export function streamDownload(res: Response, reply: FastifyReply, o: StreamOptions): FastifyReply {
  const max = o.maxBytes ?? MAX_DOWNLOAD_BYTES;
  const declared = res.headers.get('content-length');
  if (declared !== null && Number(declared) > max) {
    o.upstream.abort();
    throw new HttpError(502, 'download_too_large', `the hub's file (${declared} bytes) is larger than a device passes on (${max} bytes): download it from the hub directly`);
  }
  void reply.status(res.status);
  for (const name of RELAYED) {
    const v = res.headers.get(name);
    if (v !== null) void reply.header(name, v);
  }
  if (!res.body) return reply.send();
  // Over the cap before anything went out: the error answer must not carry the file's headers.
  const unsent = () => {
    if (!reply.raw.headersSent) for (const name of RELAYED) reply.removeHeader(name);
  };
  const out = capped(max, IDLE_MS, () => o.upstream.abort(new Error('the hub stopped sending')), unsent);
  pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), out, (err) => {
    if (err) o.log?.('download from the hub cut off', { what: o.what, error: String(err) });
  });
  // A client that goes away stops the hub's side too (the hub stops reading papers for it).
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) o.upstream.abort();
  });
  return reply.send(out);
}

/**
 * Passes bytes through, failing past `max` bytes in all (`overCap` runs first), and calling
 * `stalled` after `idleMs` without any.
 */
function capped(max: number, idleMs: number, stalled: () => void, overCap: () => void): Transform {
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(stalled, idleMs);
  };
  arm();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > max) {
        // An HttpError: if nothing has gone out yet, the client gets this clear 502 instead.
        overCap();
        done(new HttpError(502, 'download_too_large', `the hub's file is larger than a device passes on (${max} bytes): download it from the hub directly`));
        return;
      }
      arm();
      done(null, chunk);
    },
    flush(done) {
      clearTimeout(timer);
      done();
    },
    destroy(err, done) {
      clearTimeout(timer);
      done(err);
    },
  });
}
