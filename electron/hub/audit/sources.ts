// Where the verifier reads an audit trail from: a hub's data folder (hub.sqlite and the key in
// poll-keys/), a bare hub.sqlite (the key then comes from --key), or an inspector's export
// (JSONL: a header naming the key, the entries, the checkpoints). The database is opened
// read-only: verifying never writes, not even a WAL checkpoint.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { ChainedEntry, Checkpoint } from './chain.ts';
import type { AuditProblem, AuditSource } from './verify.ts';
import { AuditVerifyError } from './verify.ts';
import { readHubPublicKey } from '../procedures/poll-keys.ts';
import { AUDIT_EXPORT_FORMAT, auditExportCheckpointSchema, auditExportEntrySchema, auditExportHeaderSchema } from '../../../shared/audit.ts';

export interface OpenedSource extends AuditSource {
  close(): void;
}

function fromDatabase(file: string, publicKey: string | null): OpenedSource {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new AuditVerifyError(`cannot open ${file}: ${(err as Error).message}`);
  }
  const columns = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('audit')").all().map((c) => c.name);
  if (!columns.includes('hash')) {
    db.close();
    throw new AuditVerifyError(`${file} has no audit chain: it is not a hub database, or one from before the chain (start the hub once to upgrade it)`);
  }
  const checkpoints = db.prepare<[], Checkpoint>('SELECT * FROM audit_checkpoints ORDER BY id').all();
  const entries = db.prepare<[], ChainedEntry>('SELECT id, at, user_id, action, target, detail, prev_hash, hash FROM audit ORDER BY id');
  const counter = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").get()?.seq ?? null;
  return { entries: { [Symbol.iterator]: () => entries.iterate() }, checkpoints, publicKey, keySource: publicKey ? 'data folder' : 'none', counter, close: () => db.close() };
}

function fromExport(file: string): OpenedSource {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const problems: AuditProblem[] = [];
  const entries: ChainedEntry[] = [];
  const checkpoints: Checkpoint[] = [];
  let publicKey: string | null = null;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ kind: 'malformed', where, detail: 'not JSON' });
      return;
    }
    const type = (value as { type?: unknown } | null)?.type;
    if (i === 0) {
      const h = auditExportHeaderSchema.safeParse(value);
      if (!h.success) throw new AuditVerifyError(`${file} is not an audit export (its first line is not a ${AUDIT_EXPORT_FORMAT} header)`);
      publicKey = h.data.publicKey;
      return;
    }
    const parsed = type === 'entry' ? auditExportEntrySchema.safeParse(value) : type === 'checkpoint' ? auditExportCheckpointSchema.safeParse(value) : null;
    if (!parsed?.success) {
      problems.push({ kind: 'malformed', where, detail: 'neither an audit entry nor a checkpoint' });
      return;
    }
    const { type: _t, ...row } = parsed.data;
    if (type === 'entry') entries.push(row as ChainedEntry);
    else checkpoints.push(row as Checkpoint);
  });
  entries.sort((a, b) => a.id - b.id);
  const unique = entries.filter((e, i) => {
    if (i > 0 && entries[i - 1]!.id === e.id) {
      problems.push({ kind: 'inserted', where: `entry ${e.id}`, detail: `entry ${e.id} is listed more than once` });
      return false;
    }
    return true;
  });
  return { entries: unique, checkpoints, publicKey, keySource: 'export', problems, close: () => {} };
}

/** A data folder, a hub.sqlite, or an export (.jsonl / .ndjson, or any file that is not SQLite). */
export function openAuditSource(target: string): OpenedSource {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    throw new AuditVerifyError(`${target} does not exist`);
  }
  if (stat.isDirectory()) {
    const file = path.join(target, 'hub.sqlite');
    if (!fs.existsSync(file)) throw new AuditVerifyError(`${target} holds no hub.sqlite: not a hub's data folder`);
    return fromDatabase(file, readHubPublicKey(target));
  }
  const head = Buffer.alloc(16);
  const fd = fs.openSync(target, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1').startsWith('SQLite format 3')) {
    // A hub.sqlite beside its folder's keys uses them; elsewhere the key must be given.
    const dir = path.dirname(target);
    return fromDatabase(target, fs.existsSync(path.join(dir, 'poll-keys')) ? readHubPublicKey(dir) : null);
  }
  return fromExport(target);
}
