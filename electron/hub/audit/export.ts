// The inspector's export (docs/audit.md): one JSON value per line, a header naming the hub's
// key, then every entry and every checkpoint as stored, so the same verifier checks it offline
// (`npm run audit -- verify FILE`). Read in pages by id, never holding a statement open between
// pages: the hub's one connection keeps serving other requests while a large export streams.
import type { Database } from '../../core/store.ts';
import type { ChainedEntry, Checkpoint } from './chain.ts';
import { keyFingerprint } from '../archive/signing.ts';
import { AUDIT_EXPORT_FORMAT } from '../../../shared/audit.ts';

const PAGE = 2000;

export interface ExportRange {
  /** Export entries up to this id and checkpoints up to this id (a consistent cut); all when absent. */
  lastEntryId?: number;
  lastCheckpointId?: number;
}

export function* auditExportLines(db: Database, publicKey: string, range: ExportRange = {}): Generator<string> {
  yield JSON.stringify({ type: 'header', format: AUDIT_EXPORT_FORMAT, version: 1, exportedAt: new Date().toISOString(), publicKey, fingerprint: keyFingerprint(publicKey) }) + '\n';
  const maxEntry = range.lastEntryId ?? Number.MAX_SAFE_INTEGER;
  const maxCp = range.lastCheckpointId ?? Number.MAX_SAFE_INTEGER;
  const entries = db.prepare<[number, number, number], ChainedEntry>(
    'SELECT id, at, user_id, action, target, detail, prev_hash, hash FROM audit WHERE id > ? AND id <= ? ORDER BY id LIMIT ?');
  const checkpoints = db.prepare<[number, number, number], Checkpoint>('SELECT * FROM audit_checkpoints WHERE id > ? AND id <= ? ORDER BY id LIMIT ?');
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const page = entries.all(after, maxEntry, PAGE);
    if (page.length === 0) break;
    yield page.map((e) => JSON.stringify({ type: 'entry', ...e })).join('\n') + '\n';
    after = page.at(-1)!.id;
  }
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const page = checkpoints.all(after, maxCp, PAGE);
    if (page.length === 0) break;
    yield page.map((c) => JSON.stringify({ type: 'checkpoint', ...c })).join('\n') + '\n';
    after = page.at(-1)!.id;
  }
}
