// The agent's cache, encrypted with SQLite3 Multiple Ciphers (better-sqlite3-multiple-ciphers,
// the same API as better-sqlite3). The key comes from secrets.ts; the store module applies it
// with PRAGMA key before anything else touches the file.
import Ciphers from 'better-sqlite3-multiple-ciphers';
import { openDatabase, type Database, type DatabaseConstructor } from '../core/store.ts';

export const CipherDriver = Ciphers as unknown as DatabaseConstructor;

export function encryptedCacheOpener(key: string, Driver: DatabaseConstructor = CipherDriver): (file: string) => Database {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('the cache key must be 32 random bytes in hex');
  return (file: string) => openDatabase(file, { Driver, key });
}
