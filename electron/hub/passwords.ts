// What the hub adds to password hashing (electron/core/passwords.ts, shared with the agent's
// offline verifier): its session tokens.
import crypto from 'node:crypto';

export { hashPassword, verifyPassword } from '../core/passwords.ts';

/** Session tokens are random; only their sha256 is stored, so a stolen database grants nothing. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}
