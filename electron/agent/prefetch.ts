// Long because resuming, verifying and reporting a download share one chunk loop (321 lines).
// Paper prefetch: every version of every paper of the user's meetings is copied into the local
// blob store before anyone asks for it, so a tablet that loses the hub still opens every paper.
//
// A download is written chunk by chunk (BLOB_CHUNK bytes, the store's unit) as it arrives, so a
// download cut by a dying hub or a killed agent resumes with `Range: bytes=<held>-` instead of
// starting again. The sha256 covers the whole file: on resume the held chunks are hashed from
// the store first. Bytes that do not match their sha256 are discarded and the paper is retried
// later; a hub that ignores the Range (200 instead of 206) restarts the file from zero.
import crypto from 'node:crypto';
import { Throttler } from '../core/async.ts';
import { BLOB_CHUNK, withoutFsync, type DocStore } from '../core/store.ts';
import { HubRefusedError, HubUnreachableError } from './hub-client.ts';
import type { PaperInfo, PrefetchProgress } from '../../shared/api.ts';

export class BlobMismatchError extends Error {
  override name = 'BlobMismatchError';
}

export interface DownloadOptions {
  store: DocStore;
  sha256: string;
  size: number;
  /** Fetches the blob, sending `range` when resuming. */
  fetchBlob: (range: string | null, signal: AbortSignal) => Promise<Response>;
  signal: AbortSignal;
  onProgress?: (held: number) => void;
  /** A download that receives nothing for this long is abandoned (a silent network), resumed later. */
  idleMs?: number;
  /** Chunks committed per transaction: fewer fsyncs, at most this many chunks re-fetched after a crash. */
  chunksPerCommit?: number;
}

/** Downloads one blob into the store, resuming from what it holds. Returns the bytes fetched. */
export async function downloadBlob(o: DownloadOptions): Promise<number> {
  const { store, sha256, size } = o;
  const info = store.blobInfo(sha256);
  if (info?.complete) return 0;
  if (info && info.size !== size) store.deleteBlob(sha256);
  store.beginBlob(sha256, size);
  let held = store.blobBytesHeld(sha256);
  // Chunks are written in order and each is whole, so what is held is a prefix; anything else
  // (a chunk size from another build) is thrown away rather than trusted.
  if (held % BLOB_CHUNK !== 0 && held !== size) {
    store.deleteBlob(sha256);
    store.beginBlob(sha256, size);
    held = 0;
  }
  let hash = crypto.createHash('sha256');
  if (held > 0) for (const part of store.readBlob(sha256, 0, held - 1)) hash.update(part);
  let fetched = 0;
  if (held < size) {
    const res = await o.fetchBlob(held > 0 ? `bytes=${held}-` : null, o.signal);
    if (res.status === 404 || res.status === 403 || res.status === 401) {
      await res.body?.cancel();
      throw new HubRefusedError(res.status, `hub refused paper ${sha256.slice(0, 12)}`);
    }
    if (held > 0 && res.status === 200) {
      // The hub sent the whole file instead of the rest: start over from its first byte.
      store.deleteBlob(sha256);
      store.beginBlob(sha256, size);
      held = 0;
      hash = crypto.createHash('sha256');
    } else if (held > 0 && (res.status !== 206 || !String(res.headers.get('content-range') ?? '').startsWith(`bytes ${held}-`))) {
      await res.body?.cancel();
      throw new HubUnreachableError(`hub answered ${res.status} to a resume at byte ${held}`);
    } else if (held === 0 && res.status !== 200) {
      await res.body?.cancel();
      throw new HubUnreachableError(`hub answered ${res.status} for paper ${sha256.slice(0, 12)}`);
    }
    fetched = await writeStream(o, res, hash, held);
  }
  verifyAndFinish(o, hash);
  return fetched;
}

function verifyAndFinish(o: DownloadOptions, hash: crypto.Hash): void {
  const digest = hash.digest('hex');
  if (digest !== o.sha256) {
    o.store.deleteBlob(o.sha256);
    throw new BlobMismatchError(`paper ${o.sha256.slice(0, 12)}…: the bytes received hash to ${digest.slice(0, 12)}…; discarded, will retry`);
  }
  // Without an fsync of its own, like the chunks: a flag lost to a power cut only means the
  // held bytes are hashed again before the file is marked complete (the resume path above).
  withoutFsync(o.store.db, () => o.store.finishBlob(o.sha256));
}

async function writeStream(o: DownloadOptions, res: Response, hash: crypto.Hash, startAt: number): Promise<number> {
  if (!res.body) throw new HubUnreachableError('hub sent no body');
  const perCommit = o.chunksPerCommit ?? 16;
  const idleMs = o.idleMs ?? 30_000;
  let held = startAt;
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let batch: Buffer[] = [];
  const flushBatch = () => {
    if (batch.length === 0) return;
    // Still ours? A purge may have removed the blob while bytes were in flight.
    if (!o.store.blobInfo(o.sha256)) throw new HubRefusedError(410, 'paper purged during download');
    const first = (held - batch.reduce((n, b) => n + b.length, 0)) / BLOB_CHUNK;
    const rows = batch;
    // Paper bytes need no fsync of their own: after a power cut the WAL keeps a committed prefix
    // (the resume starts there) and the sha256 check catches the rest.
    withoutFsync(o.store.db, () => o.store.db.transaction(() => rows.forEach((b, i) => o.store.putBlobChunk(o.sha256, first + i, b)))());
    batch = [];
    o.onProgress?.(held);
  };
  const takeChunk = (len: number) => {
    // The received pieces are copied once, straight into the chunk's own buffer (so the stored
    // row pins no network buffer). A concat and then a copy of it cost 0.4 ms of CPU per MB
    // against 0.2 here: ~3 % of the whole download loop (7-8 ms per MB, mostly SQLite's writes).
    const own = Buffer.allocUnsafeSlow(len);
    let filled = 0;
    while (filled < len) {
      const piece = pending[0]!;
      const n = Math.min(piece.length, len - filled);
      piece.copy(own, filled, 0, n);
      filled += n;
      if (n === piece.length) pending.shift();
      else pending[0] = piece.subarray(n);
    }
    pendingBytes -= len;
    hash.update(own);
    held += own.length;
    batch.push(own);
    if (batch.length >= perCommit) flushBatch();
  };
  const reader = res.body.getReader();
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      let idle: NodeJS.Timeout | undefined;
      try {
        step = await Promise.race([
          reader.read(),
          new Promise<never>((_, reject) => {
            idle = setTimeout(() => reject(new Error(`no data for ${idleMs} ms`)), idleMs);
          }),
        ]);
      } catch (err) {
        throw new HubUnreachableError(`download of ${o.sha256.slice(0, 12)}… cut at byte ${held + pendingBytes}: ${String((err as Error).cause ?? err)}`);
      } finally {
        clearTimeout(idle);
      }
      if (step.done) break;
      const value = Buffer.from(step.value.buffer, step.value.byteOffset, step.value.byteLength);
      pending.push(value);
      pendingBytes += value.length;
      if (held + pendingBytes > o.size) throw new BlobMismatchError(`paper ${o.sha256.slice(0, 12)}…: more bytes than its listed size ${o.size}`);
      while (pendingBytes >= BLOB_CHUNK) takeChunk(BLOB_CHUNK);
    }
    if (held + pendingBytes !== o.size) throw new HubUnreachableError(`download of ${o.sha256.slice(0, 12)}… ended early at byte ${held + pendingBytes} of ${o.size}`);
    if (pendingBytes > 0) takeChunk(pendingBytes);
    flushBatch();
    return held - startAt;
  } catch (err) {
    // Whole chunks received so far are kept for the resume; a mismatch throws everything away.
    if (!(err instanceof BlobMismatchError)) {
      try {
        flushBatch();
      } catch {
        /* purged meanwhile: nothing to keep */
      }
    }
    await reader.cancel().catch(() => {});
    throw err;
  }
}

/** What the prefetcher needs to know about one kept meeting. */
export interface MeetingPapers {
  meetingId: string;
  papers: PaperInfo[];
}

/**
 * Walks every paper version of every kept meeting, one download at a time (a room of tablets
 * should not open fifty parallel streams each against the hub), and reports progress.
 */
export class Prefetcher {
  private readonly store: DocStore;
  private readonly fetchBlob: (sha256: string, range: string | null, signal: AbortSignal) => Promise<Response>;
  private readonly log: (msg: string, extra?: Record<string, unknown>) => void;
  private held = new Map<string, number>();
  private errors = new Map<string, string>();
  /** One pass at a time; a new plan during a pass gets one more pass over the latest plan. */
  private readonly passes = new Throttler();
  private abort = new AbortController();
  private plan: MeetingPapers[] = [];
  /** Downloads under way, by sha256: the pass and a client's request share one, never two writers. */
  private readonly inFlight = new Map<string, Promise<void>>();

  private readonly onVerified: ((sha256: string) => void) | undefined;
  private readonly stillListed: (sha256: string) => boolean;

  constructor(opts: {
    store: DocStore;
    fetchBlob: (sha256: string, range: string | null, signal: AbortSignal) => Promise<Response>;
    log: (msg: string, extra?: Record<string, unknown>) => void;
    /** Told of each file downloaded whole and matching its sha256. */
    onVerified?: (sha256: string) => void;
    /** Whether a file is still listed now: a pass queued with an older plan skips what was recalled since. */
    stillListed?: (sha256: string) => boolean;
  }) {
    this.store = opts.store;
    this.fetchBlob = opts.fetchBlob;
    this.log = opts.log;
    this.onVerified = opts.onVerified;
    this.stillListed = opts.stillListed ?? (() => true);
  }

  /** Starts (or queues) a pass over `plan`; resolves when that pass ends. */
  run(plan: MeetingPapers[]): Promise<void> {
    this.plan = plan;
    return this.passes.queue(() => this.pass());
  }

  get busy(): boolean {
    return this.passes.busy;
  }

  /**
   * Downloads one file now, beside the pass (a client asked for a paper the pass has not reached):
   * resolves once it is held complete and verified, or rejects as the download failed.
   */
  want(sha256: string, size: number): Promise<void> {
    if (this.store.blobInfo(sha256)?.complete) return Promise.resolve();
    return this.download(sha256, size, this.abort.signal);
  }

  private download(sha256: string, size: number, signal: AbortSignal): Promise<void> {
    const running = this.inFlight.get(sha256);
    if (running) return running;
    const p = downloadBlob({
      store: this.store, sha256, size, signal,
      fetchBlob: (range, s) => this.fetchBlob(sha256, range, s),
      onProgress: (n) => this.held.set(sha256, n),
    }).then(() => {
      this.onVerified?.(sha256);
      this.errors.delete(sha256);
      this.held.delete(sha256);
    }, (err: unknown) => {
      this.held.delete(sha256);
      if (!signal.aborted) {
        this.errors.set(sha256, (err as Error).message);
        this.log('paper download failed', { sha256, error: (err as Error).message });
      }
      throw err;
    }).finally(() => this.inFlight.delete(sha256));
    this.inFlight.set(sha256, p);
    return p;
  }

  /** Stops the download in flight (a purge or shutdown); the next run starts fresh. */
  cancel(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.held.clear();
  }

  private async pass(): Promise<void> {
    const signal = this.abort.signal;
    const seen = new Set<string>();
    for (const m of this.plan) {
      for (const p of m.papers) {
        for (const v of p.versions) {
          if (signal.aborted) return;
          if (seen.has(v.sha256)) continue;
          seen.add(v.sha256);
          if (this.store.blobInfo(v.sha256)?.complete || !this.stillListed(v.sha256)) continue;
          try {
            await this.download(v.sha256, v.size, signal);
          } catch (err) {
            if (signal.aborted) return;
            // The hub is gone: the remaining papers would fail the same way; the next pass resumes.
            if (err instanceof HubUnreachableError) return;
          }
        }
      }
    }
  }

  /** True when every listed version is held complete. */
  complete(plan: MeetingPapers[]): boolean {
    return plan.every((m) => m.papers.every((p) => p.versions.every((v) => this.store.blobInfo(v.sha256)?.complete)));
  }

  progress(plan: MeetingPapers[]): Array<PrefetchProgress> {
    return plan.map((m) => {
      const shas = new Map<string, number>();
      for (const p of m.papers) for (const v of p.versions) shas.set(v.sha256, v.size);
      let bytesDone = 0;
      let bytesTotal = 0;
      let papersDone = 0;
      let lastError: string | undefined;
      for (const [sha, size] of shas) {
        bytesTotal += size;
        const info = this.store.blobInfo(sha);
        if (info?.complete) {
          bytesDone += size;
          papersDone++;
          continue;
        }
        // Bytes of a partial download: live count while it runs, else what the store holds.
        bytesDone += Math.min(size, this.held.get(sha) ?? (info ? this.store.blobBytesHeld(sha) : 0));
        lastError = this.errors.get(sha) ?? lastError;
      }
      return { meetingId: m.meetingId, bytesDone, bytesTotal, papersDone, papersTotal: shas.size, ...(lastError ? { lastError } : {}) };
    });
  }
}
