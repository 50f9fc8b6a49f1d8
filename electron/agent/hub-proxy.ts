// Everything under /api that the agent does not answer itself is the hub's to decide: forwarded
// with the hub token, and refused with a clear 503 while the hub is away (uploads, presenting,
// meeting and account admin). Only routes on the allow-list (http-guard.ts) go on, by the one
// spelling they were checked in: wipe orders above all are the agent's own business with the hub.
// The hub's own error answers (4xx, and a 5xx that is the hub's JSON with a code, such as a
// package export's `paper_damaged`) reach the client as the hub gave them: 503 `hub_offline` means
// only that the hub could not be reached. Files stream through (hub-download.ts).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, notFound } from '../core/http-common.ts';
import type { Log } from '../core/log.ts';
import { HubUnreachableError, type RawInit } from './hub-client.ts';
import { forwardedRoute } from './http-guard.ts';
import { HEADERS_WAIT_MS, streamDownload } from './hub-download.ts';
import { DEVICE_HEADER } from '../../shared/procedures/attendance.ts';

export const OFFLINE_MESSAGE = 'the hub is unreachable: this needs the hub and cannot be done offline; try again when the hub is back';

/** How long a forwarded change waits for the round that shows it in the agent's own answers. */
const SETTLE_MS = 5000;

export interface HubProxyDeps {
  hub: { token: string | null; raw(pathname: string, init: RawInit): Promise<Response> };
  online: () => boolean;
  requestRound: () => Promise<void>;
  /** Throws 401 unless the request carries a local session. */
  requireUser: (req: FastifyRequest) => unknown;
  /** This device's id, sent as DEVICE_HEADER (a check-in binds to the tablet's seat by it). */
  deviceId: string;
  log?: Log;
  /** The download cap (hub-download.ts); its default outside tests. */
  maxDownloadBytes?: number;
}

/** How much of a hub error answer is read: the hub's are a few hundred bytes of JSON. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * Sends a request on to the hub as it came (its canonical path and query, its body, the hub
 * token): the hub's answer, or null when the hub is away (no session with it, or unreachable;
 * then a round is asked for, which notices). Also for routes that answer for themselves without
 * the hub (`forward-else-own` in the route table: search).
 */
export async function sendToHub(
  deps: Pick<HubProxyDeps, 'hub' | 'online' | 'requestRound' | 'deviceId'>, req: FastifyRequest, timeoutMs = 120_000,
  opts: Pick<RawInit, 'serverErrors' | 'signal'> = {},
): Promise<Response | null> {
  const { hub, requestRound } = deps;
  if (!hub.token || !deps.online()) return null;
  const headers: Record<string, string> = {};
  const ctype = req.headers['content-type'];
  if (typeof ctype === 'string') headers['content-type'] = ctype;
  headers[DEVICE_HEADER] = deps.deviceId;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body);
  try {
    const res = await hub.raw(req.url, { method: req.method, headers, body: hasBody ? new Uint8Array(req.body as Buffer) : undefined, timeoutMs, ...opts });
    if (res.status === 401) void requestRound();
    return res;
  } catch (err) {
    if (err instanceof HubUnreachableError) {
      void requestRound();
      return null;
    }
    throw err;
  }
}

/** Passes the hub's answer on to the client: status, content type and body (read already, or now). */
export async function relayAnswer(res: Response, reply: FastifyReply, body?: Buffer): Promise<FastifyReply> {
  const bytes = body ?? Buffer.from(await res.arrayBuffer());
  void reply.status(res.status);
  const type = res.headers.get('content-type');
  if (type) void reply.header('content-type', type);
  return reply.send(bytes);
}

/**
 * A hub answer of 400 or more, passed on as the hub gave it when it is the hub's own error JSON
 * (`{"error": code, ...}`); a 5xx that is not (a proxy's page, a cut-off body) means the hub is
 * not really there: 503 `hub_offline`, and a round is asked for.
 */
export async function relayHubError(deps: Pick<HubProxyDeps, 'requestRound'>, res: Response, reply: FastifyReply): Promise<FastifyReply> {
  const body = await readUpTo(res, MAX_ERROR_BYTES);
  if (res.status < 500 || (body !== null && hasErrorCode(body))) return relayAnswer(res, reply, body ?? Buffer.alloc(0));
  void deps.requestRound();
  throw new HttpError(503, 'hub_offline', OFFLINE_MESSAGE);
}

function hasErrorCode(body: Buffer): boolean {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && typeof (v as { error?: unknown }).error === 'string';
  } catch {
    return false;
  }
}

/** The body, or null when it is longer than `max` or breaks off (the rest is dropped). */
async function readUpTo(res: Response, max: number): Promise<Buffer | null> {
  if (!res.body) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      n += chunk.length;
      if (n > max) {
        await res.body.cancel().catch(() => undefined);
        return null;
      }
      parts.push(Buffer.from(chunk));
    }
  } catch {
    return null;
  }
  return Buffer.concat(parts);
}

export function hubProxy(deps: HubProxyDeps): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  const { requestRound } = deps;
  return async (req, reply) => {
    deps.requireUser(req);
    const route = forwardedRoute(req.method, req.url);
    if (!route) throw notFound(`no route for ${req.method} ${req.url.split('?')[0]}`);
    if (route.response === 'bytes') return forwardDownload(deps, req, reply);
    const res = await sendToHub(deps, req, undefined, { serverErrors: 'return' });
    if (!res) throw new HttpError(503, 'hub_offline', OFFLINE_MESSAGE);
    if (res.status >= 500) return relayHubError(deps, res, reply);
    const body = Buffer.from(await res.arrayBuffer());
    // A change the hub accepted shows in this agent's cached answers before the client hears back.
    if (req.method !== 'GET' && res.status < 400) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([requestRound(), new Promise((r) => { timer = setTimeout(r, SETTLE_MS); })]);
      clearTimeout(timer);
    }
    return relayAnswer(res, reply, body);
  };
}

/** A file from the hub, streamed (hub-download.ts) once the hub has answered with it. */
async function forwardDownload(deps: HubProxyDeps, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  // One signal for the whole exchange: the wait for headers, a stalled body, the client leaving.
  const upstream = new AbortController();
  const waiting = setTimeout(() => upstream.abort(new Error('the hub did not answer in time')), HEADERS_WAIT_MS);
  let res: Response | null;
  try {
    res = await sendToHub(deps, req, HEADERS_WAIT_MS, { serverErrors: 'return', signal: upstream.signal });
  } finally {
    clearTimeout(waiting);
  }
  if (!res) throw new HttpError(503, 'hub_offline', OFFLINE_MESSAGE);
  if (res.status >= 400) return relayHubError(deps, res, reply);
  return streamDownload(res, reply, { upstream, maxBytes: deps.maxDownloadBytes, log: deps.log, what: req.url.split('?')[0]! });
}
