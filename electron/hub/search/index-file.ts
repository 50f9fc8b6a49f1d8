// The hub's index of paper pages lives in a file of its own, search.sqlite beside hub.sqlite, and
// is written by a worker thread (index-writer.ts). Measured in `npm run bench -- search`: with the
// index in hub.sqlite, written on the event loop, each transaction of pages held the loop 0.7 ms
// at the median and 5–8 ms at the tail, and a change that landed behind one reached the room that
// much later — the fan-out's p99 grew 1.2–2.9× while a room's papers were indexed. A second file
// is what lets a second thread write: the hub's own commits never wait for the index's write lock.
//
// The index is derived from the papers (every paper's text can be read again), so it is kept with
// synchronous=NORMAL and no WAL flusher, and a file that fails its check at start is set aside and
// built again rather than stopping the hub.
import fs from 'node:fs';
import path from 'node:path';
import { searchIndexTables } from '../../core/search-index.ts';
import { restrictDatabaseFiles } from '../../core/private-files.ts';
import { CorruptStoreError, openDatabase, type Database } from '../../core/store.ts';

export const SEARCH_FILE = 'search.sqlite';
/** Bumped when the file's tables change; a file of another version is built again from the papers. */
const FORMAT = 1;

export const searchFileOf = (dataDir: string): string => path.join(dataDir, SEARCH_FILE);

/**
 * Opens (creating or rebuilding as needed) the index file. Called once by the hub's main thread
 * before the writer starts, so the tables exist by the time either connection uses them.
 */
export function openSearchFile(file: string, log: (msg: string, extra?: Record<string, unknown>) => void = () => {}): Database {
  let db: Database;
  try {
    db = openDatabase(file, { synchronous: 'NORMAL' });
  } catch (err) {
    if (!(err instanceof CorruptStoreError)) throw err;
    log('the search index failed its check and is built again from the papers', { file, error: err.message });
    setAside(file);
    db = openDatabase(file, { synchronous: 'NORMAL' });
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== FORMAT) {
    if (version !== 0) {
      log('the search index is of another format and is built again from the papers', { file, version });
      db.close();
      setAside(file);
      db = openDatabase(file, { synchronous: 'NORMAL' });
    }
    db.transaction(() => {
      searchIndexTables(db);
      db.pragma(`user_version = ${FORMAT}`);
    })();
  }
  restrictDatabaseFiles(file);
  return db;
}

/** Opens the index file for the writer thread (the tables exist: openSearchFile ran first). */
export function openSearchFileForWriting(file: string): Database {
  const db = openDatabase(file, { synchronous: 'NORMAL' });
  // Readers never block this writer and it never waits for them; the only other writer is none.
  return db;
}

function setAside(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
