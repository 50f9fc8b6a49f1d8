// Slows down password guessing without ever locking an account for good. Each key (an account's
// login, a client's address) may fail a few times for free; every failure after that makes the
// key wait twice as long as the last one before its next attempt, up to a cap. A correct
// password after the wait works (and clears an account's count), so an attacker who keeps
// guessing at someone's login costs that person at most one capped wait, never a lock-out.
//
// Shared by the hub (POST /api/session) and the device agent (its offline password check), so
// it is plain and synchronous: time comes from `now`, nothing is stored, memory is bounded.

export interface ThrottlePolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; each further failure doubles it. */
  baseDelayMs: number;
  /** The longest wait: the throttle never becomes a lock-out. */
  maxDelayMs: number;
  /**
   * Whether a success clears the key. True for accounts; false for addresses, so a caller who
   * owns one valid account cannot sign in between guesses to wipe their address's count.
   */
  resetOnSuccess: boolean;
}

export interface SignInThrottleOptions {
  /** The policy of keys without a policy of their own. */
  policy?: Partial<ThrottlePolicy>;
  /** Policies by key kind: the part of a key before its first ':' ('login:ana' → 'login'). */
  policies?: Record<string, Partial<ThrottlePolicy>>;
  /** A key that has not failed for this long starts again from nothing. */
  forgetAfterMs?: number;
  /** Keys remembered at most; the longest-untouched go first (memory stays bounded under floods). */
  maxKeys?: number;
  now?: () => number;
}

export type ThrottleVerdict = { ok: true } | { ok: false; retryAfterSec: number };

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 60_000, resetOnSuccess: true };

/**
 * The room's policy, for the hub's sign-in and the agent's offline check alike. Per account: 5
 * wrong passwords free, then waits of 1 s doubling to 60 s (someone guessing at the chair's
 * login delays the chair by a minute at most). Per client address: 20 free, then 1 s doubling
 * to 5 min, not cleared by a success. Keys idle for 15 min start over.
 */
export const ROOM_SIGN_IN_POLICY: SignInThrottleOptions = {
  policies: {
    login: { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 60_000, resetOnSuccess: true },
    address: { freeFailures: 20, baseDelayMs: 1000, maxDelayMs: 5 * 60_000, resetOnSuccess: false },
  },
  forgetAfterMs: 15 * 60_000,
};

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
  /** Attempts let through by check() whose outcome is not reported yet. */
  inFlight: number;
  inFlightSince: number;
}

/** An attempt whose caller never reported fail() or succeed() stops counting after this. */
const IN_FLIGHT_EXPIRY_MS = 60_000;

export class SignInThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly policy: ThrottlePolicy;
  private readonly policies: Record<string, ThrottlePolicy>;
  private readonly forgetAfterMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(opts: SignInThrottleOptions = {}) {
    this.policy = { ...DEFAULT_THROTTLE_POLICY, ...opts.policy };
    this.policies = Object.fromEntries(Object.entries(opts.policies ?? {}).map(([kind, p]) => [kind, { ...this.policy, ...p }]));
    this.forgetAfterMs = opts.forgetAfterMs ?? 15 * 60_000;
    this.maxKeys = opts.maxKeys ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * May an attempt on these keys go ahead now? An `ok` counts the attempt as in flight until
   * fail() or succeed() reports it: once a key has used its free failures, it gets one attempt
   * at a time, so a burst of parallel guesses cannot slip past before the first one fails.
   */
  check(keys: readonly string[]): ThrottleVerdict {
    const now = this.now();
    let waitMs = 0;
    for (const key of keys) {
      const e = this.live(key, now);
      if (!e) continue;
      if (e.blockedUntil > now) waitMs = Math.max(waitMs, e.blockedUntil - now);
      else if (e.inFlight > 0 && e.failures + e.inFlight >= this.policyOf(key).freeFailures) waitMs = Math.max(waitMs, 1000);
    }
    if (waitMs > 0) return { ok: false, retryAfterSec: Math.ceil(waitMs / 1000) };
    for (const key of keys) {
      const e = this.live(key, now) ?? this.create(key);
      if (e.inFlight === 0) e.inFlightSince = now;
      e.inFlight++;
    }
    return { ok: true };
  }

  /** The attempt failed (wrong login or password). */
  fail(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const e = this.live(key, now) ?? this.create(key);
      e.inFlight = Math.max(0, e.inFlight - 1);
      e.failures++;
      e.lastFailureAt = now;
      const p = this.policyOf(key);
      const over = e.failures - p.freeFailures;
      // 2^over overflows to Infinity long after the cap, so the wait is simply the cap then.
      if (over > 0) e.blockedUntil = now + Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (over - 1));
      this.touch(key, e);
    }
    this.bound();
  }

  /** The attempt succeeded: accounts start again from nothing; addresses keep their count. */
  succeed(keys: readonly string[]): void {
    const now = this.now();
    for (const key of keys) {
      const e = this.live(key, now);
      if (!e) continue;
      if (this.policyOf(key).resetOnSuccess) this.entries.delete(key);
      else e.inFlight = Math.max(0, e.inFlight - 1);
    }
  }

  /** Keys currently remembered (for tests and the memory bound). */
  get size(): number {
    return this.entries.size;
  }

  private policyOf(key: string): ThrottlePolicy {
    const colon = key.indexOf(':');
    return (colon > 0 ? this.policies[key.slice(0, colon)] : undefined) ?? this.policy;
  }

  /** The key's entry unless it has been forgotten (its attempts and waits long over). */
  private live(key: string, now: number): Entry | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.inFlight > 0 && now - e.inFlightSince > IN_FLIGHT_EXPIRY_MS) e.inFlight = 0;
    const idle = e.inFlight === 0 && e.blockedUntil <= now && now - e.lastFailureAt > this.forgetAfterMs;
    if (idle) {
      this.entries.delete(key);
      return null;
    }
    return e;
  }

  private create(key: string): Entry {
    const e: Entry = { failures: 0, lastFailureAt: -Infinity, blockedUntil: 0, inFlight: 0, inFlightSince: 0 };
    this.entries.set(key, e);
    this.bound();
    return e;
  }

  /** Moves a key to the back of the eviction order. */
  private touch(key: string, e: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, e);
  }

  private bound(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxKeys) break;
      this.entries.delete(key);
    }
  }
}

/**
 * The throttle key of a client address. IPv4-mapped IPv6 is the IPv4 address; other IPv6
 * addresses count by their /64, since one machine usually holds a whole /64.
 */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'address:unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return `address:${v4[1]}`;
  if (!ip.includes(':')) return `address:${ip}`;
  return `address:${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(ip: string): string[] {
  const [head, tail] = ip.split('%')[0]!.toLowerCase().split('::') as [string, string | undefined];
  const a = head ? head.split(':') : [];
  const b = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(Math.max(0, 8 - a.length - b.length)).fill('0');
  return [...a, ...fill, ...b].map((h) => h.replace(/^0+(?=.)/, ''));
}

/** The throttle key of an account, by login as the hub compares logins (case-insensitively). */
export function loginKey(login: string): string {
  return `login:${login.trim().toLowerCase()}`;
}
