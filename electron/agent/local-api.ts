// The agent's own HTTP server for its clients: the hub's API as the cache can answer it (session,
// meetings, papers, verified paper files, status; search when the hub does not answer it), the
// rest forwarded (hub-proxy.ts), the built renderer, and the decision on each local `/sync/...`
// connection. Routing sees one spelling of each path (decoded, normalised: http-guard.ts), so no
// guard here can be passed by an encoded variant.
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { deviceResumeSchema, idSchema, LIMITS, sessionRequestSchema, sha256Schema, type AgentStatus } from '../../shared/api.ts';
import { searchQuerySchema, type SearchResponse } from '../../shared/search.ts';
import { OFFLINE_EXPIRED } from '../../shared/recall.ts';
import { bodyLimitOf, ROUTE_LIST } from '../../shared/routes.ts';
import { parseDocName } from '../../shared/doc-names.ts';
import { docAccess } from '../../shared/roles.ts';
import {
  HttpError, installErrorHandler, installSecurityHeaders, notFound, parseOr400, sendBlob, serveRenderer, bearerToken,
} from '../core/http-common.ts';
import type { Log } from '../core/log.ts';
import type { DocStore } from '../core/store.ts';
import { CLOSE } from '../core/sync-core.ts';
import type { SyncAuthResult } from '../core/ws-endpoint.ts';
import { tokenHash, type CachedMeeting } from './agent-db.ts';
import { CLEAR_DEVICE_COOKIE, deviceCookie, deviceSecretOf } from './device-session.ts';
import { HubRefusedError } from './hub-client.ts';
import { hubProxy, relayAnswer, sendToHub, type HubProxyDeps } from './hub-proxy.ts';
import { loopbackGuard, originPolicy, type OriginPolicy } from './http-guard.ts';
import type { LocalSignIn } from './local-sign-in.ts';
import type { MeetingCache } from './meeting-cache.ts';
import { BlobMismatchError, type Prefetcher } from './prefetch.ts';
import type { VerifiedBlobs } from './verified-blobs.ts';

const NOT_HELD = 'this paper is not downloaded yet and the hub is unreachable';
/** A search the hub has not answered by then is answered from the device's own index. */
const SEARCH_HUB_WAIT_MS = 5000;

export interface LocalApiDeps {
  sessions: LocalSignIn;
  meetings: MeetingCache;
  store: DocStore;
  prefetcher: Pick<Prefetcher, 'want'>;
  verifiedBlobs: VerifiedBlobs;
  hub: HubProxyDeps['hub'];
  online: () => boolean;
  requestRound: () => Promise<void>;
  deviceId: string;
  /** False for a classified paper past its offline lifetime (offline-expiry.ts): answered 410. */
  readable?: (sha256: string) => boolean;
  status: () => AgentStatus;
  /** Search from the device's own index (search.ts), for when the hub does not answer. */
  searchOnDevice: (q: string) => SearchResponse;
  /** The largest file passed on from the hub (hub-download.ts). */
  maxDownloadBytes?: number;
  distDir: string;
  log: Log;
}

export interface LocalApi {
  app: FastifyInstance;
  /** Listens, and from then on accepts requests naming this address (the port may be the OS's choice). */
  listen(port: number, host: string): Promise<AddressInfo>;
  authorizeSync(req: IncomingMessage, docName: string): SyncAuthResult;
}

export async function createLocalApi(deps: LocalApiDeps): Promise<LocalApi> {
  const { sessions, meetings, store } = deps;
  const guard = loopbackGuard();
  const app = Fastify({ logger: false, bodyLimit: LIMITS.maxJsonBytes, trustProxy: false, forceCloseConnections: true, rewriteUrl: guard.rewriteUrl });
  installErrorHandler(app, deps.log);
  installSecurityHeaders(app);
  // Bodies stay bytes: most are forwarded to the hub untouched; the one JSON route parses its own.
  // JSON-sized by default; only the upload route takes a paper's size.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Set once listening; no request is handled before that.
  let policy: OriginPolicy | null = null;
  const requireUser = (req: FastifyRequest) => sessions.require(req);
  guard.install(app, { policy: () => policy, authenticate: (req) => void requireUser(req) });

  app.get('/health', async () => ({ ok: true, service: 'chamber-agent', hub: deps.status().hub }));

  app.post('/api/session', { bodyLimit: LIMITS.maxSignInBytes }, async (req, reply) => {
    const body = parseOr400(sessionRequestSchema, jsonBody(req), 'sign-in request');
    const out = await sessions.signIn(body.login, body.password, req.ip);
    if ('session' in out) return out.session;
    const wait = Math.max(1, Math.ceil(out.retryAfterSec));
    return reply.status(429).header('Retry-After', String(wait))
      .send({ error: 'too_many_attempts', message: `too many failed sign-ins: try again in ${wait} s` });
  });
  app.get('/api/session', async (req) => ({ user: requireUser(req) }));
  app.delete('/api/session', async (req, reply) => {
    requireUser(req);
    sessions.signOut(bearerToken(req)!);
    return reply.status(204).header('set-cookie', CLEAR_DEVICE_COOKIE).send();
  });
  // Device sessions (device-session.ts): the secret only ever travels in the HttpOnly cookie.
  app.post('/api/session/device', async (req, reply) => {
    requireUser(req);
    const granted = sessions.remember(bearerToken(req)!);
    if (!granted) throw new HttpError(403, 'not_rememberable', 'only a sign-in with a password, just made, can stay signed in on this device');
    return reply.status(204).header('cache-control', 'no-store').header('set-cookie', deviceCookie(granted.secret, granted.maxAgeSec)).send();
  });
  app.post('/api/session/resume', { bodyLimit: LIMITS.maxSignInBytes }, async (req, reply) => {
    parseOr400(deviceResumeSchema, jsonBody(req), 'resume request');
    const secret = deviceSecretOf(req.headers.cookie);
    reply.header('cache-control', 'no-store');
    try {
      return sessions.resume(secret);
    } catch (err) {
      // A cookie that no longer opens anything is dropped, so the page stops presenting it.
      if (!(err instanceof HttpError) || !secret) throw err;
      return reply.status(err.status).header('set-cookie', CLEAR_DEVICE_COOKIE).send({ error: err.code, message: err.message });
    }
  });

  app.get('/api/agent/status', async (req) => {
    requireUser(req);
    return deps.status();
  });

  const meetingOr404 = (req: FastifyRequest): CachedMeeting => {
    requireUser(req);
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const m = meetings.get(id);
    if (!m) throw notFound('no such meeting');
    return m;
  };
  app.get('/api/meetings', async (req) => {
    requireUser(req);
    return meetings.summaries();
  });
  app.get('/api/meetings/:id', async (req) => {
    const m = meetingOr404(req);
    return m.detail ?? { ...m.summary, participants: [] };
  });
  app.get('/api/meetings/:id/papers', async (req) => meetingOr404(req).papers ?? []);

  /** Downloads a paper the prefetch has not reached yet, verified, before it is served. */
  const fetchNow = async (sha: string, size: number): Promise<void> => {
    if (!deps.hub.token || !deps.online()) throw new HttpError(503, 'hub_offline', NOT_HELD);
    try {
      await deps.prefetcher.want(sha, size);
    } catch (err) {
      if (err instanceof BlobMismatchError) throw new HttpError(502, 'paper_corrupt', 'the paper received from the hub does not match its sha256: discarded, and fetched again later');
      if (err instanceof HubRefusedError && err.status !== 401) throw notFound('no such paper file');
      void deps.requestRound();
      throw new HttpError(503, 'hub_offline', NOT_HELD);
    }
  };

  app.get('/api/blobs/:sha', async (req, reply) => {
    requireUser(req);
    const sha = parseOr400(sha256Schema, (req.params as { sha: string }).sha, 'sha256');
    const size = meetings.listedSize(sha);
    if (size === null) throw notFound('no such paper file');
    if (deps.readable && !deps.readable(sha)) {
      // The hub may be back before the next round has renewed the clock: one round decides.
      if (deps.online()) await deps.requestRound();
      if (!deps.readable(sha)) throw new HttpError(410, OFFLINE_EXPIRED, 'Offline access to this paper has expired; reconnect to the room\'s network');
    }
    // Only bytes that match their sha256 leave the agent: a file not held yet is downloaded
    // (and verified) first rather than relayed; a held file is checked once per run, and a
    // damaged one is discarded and fetched again.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!store.blobInfo(sha)?.complete) await fetchNow(sha, size);
      if (await deps.verifiedBlobs.check(sha)) return sendBlob(req, reply, store, sha);
    }
    throw new HttpError(502, 'paper_corrupt', 'this paper could not be read intact from the cache or the hub');
  });

  const forward = hubProxy({ hub: deps.hub, online: deps.online, requestRound: deps.requestRound, requireUser, deviceId: deps.deviceId, log: deps.log, maxDownloadBytes: deps.maxDownloadBytes });

  // Search (`forward-else-own`): the hub's answer while it gives one, as the authority that also
  // knows papers this device has not indexed yet; a refusal of the query itself is passed on.
  // Without an answer from the hub (away, failing, or a hub from before search), the device's own.
  app.get('/api/search', async (req, reply) => {
    requireUser(req);
    const { q } = parseOr400(searchQuerySchema, req.query, 'search query');
    const res = await sendToHub(deps, req, SEARCH_HUB_WAIT_MS).catch(() => null);
    if (res && (res.ok || res.status === 400)) return relayAnswer(res, reply);
    await res?.body?.cancel();
    return deps.searchOnDevice(q);
  });
  // Uploads carry a paper; every other forwarded body is JSON-sized (the server's bodyLimit).
  app.post('/api/meetings/:id/documents', { bodyLimit: LIMITS.maxPaperBytes }, forward);
  // A few forwarded routes take more than the default (an item's outcome: a long summary of the
  // debate): the agent passes up to the largest limit the table gives one, the hub holds each to its own.
  app.all('/api/*', { bodyLimit: FORWARDED_JSON_LIMIT }, forward);

  await serveRenderer(app, deps.distDir);

  // Sync for local clients: the hub's permission table, decided here.
  const authorizeSync = (req: IncomingMessage, docName: string): SyncAuthResult => {
    // The same Host and Origin rule as for HTTP: a page on another site (or a rebound name) gets
    // no sync connection even with a token it somehow holds.
    if (!policy?.hostAllowed(req.headers.host) || !policy.originAllowed(req.headers.origin)) {
      return { ok: false, code: CLOSE.forbidden, reason: 'connections from other sites are refused' };
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const header = req.headers.authorization;
    const token = url.searchParams.get('token') ?? (typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null);
    const session = sessions.sessionFor(token);
    if (!session) return { ok: false, code: CLOSE.unauthorized, reason: 'sign in first' };
    const { user } = session;
    const doc = parseDocName(docName);
    if (!doc) return { ok: false, code: CLOSE.notFound, reason: 'no such document' };
    const m = meetings.get(doc.meetingId);
    if (!m) return { ok: false, code: CLOSE.notFound, reason: 'no such meeting' };
    const access = docAccess({ userId: user.id, accountRole: user.role, meetingRole: m.summary.myRole, meetingClosed: m.summary.status === 'closed' }, doc);
    if (access === 'none') return { ok: false, code: CLOSE.forbidden, reason: 'you may not read this document' };
    // The endpoint runs this again when the session ends (expiresAt) and when the agent learns
    // from the hub that the user's access changed (agent.ts), so an open socket loses what the
    // user lost at once, as on the hub.
    return { ok: true, access, docName, tag: { hash: tokenHash(token!), userId: user.id }, identity: user.id, expiresAt: session.expiresAt };
  };

  return {
    app,
    authorizeSync,
    listen: async (port, host) => {
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      policy = originPolicy(host, address.port);
      return address;
    },
  };
}

/** The largest JSON body a route the agent forwards may take (shared/routes.ts). */
const FORWARDED_JSON_LIMIT = Math.max(LIMITS.maxJsonBytes, ...ROUTE_LIST.filter((r) => r.agent === 'forward' && r.body.kind === 'json').map(bodyLimitOf));

function jsonBody(req: FastifyRequest): unknown {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  if (body.length > LIMITS.maxJsonBytes) throw new HttpError(413, 'too_large', 'the request body is too large');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'the request body is not valid JSON');
  }
}
