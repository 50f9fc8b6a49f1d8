// Recently served paper files, held in memory. When a paper is published every tablet in the
// room fetches it within seconds: without this each of fifty streams reads the same 20 MB out
// of SQLite again. Files are content-addressed, so a cached entry never goes stale; callers
// check access before they ask. Bounded by bytes, least recently used first out.
import type { DocStore } from './store.ts';

export interface BlobCacheOptions {
  /** Total bytes held. */
  maxBytes?: number;
  /** Files larger than this are always streamed from the store. */
  maxEntryBytes?: number;
}

export class BlobCache {
  private readonly entries = new Map<string, Buffer[]>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly maxEntryBytes: number;

  constructor(opts: BlobCacheOptions = {}) {
    this.maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
    this.maxEntryBytes = opts.maxEntryBytes ?? 64 * 1024 * 1024;
  }

  /** The file's chunks (as stored), loading a complete file of cacheable size; null otherwise. */
  chunks(store: DocStore, sha256: string, size: number): Buffer[] | null {
    const hit = this.entries.get(sha256);
    if (hit) {
      this.entries.delete(sha256);
      this.entries.set(sha256, hit);
      return hit;
    }
    if (size > this.maxEntryBytes || size > this.maxBytes || size === 0) return null;
    const chunks = [...store.readBlob(sha256, 0, size - 1)];
    this.entries.set(sha256, chunks);
    this.bytes += size;
    for (const [key, value] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.reduce((n, b) => n + b.length, 0);
    }
    return chunks;
  }

  /** Forgets a file (purged or deleted from the store). */
  drop(sha256: string): void {
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
