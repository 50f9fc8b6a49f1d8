// Classified papers on the device (issue 17): a paper whose level limits how long it may be read
// offline is stored under its OWN random key (AES-256-GCM, one nonce and tag per 256 KiB chunk),
// on top of the cache file's own encryption. When its offline lifetime is over the key row is
// destroyed (secure_delete on, the WAL checkpointed): the chunks left in the file are then
// ciphertext nobody holds a key for, and the paper answers "expired" until a contact with the
// hub renews the clock and it is fetched again under a new key.
//
// This is the document store with the chunk reads and writes of such papers sealed and opened,
// so the prefetch (resume included), the sha256 checks, the search indexer and the HTTP server
// read and write papers exactly as before.
import crypto from 'node:crypto';
import { BLOB_CHUNK, DocStore, type Database } from '../core/store.ts';

const NONCE = 12;
const TAG = 16;

/** The agent schema's step 3 (agent-db.ts). */
export function sealedPaperTables(db: Database): void {
  db.exec(`
    CREATE TABLE paper_keys (
      sha256 TEXT PRIMARY KEY, key BLOB, offline_hours REAL NOT NULL, created_at INTEGER NOT NULL, destroyed_at INTEGER
    );
    CREATE TABLE offline_clock (id INTEGER PRIMARY KEY CHECK (id = 1), hub_time INTEGER, wall_at_contact INTEGER, elapsed_ms INTEGER NOT NULL);
    CREATE TABLE recalls_done (id TEXT PRIMARY KEY, paper_id TEXT NOT NULL, done_at INTEGER NOT NULL, acked_at INTEGER);
  `);
}

/** A sealed paper whose key was destroyed: its bytes cannot be read. */
export class PaperExpiredError extends Error {
  override name = 'PaperExpiredError';
}

interface KeyRow {
  key: Buffer | null;
  offline_hours: number;
}

export class SealedBlobStore extends DocStore {
  /** The offline lifetime (hours) the papers holding a file give it; null: it is not sealed. */
  lifetimeOf: (sha256: string) => number | null = () => null;
  private readonly keyRow;
  private readonly insertKey;
  private readonly dropKey;
  private readonly chunkRows;
  private readonly chunkTotals;

  constructor(db: Database) {
    super(db);
    // Deleted rows (a destroyed key, a recalled paper's chunks) are overwritten in the file.
    db.pragma('secure_delete = ON');
    this.keyRow = db.prepare<[string], KeyRow>('SELECT key, offline_hours FROM paper_keys WHERE sha256 = ?');
    this.insertKey = db.prepare('INSERT INTO paper_keys (sha256, key, offline_hours, created_at) VALUES (?, ?, ?, ?)');
    this.dropKey = db.prepare('DELETE FROM paper_keys WHERE sha256 = ?');
    this.chunkRows = db.prepare<[string, number, number], { idx: number; data: Buffer }>('SELECT idx, data FROM blob_chunks WHERE sha256 = ? AND idx >= ? AND idx <= ? ORDER BY idx');
    this.chunkTotals = db.prepare<[string], { n: number; bytes: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM blob_chunks WHERE sha256 = ?');
  }

  /** The key row of a file: undefined when it is not sealed, `null` key when destroyed. */
  private key(sha256: string): KeyRow | undefined {
    return this.keyRow.get(sha256);
  }

  override beginBlob(sha256: string, size: number): void {
    const hours = this.lifetimeOf(sha256);
    const row = this.key(sha256);
    if (hours === null) {
      // No longer limited (its level changed): a sealed partial copy is started again in the clear.
      if (row) this.deleteBlob(sha256);
      super.beginBlob(sha256, size);
      return;
    }
    // A destroyed key, or bytes held in the clear from before the paper was classified: start over.
    if (!row?.key) {
      this.deleteBlob(sha256);
      this.db.transaction(() => {
        this.insertKey.run(sha256, crypto.randomBytes(32), hours, Date.now());
        super.beginBlob(sha256, size);
      })();
      return;
    }
    super.beginBlob(sha256, size);
  }

  override putBlobChunk(sha256: string, idx: number, data: Uint8Array): void {
    const row = this.key(sha256);
    if (!row) return super.putBlobChunk(sha256, idx, data);
    if (!row.key) throw new PaperExpiredError('the paper\'s key was destroyed');
    super.putBlobChunk(sha256, idx, seal(row.key, sha256, idx, data));
  }

  override putBlob(sha256: string, bytes: Uint8Array): void {
    if (this.lifetimeOf(sha256) === null) return super.putBlob(sha256, bytes);
    this.db.transaction(() => {
      this.beginBlob(sha256, bytes.length);
      for (let i = 0, idx = 0; i < bytes.length; i += BLOB_CHUNK, idx++) this.putBlobChunk(sha256, idx, bytes.subarray(i, Math.min(i + BLOB_CHUNK, bytes.length)));
      this.finishBlob(sha256);
    })();
  }

  override blobBytesHeld(sha256: string): number {
    if (!this.key(sha256)) return super.blobBytesHeld(sha256);
    const r = this.chunkTotals.get(sha256)!;
    return r.bytes - r.n * (NONCE + TAG);
  }

  override *readBlob(sha256: string, start: number, end: number): Generator<Buffer> {
    const row = this.key(sha256);
    if (!row) {
      yield* super.readBlob(sha256, start, end);
      return;
    }
    if (!row.key) throw new PaperExpiredError('offline access to this paper has expired');
    if (end < start) return;
    const key = row.key;
    const first = Math.floor(start / BLOB_CHUNK);
    const last = Math.floor(end / BLOB_CHUNK);
    for (let from = first; from <= last; from += 16) {
      for (const r of this.chunkRows.all(sha256, from, Math.min(last, from + 15))) {
        const plain = open(key, sha256, r.idx, r.data);
        const chunkStart = r.idx * BLOB_CHUNK;
        const s = Math.max(start - chunkStart, 0);
        const e = Math.min(end - chunkStart + 1, plain.length);
        yield s === 0 && e === plain.length ? plain : plain.subarray(s, e);
      }
    }
  }

  override deleteBlob(sha256: string): void {
    this.db.transaction(() => {
      super.deleteBlob(sha256);
      this.dropKey.run(sha256);
    })();
  }

  /** Files sealed under a key still held, with their lifetimes. */
  sealedFiles(): Array<{ sha256: string; offlineHours: number }> {
    return this.db.prepare<[], { sha256: string; offlineHours: number }>('SELECT sha256, offline_hours AS offlineHours FROM paper_keys WHERE key IS NOT NULL').all();
  }

  /** Whether a file is stored sealed (its key may since have been destroyed). */
  isSealed(sha256: string): boolean {
    return this.key(sha256) !== undefined;
  }

  /** Whether a file's key was destroyed (it is held as ciphertext only). */
  isDestroyed(sha256: string): boolean {
    const row = this.key(sha256);
    return row !== undefined && row.key === null;
  }

  /** Files whose keys were destroyed. */
  destroyedFiles(): string[] {
    return this.db.prepare<[], { sha256: string }>('SELECT sha256 FROM paper_keys WHERE key IS NULL').all().map((r) => r.sha256);
  }

  /**
   * Destroys the keys of these files: the rows are overwritten in the file (secure_delete) and the
   * WAL, which still holds the pages as they were, is checkpointed and truncated.
   */
  destroyKeys(shas: readonly string[]): void {
    if (shas.length === 0) return;
    const stmt = this.db.prepare('UPDATE paper_keys SET key = NULL, destroyed_at = ? WHERE sha256 = ? AND key IS NOT NULL');
    this.db.transaction(() => {
      for (const sha of shas) stmt.run(Date.now(), sha);
    })();
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* a reader holds the WAL: the next checkpoint overwrites it */
    }
  }
}

/** The chunk's nonce, then its ciphertext, then the tag; the file and the chunk's place are bound in. */
function seal(key: Buffer, sha256: string, idx: number, data: Uint8Array): Buffer {
  const nonce = crypto.randomBytes(NONCE);
  const c = crypto.createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(`${sha256}:${idx}`));
  return Buffer.concat([nonce, c.update(data), c.final(), c.getAuthTag()]);
}

function open(key: Buffer, sha256: string, idx: number, sealed: Buffer): Buffer {
  const d = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE));
  d.setAAD(Buffer.from(`${sha256}:${idx}`));
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  return Buffer.concat([d.update(sealed.subarray(NONCE, sealed.length - TAG)), d.final()]);
}

/** Opens one stored chunk with a key (tests prove a destroyed key leaves nothing that opens it). */
export const openSealedChunk = open;
