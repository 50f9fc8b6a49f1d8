// Per-page content fingerprints of every stored paper file, kept so that replacing a paper
// can tell which pages did not change (and carry delegates' annotations to them).
import type { Database } from '../core/store.ts';
import { inspectPdf } from '../core/pdf-inspect.ts';
import { mapUnchangedPages, type CarriedFrom } from '../../shared/paper-versions.ts';

/** Fingerprinting parses every page's content: allow more time than the upload check. */
const FINGERPRINT_TIMEOUT_MS = 120_000;

export class PageFingerprints {
  private readonly db: Database;
  private readonly running = new Map<string, Promise<string[] | null>>();
  /**
   * Fingerprinting parses every page, in a child process; a burst of uploads must not start one
   * per file at once (16 uploads meant 16 pdf.js processes on a two-core hub), so jobs run one
   * after another.
   */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(db: Database) {
    this.db = db;
    // Its tables come from the hub's migration list (electron/hub/hub-schema.ts).
  }

  /** The recorded relation of a paper version to the one before it. */
  carryOf(paperId: string, version: number): CarriedFrom | null {
    const row = this.db.prepare('SELECT carried FROM paper_carry WHERE paper_id = ? AND version = ?').get(paperId, version) as { carried: string } | undefined;
    return row ? (JSON.parse(row.carried) as CarriedFrom) : null;
  }

  saveCarry(paperId: string, version: number, carried: CarriedFrom): void {
    this.db.prepare('INSERT OR REPLACE INTO paper_carry (paper_id, version, carried) VALUES (?, ?, ?)').run(paperId, version, JSON.stringify(carried));
  }

  get(sha256: string): string[] | null {
    const row = this.db.prepare('SELECT prints FROM page_fingerprints WHERE sha256 = ?').get(sha256) as { prints: string } | undefined;
    return row ? (JSON.parse(row.prints) as string[]) : null;
  }

  put(sha256: string, prints: string[]): void {
    this.db.prepare('INSERT OR REPLACE INTO page_fingerprints (sha256, prints) VALUES (?, ?)').run(sha256, JSON.stringify(prints));
  }

  /** Fingerprints of a file, computed once (concurrent callers share the work); null if it cannot be read. */
  ensure(sha256: string, bytes: () => Uint8Array | null): Promise<string[] | null> {
    const known = this.get(sha256);
    if (known) return Promise.resolve(known);
    let job = this.running.get(sha256);
    if (!job) {
      job = (async () => {
        const data = bytes();
        if (!data) return null;
        try {
          const turn = this.queue.then(() => inspectPdf(data, { fingerprints: true, timeoutMs: FINGERPRINT_TIMEOUT_MS }));
          this.queue = turn.catch(() => {});
          const r = await turn;
          if (!r.fingerprints) return null;
          this.put(sha256, r.fingerprints);
          return r.fingerprints;
        } catch {
          return null;
        }
      })().finally(() => this.running.delete(sha256));
      this.running.set(sha256, job);
    }
    return job;
  }

  /** How the new version relates to the old one, or null when either cannot be fingerprinted. */
  async carried(oldSha: string, oldBytes: () => Uint8Array | null, newSha: string, newBytes: () => Uint8Array | null): Promise<CarriedFrom | null> {
    const [before, after] = await Promise.all([this.ensure(oldSha, oldBytes), this.ensure(newSha, newBytes)]);
    if (!before || !after) return null;
    return { sha256: oldSha, pages: mapUnchangedPages(before, after) };
  }
}
