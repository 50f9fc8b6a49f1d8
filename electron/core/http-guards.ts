// What an HTTP request is refused for before a byte of its body is read, and the answers to the
// requests Fastify refuses itself. Measured before these guards: an anonymous 10 MB
// application/pdf body to POST /api/session was read, parsed as a paper and walked key by key by
// a schema, blocking the hub for 29 s. Now a route names what it takes (`config.accepts`, its
// `bodyLimit`) and whether it serves callers without a session (`config.anonymous`), all three
// derived from its entry in the route table (shared/routes.ts, electron/hub/route.ts);
// everything else is answered from the headers alone, and the rest of the body is never read
// (see stopReadingRefusedBody in http-common.ts).
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { HttpError, notFound, unauthorized } from './http-common.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers callers without a session (sign-in); every other /api/ route needs one. */
    anonymous?: boolean;
    /** Media types the route's body may have, the first one named in refusals; default JSON only. */
    accepts?: readonly string[];
  }
}

export const JSON_ONLY: readonly string[] = ['application/json'];

/** The bare media type of a Content-Type header, lower-cased ('' when absent or empty). */
export function mediaType(header: unknown): string {
  return typeof header === 'string' ? header.split(';')[0]!.trim().toLowerCase() : '';
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A query string whose percent-escapes do not decode to UTF-8 (the query parser would pass them on raw). */
function malformedQuery(url: string): boolean {
  const q = url.indexOf('?');
  if (q < 0) return false;
  try {
    decodeURIComponent(url.slice(q + 1).replace(/\+/g, ' '));
    return false;
  } catch {
    return true;
  }
}

/**
 * Installs the refusals that need only the request line and headers, in order: a malformed query
 * (400), an unknown route with a body (404), an /api/ route without a session (401, unless the
 * route is `anonymous`), a body of a type the route does not take (415). Add it after the hook
 * that authenticates, so `signedIn` can answer.
 */
export function installRequestGuard(app: FastifyInstance, signedIn: (req: FastifyRequest) => boolean): void {
  app.addHook('onRequest', async (req) => {
    if (malformedQuery(req.url)) throw new HttpError(400, 'bad_request', 'the query string has a malformed percent-escape');
    const body = hasBody(req);
    if (req.is404) {
      if (body) throw notFound(`no route for ${req.method} at this address`);
      return;
    }
    const config = req.routeOptions.config;
    if (req.routeOptions.url?.startsWith('/api/') && !config.anonymous && !signedIn(req)) throw unauthorized();
    if (!body) return;
    const accepts = config.accepts ?? JSON_ONLY;
    if (!accepts.includes(mediaType(req.headers['content-type']))) {
      const also = accepts.length > 1 ? ` (also accepted: ${accepts.slice(1).join(', ')})` : '';
      throw new HttpError(415, 'unsupported_media_type', `unsupported content type: send the body with Content-Type: ${accepts[0]}${also}`);
    }
  });
}

/**
 * Fastify options for the answers it gives before any route or hook runs: a path whose
 * percent-escapes do not decode, an over-long route parameter, and requests the HTTP parser
 * itself refuses (malformed, or headers over Node's 16 KiB). Its defaults quote the path back.
 */
export const hardenedServerOptions: Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> = {
  frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
    const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : err.code === 'FST_ERR_BAD_URL' ? 400 : 500;
    const message = status === 400 ? 'the address has a malformed percent-escape' : status === 414 ? 'a part of the address is too long' : 'internal error';
    void reply.status(status).header('x-content-type-options', 'nosniff')
      .send({ error: status === 500 ? 'internal' : 'bad_request', message });
  },
  clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, text, message] = err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'the request took too long'] : [400, 'Bad Request', 'the request is malformed'];
    const body = JSON.stringify({ error: 'bad_request', message });
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  },
};
