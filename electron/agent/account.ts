// The one user this device serves, as the agent knows them: who they are (cached, so an offline
// start still knows), the password kept in memory only (to sign in to the hub again when its
// session lapses), and the hub session's token and end. Signing in upstream lives here because
// it changes all of those at once.
import { userSchema, type SessionResponse, type User } from '../../shared/api.ts';
import type { Log } from '../core/log.ts';
import type { AgentDb } from './agent-db.ts';
import { makeVerifier } from './password-verifier.ts';

/** What of the hub client the account uses: the token it holds and the sign-in call. */
export interface AccountHub {
  token: string | null;
  readonly baseUrl: string;
  signIn(login: string, password: string): Promise<SessionResponse>;
}

export interface AccountHooks {
  /** Another user signed in on this device: the previous one's cache goes (their notes stay). */
  onUserSwitch: () => void;
  /** The hub token changed: document links reconnect with the new one. */
  onTokenChanged: () => void;
  /** The user's account role changed: what their open local connections may do is checked again. */
  onAccessChanged?: () => void;
}

/** A session the hub revoked is told apart from one that lapsed by this margin before its end. */
const EXPIRY_MARGIN_MS = 60_000;

export class Account {
  user: User | null;
  login: string | null;
  password: string | null;
  /** When the hub session ends (kept in memory too: a token that is not persisted has one). */
  private expiresAt: number;
  readonly keepHubToken: boolean;
  private readonly db: AgentDb;
  private readonly hub: AccountHub;
  private readonly hooks: AccountHooks;
  private readonly log: Log;

  constructor(deps: { db: AgentDb; hub: AccountHub; hooks: AccountHooks; log: Log }, opts: { login?: string; password?: string; keepHubToken?: boolean }) {
    this.db = deps.db;
    this.hub = deps.hub;
    this.hooks = deps.hooks;
    this.log = deps.log;
    const parsed = userSchema.safeParse(safeJson(this.db.userJson()));
    this.user = parsed.success ? parsed.data : null;
    this.login = opts.login ?? this.user?.login ?? null;
    this.password = opts.password ?? null;
    this.keepHubToken = opts.keepHubToken ?? true;
    // A token written by an earlier run that may keep it is removed from a cache that may not.
    if (!this.keepHubToken) this.db.forgetHubToken();
    this.hub.token = this.user ? this.db.hubCredentials()?.token ?? null : null;
    this.expiresAt = this.db.hubCredentials()?.expiresAt ?? 0;
  }

  /** Whether the agent could sign in to the hub by itself (a login and a password in memory). */
  get canSignIn(): boolean {
    return this.login !== null && this.password !== null;
  }

  /** Signs in to the hub, and on success makes that user (and that token) this device's. */
  async signInUpstream(login: string, password: string): Promise<SessionResponse> {
    const res = await this.hub.signIn(login, password);
    const old = this.hub.token;
    if (this.user && this.user.id !== res.user.id) this.hooks.onUserSwitch();
    const verifier = await makeVerifier(password);
    const parsedExpiry = Date.parse(res.expiresAt);
    this.expiresAt = Number.isFinite(parsedExpiry) ? parsedExpiry : Date.now() + 60 * 60_000;
    this.db.saveSignIn(res.user, verifier, this.keepHubToken ? { token: res.token, expiresAt: this.expiresAt } : null);
    this.hub.token = res.token;
    this.user = res.user;
    this.login = res.user.login;
    this.password = password;
    if (old !== res.token) {
      this.hooks.onTokenChanged();
      // One hub session per device: the one this sign-in replaces ends now.
      if (old) void this.endHubSession(old, 5000);
    }
    return res;
  }

  /**
   * The hub answered 401. Before the session's end it was revoked (signed out elsewhere, account
   * disabled, password changed): true, and the caller purges. After it, it merely lapsed: the
   * token is dropped and the cache stays for the next sign-in.
   */
  hubRefusedSession(): 'revoked' | 'lapsed' {
    if (this.hub.token && Date.now() < this.expiresAt - EXPIRY_MARGIN_MS) return 'revoked';
    this.log('the hub session expired; signing in again when possible');
    this.db.forgetHubToken();
    this.hub.token = null;
    return 'lapsed';
  }

  /**
   * The hub's answer about the signed-in user, each round: a new account role (or name) is kept,
   * so local sync connections and the offline start see what the hub decided.
   */
  refreshUser(me: User): void {
    const cur = this.user;
    if (!cur || cur.id !== me.id || JSON.stringify(cur) === JSON.stringify(me)) return;
    this.db.saveUser(me);
    this.user = me;
    if (cur.role !== me.role) this.hooks.onAccessChanged?.();
  }

  /** Forgets the user entirely (the cache's purge calls this last). */
  forget(): void {
    this.db.forgetUser();
    this.user = null;
    this.password = null;
    this.hub.token = null;
  }

  /** Password refused by the hub: kept no longer, so the agent stops retrying it. */
  dropPassword(): void {
    this.password = null;
  }

  /** Ends a hub session whose token nobody will use again (best effort). */
  async endHubSession(token: string, timeoutMs: number): Promise<void> {
    await fetch(`${this.hub.baseUrl}/api/session`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) }).catch(() => {});
  }

  /** At shutdown: a hub token that was never written down would be nobody's after this. */
  async close(): Promise<void> {
    if (!this.keepHubToken && this.hub.token) await this.endHubSession(this.hub.token, 1000);
  }
}

function safeJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
