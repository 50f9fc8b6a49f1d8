// Sign-in to the agent itself. Clients sign in as they would with the hub; the agent signs in
// upstream and hands out a local token of its own (the hub token never leaves the agent). With the
// hub unreachable only the cached user can sign in, checked against the scrypt verifier and
// throttled as the hub throttles (per account and per address, growing delays, no lock-out).
import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { SessionResponse, User } from '../../shared/api.ts';
import { bearerToken, HttpError, unauthorized } from '../core/http-common.ts';
import type { Log } from '../core/log.ts';
import { addressKey, loginKey, ROOM_SIGN_IN_POLICY, SignInThrottle } from '../core/sign-in-throttle.ts';
import { CLOSE, type SyncCore } from '../core/sync-core.ts';
import { WsPeer } from '../core/ws-endpoint.ts';
import type { Account } from './account.ts';
import { tokenHash, type AgentDb } from './agent-db.ts';
import { HubRefusedError, HubUnreachableError } from './hub-client.ts';
import { checkVerifier } from './password-verifier.ts';

export interface LocalSignInDeps {
  db: AgentDb;
  account: Pick<Account, 'user' | 'signInUpstream'>;
  /** The user signed in with the hub: meetings wiped by an order may come back. */
  onHubSignIn: () => void;
  rounds: { request(): Promise<void>; markOffline(): void };
  core: SyncCore;
  log: Log;
  /** How long a local session lasts (default LOCAL_SESSION_TTL_MS, 12 h). */
  sessionTtlMs?: number;
}

/** A sign-in answer, or the wait a throttle (ours or the hub's) asks for. */
export type SignInOutcome = { session: SessionResponse } | { retryAfterSec: number };

export class LocalSignIn {
  // The hub's own policy: only the cached user can sign in offline, so on loopback the account
  // key is the one that matters.
  private readonly throttle = new SignInThrottle(ROOM_SIGN_IN_POLICY);
  private readonly deps: LocalSignInDeps;

  constructor(deps: LocalSignInDeps) {
    this.deps = deps;
  }

  /** The user a local token belongs to, or null (no user, unknown or expired token). */
  userFor(token: string | null): User | null {
    return this.sessionFor(token)?.user ?? null;
  }

  /** The user and the session's end for a local token (a sync connection is re-checked at that end). */
  sessionFor(token: string | null): { user: User; expiresAt: number } | null {
    const { user } = this.deps.account;
    if (!token || !user) return null;
    const expiresAt = this.deps.db.sessionExpiry(token);
    return expiresAt === null ? null : { user, expiresAt };
  }

  /** The signed-in user of a request, or 401. */
  require(req: FastifyRequest): User {
    const u = this.userFor(bearerToken(req));
    if (!u) throw unauthorized();
    return u;
  }

  async signIn(login: string, password: string, ip: string): Promise<SignInOutcome> {
    const { account, rounds, db } = this.deps;
    try {
      const res = await account.signInUpstream(login, password);
      this.deps.onHubSignIn();
      void rounds.request();
      return { session: this.issue(res.user, false) };
    } catch (err) {
      if (err instanceof HubRefusedError) {
        if (err.status === 401) throw new HttpError(401, 'unauthorized', 'wrong login or password');
        // The hub's own throttle: its wait is passed on to the client.
        if (err.status === 429) return { retryAfterSec: err.retryAfterSec ?? 1 };
        throw new HttpError(err.status, 'hub_refused', err.message);
      }
      if (!(err instanceof HubUnreachableError)) throw err;
    }
    rounds.markOffline();
    // Offline the verifier is the only check, so it is throttled.
    const keys = [loginKey(login), addressKey(ip)];
    const gate = this.throttle.check(keys);
    if (!gate.ok) return { retryAfterSec: gate.retryAfterSec };
    const verifier = db.passwordVerifier();
    const user = account.user;
    if (!user || !verifier || user.login.toLowerCase() !== login.toLowerCase()) {
      this.throttle.fail(keys);
      throw new HttpError(401, 'unauthorized', 'wrong login or password (the hub is unreachable: only the last user who signed in on this device can sign in offline)');
    }
    if (!(await checkVerifier(password, verifier))) {
      this.throttle.fail(keys);
      throw new HttpError(401, 'unauthorized', 'wrong login or password');
    }
    this.throttle.succeed(keys);
    this.deps.log('signed in offline against the cached verifier', { login: user.login });
    return { session: this.issue(user, true) };
  }

  /** Ends one local session and closes the sync connections opened with it. */
  signOut(token: string): void {
    this.deps.db.deleteSession(token);
    const hash = tokenHash(token);
    this.deps.core.kickWhere((p) => p instanceof WsPeer && (p.tag as { hash?: string } | undefined)?.hash === hash, CLOSE.unauthorized, 'signed out');
  }

  private issue(u: User, offline: boolean): SessionResponse {
    const token = crypto.randomBytes(32).toString('base64url');
    const expires = this.deps.db.createSession(token, this.deps.sessionTtlMs);
    return { token, user: u, expiresAt: new Date(expires).toISOString(), ...(offline ? { offline: true } : {}) };
  }
}
