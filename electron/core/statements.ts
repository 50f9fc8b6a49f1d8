// Prepared statements kept per SQL text. Preparing compiles the SQL each time, and a profile of the
// hub under 200 check-ins showed re-preparing the same few queries on every request as a large
// share of its time; a statement is cheap to keep and safe to reuse (better-sqlite3 runs them
// synchronously, so two callers never interleave on one).
import type BetterSqlite3 from 'better-sqlite3';
import type { Database } from './store.ts';

export type Prepare = <P extends unknown[] | object = unknown[], R = unknown>(sql: string) => BetterSqlite3.Statement<P, R>;

export function statementCache(db: Database): Prepare {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return <P extends unknown[] | object = unknown[], R = unknown>(sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt as unknown as BetterSqlite3.Statement<P, R>;
  };
}
