// Schema versions for every SQLite file Chamber writes. Each kind of file (the hub's database,
// an agent's cache, a bare document store) has one ordered list of steps; the file's
// `PRAGMA user_version` is the number of the last step applied, and `PRAGMA application_id`
// names the kind, so a hub pointed at an agent cache (or the reverse) is refused instead of
// being "upgraded" into something else. Each step runs in its own transaction together with the
// version bump: a step that fails, or a process killed half way, leaves the file at the previous
// version with nothing of the step applied. A file newer than the code (written by a later
// release, then the app rolled back) is refused with a clear error rather than read with
// guesses.
//
// The document store's tables live inside the hub's and the agent's files, so they have no
// version of their own: store-schema.ts exports its steps and each owner's list includes them (see
// docs/architecture.md, "Schema versions").
import type BetterSqlite3 from 'better-sqlite3';

type Database = BetterSqlite3.Database;

export interface Migration {
  /** 1, 2, 3…: the user_version the file has once this step is applied. */
  version: number;
  /** What the step does, for the log and the error messages. */
  name: string;
  up: (db: Database) => void;
}

export interface SchemaKind {
  /** For messages: "hub database", "agent cache". */
  label: string;
  /** Stored in PRAGMA application_id (a 32-bit integer; 0 means "not claimed yet"). */
  applicationId: number;
  migrations: readonly Migration[];
}

export class SchemaError extends Error {
  override name = 'SchemaError';
}

/** Four ASCII letters as the 32-bit application id SQLite stores in the file header. */
export const appId = (tag: string): number => {
  if (!/^[A-Za-z]{4}$/.test(tag)) throw new Error(`application id tag must be four letters: ${tag}`);
  return tag.split('').reduce((n, c) => (n << 8) | c.charCodeAt(0), 0);
};

/** The user_version a list brings a file to. */
export const latestVersion = (kind: SchemaKind): number => kind.migrations.at(-1)?.version ?? 0;

function checkList(kind: SchemaKind): void {
  kind.migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${kind.label}: migration "${m.name}" is number ${m.version}, expected ${i + 1}`);
  });
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Brings `db` to the newest version of `kind`. A file at version 0 with no application id is
 * either new or from before versions (its tables were made by `CREATE TABLE IF NOT EXISTS`, which
 * the first step of every list repeats, so both start the same way).
 */
export function migrate(db: Database, kind: SchemaKind, log?: (msg: string, extra?: Record<string, unknown>) => void): MigrateResult {
  checkList(kind);
  const latest = latestVersion(kind);
  const owner = db.pragma('application_id', { simple: true }) as number;
  if (owner !== 0 && owner !== kind.applicationId) {
    throw new SchemaError(`this file is another kind of Chamber file (application id ${owner}), not the ${kind.label} (${kind.applicationId}): was the wrong file given?`);
  }
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) {
    throw new SchemaError(`the ${kind.label} is at schema version ${from}, newer than this release understands (${latest}): it was written by a later Chamber; run that release (or later) on it, or restore a backup taken before the upgrade`);
  }
  const applied: string[] = [];
  if (from === latest) return { from, to: latest, applied };
  // A step that rebuilds a table (SQLite cannot change a column's type in place) drops the old
  // one, which with foreign keys on would cascade into its children. SQLite's own recipe: keys
  // off around the steps (the pragma is ignored inside a transaction), and each step checks the
  // keys itself before it commits.
  const keys = db.pragma('foreign_keys', { simple: true }) === 1;
  if (keys) db.pragma('foreign_keys = OFF');
  try {
    for (const m of kind.migrations) {
      if (m.version <= from) continue;
      // user_version and application_id live in the file header, which is written in the same
      // transaction as the step's own changes.
      db.transaction(() => {
        m.up(db);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new SchemaError(`${kind.label}: step ${m.version} "${m.name}" left ${broken.length} broken references`);
        db.pragma(`user_version = ${m.version}`);
        db.pragma(`application_id = ${kind.applicationId}`);
      })();
      applied.push(m.name);
      log?.('schema migrated', { file: kind.label, version: m.version, step: m.name });
    }
  } finally {
    if (keys) db.pragma('foreign_keys = ON');
  }
  return { from, to: latest, applied };
}

// ---- helpers for steps ------------------------------------------------------------------------

/** SQL turning an ISO 8601 text time (with `Z` or an offset) into INTEGER ms since the epoch. */
export const isoToMsSql = (column: string): string =>
  `CASE WHEN typeof(${column}) = 'text' AND julianday(${column}) IS NOT NULL THEN CAST(ROUND((julianday(${column}) - 2440587.5) * 86400000) AS INTEGER) ELSE ${column} END`;

/**
 * Rebuilds `table` from `createSql` (which must create a table named `table` and may create its
 * indexes), copying every row, with `timeColumns` turned from ISO text into INTEGER ms. SQLite
 * keeps a column's declared type, and a number written to a TEXT column is stored as text, so a
 * change of type needs a new table (SQLite's documented recipe: create new, copy, drop old,
 * rename; run inside `migrate`, which has turned foreign keys off).
 */
export function rebuildTable(db: Database, table: string, createSql: string, timeColumns: string[]): void {
  const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
  const temp = `${table}__new`;
  db.exec(createSql.replace(new RegExp(`CREATE TABLE ${table}\\b`), `CREATE TABLE ${temp}`).replace(/CREATE (UNIQUE )?INDEX[^;]*;/g, ''));
  const select = columns.map((c) => (timeColumns.includes(c) ? isoToMsSql(c) : c)).join(', ');
  db.exec(`INSERT INTO ${temp} (${columns.join(', ')}) SELECT ${select} FROM ${table}`);
  db.exec(`DROP TABLE ${table}`);
  db.exec(`ALTER TABLE ${temp} RENAME TO ${table}`);
  const indexes = createSql.match(/CREATE (UNIQUE )?INDEX[^;]*;/g) ?? [];
  for (const sql of indexes) db.exec(sql);
}
