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
import { WsPeer } from '../core/ws-peer.ts';
import type { Account } from './account.ts';
import { tokenHash, type AgentDb } from './agent-db.ts';
import type { DeviceSessions } from './device-session.ts';
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
  /** Pages that stay signed in on this device (device-session.ts). */
  devices: DeviceSessions;
  /**
   * Whether the agent can still act for its user with the hub (it holds a hub token, or the
   * password in memory). A resumed page has given no password: once neither is left, only a
   * sign-in can let the agent reach the hub again, so resuming is refused.
   */
  actsForUser: () => boolean;
  /** The hub answers now: a resumed session says `offline` otherwise, as an offline sign-in does. */
  online: () => boolean;
}

/** A password sign-in may ask to be remembered on the device within this time, once. */
const REMEMBER_WINDOW_MS = 5 * 60_000;

/** A sign-in answer, or the wait a throttle (ours or the hub's) asks for. */
export type SignInOutcome = { session: SessionResponse } | { retryAfterSec: number };

export class LocalSignIn {
  // The hub's own policy: only the cached user can sign in offline, so on loopback the account
  // key is the one that matters.
  private readonly throttle = new SignInThrottle(ROOM_SIGN_IN_POLICY);
  private readonly deps: LocalSignInDeps;
  /**
   * Local tokens from a password sign-in in this run that may still become a device session
   * (hash → when issued). A token from a resume never may: a stolen page token cannot be turned
   * into a session that outlives it.
   */
  private readonly rememberable = new Map<string, number>();

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
      return { session: this.issue(res.user, false, true) };
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
    return { session: this.issue(user, true, true) };
  }

  /**
   * Keeps the signed-in page's user signed in on this device: a device session for the cookie,
   * or null when `token` is not a password sign-in of the last few minutes in this run (each
   * may ask once).
   */
  remember(token: string): { secret: string; maxAgeSec: number } | null {
    const hash = tokenHash(token);
    const issuedAt = this.rememberable.get(hash);
    this.rememberable.delete(hash);
    const user = this.userFor(token);
    if (issuedAt === undefined || Date.now() - issuedAt > REMEMBER_WINDOW_MS || !user) return null;
    return this.deps.devices.issue(user.id);
  }

  /** A fresh local session for a page holding a running device session's secret, else 401. */
  resume(secret: string | null): SessionResponse {
    const user = this.deps.account.user;
    const owner = this.deps.devices.userOf(secret);
    // Another user on the device since (their sign-in ended every device session anyway).
    if (!owner || !user || owner !== user.id) throw new HttpError(401, 'no_device_session', 'not signed in on this device: sign in');
    if (!this.deps.actsForUser()) throw new HttpError(401, 'no_device_session', 'the hub session of this device has ended: sign in again');
    return this.issue(user, !this.deps.online(), false);
  }

  /** Ends one local session and closes the sync connections opened with it. */
  signOut(token: string): void {
    this.deps.db.deleteSession(token);
    this.rememberable.delete(tokenHash(token));
    // Signing out on a device means it stays signed in for no one, whichever page asks.
    this.deps.devices.endAll();
    const hash = tokenHash(token);
    this.deps.core.kickWhere((p) => p instanceof WsPeer && (p.tag as { hash?: string } | undefined)?.hash === hash, CLOSE.unauthorized, 'signed out');
  }

  private issue(u: User, offline: boolean, byPassword: boolean): SessionResponse {
    const token = crypto.randomBytes(32).toString('base64url');
    const expires = this.deps.db.createSession(token, this.deps.sessionTtlMs);
    if (byPassword) {
      const now = Date.now();
      for (const [h, at] of this.rememberable) if (now - at > REMEMBER_WINDOW_MS) this.rememberable.delete(h);
      this.rememberable.set(tokenHash(token), now);
    }
    return { token, user: u, expiresAt: new Date(expires).toISOString(), ...(offline ? { offline: true } : {}) };
  }
}
