// Offline sign-in: the agent keeps a scrypt verifier of the password from the last sign-in the
// hub accepted, never the password itself, so a stolen tablet's cache does not give up the
// password (and a wrong guess costs a full scrypt evaluation).
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, len: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

export async function makeVerifier(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, KEYLEN, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function checkVerifier(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const N = Number(n);
  // Bounded parameters: a tampered cache row must not make us burn unbounded memory or time.
  if (!Number.isInteger(N) || N < 1024 || N > 1 << 20 || Number(r) < 1 || Number(r) > 32 || Number(p) < 1 || Number(p) > 16) return false;
  const expected = Buffer.from(hashB64, 'base64');
  if (expected.length !== KEYLEN) return false;
  const actual = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, { N, r: Number(r), p: Number(p), maxmem: PARAMS.maxmem * 4 });
  return crypto.timingSafeEqual(actual, expected);
}
