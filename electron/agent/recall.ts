// Recalls on the device (issue 17; docs/recall-and-expiry.md). The hub writes each recall into
// the meeting's live document, which this agent replicates as soon as it is online, so a recall
// reaches an online device within the time of one sync message; whatever a device missed (it was
// off, or the meeting's live document was not replicated) comes in its pending list at the next
// round. Either way the paper leaves the device the same way: out of the kept paper lists, any
// download of it stopped and its bytes discarded, its files deleted (unless another kept paper
// holds the same file) with their search rows, and then the hub is told. A confirmation that
// does not reach the hub is sent again at the next round; the deletion is recorded first, so it
// is never repeated for nothing nor lost to a crash.
import type * as Y from 'yjs';
import { recalls as liveRecalls, liveMap } from '../../shared/live-doc.ts';
import type { PendingRecall } from '../../shared/recall.ts';
import type { Log } from '../core/log.ts';
import type { Database, DocStore } from '../core/store.ts';
import { HubRefusedError } from './hub-client.ts';

export interface RecallHub {
  pendingRecalls(deviceId: string): Promise<{ recalls: PendingRecall[]; hubTime: number | null }>;
  ackRecall(id: string, deviceId: string): Promise<void>;
}

export interface RecallDeps {
  db: Database;
  store: Pick<DocStore, 'deleteBlob'>;
  hub: RecallHub;
  deviceId: string;
  /** Removes the paper from every kept meeting's list; returns the files it listed. */
  forgetPaper: (paperId: string) => string[];
  /** Whether a kept paper still lists this file (then it stays). */
  stillListed: (sha256: string) => boolean;
  /** Stops the download in flight (its bytes are discarded with the file). */
  cancelPrefetch: () => void;
  /** Drops the search rows of files no longer held. */
  onPapersDropped: () => void;
  log: Log;
}

export class RecallHandler {
  private readonly deps: RecallDeps;
  private readonly acking = new Set<string>();
  /** Live documents observed (a meeting's replica is a new document after a purge). */
  private readonly watched = new WeakSet<Y.Doc>();
  private closed = false;

  constructor(deps: RecallDeps) {
    this.deps = deps;
  }

  /** Carries out the recalls a meeting's live document holds, now and as they arrive. */
  watch(doc: Y.Doc): void {
    if (this.watched.has(doc)) return;
    this.watched.add(doc);
    const run = () => {
      if (this.closed) return;
      for (const r of liveRecalls(doc)) this.apply(r, 'live document');
    };
    liveMap(doc, 'recalls').observe(run);
    run();
  }

  /**
   * A round with the hub: the recalls this device has not confirmed, and confirmations that did
   * not reach the hub before. Returns the hub's clock as its answer's Date header gave it.
   */
  async round(): Promise<number | null> {
    let answer;
    try {
      answer = await this.deps.hub.pendingRecalls(this.deps.deviceId);
    } catch (err) {
      // A hub from before recalls: nothing to do.
      if (err instanceof HubRefusedError && err.status === 404) return null;
      throw err;
    }
    for (const r of answer.recalls) this.apply(r, 'round');
    const unacked = this.deps.db.prepare<[], { id: string }>('SELECT id FROM recalls_done WHERE acked_at IS NULL').all();
    for (const { id } of unacked) await this.ack(id);
    return answer.hubTime;
  }

  /** Deletes what the recall names (once), then confirms to the hub (until it is confirmed). */
  apply(r: { id: string; paperId: string; sha256s?: readonly string[] }, via: 'live document' | 'round'): void {
    const { db, log } = this.deps;
    const done = db.prepare<[string], { acked_at: number | null }>('SELECT acked_at FROM recalls_done WHERE id = ?').get(r.id);
    if (!done) {
      // Stopped before the files go: a chunk in flight finds its file gone and is dropped (prefetch.ts).
      this.deps.cancelPrefetch();
      const deleted: string[] = [];
      // One commit: the paper out of the lists, its files, and the record that it was done.
      db.transaction(() => {
        const files = new Set([...this.deps.forgetPaper(r.paperId), ...(r.sha256s ?? [])]);
        for (const sha of files) {
          if (this.deps.stillListed(sha)) continue;
          this.deps.store.deleteBlob(sha);
          deleted.push(sha);
        }
        db.prepare('INSERT OR IGNORE INTO recalls_done (id, paper_id, done_at) VALUES (?, ?, ?)').run(r.id, r.paperId, Date.now());
      })();
      this.deps.onPapersDropped();
      log('carried out a recall from the hub', { recall: r.id, paperId: r.paperId, filesDeleted: deleted.length, via });
    }
    if (!done || done.acked_at === null) void this.ack(r.id);
  }

  private async ack(id: string): Promise<void> {
    if (this.acking.has(id)) return;
    this.acking.add(id);
    try {
      await this.deps.hub.ackRecall(id, this.deps.deviceId);
      this.deps.db.prepare('UPDATE recalls_done SET acked_at = ? WHERE id = ?').run(Date.now(), id);
    } catch (err) {
      // Sent again at the next round; a recall the hub no longer knows needs no confirmation.
      if (err instanceof HubRefusedError && err.status === 404) this.deps.db.prepare('UPDATE recalls_done SET acked_at = ? WHERE id = ?').run(Date.now(), id);
      else this.deps.log('could not confirm a recall to the hub; trying again at the next round', { recall: id, error: String(err) });
    } finally {
      this.acking.delete(id);
    }
  }

  close(): void {
    this.closed = true;
  }
}
