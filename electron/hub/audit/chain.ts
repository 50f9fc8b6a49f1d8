// The audit trail as a hash chain (docs/audit.md). Each entry's `hash` is sha256 over a canonical
// encoding of its own fields and the previous entry's hash, so changing, removing, inserting or
// moving an entry breaks the chain from there on. The chain alone has no secret, so whoever holds
// the file could rebuild it; the hub therefore signs checkpoints (every N entries, at start and at
// stop) with its Ed25519 key, and a chain rewritten from before a checkpoint no longer matches it.
// Every audit row goes through AuditTrail.append, inside the caller's transaction.
import crypto from 'node:crypto';
import type { Database } from '../../core/store.ts';
import type { Statement } from 'better-sqlite3';

/** The previous hash of the first entry. */
export const GENESIS = '0'.repeat(64);

/** Checkpoints every this many entries by default (plus one at start and at stop). */
export const CHECKPOINT_EVERY = 1000;

export interface ChainedEntry {
  id: number;
  at: number;
  user_id: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export type CheckpointReason = 'every' | 'start' | 'stop' | 'export';

export interface Checkpoint {
  id: number;
  last_id: number;
  last_hash: string;
  count: number;
  at: number;
  reason: string;
  /** sha256 of the previous checkpoint's signature (GENESIS for the first): checkpoints chain too. */
  prev: string;
  signature: string;
}

/**
 * The bytes an entry's hash covers. A JSON array keeps each field's type (an `at` stored as text
 * instead of a number changes the hash) and needs no escaping rules of its own.
 */
export function entryHash(e: Omit<ChainedEntry, 'hash'>, id: number = e.id): string {
  const text = JSON.stringify(['chamber-audit-1', id, e.at, e.user_id, e.action, e.target, e.detail, e.prev_hash]);
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The text a checkpoint's signature covers. */
export const checkpointText = (c: Omit<Checkpoint, 'signature'>): string =>
  JSON.stringify(['chamber-audit-checkpoint-1', c.id, c.last_id, c.last_hash, c.count, c.at, c.reason, c.prev]);

export const signatureDigest = (signatureB64: string): string => crypto.createHash('sha256').update(signatureB64).digest('hex');

export interface AuditSigner {
  sign(text: string): string;
}

/** Chains every new entry, and checkpoints once a signer is attached (the hub's keys come later than its database). */
export class AuditTrail {
  private readonly db: Database;
  private readonly last: Statement<[], { id: number; hash: string | null }>;
  private readonly seq: Statement<[], { seq: number }>;
  private readonly insert: Statement<unknown[]>;
  private readonly lastCheckpoint: Statement<[], Checkpoint>;
  private readonly countBetween: Statement<[number, number], { n: number }>;
  private readonly insertCheckpoint: Statement<unknown[]>;
  private signer: AuditSigner | null = null;
  private every = CHECKPOINT_EVERY;

  constructor(db: Database) {
    this.db = db;
    this.last = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
    this.seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit'");
    this.insert = db.prepare('INSERT INTO audit (id, at, user_id, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.lastCheckpoint = db.prepare('SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1');
    this.countBetween = db.prepare('SELECT COUNT(*) AS n FROM audit WHERE id > ? AND id <= ?');
    this.insertCheckpoint = db.prepare('INSERT INTO audit_checkpoints (id, last_id, last_hash, count, at, reason, prev, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** From now on checkpoints are signed with `signer`, every `every` entries. */
  attachSigner(signer: AuditSigner, every = CHECKPOINT_EVERY): void {
    if (!Number.isInteger(every) || every < 1) throw new Error('checkpoint interval must be a positive whole number');
    this.signer = signer;
    this.every = every;
  }

  append(action: string, userId: string | null, target: string | null, detail: string | null): number {
    return this.db.transaction(() => {
      const last = this.last.get();
      // AUTOINCREMENT's counter, not only the last row: ids are never reused, so a removed tail
      // leaves a gap the verifier names even after the hub has written on.
      const id = Math.max(this.seq.get()?.seq ?? 0, last?.id ?? 0) + 1;
      const entry = { id, at: Date.now(), user_id: userId, action, target, detail, prev_hash: last?.hash ?? GENESIS };
      this.insert.run(id, entry.at, userId, action, target, detail, entry.prev_hash, entryHash(entry));
      if (this.signer) {
        const cp = this.lastCheckpoint.get();
        if (id - (cp?.last_id ?? 0) >= this.every) this.checkpoint('every');
      }
      return id;
    })();
  }

  /**
   * Signs the chain's current end. Null when there is no signer, no entry, or nothing new since
   * the last checkpoint (a start right after a stop adds nothing).
   */
  checkpoint(reason: CheckpointReason): Checkpoint | null {
    const signer = this.signer;
    if (!signer) return null;
    return this.db.transaction(() => {
      const last = this.last.get();
      if (!last?.hash) return null;
      const prevCp = this.lastCheckpoint.get();
      if (prevCp && prevCp.last_id === last.id && prevCp.last_hash === last.hash) return null;
      const from = prevCp && prevCp.last_id <= last.id ? prevCp : null;
      const count = (from?.count ?? 0) + this.countBetween.get(from?.last_id ?? 0, last.id)!.n; // COUNT(*) yields one row
      const body = {
        id: (prevCp?.id ?? 0) + 1, last_id: last.id, last_hash: last.hash, count, at: Date.now(), reason,
        prev: prevCp ? signatureDigest(prevCp.signature) : GENESIS,
      };
      const cp: Checkpoint = { ...body, signature: signer.sign(checkpointText(body)) };
      this.insertCheckpoint.run(cp.id, cp.last_id, cp.last_hash, cp.count, cp.at, cp.reason, cp.prev, cp.signature);
      return cp;
    })();
  }
}
