// What the hub's route modules are built over: its stores and services, made once by createHub.
import type { BlobCache } from '../core/blob-cache.ts';
import type { Log } from '../core/log.ts';
import type { Database, DocStore } from '../core/store.ts';
import type { SyncCore } from '../core/sync-core.ts';
import type { ClassificationService } from './classification/service.ts';
import type { Connections } from './connections.ts';
import type { DocWriter } from './doc-writer.ts';
import type { HubDb } from './hub-db.ts';
import type { LiveWriter } from './live-writer.ts';
import type { PageFingerprints } from './page-fingerprints.ts';
import type { PollKeys } from './procedures/poll-keys.ts';
import type { Roll } from './procedures/roll.ts';
import type { RecordStore } from './records/record-store.ts';
import type { SearchService } from './search/service.ts';
import type { SessionService } from './sessions.ts';
import type { AddPaper } from './uploads.ts';
import type { WipeOrders } from './wipe-orders.ts';

export interface HubContext {
  sqlite: Database;
  db: HubDb;
  store: DocStore;
  core: SyncCore;
  blobCache: BlobCache;
  fingerprints: PageFingerprints;
  wipeOrders: WipeOrders;
  docs: DocWriter;
  /** Writes live/<meetingId>, the procedures' mirror. */
  live: LiveWriter;
  /** Who is present and entitled, and the quorum: attendance as the votes need it. */
  roll: Roll;
  /** The meeting's record (outcomes, decisions, action items): `record(meetingId)`, `onChange`, `lock`. */
  records: RecordStore;
  /** The hub's keys in `<data>/poll-keys/`: its Ed25519 signing key signs vote results and meeting packages. */
  keys: PollKeys;
  addPaper: AddPaper;
  /** Classification levels and each paper's (`levelOfPaper(paperId)`: what the paper's level allows). */
  classification: ClassificationService;
  /** Search over papers and the record: `search.putRecord` / `removeRecord` keep conclusions and decisions findable. */
  search: SearchService;
  sessions: SessionService;
  connections: Connections;
  log: Log;
}
