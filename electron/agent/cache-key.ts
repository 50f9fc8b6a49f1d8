// The headless agent's cache key: 32 random bytes in hex, in a file only the agent's account may
// read (0600), created on first run. The key lives beside the cache by default (`<data>/agent.key`)
// and can be put elsewhere (`--key-file`, e.g. a mounted secret or a removable volume) so that a
// copy of the data folder alone gives nothing away. The desktop app keeps its key in the OS
// keyring instead (electron/shell/secrets.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_KEY_PATTERN } from '../core/cipher-db.ts';

export class CacheKeyError extends Error {
  override name = 'CacheKeyError';
}

export interface CacheKeyFile {
  key: string;
  /** True when this call created the file (a first run, or a lost key). */
  created: boolean;
}

/** Reads the key, or creates the file when it does not exist. Refuses a file others may read. */
export function loadOrCreateKeyFile(file: string): CacheKeyFile {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new CacheKeyError(`the cache key ${file} is not a file`);
    // Like ssh with a private key: a key others can read protects nothing, so say so and stop.
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      throw new CacheKeyError(`the cache key ${file} may be read by other accounts (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${file}`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { key: createKeyFile(file), created: true };
  }
  const key = text.trim();
  if (!CACHE_KEY_PATTERN.test(key)) throw new CacheKeyError(`the cache key ${file} does not hold 64 hex digits; restore it, or move it and the cache away to start afresh`);
  return { key, created: false };
}

function createKeyFile(file: string): string {
  // A folder that exists is left as it is (a --key-file on a volume the agent does not own).
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(32).toString('hex');
  // 'wx': never overwrite a key another process created meanwhile (its cache would be lost).
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${key}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return key;
}
