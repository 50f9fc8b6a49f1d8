// The device agent: a caching replica of the hub for one signed-in user on one device. It serves
// its clients (the renderer, or a browser on loopback) the hub's own HTTP API and `/sync/...`
// from a SQLite cache, replicates the user's meeting and notes documents upstream, prefetches
// every paper, and purges what the hub says the user may no longer see, or orders wiped.
//
// One loop talks to the hub over HTTP ("rounds": session check, meeting list, details, papers);
// each replicated document has its own y-websocket link (upstream.ts). Both back off with jitter.
// Nothing here waits on the hub before serving: start-up with the hub away serves the cache.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { CorruptStoreError, DocStore, openDatabase, type Database } from '../core/store.ts';
import { ensurePrivateDir, restrictDatabaseFiles } from '../core/private-files.ts';
import { addressKey, loginKey, ROOM_SIGN_IN_POLICY, SignInThrottle } from '../core/sign-in-throttle.ts';
import { CLOSE, SyncCore } from '../core/sync-core.ts';
import { attachSyncEndpoint, WsPeer, type SyncAuthResult } from '../core/ws-endpoint.ts';
import {
  bearerToken, HttpError, installErrorHandler, installSecurityHeaders, notFound, parseOr400, sendBlob, serveRenderer, unauthorized,
} from '../core/http-common.ts';
import {
  idSchema, LIMITS, sessionRequestSchema, sha256Schema, userSchema,
  type AgentStatus, type MeetingSummary, type SessionResponse, type User,
} from '../../shared/api.ts';
import { meetingDocName, notesDocName, parseDocName } from '../../shared/doc-names.ts';
import { docAccess } from '../../shared/roles.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { AgentDb, tokenHash, type CachedMeeting } from './agent-db.ts';
import { Backoff, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { HubClient, HubRefusedError, HubUnreachableError } from './hub-client.ts';
import { isForwarded, loopbackGuard, originPolicy, type OriginPolicy } from './http-guard.ts';
import { checkVerifier, makeVerifier } from './password-verifier.ts';
import { BlobMismatchError, Prefetcher, type MeetingPapers } from './prefetch.ts';
import { VerifiedBlobs } from './verified-blobs.ts';
import { Upstream } from './upstream.ts';

export type Log = (msg: string, extra?: Record<string, unknown>) => void;

export interface AgentOptions {
  hubUrl: string;
  dataDir: string;
  port: number;
  host?: string;
  /** Signs in to the hub at start-up (headless and kiosk use); kept in memory only. */
  login?: string;
  password?: string;
  /** Opens the cache file (the Electron shell and the headless CLI pass an encrypting driver and key). */
  openDatabase?: (file: string) => Database;
  /**
   * Whether the hub token may be written into the cache (default true). Only where the cache is
   * encrypted with a key kept outside it: the headless agent's plaintext opt-out passes false, and
   * the agent then keeps the token in memory and signs in again when it starts.
   */
  keepHubToken?: boolean;
  log?: Log;
  /** The built renderer; defaults to ./dist beside the project root. */
  distDir?: string;
  /** How often the meeting list is refreshed while the hub answers. */
  refreshMs?: number;
  /** Reconnect backoff (full jitter) for the HTTP loop and each document link. */
  backoff?: BackoffOptions;
  /** Told after each wipe order from the hub is carried out (the desktop shell returns its window to sign-in). */
  onWipeOrder?: (order: { meetingId: string; refetch: boolean }) => void;
}

export interface Agent {
  url: string;
  port: number;
  core: SyncCore;
  store: DocStore;
  status(): AgentStatus;
  /** Resolves after the next round with the hub (immediately useful in tests and the shell). */
  refresh(): Promise<void>;
  /** Removes one meeting's documents and papers from the cache now (IT's `--wipe-meeting`); it comes back on the next round if the user may still see it. */
  wipeMeeting(meetingId: string): Promise<void>;
  close(): Promise<void>;
}

const projectRoot = path.resolve(import.meta.dirname, '../..');
const OFFLINE_MESSAGE = 'the hub is unreachable: this needs the hub and cannot be done offline; try again when the hub is back';

/** Opens the cache; a corrupt file is moved aside (kept for inspection) and a fresh one created. */
function openCache(file: string, open: (file: string) => Database, log: Log): { sqlite: Database; store: DocStore; db: AgentDb } {
  const attempt = () => {
    const sqlite = open(file);
    try {
      restrictDatabaseFiles(file);
      return { sqlite, store: new DocStore(sqlite), db: new AgentDb(sqlite) };
    } catch (err) {
      sqlite.close();
      throw err;
    }
  };
  try {
    return attempt();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!(err instanceof CorruptStoreError) && code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw err;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // With an encrypted cache a lost or replaced key looks the same as corruption: the file is
    // kept (renamed) so it can still be opened with the right key.
    log('the cache file is corrupt or was encrypted with another key: moving it aside and rebuilding the cache from the hub', { file, movedTo: aside, error: (err as Error).message });
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
    }
    return attempt();
  }
}

export async function startAgent(options: AgentOptions): Promise<Agent> {
  const log: Log = options.log ?? ((msg, extra) => console.log(JSON.stringify({ t: new Date().toISOString(), agent: true, msg, ...extra })));
  const refreshMs = options.refreshMs ?? 30_000;
  const backoffOpts = options.backoff ?? DEFAULT_BACKOFF;
  const open = options.openDatabase ?? ((file: string) => openDatabase(file));
  ensurePrivateDir(options.dataDir);
  const { sqlite, store, db } = openCache(path.join(options.dataDir, 'agent.sqlite'), open, log);
  const core = new SyncCore({ store, log });
  const hub = new HubClient(options.hubUrl);

  // ---- state -----------------------------------------------------------------------------
  const parsedUser = userSchema.safeParse(safeJson(db.userJson()));
  let user: User | null = parsedUser.success ? parsedUser.data : null;
  let login: string | null = options.login ?? user?.login ?? null;
  let password: string | null = options.password ?? null;
  const keepHubToken = options.keepHubToken ?? true;
  // A token written by an earlier run that may keep it is removed from a cache that may not.
  if (!keepHubToken) db.forgetHubToken();
  hub.token = user ? db.hubCredentials()?.token ?? null : null;
  /** When the hub session ends (kept in memory too: a token that is not persisted has one). */
  let hubExpiresAt = db.hubCredentials()?.expiresAt ?? 0;
  let link: 'online' | 'offline' = 'offline';
  let closed = false;
  const kept = new Map<string, CachedMeeting>();
  const upstreams = new Map<string, Upstream>();
  // Names this device in the hub's wipe orders; meetings a hub order wiped without refetch stay
  // out of the cache until the user signs in again (with the hub).
  const deviceId = db.deviceId();
  const wiped = new Set(db.wipedMeetings());

  const verifiedBlobs = new VerifiedBlobs(store, log);
  const prefetcher = new Prefetcher({
    store, log, onVerified: (sha) => verifiedBlobs.mark(sha),
    fetchBlob: (sha, range, signal) => hub.raw(`/api/blobs/${sha}`, {
      headers: range ? { range, 'if-range': `"${sha}"` } : {},
      signal: AbortSignal.any([signal, AbortSignal.timeout(30 * 60_000)]),
    }),
  });

  // ---- replicas ----------------------------------------------------------------------------
  const docsOf = (meetingId: string): string[] => (user ? [meetingDocName(meetingId), notesDocName(meetingId, user.id)] : []);

  const startReplica = (meetingId: string) => {
    for (const name of docsOf(meetingId)) {
      if (upstreams.has(name)) continue;
      const doc = core.pin(name);
      const up = new Upstream({
        name, doc, wsUrl: hub.wsUrl, token: () => hub.token, backoff: backoffOpts,
        events: {
          onSynced: () => {
            // A document link came back while the HTTP loop still thinks the hub is away.
            if (link === 'offline') void requestRound();
          },
          onRefused: (n, code, reason) => {
            log('hub refused a document link; checking access', { doc: n, code, reason });
            void requestRound();
          },
          onDisconnected: (_n, wasConnected) => {
            if (wasConnected) void requestRound();
          },
          onDenied: (n, reason) => log('hub dropped a change as not permitted', { doc: n, reason }),
        },
      });
      upstreams.set(name, up);
      // Optimistic: with a hub token the link is tried at once, in parallel with the first round.
      if (hub.token) up.start();
      if (parseDocName(name)?.kind === 'meeting') {
        // The hub bumps papersRev on every upload or paper change: fetch the new list (and the
        // paper) now rather than at the next periodic round.
        meetingDoc.live(doc).observe((ev) => {
          if (ev.keysChanged.has('papersRev') && ev.transaction.origin === up.provider) void requestRound();
        });
      }
    }
  };

  const stopReplica = (meetingId: string, purge: boolean) => {
    const names = new Set([...docsOf(meetingId), ...[...upstreams.keys()].filter((n) => parseDocName(n)?.meetingId === meetingId)]);
    for (const name of names) {
      const up = upstreams.get(name);
      if (up) {
        up.stop();
        upstreams.delete(name);
        core.unpin(name);
      }
      // purge() closes local peers of the doc with 4410, so clients learn at once.
      if (purge) core.purge(name);
    }
  };

  const referencedBlobs = (): Set<string> => {
    const out = new Set<string>();
    for (const m of kept.values()) for (const p of m.papers ?? []) for (const v of p.versions) out.add(v.sha256);
    return out;
  };

  /** Deletes blobs no kept meeting lists (a purged meeting's papers, removed papers). */
  const collectBlobs = () => {
    const keep = referencedBlobs();
    for (const b of store.listBlobs()) if (!keep.has(b.sha256)) store.deleteBlob(b.sha256);
  };

  const purgeMeeting = (meetingId: string, why: string) => {
    log('purging a meeting from the cache', { meetingId, why });
    prefetcher.cancel();
    stopReplica(meetingId, true);
    db.deleteMeeting(meetingId);
    kept.delete(meetingId);
    collectBlobs();
  };

  /** A wipe: the meeting's purge, plus any stored document of that meeting no replica held. */
  const wipeMeeting = (meetingId: string, why: string) => {
    purgeMeeting(meetingId, why);
    for (const name of store.docNames()) if (parseDocName(name)?.meetingId === meetingId) core.purge(name);
  };

  /** Carries out the hub's pending wipe orders for this device, then acknowledges each. */
  const applyOrders = async (): Promise<void> => {
    let orders;
    try {
      orders = await hub.orders(deviceId);
    } catch (err) {
      // A hub from before wipe orders: nothing to do.
      if (err instanceof HubRefusedError && err.status === 404) return;
      throw err;
    }
    for (const o of orders) {
      if (!o.refetch && !wiped.has(o.meetingId)) {
        // Recorded before the purge: a crash in between still keeps the meeting out, and the
        // unacknowledged order is delivered (and the purge done) again.
        wiped.add(o.meetingId);
        db.setWipedMeetings([...wiped]);
      }
      wipeMeeting(o.meetingId, `wipe order ${o.id} from the hub`);
      await hub.ackOrder(o.id, deviceId);
      log('carried out a wipe order from the hub', { order: o.id, meetingId: o.meetingId, refetch: o.refetch });
      options.onWipeOrder?.({ meetingId: o.meetingId, refetch: o.refetch });
    }
  };

  /**
   * Ends the current user's use of this device: local sessions, replicas, meeting documents,
   * papers. Notes documents are per user and are kept for their owner: other users' always (kept
   * when the device switched away from them), the current user's when `keepOwnNotes` (another
   * account signs in: notes not yet on the hub must not be dropped; they sync when their owner
   * signs in here again, and no one else may open them). A revoked session takes its own notes.
   */
  const purgeEverything = (why: string, keepOwnNotes = false) => {
    log('purging the whole cache and requiring a new sign-in', { why, keepOwnNotes });
    prefetcher.cancel();
    // The session is gone: clients are told so (4401, sign in again) before the purge below
    // closes what is left with 4410.
    core.kickWhere(() => true, CLOSE.unauthorized, 'signed out: sign in again');
    const me = user?.id ?? null;
    const keep = (name: string) => {
      const d = parseDocName(name);
      return d?.kind === 'notes' && (d.userId !== me || keepOwnNotes);
    };
    for (const id of [...kept.keys()]) {
      stopReplica(id, false);
      for (const name of docsOf(id)) if (!keep(name)) core.purge(name);
      db.deleteMeeting(id);
      kept.delete(id);
    }
    for (const name of store.docNames()) if (!keep(name)) core.purge(name);
    for (const b of store.listBlobs()) store.deleteBlob(b.sha256);
    db.forgetUser();
    wiped.clear();
    user = null;
    password = null;
    hub.token = null;
  };

  const keepMeeting = (s: MeetingSummary) => {
    db.putSummary(s);
    const cur = kept.get(s.id);
    kept.set(s.id, { id: s.id, summary: s, detail: cur?.detail ?? null, papers: cur?.papers ?? null });
    startReplica(s.id);
  };

  for (const m of db.meetings()) {
    kept.set(m.id, m);
    startReplica(m.id);
  }

  // ---- sign-in -----------------------------------------------------------------------------
  const signInUpstream = async (l: string, pw: string): Promise<SessionResponse> => {
    const res = await hub.signIn(l, pw);
    const old = hub.token;
    if (user && user.id !== res.user.id) purgeEverything('another user signed in on this device', true);
    const verifier = await makeVerifier(pw);
    const parsedExpiry = Date.parse(res.expiresAt);
    hubExpiresAt = Number.isFinite(parsedExpiry) ? parsedExpiry : Date.now() + 60 * 60_000;
    db.saveSignIn(res.user, verifier, keepHubToken ? { token: res.token, expiresAt: hubExpiresAt } : null);
    hub.token = res.token;
    user = res.user;
    login = res.user.login;
    password = pw;
    if (old !== res.token) {
      for (const up of upstreams.values()) up.restart();
      // One hub session per device: the one this sign-in replaces ends now.
      if (old) void fetch(`${hub.baseUrl}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${old}` }, signal: AbortSignal.timeout(5000) }).catch(() => {});
    }
    return res;
  };

  const onHubUnauthorized = () => {
    // Refused before its expiry: the session was revoked (signed out elsewhere, account disabled,
    // password changed). After expiry it merely lapsed: the cache stays for the next sign-in.
    if (hub.token && Date.now() < hubExpiresAt - 60_000) {
      purgeEverything('the hub revoked this session');
      return;
    }
    log('the hub session expired; signing in again when possible');
    db.forgetHubToken();
    hub.token = null;
  };

  // ---- the HTTP loop with the hub --------------------------------------------------------------
  let signInNotBefore = 0;
  const round = async (): Promise<void> => {
    if (!hub.token) {
      if (!login || !password) {
        // Nobody to sign in as: just learn whether the hub is there, for the status.
        await hub.raw('/health').then((r) => r.body?.cancel());
        setLink('online');
        return;
      }
      // The hub throttles sign-in (429): its Retry-After is waited out, the password kept.
      if (Date.now() < signInNotBefore) return;
      try {
        await signInUpstream(login, password);
      } catch (err) {
        if (err instanceof HubRefusedError && err.status === 429) {
          signInNotBefore = Date.now() + (err.retryAfterSec ?? 5) * 1000;
          log('the hub is throttling sign-in; trying again later', { login, retryAfterSec: err.retryAfterSec });
          return;
        }
        if (err instanceof HubRefusedError) {
          log('the hub refused the sign-in; waiting for a client to sign in', { login, status: err.status });
          password = null;
          return;
        }
        throw err;
      }
    }
    try {
      const me = await hub.session();
      if (user && me.id !== user.id) {
        // In effect an account switch: the cached user's notes are kept for them.
        purgeEverything('the hub session belongs to another user', true);
        return;
      }
    } catch (err) {
      if (err instanceof HubRefusedError && err.status === 401) {
        onHubUnauthorized();
        return;
      }
      throw err;
    }
    try {
      await applyOrders();
    } catch (err) {
      if (err instanceof HubRefusedError && err.status === 401) {
        onHubUnauthorized();
        return;
      }
      throw err;
    }
    const list = (await hub.meetings()).filter((m) => !wiped.has(m.id));
    const listed = new Set(list.map((m) => m.id));
    for (const id of [...kept.keys()]) if (!listed.has(id)) purgeMeeting(id, 'no longer in the hub\'s meeting list');
    for (const s of list) keepMeeting(s);
    for (const s of list) {
      try {
        const detail = await hub.meeting(s.id);
        const papers = await hub.papers(s.id);
        const m = kept.get(s.id);
        if (!m) continue;
        db.putDetail(s.id, detail);
        db.putPapers(s.id, papers);
        m.detail = detail;
        m.papers = papers;
      } catch (err) {
        if (err instanceof HubRefusedError && (err.status === 403 || err.status === 404)) {
          purgeMeeting(s.id, `the hub answered ${err.status} for it`);
          continue;
        }
        if (err instanceof HubRefusedError && err.status === 401) {
          onHubUnauthorized();
          return;
        }
        throw err;
      }
    }
    collectBlobs();
    setLink('online');
    for (const up of upstreams.values()) up.start();
    void prefetcher.run(plan());
  };

  let everOnline = false;
  const setLink = (next: 'online' | 'offline') => {
    if (link === next) return;
    link = next;
    log(next === 'online' ? 'hub reachable' : 'hub unreachable: serving from the cache');
    // Back after an outage: links waiting out a long backoff reconnect within a jittered second,
    // spread over the room's tablets rather than all at once.
    if (next === 'online' && everOnline) for (const up of upstreams.values()) up.nudge(Math.min(1000, backoffOpts.maxMs));
    if (next === 'online') everOnline = true;
  };

  let wake: (() => void) | null = null;
  let waiters: Array<() => void> = [];
  let pendingRequest = false;
  const requestRound = (): Promise<void> => new Promise((resolve) => {
    waiters.push(resolve);
    pendingRequest = true;
    wake?.();
  });

  const loopBackoff = new Backoff(backoffOpts);
  const loop = (async () => {
    while (!closed) {
      pendingRequest = false;
      const done = waiters;
      waiters = [];
      let waitMs = refreshMs;
      try {
        await round();
        loopBackoff.reset();
      } catch (err) {
        if (!(err instanceof HubUnreachableError)) log('round with the hub failed', { error: String(err), stack: (err as Error).stack });
        setLink('offline');
        waitMs = loopBackoff.next();
      }
      for (const r of done) r();
      if (closed) break;
      if (pendingRequest) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wake = null;
    }
    for (const r of waiters) r();
  })();

  const plan = (): MeetingPapers[] => [...kept.values()].map((m) => ({ meetingId: m.id, papers: m.papers ?? [] }));

  const status = (): AgentStatus => {
    const p = plan();
    const prefetch = prefetcher.progress(p);
    if (link === 'offline') return { hub: 'offline', prefetch };
    const linksSynced = [...upstreams.values()].every((u) => u.synced);
    const papersDone = !prefetcher.busy && prefetcher.complete(p);
    return { hub: linksSynced && papersDone ? 'online' : 'syncing', prefetch };
  };

  // ---- HTTP ------------------------------------------------------------------------------------
  // Routing sees one spelling of each path (decoded, normalised: http-guard.ts), so no guard
  // below can be passed by an encoded variant.
  const guard = loopbackGuard();
  const app = Fastify({ logger: false, bodyLimit: LIMITS.maxJsonBytes, trustProxy: false, forceCloseConnections: true, rewriteUrl: guard.rewriteUrl });
  installErrorHandler(app, log);
  installSecurityHeaders(app);
  // Bodies stay bytes: most are forwarded to the hub untouched; the one JSON route parses its own.
  // JSON-sized by default; only the upload route takes a paper's size.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  // Set once listening (the port may be chosen by the OS); no request is handled before that.
  let policy: OriginPolicy | null = null;
  guard.install(app, { policy: () => policy, authenticate: (req) => void needLocal(req) });

  const jsonBody = (req: FastifyRequest): unknown => {
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
    if (body.length > LIMITS.maxJsonBytes) throw new HttpError(413, 'too_large', 'the request body is too large');
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_request', 'the request body is not valid JSON');
    }
  };

  const needLocal = (req: FastifyRequest): User => {
    const t = bearerToken(req);
    if (!t || !user || !db.sessionValid(t)) throw unauthorized();
    return user;
  };

  const issueLocal = (u: User, offline: boolean): SessionResponse => {
    const token = crypto.randomBytes(32).toString('base64url');
    const expires = db.createSession(token);
    return { token, user: u, expiresAt: new Date(expires).toISOString(), ...(offline ? { offline: true } : {}) };
  };

  // The hub's own policy: only the cached user can sign in offline, so on loopback the account
  // key is the one that matters.
  const offlineThrottle = new SignInThrottle(ROOM_SIGN_IN_POLICY);
  const tooManyAttempts = (reply: FastifyReply, retryAfterSec: number): FastifyReply =>
    reply.status(429).header('Retry-After', String(Math.max(1, Math.ceil(retryAfterSec))))
      .send({ error: 'too_many_attempts', message: `too many failed sign-ins: try again in ${Math.max(1, Math.ceil(retryAfterSec))} s` });

  app.get('/health', async () => ({ ok: true, service: 'chamber-agent', hub: status().hub }));

  app.post('/api/session', { bodyLimit: LIMITS.maxSignInBytes }, async (req, reply) => {
    const body = parseOr400(sessionRequestSchema, jsonBody(req), 'sign-in request');
    try {
      const res = await signInUpstream(body.login, body.password);
      // The user signed in again with the hub: meetings wiped by an order may come back.
      if (wiped.size > 0) {
        wiped.clear();
        db.setWipedMeetings([]);
      }
      void requestRound();
      return issueLocal(res.user, false);
    } catch (err) {
      if (err instanceof HubRefusedError) {
        if (err.status === 401) throw new HttpError(401, 'unauthorized', 'wrong login or password');
        // The hub's own throttle: its wait is passed on to the client.
        if (err.status === 429) return tooManyAttempts(reply, err.retryAfterSec ?? 1);
        throw new HttpError(err.status, 'hub_refused', err.message);
      }
      if (!(err instanceof HubUnreachableError)) throw err;
      setLink('offline');
      // Offline the verifier is the only check, so it is throttled as the hub throttles sign-in
      // (per account and per address, growing delays, no lock-out).
      const keys = [loginKey(body.login), addressKey(req.ip)];
      const gate = offlineThrottle.check(keys);
      if (!gate.ok) return tooManyAttempts(reply, gate.retryAfterSec);
      const verifier = db.passwordVerifier();
      if (!user || !verifier || user.login.toLowerCase() !== body.login.toLowerCase()) {
        offlineThrottle.fail(keys);
        throw new HttpError(401, 'unauthorized', 'wrong login or password (the hub is unreachable: only the last user who signed in on this device can sign in offline)');
      }
      if (!(await checkVerifier(body.password, verifier))) {
        offlineThrottle.fail(keys);
        throw new HttpError(401, 'unauthorized', 'wrong login or password');
      }
      offlineThrottle.succeed(keys);
      log('signed in offline against the cached verifier', { login: user.login });
      return issueLocal(user, true);
    }
  });
  app.get('/api/session', async (req) => ({ user: needLocal(req) }));
  app.delete('/api/session', async (req, reply) => {
    needLocal(req);
    const t = bearerToken(req)!;
    db.deleteSession(t);
    const hash = tokenHash(t);
    core.kickWhere((p) => p instanceof WsPeer && (p.tag as { hash?: string } | undefined)?.hash === hash, CLOSE.unauthorized, 'signed out');
    return reply.status(204).send();
  });

  app.get('/api/agent/status', async (req) => {
    needLocal(req);
    return status();
  });

  const meetingOr404 = (req: FastifyRequest): CachedMeeting => {
    needLocal(req);
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const m = kept.get(id);
    if (!m) throw notFound('no such meeting');
    return m;
  };
  app.get('/api/meetings', async (req) => {
    needLocal(req);
    return [...kept.values()].map((m) => m.summary).sort((a, b) => String(a.startsAt ?? '').localeCompare(String(b.startsAt ?? '')) || a.title.localeCompare(b.title));
  });
  app.get('/api/meetings/:id', async (req) => {
    const m = meetingOr404(req);
    return m.detail ?? { ...m.summary, participants: [] };
  });
  app.get('/api/meetings/:id/papers', async (req) => meetingOr404(req).papers ?? []);

  /** The listed size of a paper file some kept meeting holds; null if none lists it. */
  const listedSize = (sha: string): number | null => {
    for (const m of kept.values()) for (const p of m.papers ?? []) for (const v of p.versions) if (v.sha256 === sha) return v.size;
    return null;
  };

  const NOT_HELD = 'this paper is not downloaded yet and the hub is unreachable';
  /** Downloads a paper the prefetch has not reached yet, verified, before it is served. */
  const fetchNow = async (sha: string, size: number): Promise<void> => {
    if (!hub.token || link === 'offline') throw new HttpError(503, 'hub_offline', NOT_HELD);
    try {
      await prefetcher.want(sha, size);
    } catch (err) {
      if (err instanceof BlobMismatchError) throw new HttpError(502, 'paper_corrupt', 'the paper received from the hub does not match its sha256: discarded, and fetched again later');
      if (err instanceof HubRefusedError && err.status !== 401) throw notFound('no such paper file');
      void requestRound();
      throw new HttpError(503, 'hub_offline', NOT_HELD);
    }
  };

  app.get('/api/blobs/:sha', async (req, reply) => {
    needLocal(req);
    const sha = parseOr400(sha256Schema, (req.params as { sha: string }).sha, 'sha256');
    const size = listedSize(sha);
    if (size === null) throw notFound('no such paper file');
    // Only bytes that match their sha256 leave the agent: a file not held yet is downloaded
    // (and verified) first rather than relayed; a held file is checked once per run, and a
    // damaged one is discarded and fetched again.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!store.blobInfo(sha)?.complete) await fetchNow(sha, size);
      if (await verifiedBlobs.check(sha)) return sendBlob(req, reply, store, sha);
    }
    throw new HttpError(502, 'paper_corrupt', 'this paper could not be read intact from the cache or the hub');
  });

  // Everything else under /api is the hub's to decide: forwarded with the hub token, and refused
  // with a clear 503 while the hub is away (uploads, presenting, meeting and account admin).
  // Only routes on the allow-list (http-guard.ts) go on, by the one spelling they were checked
  // in: wipe orders above all are the agent's own business with the hub.
  const forward = async (req: FastifyRequest, reply: FastifyReply) => {
    needLocal(req);
    if (!isForwarded(req.method, req.url)) throw notFound(`no route for ${req.method} ${req.url.split('?')[0]}`);
    if (!hub.token || link === 'offline') throw new HttpError(503, 'hub_offline', OFFLINE_MESSAGE);
    const headers: Record<string, string> = {};
    const ctype = req.headers['content-type'];
    if (typeof ctype === 'string') headers['content-type'] = ctype;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body);
    let res: Response;
    try {
      res = await hub.raw(req.url, { method: req.method, headers, body: hasBody ? new Uint8Array(req.body as Buffer) : undefined, timeoutMs: 120_000 });
    } catch (err) {
      if (err instanceof HubUnreachableError) {
        void requestRound();
        throw new HttpError(503, 'hub_offline', OFFLINE_MESSAGE);
      }
      throw err;
    }
    if (res.status === 401) void requestRound();
    const body = Buffer.from(await res.arrayBuffer());
    // A change the hub accepted shows in this agent's cached answers before the client hears back.
    if (req.method !== 'GET' && res.status < 400) await Promise.race([requestRound(), new Promise((r) => setTimeout(r, 5000))]);
    void reply.status(res.status);
    const type = res.headers.get('content-type');
    if (type) void reply.header('content-type', type);
    return reply.send(body);
  };
  // Uploads carry a paper; every other forwarded body is JSON-sized (the server's bodyLimit).
  app.post('/api/meetings/:id/documents', { bodyLimit: LIMITS.maxPaperBytes }, forward);
  app.all('/api/*', forward);

  await serveRenderer(app, options.distDir ?? path.join(projectRoot, 'dist'));

  // ---- sync for local clients: the hub's permission table, decided here ------------------------
  const authorizeSync = (req: IncomingMessage, docName: string): SyncAuthResult => {
    // The same Host and Origin rule as for HTTP: a page on another site (or a rebound name) gets
    // no sync connection even with a token it somehow holds.
    if (!policy?.hostAllowed(req.headers.host) || !policy.originAllowed(req.headers.origin)) {
      return { ok: false, code: CLOSE.forbidden, reason: 'connections from other sites are refused' };
    }
    const url = new URL(req.url ?? '/', 'http://local');
    const header = req.headers.authorization;
    const token = url.searchParams.get('token') ?? (typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null);
    if (!token || !user || !db.sessionValid(token)) return { ok: false, code: CLOSE.unauthorized, reason: 'sign in first' };
    const doc = parseDocName(docName);
    if (!doc) return { ok: false, code: CLOSE.notFound, reason: 'no such document' };
    const m = kept.get(doc.meetingId);
    if (!m) return { ok: false, code: CLOSE.notFound, reason: 'no such meeting' };
    const access = docAccess({ userId: user.id, accountRole: user.role, meetingRole: m.summary.myRole }, doc);
    if (access === 'none') return { ok: false, code: CLOSE.forbidden, reason: 'you may not read this document' };
    return { ok: true, access, docName, tag: { hash: tokenHash(token) } };
  };

  await app.listen({ port: options.port, host: options.host ?? '127.0.0.1' });
  policy = originPolicy(options.host ?? '127.0.0.1', (app.server.address() as AddressInfo).port);
  const endpoint = attachSyncEndpoint({ server: app.server, core, authorize: authorizeSync, log });
  const address = app.server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url, port: address.port, core, store, status,
    refresh: requestRound,
    wipeMeeting: async (meetingId: string) => {
      parseOr400(idSchema, meetingId, 'meeting id');
      wipeMeeting(meetingId, 'wiped on the device');
    },
    close: async () => {
      closed = true;
      wake?.();
      prefetcher.cancel();
      for (const up of upstreams.values()) up.stop();
      upstreams.clear();
      // A round stuck on a silent network must not hold the shutdown.
      await Promise.race([loop, new Promise((r) => setTimeout(r, 2000).unref())]);
      // A hub token that was never written down would be nobody's after this: end its session.
      if (!keepHubToken && hub.token) {
        await fetch(`${hub.baseUrl}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${hub.token}` }, signal: AbortSignal.timeout(1000) }).catch(() => {});
      }
      endpoint.close();
      core.close();
      await app.close();
      sqlite.close();
    },
  };
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
