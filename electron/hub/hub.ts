// The room hub: the authority over accounts, meetings, permissions and papers, and the durable
// copy of every Yjs document. One Fastify app for the HTTP API plus the sync endpoint.
import crypto from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { openDatabase, DocStore, type OpenOptions } from '../core/store.ts';
import { BlobCache, CorruptBlobError } from '../core/blob-cache.ts';
import { startWalFlusher } from '../core/wal-flusher.ts';
import { ensurePrivateDir, restrictDatabaseFiles } from '../core/private-files.ts';
import { SyncCore, CLOSE } from '../core/sync-core.ts';
import { attachSyncEndpoint, WsPeer, type SyncAuthResult, type SyncEndpoint } from '../core/ws-endpoint.ts';
import type { RateLimits, SyncLimits } from '../core/sync-limits.ts';
import { bearerToken, forbidden, HttpError, installErrorHandler, installSecurityHeaders, isPlainObject, notFound, parseOr400, sendBlob, serveRenderer, unauthorized, badRequest } from '../core/http-common.ts';
import { hardenedServerOptions, installRequestGuard } from '../core/http-guards.ts';
import { addressKey, loginKey, ROOM_SIGN_IN_POLICY, SignInThrottle, type SignInThrottleOptions } from '../core/sign-in-throttle.ts';
import { claimDatabase, inspectDataFolder, recordRoom } from './data-folder.ts';
import { inspectPdf, PdfRejectedError } from '../core/pdf-inspect.ts';
import { HubDb } from './hub-db.ts';
import { convertToPdf, officeKind, OFFICE_TYPES } from './convert.ts';
import { PageFingerprints } from './page-fingerprints.ts';
import { registerUpdateFeed } from './update-feed.ts';
import { registerDeviceRoutes, WipeOrders } from './wipe-orders.ts';
import { hashPassword, newToken, tokenHash, verifyPassword } from './passwords.ts';
import { callerFor, canManage, canReadBlob, canSeePaper, takesPart, type Account } from './access.ts';
import {
  createAccountSchema, createMeetingSchema, handPresenterSchema, idSchema, LIMITS, presentSchema, sessionRequestSchema,
  setParticipantSchema, sha256Schema, updateAccountSchema, updateMeetingSchema, uploadQuerySchema,
  type MeetingSummary, type PaperInfo, type SessionResponse, type UploadResponse,
} from '../../shared/api.ts';
import { parseDocName, meetingDocName } from '../../shared/doc-names.ts';
import { canPresent, docAccess } from '../../shared/roles.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { z } from 'zod';

export interface HubOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** The built renderer; defaults to ./dist beside the project root. */
  distDir?: string;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  db?: OpenOptions;
  sessionTtlMs?: number;
  /**
   * Sync-core tuning (compaction threshold, idle unload delay) and limits (per document and per
   * connection; defaults in core/sync-limits.ts suit a room, tests use small ones).
   */
  sync?: { compactEvery?: number; unloadAfterMs?: number; limits?: Partial<SyncLimits>; rateLimits?: Partial<RateLimits> };
  /** With `db.synchronous: 'NORMAL'`: how often the WAL is synced to disk off the event loop. */
  walFlushMs?: number;
  /** The update feed's folder, served read-only at /updates/ (default `<dataDir>/updates`). */
  updatesDir?: string;
  /** Sign-in throttling (defaults in SIGN_IN_THROTTLE); tests shorten the waits. */
  signInThrottle?: SignInThrottleOptions;
}

/** The hub's sign-in throttling: the room's policy (core/sign-in-throttle.ts, docs/operations.md). */
export const SIGN_IN_THROTTLE: SignInThrottleOptions = ROOM_SIGN_IN_POLICY;

export interface Hub {
  url: string;
  addPaper(actor: Account, meetingId: string, bytes: Buffer, q: { title?: string; fileName?: string; replace?: string; restrictTo?: string[] | null }): Promise<UploadResponse>;
  port: number;
  app: FastifyInstance;
  db: HubDb;
  store: DocStore;
  core: SyncCore;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    account: Account | null;
    sessionHash: string | null;
  }
}

const projectRoot = path.resolve(import.meta.dirname, '../..');

export async function createHub(opts: HubOptions): Promise<Hub> {
  const log = opts.log ?? ((msg: string, extra?: Record<string, unknown>) => console.log(JSON.stringify({ t: new Date().toISOString(), msg, ...extra })));
  const dbFile = path.join(opts.dataDir, 'hub.sqlite');
  // NORMAL by default: a commit reaches the WAL (it survives a killed process) without an fsync
  // on the event loop, which a paced benchmark showed to cost the hub its p99 against the
  // reference server; a background thread then syncs the WAL to disk every 200 ms, bounding what
  // a power cut can take (and the clients' replicas re-send that on reconnect). FULL on request.
  const synchronous = opts.db?.synchronous ?? 'NORMAL';
  // The room's accounts, sessions and papers: folder 0700, database files 0600.
  ensurePrivateDir(opts.dataDir);
  // A folder that held a room never silently becomes a new one (electron/hub/data-folder.ts).
  const folder = inspectDataFolder(opts.dataDir, dbFile);
  const sqlite = openDatabase(dbFile, { ...opts.db, synchronous });
  let roomId: string;
  try {
    roomId = claimDatabase(sqlite, folder);
  } catch (err) {
    sqlite.close();
    throw err;
  }
  restrictDatabaseFiles(dbFile);
  const flusher = synchronous === 'NORMAL' ? startWalFlusher(dbFile, { intervalMs: opts.walFlushMs, main: sqlite, log }) : null;
  const store = new DocStore(sqlite);
  // A new paper is fetched by every tablet in the room at once: serve it from memory.
  const blobCache = new BlobCache({ log });
  const db = new HubDb(sqlite);
  recordRoom(folder, db, roomId);
  const core = new SyncCore({ store, log, compactEvery: opts.sync?.compactEvery, unloadAfterMs: opts.sync?.unloadAfterMs, limits: opts.sync?.limits });
  // Open sync connections are re-authorised whenever something they depend on changes (a role,
  // a participation, a meeting's status); set once the server listens.
  let endpoint: SyncEndpoint | null = null;
  const syncTag = (p: WsPeer) => (p.tag ?? {}) as { userId?: string; hash?: string };
  const recheckSync = (match: (tag: { userId?: string; hash?: string }, doc: ReturnType<typeof parseDocName>) => boolean) =>
    endpoint?.recheck((p, docName) => match(syncTag(p), parseDocName(docName)));
  const fingerprints = new PageFingerprints(sqlite);
  const wipeOrders = new WipeOrders(sqlite);

  const app = Fastify({ logger: false, bodyLimit: LIMITS.maxJsonBytes, trustProxy: false, forceCloseConnections: true, ...hardenedServerOptions });
  installErrorHandler(app, log);
  installSecurityHeaders(app);
  app.decorateRequest('account', null);
  app.decorateRequest('sessionHash', null);
  // The API speaks JSON and PDF only: a text/plain body would reach the schemas as a string and
  // fail there with a vaguer 400, so it is refused up front as 415.
  app.removeContentTypeParser('text/plain');
  // Only the upload route takes these (its config.accepts; the request guard refuses them
  // elsewhere before reading); the parser's own limit is the JSON one, the route raises it.
  const paperTypes = ['application/pdf', 'application/octet-stream', ...Object.keys(OFFICE_TYPES)];
  app.addContentTypeParser(paperTypes, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const authenticate = (token: string | null): { account: Account; hash: string } | null => {
    if (!token) return null;
    const hash = tokenHash(token);
    const row = db.sessionUser(hash);
    return row ? { account: { id: row.id, login: row.login, name: row.name, role: row.role }, hash } : null;
  };
  app.addHook('onRequest', async (req) => {
    const found = authenticate(bearerToken(req));
    req.account = found?.account ?? null;
    req.sessionHash = found?.hash ?? null;
  });
  installRequestGuard(app, (req) => req.account !== null);
  const throttle = new SignInThrottle(opts.signInThrottle ?? SIGN_IN_THROTTLE);
  const need = (req: FastifyRequest): Account => {
    if (!req.account) throw unauthorized();
    return req.account;
  };
  const needAdmin = (req: FastifyRequest): Account => {
    const a = need(req);
    if (a.role !== 'admin') throw forbidden('only an admin may do this');
    return a;
  };
  const meetingOr404 = (req: FastifyRequest, id: string) => {
    const a = need(req);
    const m = db.meeting(id);
    if (!m || !takesPart(db, a, id)) throw notFound('no such meeting');
    return { a, m };
  };
  const writeDetails = (meetingId: string) => {
    const m = db.meeting(meetingId);
    if (!m) return;
    core.withDoc(meetingDocName(meetingId), (doc) => doc.transact(() => {
      const d = meetingDoc.details(doc);
      d.set('title', m.title);
      d.set('startsAt', m.starts_at);
      d.set('room', m.room);
      d.set('status', m.status);
    }, 'hub'));
  };
  const bumpPapers = (meetingId: string) => core.withDoc(meetingDocName(meetingId), (doc) => {
    const cur = meetingDoc.live(doc).get('papersRev');
    doc.transact(() => meetingDoc.live(doc).set('papersRev', (typeof cur === 'number' ? cur : 0) + 1), 'hub');
  });


  /** Validates, stores and records a paper (or a new version of one); used by the API and the demo seed. */
  async function addPaper(a: Account, id: string, body: Buffer, q: { title?: string; fileName?: string; replace?: string; restrictTo?: string[] | null }): Promise<UploadResponse> {
    const existing = q.replace ? db.paper(q.replace) : null;
    if (q.replace && (!existing || existing.meeting_id !== id)) throw notFound('no such paper to replace in this meeting');
    const restrictTo = q.restrictTo ?? null;
    if (restrictTo) for (const u of restrictTo) if (!db.account(parseOr400(idSchema, u, 'restrictTo'))) throw badRequest(`restrictTo: no account ${u}`);
    let pages: number;
    try {
      pages = (await inspectPdf(body)).pages;
    } catch (err) {
      if (err instanceof PdfRejectedError) throw new HttpError(422, 'not_a_pdf', `rejected: ${err.message}`);
      throw err;
    }
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    const title = q.title ?? existing?.title ?? q.fileName?.replace(/\.pdf$/i, '') ?? 'Untitled paper';
    const fileName = q.fileName ?? `${title}.pdf`;
    // A new version records which of the previous version's pages it keeps unchanged, so each
    // delegate's client can carry their annotations across; a first upload is fingerprinted in
    // the background once stored, ready for the day it is replaced.
    const previous = existing ? db.paperVersions(existing.id).at(-1) : undefined;
    let carriedFrom = null;
    if (previous && previous.sha256 !== sha256) {
      carriedFrom = await fingerprints.carried(previous.sha256, () => store.readBlobAll(previous.sha256), sha256, () => body);
    }
    // The same bytes uploaded again replace a stored copy that no longer matches its sha256.
    const stored = store.blobInfo(sha256);
    const repair = stored?.complete === true && await blobCache.verifiedChunks(store, sha256, stored.size)
      .then(() => false, (err: unknown) => { if (err instanceof CorruptBlobError) return true; throw err; });
    // One outcome: the blob, the paper's rows and the meeting document's change are committed in
    // one transaction (and only then broadcast), or none of them is (a document that cannot be
    // written used to leave a stored paper behind a 500).
    const result = core.atomically(() => {
      if (repair || !store.blobInfo(sha256)?.complete) store.putBlob(sha256, body);
      const created = existing ?? db.createPaper({ meetingId: id, title, restrictTo });
      if (existing && q.title) db.setPaperTitle(existing.id, q.title);
      const v = db.addPaperVersion({ paper_id: created.id, sha256, pages, size: body.length, file_name: fileName });
      if (carriedFrom) fingerprints.saveCarry(created.id, v.version, carriedFrom);
      const paper = db.paper(created.id)!;
      if (!paper.restricted) {
        core.withDoc(meetingDocName(id), (doc) => meetingDoc.putPaperVersion(doc, paper.id, paper.title, {
          version: v.version, sha256, pages, size: body.length, fileName, createdAt: v.created_at, carriedFrom,
        }));
      }
      bumpPapers(id);
      return { paper, v };
    });
    if (repair) {
      blobCache.drop(sha256);
      log('damaged paper file stored again', { sha256 });
    }
    if (!previous) void fingerprints.ensure(sha256, () => body);
    db.audit('paper-uploaded', a.id, result.paper.id, { meetingId: id, sha256, pages, version: result.v.version, size: body.length });
    return { id: result.paper.id, sha256, pages, version: result.v.version };
  }

  // ---- health and sessions ---------------------------------------------------------------
  app.get('/health', async () => ({ ok: true, service: 'chamber-hub', docsLoaded: core.loadedDocs().length }));

  app.post('/api/session', { bodyLimit: LIMITS.maxSignInBytes, config: { anonymous: true } }, async (req, reply) => {
    const body = parseOr400(sessionRequestSchema, req.body, 'sign-in request');
    // Checked before any password work: a throttled guess costs no scrypt and reveals nothing.
    const keys = [loginKey(body.login), addressKey(req.ip)];
    const verdict = throttle.check(keys);
    if (!verdict.ok) {
      throw new HttpError(429, 'too_many_attempts', `too many failed sign-ins: try again in ${verdict.retryAfterSec} s`, undefined,
        { 'retry-after': String(verdict.retryAfterSec) });
    }
    let ok = false;
    const row = db.accountByLogin(body.login);
    try {
      // A wrong login costs the same scrypt work as a wrong password: no account enumeration.
      ok = row ? await verifyPassword(body.password, row.pw_hash) : (await hashPassword(body.password), false);
    } finally {
      if (ok && row && !row.disabled) throttle.succeed(keys);
      else throttle.fail(keys);
    }
    if (!row || !ok || row.disabled) {
      db.audit('sign-in-failed', row?.id ?? null, body.login);
      throw new HttpError(401, 'unauthorized', 'wrong login or password');
    }
    const token = newToken();
    const expires = db.createSession(tokenHash(token), row.id, opts.sessionTtlMs);
    db.audit('sign-in', row.id, null);
    const res: SessionResponse = { token, user: { id: row.id, login: row.login, name: row.name, role: row.role }, expiresAt: new Date(expires).toISOString() };
    return reply.status(200).send(res);
  });
  app.get('/api/session', async (req) => {
    const a = need(req);
    return { user: { id: a.id, login: a.login, name: a.name, role: a.role } };
  });
  app.delete('/api/session', async (req, reply) => {
    need(req);
    db.revokeSession(req.sessionHash!);
    // 4401: the session itself is gone (the client signs in again), not just one document.
    core.kickWhere((p) => p instanceof WsPeer && (p.tag as { hash?: string })?.hash === req.sessionHash, CLOSE.unauthorized, 'signed out');
    return reply.status(204).send();
  });

  // ---- accounts (admin) ------------------------------------------------------------------
  app.get('/api/accounts', async (req) => {
    const a = need(req);
    // Managers pick participants from the accounts; delegates see no directory.
    if (a.role !== 'admin' && a.role !== 'secretary' && a.role !== 'chair') throw forbidden();
    return db.listAccounts();
  });
  app.post('/api/accounts', async (req, reply) => {
    const admin = needAdmin(req);
    const body = parseOr400(createAccountSchema, req.body, 'account');
    if (db.accountByLogin(body.login)) throw new HttpError(409, 'conflict', `login ${body.login} is taken`);
    const user = db.createAccount({ login: body.login, name: body.name, role: body.role, pwHash: await hashPassword(body.password) });
    db.audit('account-created', admin.id, user.id);
    return reply.status(201).send(user);
  });
  app.patch('/api/accounts/:id', async (req) => {
    const admin = needAdmin(req);
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'account id');
    const body = parseOr400(updateAccountSchema, req.body, 'account');
    if (!db.account(id)) throw notFound('no such account');
    const pwHash = body.password ? await hashPassword(body.password) : undefined;
    // Checked and written in one transaction, after the hashing's await: two admins demoting
    // each other at once cannot both pass the check.
    sqlite.transaction(() => {
      const target = db.account(id);
      if (!target) throw notFound('no such account');
      const losesAdmin = target.role === 'admin' && !target.disabled && ((body.role !== undefined && body.role !== 'admin') || body.disabled === true);
      if (losesAdmin && db.enabledAdminCount() <= 1) {
        throw new HttpError(409, 'last_admin', 'this is the last enabled admin: make another account admin before demoting or disabling this one');
      }
      db.updateAccount(id, { name: body.name, role: body.role, disabled: body.disabled, pwHash });
    })();
    if (body.disabled || body.password) revokeUser(id);
    // A new account role changes what their open connections may do, at once.
    else await recheckSync((t) => t.userId === id);
    db.audit('account-updated', admin.id, id, { fields: Object.keys(body) });
    const row = db.account(id)!;
    return { id: row.id, login: row.login, name: row.name, role: row.role };
  });
  app.post('/api/accounts/:id/revoke-sessions', async (req) => {
    const admin = needAdmin(req);
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'account id');
    const n = revokeUser(id);
    db.audit('sessions-revoked', admin.id, id, { count: n });
    return { revoked: n };
  });
  function revokeUser(userId: string): number {
    const n = db.revokeUserSessions(userId);
    core.kickWhere((p) => p instanceof WsPeer && (p.tag as { userId?: string })?.userId === userId, CLOSE.unauthorized, 'session revoked');
    return n;
  }

  // ---- meetings --------------------------------------------------------------------------
  const summary = (a: Account, m: { id: string; title: string; starts_at: string | null; room: string | null; status: MeetingSummary['status'] }): MeetingSummary => ({
    id: m.id, title: m.title, startsAt: m.starts_at, room: m.room, status: m.status, myRole: callerFor(db, a, m.id).meetingRole,
  });
  app.get('/api/meetings', async (req) => {
    const a = need(req);
    const rows = a.role === 'admin' ? db.allMeetings() : db.meetingsOf(a.id).filter((m) => takesPart(db, a, m.id));
    return rows.map((m) => summary(a, m));
  });
  app.post('/api/meetings', async (req, reply) => {
    const a = need(req);
    if (a.role !== 'admin' && a.role !== 'secretary' && a.role !== 'chair') throw forbidden('only a secretary, chair or admin may create meetings');
    const body = parseOr400(createMeetingSchema, req.body, 'meeting');
    const m = db.createMeeting({ title: body.title, startsAt: body.startsAt ?? null, room: body.room ?? null });
    if (a.role !== 'admin') db.setParticipant(m.id, a.id, a.role === 'chair' ? 'chair' : 'secretary');
    writeDetails(m.id);
    db.audit('meeting-created', a.id, m.id);
    return reply.status(201).send(summary(a, m));
  });
  app.get('/api/meetings/:id', async (req) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a, m } = meetingOr404(req, id);
    return { ...summary(a, m), participants: db.participants(id) };
  });
  app.patch('/api/meetings/:id', async (req) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a } = meetingOr404(req, id);
    if (!canManage(db, a, id)) throw forbidden('only the meeting\'s secretary, chair or an admin may edit it');
    const body = parseOr400(updateMeetingSchema, req.body, 'meeting');
    db.updateMeeting(id, body);
    writeDetails(id);
    // Back to draft: its delegates and observers lose it; published again: nothing to undo.
    if (body.status !== undefined) await recheckSync((_t, doc) => doc?.meetingId === id);
    db.audit('meeting-updated', a.id, id, { fields: Object.keys(body) });
    return summary(a, db.meeting(id)!);
  });
  app.put('/api/meetings/:id/participants/:userId', async (req) => {
    const { id, userId } = req.params as { id: string; userId: string };
    parseOr400(idSchema, id, 'meeting id');
    const { a } = meetingOr404(req, id);
    if (!canManage(db, a, id)) throw forbidden('only the meeting\'s secretary, chair or an admin may change participants');
    const body = parseOr400(setParticipantSchema, isPlainObject(req.body) ? { ...req.body, userId } : req.body, 'participant');
    if (!db.account(body.userId)) throw notFound('no such account');
    db.setParticipant(id, body.userId, body.role);
    await recheckSync((t, doc) => t.userId === body.userId && doc?.meetingId === id);
    db.audit('participant-set', a.id, id, { userId: body.userId, role: body.role });
    return db.participants(id);
  });
  app.delete('/api/meetings/:id/participants/:userId', async (req, reply) => {
    const { id, userId } = req.params as { id: string; userId: string };
    parseOr400(idSchema, id, 'meeting id');
    parseOr400(idSchema, userId, 'user id');
    const { a } = meetingOr404(req, id);
    if (!canManage(db, a, id)) throw forbidden();
    db.removeParticipant(id, userId);
    // Their open connections to this meeting's documents end now; everyone else's stay, and so
    // do their own connections to other meetings.
    core.kickWhere((p, doc) => p instanceof WsPeer && (p.tag as { userId?: string })?.userId === userId && parseDocName(doc)?.meetingId === id,
      CLOSE.revoked, 'removed from the meeting');
    db.audit('participant-removed', a.id, id, { userId });
    return reply.status(204).send();
  });

  // ---- papers ----------------------------------------------------------------------------
  const paperInfo = (p: { id: string; meeting_id: string; title: string; restricted: number }): PaperInfo => ({
    id: p.id, meetingId: p.meeting_id, title: p.title, restricted: p.restricted === 1,
    versions: db.paperVersions(p.id).map((v) => ({ version: v.version, sha256: v.sha256, pages: v.pages, size: v.size, fileName: v.file_name, createdAt: v.created_at, carriedFrom: fingerprints.carryOf(p.id, v.version) })),
  });
  app.get('/api/meetings/:id/papers', async (req) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a } = meetingOr404(req, id);
    // Managers also learn who a restricted paper is limited to (the console shows and edits it).
    const manager = canManage(db, a, id);
    return db.papersOf(id).filter((p) => canSeePaper(db, a, p)).map((p) => (manager && p.restricted ? { ...paperInfo(p), restrictTo: db.paperAllowedUsers(p.id) } : paperInfo(p)));
  });

  /** Who uploads where, with what parameters: all known from the headers, before the body. */
  const uploadTarget = (req: FastifyRequest) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a } = meetingOr404(req, id);
    if (!canManage(db, a, id)) throw forbidden('only the meeting\'s secretary, chair or an admin may upload papers');
    return { id, a, q: parseOr400(uploadQuerySchema, req.query, 'upload parameters') };
  };
  // The one route that reads a large body, and only from a caller who may upload here.
  app.post('/api/meetings/:id/documents', {
    bodyLimit: LIMITS.maxPaperBytes,
    config: { accepts: paperTypes },
    onRequest: async (req) => void uploadTarget(req),
  }, async (req, reply) => {
    const { id, a, q } = uploadTarget(req);
    const ctype = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
    const office = officeKind(ctype, q.fileName);
    if (ctype !== 'application/pdf' && ctype !== 'application/octet-stream' && !office) {
      throw new HttpError(415, 'unsupported_media_type', 'send the paper as the request body with Content-Type: application/pdf');
    }
    const body = req.body;
    if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('the request body is empty: send the PDF bytes');
    const restrictTo = q.restrictTo ? q.restrictTo.split(',').map((x) => x.trim()).filter(Boolean) : null;
    // A .docx/.odt becomes a PDF first (or a 415 naming what to install) and then takes the PDF path.
    const pdf = office ? await convertToPdf(body, office) : body;
    const fileName = office && q.fileName ? q.fileName.replace(/\.(docx|odt)$/i, '.pdf') : q.fileName;
    const res = await addPaper(a, id, pdf, { title: q.title, fileName, replace: q.replace, restrictTo });
    return reply.status(201).send(res);
  });

  app.patch('/api/papers/:id', async (req) => {
    const pid = parseOr400(idSchema, (req.params as { id: string }).id, 'paper id');
    const a = need(req);
    const paper = db.paper(pid);
    if (!paper || !canSeePaper(db, a, paper)) throw notFound('no such paper');
    if (!canManage(db, a, paper.meeting_id)) throw forbidden();
    const body = parseOr400(z.object({ title: z.string().trim().min(1).max(LIMITS.maxTitle).optional(), restrictTo: z.array(idSchema).nullable().optional() }).strict(), req.body, 'paper');
    if (body.title) db.setPaperTitle(pid, body.title);
    if (body.restrictTo !== undefined) db.setPaperRestriction(pid, body.restrictTo);
    const updated = db.paper(pid)!;
    core.withDoc(meetingDocName(paper.meeting_id), (doc) => {
      if (updated.restricted) meetingDoc.removePaper(doc, pid);
      else {
        doc.transact(() => {
          const m = meetingDoc.papersMap(doc).get(pid);
          if (m) m.set('title', updated.title);
          else for (const v of db.paperVersions(pid)) meetingDoc.putPaperVersion(doc, pid, updated.title, { version: v.version, sha256: v.sha256, pages: v.pages, size: v.size, fileName: v.file_name, createdAt: v.created_at, carriedFrom: fingerprints.carryOf(pid, v.version) });
        }, 'hub');
      }
    });
    bumpPapers(paper.meeting_id);
    db.audit('paper-updated', a.id, pid, { fields: Object.keys(body) });
    return paperInfo(updated);
  });

  app.delete('/api/papers/:id', async (req, reply) => {
    const pid = parseOr400(idSchema, (req.params as { id: string }).id, 'paper id');
    const a = need(req);
    const paper = db.paper(pid);
    if (!paper || !canSeePaper(db, a, paper)) throw notFound('no such paper');
    if (!canManage(db, a, paper.meeting_id)) throw forbidden();
    db.removePaper(pid);
    core.withDoc(meetingDocName(paper.meeting_id), (doc) => meetingDoc.removePaper(doc, pid));
    bumpPapers(paper.meeting_id);
    db.audit('paper-removed', a.id, pid);
    return reply.status(204).send();
  });

  const blobRoute = async (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    const a = need(req);
    const sha = parseOr400(sha256Schema, (req.params as { sha: string }).sha, 'sha256');
    // 404 rather than 403 for papers the caller may not see: their existence is not leaked.
    if (!canReadBlob(db, a, sha)) throw notFound('no such paper file');
    if (req.method === 'GET' && !req.headers.range) db.audit('paper-downloaded', a.id, sha);
    else if (req.method === 'GET' && /^bytes=0-/.test(String(req.headers.range))) db.audit('paper-downloaded', a.id, sha, { range: req.headers.range });
    return sendBlob(req, reply, store, sha, blobCache);
  };
  app.get('/api/blobs/:sha', blobRoute);

  // ---- live: presenting ------------------------------------------------------------------
  app.post('/api/meetings/:id/present', async (req) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a } = meetingOr404(req, id);
    const body = parseOr400(presentSchema, req.body, 'presentation');
    const name = meetingDocName(id);
    return core.withDoc(name, (doc) => {
      const liveState = meetingDoc.readLive(doc);
      if (!canPresent(callerFor(db, a, id), liveState.presenterId)) throw forbidden('you may not present in this meeting');
      const paper = db.paper(body.paperId);
      if (!paper || paper.meeting_id !== id || !canSeePaper(db, a, paper)) throw notFound('no such paper');
      if (paper.restricted) throw badRequest('a restricted paper cannot be presented to the whole room');
      const versions = db.paperVersions(paper.id);
      const version = body.sha256 ? versions.find((v) => v.sha256 === body.sha256) : versions[versions.length - 1];
      if (!version) throw notFound('no such paper version');
      if (body.page > version.pages) throw badRequest(`page ${body.page} is past the end (${version.pages} pages)`);
      const presenting = { userId: a.id, paperId: paper.id, sha256: version.sha256, page: body.page, at: Date.now() };
      doc.transact(() => meetingDoc.live(doc).set('presenting', presenting), 'hub');
      return presenting;
    });
  });
  app.delete('/api/meetings/:id/present', async (req, reply) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a } = meetingOr404(req, id);
    core.withDoc(meetingDocName(id), (doc) => {
      const liveState = meetingDoc.readLive(doc);
      if (!canPresent(callerFor(db, a, id), liveState.presenterId)) throw forbidden('you may not present in this meeting');
      doc.transact(() => meetingDoc.live(doc).set('presenting', null), 'hub');
    });
    return reply.status(204).send();
  });
  app.put('/api/meetings/:id/presenter', async (req) => {
    const id = parseOr400(idSchema, (req.params as { id: string }).id, 'meeting id');
    const { a } = meetingOr404(req, id);
    if (!canManage(db, a, id)) throw forbidden('only the secretary or chair hands over presenting');
    const body = parseOr400(handPresenterSchema, req.body, 'presenter');
    if (body.userId && !db.participantRole(id, body.userId)) throw badRequest('the presenter must take part in the meeting');
    core.withDoc(meetingDocName(id), (doc) => doc.transact(() => meetingDoc.live(doc).set('presenterId', body.userId), 'hub'));
    return { presenterId: body.userId };
  });

  app.get('/api/audit', async (req) => {
    needAdmin(req);
    return db.auditLog();
  });

  // ---- devices: wipe orders, and the update feed -------------------------------------------
  registerDeviceRoutes(app, { db, orders: wipeOrders, need });
  await registerUpdateFeed(app, opts.updatesDir ?? path.join(opts.dataDir, 'updates'));

  await serveRenderer(app, opts.distDir ?? path.join(projectRoot, 'dist'));

  // ---- sync ------------------------------------------------------------------------------
  const authorizeSync = (req: import('node:http').IncomingMessage, docName: string): SyncAuthResult => {
    const url = new URL(req.url ?? '/', 'http://local');
    const header = req.headers.authorization;
    const token = url.searchParams.get('token') ?? (typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null);
    const auth = authenticate(token);
    const session = auth ? db.sessionUser(auth.hash) : null;
    if (!auth || !session) return { ok: false, code: CLOSE.unauthorized, reason: 'sign in first' };
    const doc = parseDocName(docName);
    if (!doc) return { ok: false, code: CLOSE.notFound, reason: 'no such document' };
    if (!db.meeting(doc.meetingId)) return { ok: false, code: CLOSE.notFound, reason: 'no such meeting' };
    const access = docAccess(callerFor(db, auth.account, doc.meetingId), doc);
    if (access === 'none') return { ok: false, code: CLOSE.forbidden, reason: 'you may not read this document' };
    return { ok: true, access, docName, tag: { userId: auth.account.id, hash: auth.hash }, identity: auth.account.id, expiresAt: session.expires_at };
  };

  await app.listen({ port: opts.port ?? 4700, host: opts.host ?? '127.0.0.1' });
  endpoint = attachSyncEndpoint({ server: app.server, core, authorize: authorizeSync, log, rateLimits: opts.sync?.rateLimits });
  const syncEndpoint = endpoint;
  const address = app.server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url, port: address.port, app, db, store, core, addPaper,
    close: async () => {
      syncEndpoint.close();
      core.close();
      await app.close();
      await flusher?.stop();
      sqlite.close();
    },
  };
}
