// Offline expiry of classified papers (issue 17; docs/recall-and-expiry.md). A paper whose level
// has an `offlineHours` is sealed under its own key (sealed-store.ts); it may be opened only while
// the time since the device's last contact with the hub (offline-clock.ts) is under that
// lifetime. Past it the key is destroyed, the paper's search rows go with it, and the agent
// answers 410 `offline_expired`; a contact with the hub renews the clock, and the files whose keys
// were destroyed are deleted so the prefetch fetches them again under new keys.
import { DEFAULT_LEVELS } from '../../shared/classification.ts';
import type { PaperInfo } from '../../shared/api.ts';
import type { Log } from '../core/log.ts';
import type { OfflineClock } from './offline-clock.ts';
import type { SealedBlobStore } from './sealed-store.ts';

const HOUR_MS = 3_600_000;
/** Keys are destroyed within this long of their lifetime's end even when nobody opens the paper. */
const SWEEP_EVERY_MS = 30_000;

/** A paper's offline lifetime in hours from its answer; null: no limit (and no level means `normal`). */
export function offlineHoursOf(p: Pick<PaperInfo, 'level' | 'classification'>): number | null {
  if (p.classification) return p.classification.offlineHours;
  const level = DEFAULT_LEVELS.find((l) => l.id === (p.level ?? 'normal'));
  return level ? level.offlineHours : null;
}

export interface OfflineExpiryDeps {
  store: SealedBlobStore;
  clock: OfflineClock;
  /** The papers of every kept meeting. */
  papers: () => Iterable<PaperInfo>;
  /** Search rows of files no longer readable are dropped (search-indexer.ts prune). */
  onDestroyed: () => void;
  log: Log;
}

export class OfflineExpiry {
  private readonly deps: OfflineExpiryDeps;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(deps: OfflineExpiryDeps) {
    this.deps = deps;
    deps.store.lifetimeOf = (sha) => this.lifetimeOf(sha);
    this.timer = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** The shortest lifetime any kept paper holding this file gives it (null: none limits it). */
  lifetimeOf(sha256: string): number | null {
    return this.listedLifetime(sha256).hours;
  }

  private listedLifetime(sha256: string): { listed: boolean; hours: number | null } {
    let hours: number | null = null;
    let listed = false;
    for (const p of this.deps.papers()) {
      if (!p.versions.some((v) => v.sha256 === sha256)) continue;
      listed = true;
      const h = offlineHoursOf(p);
      if (h !== null) hours = hours === null ? h : Math.min(hours, h);
    }
    return { listed, hours };
  }

  /** Whether the file may be opened now; a file past its lifetime has its key destroyed first. */
  readable(sha256: string): boolean {
    this.sweep();
    return !this.deps.store.isDestroyed(sha256);
  }

  /** Files that may not be opened (their keys are destroyed). */
  unreadable(): Set<string> {
    return new Set(this.deps.store.destroyedFiles());
  }

  /** Destroys the key of every sealed file past its lifetime. */
  sweep(): void {
    const elapsed = this.deps.clock.elapsedMs();
    // The level as the hub gives it now (it may have changed since the file was sealed); a file no
    // kept paper lists any more keeps the lifetime it was sealed with.
    const due = this.deps.store.sealedFiles().filter((f) => {
      const now = this.listedLifetime(f.sha256);
      const hours = now.listed ? now.hours : f.offlineHours;
      return hours !== null && elapsed >= hours * HOUR_MS;
    }).map((f) => f.sha256);
    if (due.length === 0) return;
    this.deps.store.destroyKeys(due);
    this.deps.log('offline access to classified papers expired: their keys are destroyed', { files: due, elapsedMs: Math.round(elapsed), lastContactHubTime: this.deps.clock.lastContactHubTime() });
    this.deps.onDestroyed();
  }

  /** A contact with the hub: the clock starts again, and expired files are fetched anew. */
  renew(hubTime: number | null): void {
    // A sync link may still report a contact while the agent shuts down, after the database closed.
    if (this.closed) return;
    this.deps.clock.renew(hubTime);
    const gone = this.deps.store.destroyedFiles();
    for (const sha of gone) this.deps.store.deleteBlob(sha);
    if (gone.length) this.deps.log('back in contact with the hub: expired papers will be fetched again', { files: gone });
  }

  /**
   * Files held in the clear whose paper is classified now (downloaded before its level was set or
   * raised) are deleted, so the prefetch that follows the round fetches them again, sealed.
   */
  resealHeld(): void {
    const clear = this.deps.store.listBlobs().filter((b) => !this.deps.store.isSealed(b.sha256) && this.lifetimeOf(b.sha256) !== null).map((b) => b.sha256);
    for (const sha of clear) this.deps.store.deleteBlob(sha);
    if (clear.length) this.deps.log('classified papers held in the clear are fetched again under their own keys', { files: clear });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.deps.clock.close();
  }
}
