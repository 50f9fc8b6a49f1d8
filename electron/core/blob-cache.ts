// Recently served paper files, held in memory, and the check that what is served is what was
// uploaded. When a paper is published every tablet in the room fetches it within seconds:
// without this each of fifty streams reads the same 20 MB out of SQLite again. Files are
// content-addressed, so a cached entry never goes stale; callers check access before they ask.
// Bounded by bytes, least recently used first out.
//
// Integrity: a file is hashed as it is read into memory and held only if its sha256 is its name,
// so bytes flipped on disk are never served under the original ETag. That costs one hash per
// load, not per request. A file too large to hold is hashed once (and remembered) before it is
// first streamed from the store.
import crypto from 'node:crypto';
import type { DocStore } from './store.ts';

export interface BlobCacheOptions {
  /** Total bytes held. */
  maxBytes?: number;
  /** Files larger than this are always streamed from the store (after one verification). */
  maxEntryBytes?: number;
  /** Told once per damaged file found (until it is stored again). */
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

/** A stored file whose bytes do not hash to its name (or are missing): never served. */
export class CorruptBlobError extends Error {
  override name = 'CorruptBlobError';
  readonly sha256: string;
  constructor(sha256: string, why: string) {
    super(`stored file ${sha256} is damaged: ${why}`);
    this.sha256 = sha256;
  }
}

/** Bytes hashed between two turns of the event loop while a file is verified. */
const VERIFY_SLICE = 4 * 1024 * 1024;

/**
 * Reads a stored file whole, hashing it in slices with the event loop free in between; resolves
 * with its chunks (when `keep`) or null, or rejects with CorruptBlobError.
 */
export async function readVerified(store: DocStore, sha256: string, size: number, keep: boolean): Promise<Buffer[] | null> {
  const hash = crypto.createHash('sha256');
  const chunks: Buffer[] = [];
  let read = 0;
  let sinceYield = 0;
  for (const chunk of size > 0 ? store.readBlob(sha256, 0, size - 1) : []) {
    hash.update(chunk);
    if (keep) chunks.push(chunk);
    read += chunk.length;
    sinceYield += chunk.length;
    if (sinceYield >= VERIFY_SLICE) {
      sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  if (read !== size) throw new CorruptBlobError(sha256, `${read} of ${size} bytes present`);
  if (hash.digest('hex') !== sha256) throw new CorruptBlobError(sha256, 'its bytes do not match its sha256');
  return keep ? chunks : null;
}

export class BlobCache {
  private readonly entries = new Map<string, Buffer[]>();
  /** One load per file however many requests ask for it at once. */
  private readonly loading = new Map<string, Promise<Buffer[] | null>>();
  /** Files too large to hold that hashed correctly. */
  private readonly verifiedLarge = new Set<string>();
  /** Files found damaged: answered at once, without hashing them again on every request. */
  private readonly corrupt = new Map<string, CorruptBlobError>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;
  private readonly log: BlobCacheOptions['log'];

  constructor(opts: BlobCacheOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
    this.maxEntryBytes = opts.maxEntryBytes ?? 64 * 1024 * 1024;
    this.log = opts.log;
  }

  /**
   * The file's verified chunks (as stored), loading it if needed; null for a file too large to
   * hold, which has then been verified and may be streamed from the store. Rejects with
   * CorruptBlobError for a damaged file.
   */
  async verifiedChunks(store: DocStore, sha256: string, size: number): Promise<Buffer[] | null> {
    const hit = this.entries.get(sha256);
    if (hit) {
      this.entries.delete(sha256);
      this.entries.set(sha256, hit);
      return hit;
    }
    const bad = this.corrupt.get(sha256);
    if (bad) throw bad;
    const keep = size > 0 && size <= this.maxEntryBytes && size <= this.maxBytes;
    if (!keep && this.verifiedLarge.has(sha256)) return null;
    let pending = this.loading.get(sha256);
    if (!pending) {
      pending = this.load(store, sha256, size, keep).finally(() => this.loading.delete(sha256));
      this.loading.set(sha256, pending);
    }
    return pending;
  }

  private async load(store: DocStore, sha256: string, size: number, keep: boolean): Promise<Buffer[] | null> {
    let chunks: Buffer[] | null;
    try {
      chunks = await readVerified(store, sha256, size, keep);
    } catch (err) {
      if (err instanceof CorruptBlobError) {
        this.corrupt.set(sha256, err);
        this.log?.('damaged paper file: not served', { sha256, size, error: err.message });
      }
      throw err;
    }
    if (!chunks) {
      this.verifiedLarge.add(sha256);
      return null;
    }
    this.entries.set(sha256, chunks);
    this.bytes += size;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.reduce((n, b) => n + b.length, 0);
    }
    return chunks;
  }

  /** Whether the file was found damaged (and is not yet stored again). */
  isCorrupt(sha256: string): boolean {
    return this.corrupt.has(sha256);
  }

  /** Forgets a file (purged, deleted, or stored again after damage): the next request verifies it anew. */
  drop(sha256: string): void {
    this.corrupt.delete(sha256);
    this.verifiedLarge.delete(sha256);
    const e = this.entries.get(sha256);
    if (!e) return;
    this.entries.delete(sha256);
    this.bytes -= e.reduce((n, b) => n + b.length, 0);
  }

  get size(): number {
    return this.bytes;
  }
}

/** Slices `start..end` (inclusive) out of a file held as consecutive chunks, without copying. */
export function* sliceChunks(chunks: Buffer[], start: number, end: number): Generator<Buffer> {
  let offset = 0;
  for (const c of chunks) {
    const cStart = offset;
    offset += c.length;
    if (offset <= start) continue;
    if (cStart > end) break;
    const s = Math.max(start - cStart, 0);
    const e = Math.min(end - cStart + 1, c.length);
    yield s === 0 && e === c.length ? c : c.subarray(s, e);
  }
}
