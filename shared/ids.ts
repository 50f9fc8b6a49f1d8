// Ids are random, URL-safe and sortable enough for logs; they never encode meaning, so a
// guessed id grants nothing (access is always checked against the hub's tables).
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newId(length = 16): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** Ids that appear in URLs and document names: lower-case letters, digits, '-' and '_'. */
export const ID_PATTERN = /^[a-z0-9_-]{1,64}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

export const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256_PATTERN.test(value);
}
