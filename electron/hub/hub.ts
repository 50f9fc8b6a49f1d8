// The room hub: the authority over accounts, meetings, permissions and papers, and the durable
// copy of every Yjs document. createHub opens the stores, makes the services (sessions, uploads,
// the doc writer, the connections' hold) and registers the routes by resource (routes/*.ts) from
// the route table in shared/routes.ts; the sync endpoint is attached once it listens.
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { openDatabase, DocStore, type OpenOptions } from '../core/store.ts';
import { BlobCache } from '../core/blob-cache.ts';
import { startWalFlusher } from '../core/wal-flusher.ts';
import { ensurePrivateDir, restrictDatabaseFiles } from '../core/private-files.ts';
import { SyncCore, CLOSE } from '../core/sync-core.ts';
import { attachSyncEndpoint, type SyncAuthResult } from '../core/ws-endpoint.ts';
import type { RateLimits, SyncLimits } from '../core/sync-limits.ts';
import { bearerToken, installErrorHandler, installSecurityHeaders, serveRenderer } from '../core/http-common.ts';
import { hardenedServerOptions, installRequestGuard } from '../core/http-guards.ts';
import { createLogger, logFunction, type Log } from '../core/log.ts';
import { ROOM_SIGN_IN_POLICY, SignInThrottle, type SignInThrottleOptions } from '../core/sign-in-throttle.ts';
import { claimDatabase, inspectDataFolder, recordRoom } from './data-folder.ts';
import { HubDb } from './hub-db.ts';
import { PageFingerprints } from './page-fingerprints.ts';
import { registerUpdateFeed } from './update-feed.ts';
import { WipeOrders } from './wipe-orders.ts';
import { callerFor, type Account } from './access.ts';
import { createConnections } from './connections.ts';
import type { HubContext } from './context.ts';
import { createDocWriter } from './doc-writer.ts';
import { createLiveWriter } from './live-writer.ts';
import { AttendanceStore } from './procedures/attendance-store.ts';
import { PollKeys } from './procedures/poll-keys.ts';
import { RecordLock } from './records/record-lock.ts';
import { RecordStore } from './records/record-store.ts';
import { createRouter } from './route.ts';
import { hubRules } from './rules.ts';
import { createSessionService } from './sessions.ts';
import { searchFileOf } from './search/index-file.ts';
import { createSearchService, type SearchService } from './search/service.ts';
import type { IndexerOptions } from './search/indexer.ts';
import { searchRoutes } from './search/routes.ts';
import { feedRecordsToSearch } from './search/record-feed.ts';
import { createUploadService, type AddPaper } from './uploads.ts';
import { closedMeetingGuard } from './archive/lock.ts';
import { createClassificationService } from './classification/service.ts';
import { classificationRoutes } from './classification/routes.ts';
import { notesExportRoutes } from './notes-export/routes.ts';
import { auditRoutes, type ReadingPolicy } from './audit/routes.ts';
import { accountRoutes } from './routes/accounts.ts';
import { archiveRoutes } from './routes/archive.ts';
import { blobRoutes } from './routes/blobs.ts';
import { deviceRoutes } from './routes/devices.ts';
import { recallRoutes } from './recall/routes.ts';
import { liveRoutes } from './routes/live.ts';
import { attendanceRoutes } from './routes/attendance.ts';
import { speakerRoutes } from './routes/speakers.ts';
import { pollRoutes } from './routes/polls.ts';
import { recordRoutes } from './routes/records.ts';
import { minutesRoutes } from './routes/minutes.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { paperRoutes } from './routes/papers.ts';
import { participantRoutes } from './routes/participants.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { LIMITS } from '../../shared/api.ts';
import { parseDocName } from '../../shared/doc-names.ts';
import { PAPER_MEDIA_TYPES } from '../../shared/routes.ts';
import { docAccess } from '../../shared/roles.ts';

export interface HubOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** The built renderer; defaults to ./dist beside the project root. */
  distDir?: string;
  /** Where log lines go; by default a pino logger for the `hub` subsystem on standard output. */
  log?: Log;
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
  /** The background text indexer's batch size and reading limits (electron/hub/search/indexer.ts). */
  search?: IndexerOptions;
  /**
   * The audit trail (docs/audit.md): signed checkpoints every `checkpointEvery` entries (default
   * 1,000), and whether reading a paper is recorded (its level's rule; by default never).
   */
  audit?: { checkpointEvery?: number; recordsReading?: ReadingPolicy };
}

/** The hub's sign-in throttling: the room's policy (core/sign-in-throttle.ts, docs/operations.md). */
export const SIGN_IN_THROTTLE: SignInThrottleOptions = ROOM_SIGN_IN_POLICY;

export interface Hub {
  url: string;
  /** The upload service: used by the API and the demo seed. */
  addPaper: AddPaper;
  port: number;
  app: FastifyInstance;
  db: HubDb;
  store: DocStore;
  core: SyncCore;
  /** The search service (the bench waits on `whenIdle`). */
  search: SearchService;
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
  const log = opts.log ?? logFunction(createLogger('hub'));
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
  const db = new HubDb(sqlite, log);
  recordRoom(folder, db, roomId);
  // Every committed change to a meeting document tells the search (agenda titles follow it).
  const core = new SyncCore({ store, log, compactEvery: opts.sync?.compactEvery, unloadAfterMs: opts.sync?.unloadAfterMs, limits: opts.sync?.limits, onCommitted: (name) => search.committed(name) });
  const search = createSearchService({ sqlite, db, store, core, log, searchFile: searchFileOf(opts.dataDir), paperFile: dbFile }, opts.search);
  const fingerprints = new PageFingerprints(sqlite);
  const docs = createDocWriter({ db, core, fingerprints });
  // A new paper is fetched by every tablet in the room at once: serve it from memory.
  const blobCache = new BlobCache({ log });
  const classification = createClassificationService({ sqlite, core });
  const hub: HubContext = {
    sqlite, db, store, core, blobCache, fingerprints, docs, log,
    live: createLiveWriter(core),
    roll: new AttendanceStore(sqlite),
    records: new RecordStore(sqlite, new RecordLock(db), { log }),
    wipeOrders: new WipeOrders(sqlite),
    keys: new PollKeys(opts.dataDir),
    search,
    classification,
    addPaper: search.indexingUploads(createUploadService({ db, store, core, blobCache, fingerprints, docs, classification, log })),
    sessions: createSessionService({ db, throttle: new SignInThrottle(opts.signInThrottle ?? SIGN_IN_THROTTLE), ttlMs: opts.sessionTtlMs }),
    // Open sync connections are re-authorised whenever something they depend on changes (a role,
    // a participation, a meeting's status); attached once the server listens.
    connections: createConnections(core),
  };

  // Conclusions and decisions are found by search: the record store feeds the index.
  const stopRecordFeed = feedRecordsToSearch(hub.records, search);

  const app = Fastify({ logger: false, bodyLimit: LIMITS.maxJsonBytes, trustProxy: false, forceCloseConnections: true, ...hardenedServerOptions });
  installErrorHandler(app, log);
  installSecurityHeaders(app);
  app.decorateRequest('account', null);
  app.decorateRequest('sessionHash', null);
  // The API speaks JSON and PDF only: a text/plain body would reach the schemas as a string and
  // fail there with a vaguer 400, so it is refused up front as 415.
  app.removeContentTypeParser('text/plain');
  // Only the upload route takes these (the request guard refuses them elsewhere before reading);
  // the parser's own limit is the JSON one, the route's table entry raises it.
  app.addContentTypeParser([...PAPER_MEDIA_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', async (req) => {
    const found = hub.sessions.authenticate(bearerToken(req));
    req.account = found?.account ?? null;
    req.sessionHash = found?.hash ?? null;
  });
  installRequestGuard(app, (req) => req.account !== null);

  // The trail's checkpoints are signed with the hub's key; one now seals what the last run wrote
  // (after a kill -9 nothing else did).
  db.trail.attachSigner(hub.keys, opts.audit?.checkpointEvery);
  db.trail.checkpoint('start');
  const route = createRouter(app, hubRules(db), closedMeetingGuard(db, sqlite));
  sessionRoutes(route, hub);
  accountRoutes(route, hub);
  meetingRoutes(route, hub);
  participantRoutes(route, hub);
  paperRoutes(route, hub);
  blobRoutes(route, hub);
  liveRoutes(route, hub);
  deviceRoutes(route, hub);
  recallRoutes(route, hub);
  attendanceRoutes(route, hub);
  speakerRoutes(route, hub);
  pollRoutes(route, hub);
  archiveRoutes(route, hub);
  searchRoutes(route, hub);
  // The minutes before the record: the record's lock asks whether they are issued from the start.
  minutesRoutes(route, hub);
  recordRoutes(route, hub);
  // Reading is recorded for papers whose classification level says so (docs/classification.md).
  auditRoutes(route, hub, opts.audit?.recordsReading ?? ((paperId) => hub.classification.levelOfPaper(paperId).recordReading));
  classificationRoutes(route, hub);
  notesExportRoutes(route, hub);
  await registerUpdateFeed(app, opts.updatesDir ?? path.join(opts.dataDir, 'updates'));
  await serveRenderer(app, opts.distDir ?? path.join(projectRoot, 'dist'));

  // ---- sync ------------------------------------------------------------------------------
  const authorizeSync = (req: import('node:http').IncomingMessage, docName: string): SyncAuthResult => {
    const url = new URL(req.url ?? '/', 'http://local');
    const header = req.headers.authorization;
    const token = url.searchParams.get('token') ?? (typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : null);
    const auth = hub.sessions.authenticate(token);
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
  const syncEndpoint = attachSyncEndpoint({ server: app.server, core, authorize: authorizeSync, log, rateLimits: opts.sync?.rateLimits });
  hub.connections.attach(syncEndpoint);
  // Papers stored before the index existed (or while the hub was down mid-way) are indexed now.
  search.start();
  const address = app.server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url, port: address.port, app, db, store, core, addPaper: hub.addPaper, search,
    close: async () => {
      stopRecordFeed();
      await search.close();
      syncEndpoint.close();
      core.close();
      await app.close();
      await flusher?.stop();
      // The last entries are sealed before the file closes: a tail cut off a stopped hub's file is then caught.
      try {
        db.trail.checkpoint('stop');
      } catch (err) {
        // The file must still close; the next start seals these entries instead.
        log('audit checkpoint at stop failed', { error: (err as Error).message });
      }
      sqlite.close();
    },
  };
}
