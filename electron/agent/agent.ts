// The device agent: a caching replica of the hub for one signed-in user on one device. It serves
// its clients (the renderer, or a browser on loopback) the hub's own HTTP API and `/sync/...`
// from a SQLite cache, replicates the user's meeting and notes documents upstream, prefetches
// every paper, and purges what the hub says the user may no longer see, or orders wiped.
//
// This file only wires the parts, each owning its state: account.ts (the user, the hub token),
// meeting-cache.ts (kept meetings and purges), replication.ts (one upstream link per document),
// hub-rounds.ts (the HTTP loop with the hub: session, wipe orders, meetings, papers; backoff),
// local-sign-in.ts (online and throttled offline sign-in), local-api.ts and hub-proxy.ts (the
// HTTP server and what it forwards), search-indexer.ts and search.ts (the index of the papers
// held, and search from it without the hub), agent-status.ts. Nothing waits on the hub before
// serving: start-up with the hub away serves the cache.
import path from 'node:path';
import { WebsocketProvider } from 'y-websocket';
import { createLogger, logFunction, type Log } from '../core/log.ts';
import { ensurePrivateDir } from '../core/private-files.ts';
import { DocStore, openDatabase, type Database } from '../core/store.ts';
import { SyncCore } from '../core/sync-core.ts';
import { attachSyncEndpoint, type SyncEndpoint } from '../core/ws-endpoint.ts';
import { parseOr400 } from '../core/http-common.ts';
import { idSchema, type AgentStatus } from '../../shared/api.ts';
import { liveDocName, meetingDocName, notesDocName } from '../../shared/doc-names.ts';
import { Account } from './account.ts';
import { agentStatus } from './agent-status.ts';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
import { openCache } from './cache-file.ts';
import { HubClient } from './hub-client.ts';
import { HubRounds } from './hub-rounds.ts';
import { createLocalApi } from './local-api.ts';
import { LocalSignIn } from './local-sign-in.ts';
import { DeviceSessions } from './device-session.ts';
import { LOCAL_SESSION_TTL_MS } from './agent-db.ts';
import { MeetingCache } from './meeting-cache.ts';
import { Prefetcher } from './prefetch.ts';
import { Replication } from './replication.ts';
import { SearchIndex } from '../core/search-index.ts';
import { answerOnDevice, wantedFiles } from './search.ts';
import { SearchIndexer } from './search-indexer.ts';
import { VerifiedBlobs } from './verified-blobs.ts';
import { OfflineClock, systemTime, type TimeSource } from './offline-clock.ts';
import { OfflineExpiry } from './offline-expiry.ts';
import { RecallHandler } from './recall.ts';

export type { Log } from '../core/log.ts';

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
  /** How long a local sign-in lasts (default 12 h); open sync connections close at its end. */
  sessionTtlMs?: number;
  log?: Log;
  /** The built renderer; defaults to ./dist beside the project root. */
  distDir?: string;
  /** How often the meeting list is refreshed while the hub answers. */
  refreshMs?: number;
  /** The largest file passed on from the hub (hub-download.ts; default 2 GiB). */
  maxDownloadBytes?: number;
  /** Reconnect backoff (full jitter) for the HTTP loop and each document link. */
  backoff?: BackoffOptions;
  /** Told after each wipe order from the hub is carried out (the desktop shell returns its window to sign-in). */
  onWipeOrder?: (order: { meetingId: string; refetch: boolean }) => void;
  /** The clock of classified papers' offline lifetime (offline-clock.ts); default the system's. */
  time?: TimeSource;
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

export async function startAgent(options: AgentOptions): Promise<Agent> {
  const log: Log = options.log ?? logFunction(createLogger('agent'));
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  ensurePrivateDir(options.dataDir);
  const { sqlite, store, db } = openCache(path.join(options.dataDir, 'agent.sqlite'), options.openDatabase ?? ((file) => openDatabase(file)), log);
  // What arrives from the hub is committed without an fsync: the hub holds it and sends again
  // whatever a power cut took (SyncCoreOptions.refetchable). The client's own changes keep FULL.
  const core = new SyncCore({ store, log, refetchable: (origin) => origin instanceof WebsocketProvider });
  const hub = new HubClient(options.hubUrl);
  // Set once listening. What a round learns about the user's access (a role in a meeting, the
  // account's role) is applied to the open local connections at once: each is authorised again
  // and closed (4410), made read-only, or asked to reconnect as a writer (1012), as on the hub.
  // All of them: a device holds a few, and the check is a synchronous lookup in memory.
  let endpoint: SyncEndpoint | null = null;
  const recheckLocal = () => void endpoint?.recheck();

  // The parts refer to one another only through these callbacks, so each can be built (and
  // unit-tested) with stand-ins for the others; none is called before all are built.
  const account = new Account({
    db, hub, log,
    hooks: {
      onUserSwitch: () => meetings.purgeEverything('another user signed in on this device', true),
      onTokenChanged: () => replication.restartAll(),
      onAccessChanged: recheckLocal,
    },
  }, options);
  const replication: Replication = new Replication({
    core, wsUrl: hub.wsUrl, token: () => hub.token, backoff, log,
    docsOf: (meetingId) => (account.user ? [meetingDocName(meetingId), liveDocName(meetingId), notesDocName(meetingId, account.user.id)] : []),
    offline: () => rounds.link === 'offline',
    requestRound: () => void rounds.request(),
    onLiveDoc: (_meetingId, doc) => recalls.watch(doc),
    onContact: () => expiry.renew(null),
  });
  const verifiedBlobs = new VerifiedBlobs(store, log);
  const searchIndex = new SearchIndex(sqlite);
  const indexer = new SearchIndexer({ index: searchIndex, db: sqlite, store, log, wanted: () => readableOnly(wantedFiles(meetings)), verify: (sha) => verifiedBlobs.check(sha) });
  const prefetcher = new Prefetcher({
    store, log,
    stillListed: (sha) => meetings.listedSize(sha) !== null,
    onVerified: (sha) => {
      verifiedBlobs.mark(sha);
      void indexer.schedule();
    },
    fetchBlob: (sha, range, signal) => hub.raw(`/api/blobs/${sha}`, {
      headers: range ? { range, 'if-range': `"${sha}"` } : {},
      signal: AbortSignal.any([signal, AbortSignal.timeout(30 * 60_000)]),
    }),
  });
  const meetings: MeetingCache = new MeetingCache({
    db, store, core, replicas: replication, cancelPrefetch: () => prefetcher.cancel(), account, log,
    onAccessChanged: recheckLocal,
    onPapersDropped: () => indexer.prune(),
  });
  // Issue 17: classified papers' offline lifetime, and recalls (docs/recall-and-expiry.md).
  const expiry = new OfflineExpiry({
    store, log, clock: new OfflineClock(sqlite, options.time ?? systemTime),
    papers: () => meetings.plan().flatMap((m) => m.papers),
    onDestroyed: () => indexer.prune(),
  });
  const readableOnly = (files: ReadonlySet<string>): ReadonlySet<string> => {
    const gone = expiry.unreadable();
    return gone.size ? new Set([...files].filter((sha) => !gone.has(sha))) : files;
  };
  const recalls = new RecallHandler({
    db: sqlite, store, hub, deviceId: db.deviceId(), log,
    forgetPaper: (paperId) => meetings.forgetPaper(paperId),
    stillListed: (sha) => meetings.listedSize(sha) !== null,
    cancelPrefetch: () => prefetcher.cancel(),
    onPapersDropped: () => indexer.prune(),
  });
  const rounds: HubRounds = new HubRounds({
    hub, account, meetings, replicas: replication, log,
    prefetch: (plan) => {
      void prefetcher.run(plan);
      void indexer.schedule();
    },
    // Names this device in the hub's wipe orders.
    deviceId: db.deviceId(),
    refreshMs: options.refreshMs ?? 30_000,
    backoff,
    onWipeOrder: options.onWipeOrder,
    // A wipe order sends whoever holds the tablet back to sign-in: no page may resume past it.
    endDeviceSessions: () => devices.endAll(),
    recallRound: () => recalls.round(),
    onContact: (hubTime) => {
      expiry.renew(hubTime);
      expiry.resealHeld();
    },
  });
  // A device session lasts as long as a local session: the hub's own session (12 h) bounds what
  // the agent can do for a user who gave no password since, so a longer one would only fail later.
  const devices = new DeviceSessions({ db, now: () => (options.time ?? systemTime).wallMs(), ttlMs: options.sessionTtlMs ?? LOCAL_SESSION_TTL_MS });
  const sessions = new LocalSignIn({
    db, account, core, log, rounds, onHubSignIn: () => meetings.letWipedBack(), sessionTtlMs: options.sessionTtlMs,
    devices, actsForUser: () => hub.token !== null || account.canSignIn, online: () => rounds.link === 'online',
  });
  // The device id rides along for the viewer's watermark (a watermarked page names its device).
  const status = () => ({ ...agentStatus({ link: () => rounds.link, linksSynced: () => replication.allSynced, plan: () => meetings.plan(), prefetcher }), deviceId: db.deviceId() });

  meetings.load();
  // Papers held from an earlier run that are not indexed yet (or were cut off half way).
  void indexer.schedule();
  rounds.start();

  const api = await createLocalApi({
    sessions, meetings, store, prefetcher, verifiedBlobs, hub, status, log,
    online: () => rounds.link === 'online',
    requestRound: () => rounds.request(),
    searchOnDevice: (q) => answerOnDevice({ index: searchIndex, meetings, core }, q),
    deviceId: db.deviceId(),
    readable: (sha) => expiry.readable(sha),
    maxDownloadBytes: options.maxDownloadBytes,
    distDir: options.distDir ?? path.join(projectRoot, 'dist'),
  });
  const host = options.host ?? '127.0.0.1';
  const address = await api.listen(options.port, host);
  const sync = attachSyncEndpoint({ server: api.app.server, core, authorize: api.authorizeSync, log });
  endpoint = sync;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url, port: address.port, core, store, status,
    refresh: () => rounds.request(),
    wipeMeeting: async (meetingId: string) => {
      parseOr400(idSchema, meetingId, 'meeting id');
      devices.endAll();
      meetings.wipeMeeting(meetingId, 'wiped on the device');
    },
    close: async () => {
      prefetcher.cancel();
      indexer.close();
      recalls.close();
      expiry.close();
      replication.close();
      // A round stuck on a silent network must not hold the shutdown.
      await rounds.close();
      await account.close();
      sync.close();
      core.close();
      await api.app.close();
      sqlite.close();
    },
  };
}
