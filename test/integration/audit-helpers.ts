// Pieces the audit trail's tests share: the real `npm run audit` CLI as a child process, copies
// of a stopped hub's data folder to tamper with, and the "attacker's" direct SQLite access.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ROOT, tempDir } from '../helpers/processes.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function auditCli(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'electron/hub/audit-cli.ts'), ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A copy of a stopped hub's data folder (keys included), to change without touching the original. */
export function copyFolder(dir: string): string {
  const copy = tempDir('chamber-audit-copy-');
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
}

/** Opens the copy's hub.sqlite for writing, runs `change`, closes it. */
export function tamper(dir: string, change: (db: BetterSqlite3.Database) => void): void {
  const db = new BetterSqlite3(path.join(dir, 'hub.sqlite'));
  try {
    change(db);
  } finally {
    db.close();
  }
}

export interface Row {
  id: number;
  at: number;
  user_id: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export const rows = (db: BetterSqlite3.Database): Row[] => db.prepare('SELECT * FROM audit ORDER BY id').all() as Row[];
export const checkpoints = (db: BetterSqlite3.Database): Array<{ id: number; last_id: number; reason: string }> =>
  db.prepare('SELECT id, last_id, reason FROM audit_checkpoints ORDER BY id').all() as Array<{ id: number; last_id: number; reason: string }>;

export function readOnly<T>(dir: string, read: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(path.join(dir, 'hub.sqlite'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
