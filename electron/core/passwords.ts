// Password hashing, once for the whole house: the hub's account hashes and the agent's offline
// verifier are the same thing (a password checked against a stored scrypt hash), and when they
// were written twice they drifted (only the agent bounded the parameters). scrypt is memory-hard
// and in Node's crypto, so there is no native add-on to ship.
//
// Stored as `scrypt$N$r$p$salt$hash` (salt and hash in base64) so the parameters can be raised
// later without a migration: verification reads them from the stored value. That makes the stored
// value an input to guard: a hub row or a cache row someone edited (or a corrupt one) could ask
// for N = 2^30 and have every sign-in attempt allocate gigabytes. So a stored value is checked
// against fixed bounds before any scrypt work, and anything outside them simply fails to verify.
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;

/**
 * What new hashes use: 16 MiB and about 77 ms per evaluation (measured on a shared 2-core
 * machine). Unchanged since the first release: every hash Chamber has written has these.
 */
export const SCRYPT_PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEYLEN = 32;
const SALT_BYTES = 16;

/**
 * What a stored hash may ask for. Memory is 128·N·r bytes and time grows with N·r·p. The ceilings
 * leave room to raise the parameters to OWASP's recommended N = 2^17, r = 8, p = 1 (128 MiB, 8×
 * today's work, about 1 s here) and no further, so the worst a hostile value can cost is eight
 * honest sign-ins. The floor refuses parameters too weak to mean anything (nothing Chamber wrote
 * has ever been below it).
 */
export const SCRYPT_BOUNDS = {
  minN: 1 << 10,
  maxN: 1 << 17,
  maxR: 32,
  maxP: 16,
  maxMemBytes: 128 * 1024 * 1024,
  maxWork: 8 * SCRYPT_PARAMS.N * SCRYPT_PARAMS.r * SCRYPT_PARAMS.p,
  minSaltBytes: 8,
  maxSaltBytes: 64,
} as const;

/** Node refuses (throws) rather than allocate past this; the bounds keep us well inside it. */
const MAXMEM = 2 * SCRYPT_BOUNDS.maxMemBytes;
/** Longest well-formed stored value, with room to spare: a longer string is not even split. */
const MAX_STORED_LENGTH = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const DECIMAL = /^[1-9][0-9]{0,9}$/;

export interface StoredHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

/** A stored value parsed and within bounds, or null for anything else (never throws). */
export function parseStoredHash(stored: string): StoredHash | null {
  if (typeof stored !== 'string' || stored.length > MAX_STORED_LENGTH) return null;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  if (!DECIMAL.test(n) || !DECIMAL.test(r) || !DECIMAL.test(p) || !BASE64.test(saltB64) || !BASE64.test(hashB64)) return null;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const b = SCRYPT_BOUNDS;
  // scrypt itself requires N to be a power of two above 1; checked here so Node never throws.
  if (N < b.minN || N > b.maxN || (N & (N - 1)) !== 0) return null;
  if (R > b.maxR || P > b.maxP) return null;
  if (128 * N * R > b.maxMemBytes || N * R * P > b.maxWork) return null;
  const salt = Buffer.from(saltB64, 'base64');
  const hash = Buffer.from(hashB64, 'base64');
  if (salt.length < b.minSaltBytes || salt.length > b.maxSaltBytes || hash.length !== KEYLEN) return null;
  return { N, r: R, p: P, salt, hash };
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = SCRYPT_PARAMS;
  const salt = crypto.randomBytes(SALT_BYTES);
  const hash = await scrypt(password, salt, KEYLEN, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/**
 * True when `password` matches `stored`. A stored value that is malformed or outside the bounds
 * verifies nothing (false, at no scrypt cost) rather than throwing: to the caller it is a wrong
 * password, and the account's owner (or an administrator resetting it) writes a good one.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  if (!parsed) return false;
  const actual = await scrypt(password, parsed.salt, KEYLEN, { N: parsed.N, r: parsed.r, p: parsed.p, maxmem: MAXMEM });
  return crypto.timingSafeEqual(actual, parsed.hash);
}
