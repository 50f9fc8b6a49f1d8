// Owner-only permissions for data folders and database files (hub and agent): a cache or a
// room's database must not be readable by other accounts on the machine. SQLite creates its
// -wal and -shm files with the database file's own mode, so fixing the main file once keeps
// them private on later opens; the folder's 0700 covers the moment before that.
import fs from 'node:fs';

/** Creates `dir` (and parents) if needed and makes it 0700. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // mkdir's mode does not apply to a folder that already existed (an older install).
  if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
}

/** Makes a SQLite database and its companion files 0600 (those that exist). */
export function restrictDatabaseFiles(dbFile: string): void {
  if (process.platform === 'win32') return;
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      fs.chmodSync(dbFile + suffix, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
