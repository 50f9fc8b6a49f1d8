// Hub schema step 8 (hub-schema.ts): the audit trail becomes a hash chain with signed
// checkpoints (electron/hub/audit/chain.ts). Rows written before this step are chained here, in
// id order, so a room keeps its whole history under the chain; the first checkpoint is signed at
// the next start (a migration has no key).
import type { Database } from '../../core/store.ts';
import { GENESIS, entryHash, type ChainedEntry } from './chain.ts';

export function auditChainTables(db: Database): void {
  db.exec(`
    ALTER TABLE audit ADD COLUMN prev_hash TEXT;
    ALTER TABLE audit ADD COLUMN hash TEXT;
    CREATE TABLE audit_checkpoints (
      id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, last_hash TEXT NOT NULL, count INTEGER NOT NULL,
      at INTEGER NOT NULL, reason TEXT NOT NULL, prev TEXT NOT NULL, signature TEXT NOT NULL
    );
  `);
  const set = db.prepare('UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?');
  let prev = GENESIS;
  const rows = db.prepare<[], Omit<ChainedEntry, 'prev_hash' | 'hash'>>('SELECT id, at, user_id, action, target, detail FROM audit ORDER BY id').all();
  for (const r of rows) {
    const hash = entryHash({ ...r, prev_hash: prev });
    set.run(prev, hash, r.id);
    prev = hash;
  }
}
