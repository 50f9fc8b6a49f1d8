// Sign-in and sessions as plain functions: the session routes and the sync endpoint both
// authenticate through here, and a test can sign in without HTTP.
import { HttpError } from '../core/http-common.ts';
import { addressKey, loginKey, SignInThrottle } from '../core/sign-in-throttle.ts';
import type { Account } from './access.ts';
import type { HubDb } from './hub-db.ts';
import { hashPassword, newToken, tokenHash, verifyPassword } from './passwords.ts';
import type { SessionResponse } from '../../shared/api.ts';

export interface SessionService {
  /** The account and session behind a bearer token, or null for none, unknown or expired. */
  authenticate(token: string | null): { account: Account; hash: string; expiresAt: number } | null;
  /** Throttled per login and per address; 429 while throttled, 401 on a wrong login or password. */
  signIn(login: string, password: string, address: string): Promise<SessionResponse>;
}

export function createSessionService(deps: { db: HubDb; throttle: SignInThrottle; ttlMs?: number }): SessionService {
  const { db, throttle } = deps;
  return {
    authenticate(token) {
      if (!token) return null;
      const hash = tokenHash(token);
      const row = db.sessionUser(hash);
      return row ? { account: { id: row.id, login: row.login, name: row.name, role: row.role }, hash, expiresAt: row.expires_at } : null;
    },
    async signIn(login, password, address) {
      // Checked before any password work: a throttled guess costs no scrypt and reveals nothing.
      const keys = [loginKey(login), addressKey(address)];
      const verdict = throttle.check(keys);
      if (!verdict.ok) {
        throw new HttpError(429, 'too_many_attempts', `too many failed sign-ins: try again in ${verdict.retryAfterSec} s`, undefined,
          { 'retry-after': String(verdict.retryAfterSec) });
      }
      let ok = false;
      const row = db.accountByLogin(login);
      try {
        // A wrong login costs the same scrypt work as a wrong password: no account enumeration.
        ok = row ? await verifyPassword(password, row.pw_hash) : (await hashPassword(password), false);
      } finally {
        if (ok && row && !row.disabled) throttle.succeed(keys);
        else throttle.fail(keys);
      }
      if (!row || !ok || row.disabled) {
        db.audit('sign-in-failed', row?.id ?? null, login);
        throw new HttpError(401, 'unauthorized', 'wrong login or password');
      }
      const token = newToken();
      const expires = db.createSession(tokenHash(token), row.id, deps.ttlMs);
      db.audit('sign-in', row.id, null);
      return { token, user: { id: row.id, login: row.login, name: row.name, role: row.role }, expiresAt: new Date(expires).toISOString() };
    },
  };
}
