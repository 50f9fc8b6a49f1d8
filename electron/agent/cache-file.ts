// Opening the agent's cache file. A corrupt file is moved aside (kept for inspection) and a
// fresh one created: the cache is a replica, so the hub fills it again.
import fs from 'node:fs';
import type { Log } from '../core/log.ts';
import { restrictDatabaseFiles } from '../core/private-files.ts';
import { CorruptStoreError, type Database } from '../core/store.ts';
import { AgentDb } from './agent-db.ts';
import { SealedBlobStore } from './sealed-store.ts';

export interface OpenedCache {
  sqlite: Database;
  /** The document store, with classified papers sealed under their own keys (sealed-store.ts). */
  store: SealedBlobStore;
  db: AgentDb;
}

export function openCache(file: string, open: (file: string) => Database, log: Log): OpenedCache {
  const attempt = (): OpenedCache => {
    const sqlite = open(file);
    try {
      restrictDatabaseFiles(file);
      // The schema first: the sealed store prepares statements on the agent's own tables.
      const db = new AgentDb(sqlite);
      return { sqlite, store: new SealedBlobStore(sqlite), db };
    } catch (err) {
      sqlite.close();
      throw err;
    }
  };
  try {
    return attempt();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (!(err instanceof CorruptStoreError) && code !== 'SQLITE_CORRUPT' && code !== 'SQLITE_NOTADB') throw err;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    // With an encrypted cache a lost or replaced key looks the same as corruption: the file is
    // kept (renamed) so it can still be opened with the right key.
    log('the cache file is corrupt or was encrypted with another key: moving it aside and rebuilding the cache from the hub', { file, movedTo: aside, error: (err as Error).message });
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix);
    }
    return attempt();
  }
}
