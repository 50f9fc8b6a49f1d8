// Encrypted SQLite for the agent's cache, with SQLite3 Multiple Ciphers
// (better-sqlite3-multiple-ciphers: better-sqlite3's API, so the store code is unchanged). Both
// the desktop shell (key kept in the OS keyring) and the headless agent (key in a 0600 file)
// open their cache through here; the key is always outside the database it unlocks.
import fs from 'node:fs';
import Ciphers from 'better-sqlite3-multiple-ciphers';
import { openDatabase, type Database, type DatabaseConstructor } from './store.ts';

export const CipherDriver = Ciphers as unknown as DatabaseConstructor;

/** 32 random bytes in hex: a key, not a password (no key stretching is applied). */
export const CACHE_KEY_PATTERN = /^[0-9a-f]{64}$/;

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function checkKey(key: string): void {
  if (!CACHE_KEY_PATTERN.test(key)) throw new Error('the cache key must be 32 random bytes in hex');
}

export function encryptedCacheOpener(key: string, Driver: DatabaseConstructor = CipherDriver): (file: string) => Database {
  checkKey(key);
  return (file: string) => openDatabase(file, { Driver, key });
}

/** True when `file` is an unencrypted SQLite database (its header is readable). */
export function isPlainSqliteFile(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    return fs.readSync(fd, head, 0, head.length, 0) === head.length && head.equals(PLAIN_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Encrypts a plain SQLite database in place (a cache written before encryption became the
 * default), keeping what it holds: unsynced notes must not be lost to an upgrade. Rekeying is
 * not possible in WAL mode, so the WAL is checkpointed away first; SQLite rewrites every page
 * under the new key in one journaled transaction, free pages included.
 */
export function encryptPlainDatabase(file: string, key: string, Driver: DatabaseConstructor = CipherDriver): void {
  checkKey(key);
  const db = new Driver(file);
  try {
    db.pragma('journal_mode = DELETE');
    db.pragma(`rekey='${key}'`);
  } finally {
    db.close();
  }
}
