// Everything under /api that the agent does not answer itself is the hub's to decide: forwarded
// with the hub token, and refused with a clear 503 while the hub is away (uploads, presenting,
// meeting and account admin). Only routes on the allow-list (http-guard.ts) go on, by the one
// spelling they were checked in: wipe orders above all are the agent's own business with the hub.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, notFound } from '../core/http-common.ts';
import { HubUnreachableError } from './hub-client.ts';
import { isForwarded } from './http-guard.ts';
import { DEVICE_HEADER } from '../../shared/procedures/attendance.ts';

export const OFFLINE_MESSAGE = 'the hub is unreachable: this needs the hub and cannot be done offline; try again when the hub is back';

/** How long a forwarded change waits for the round that shows it in the agent's own answers. */
const SETTLE_MS = 5000;

export interface HubProxyDeps {
  hub: { token: string | null; raw(pathname: string, init: RequestInit & { timeoutMs?: number }): Promise<Response> };
  online: () => boolean;
  requestRound: () => Promise<void>;
  /** Throws 401 unless the request carries a local session. */
  requireUser: (req: FastifyRequest) => unknown;
  /** This device's id, sent as DEVICE_HEADER (a check-in binds to the tablet's seat by it). */
  deviceId: string;
}

/**
 * Sends a request on to the hub as it came (its canonical path and query, its body, the hub
 * token): the hub's answer, or null when the hub is away (no session with it, or unreachable;
 * then a round is asked for, which notices). Also for routes that answer for themselves without
 * the hub (`forward-else-own` in the route table: search).
 */
export async function sendToHub(deps: Pick<HubProxyDeps, 'hub' | 'online' | 'requestRound' | 'deviceId'>, req: FastifyRequest, timeoutMs = 120_000): Promise<Response | null> {
  const { hub, requestRound } = deps;
  if (!hub.token || !deps.online()) return null;
  const headers: Record<string, string> = {};
  const ctype = req.headers['content-type'];
  if (typeof ctype === 'string') headers['content-type'] = ctype;
  headers[DEVICE_HEADER] = deps.deviceId;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body);
  try {
    const res = await hub.raw(req.url, { method: req.method, headers, body: hasBody ? new Uint8Array(req.body as Buffer) : undefined, timeoutMs });
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

export function hubProxy(deps: HubProxyDeps): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  const { requestRound } = deps;
  return async (req, reply) => {
    deps.requireUser(req);
    if (!isForwarded(req.method, req.url)) throw notFound(`no route for ${req.method} ${req.url.split('?')[0]}`);
    const res = await sendToHub(deps, req);
    if (!res) throw new HttpError(503, 'hub_offline', OFFLINE_MESSAGE);
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
