// Token buckets for what one sync connection may send: a debit returns how long the connection
// must wait before it may send again (0: go on). The caller pauses reading for that long rather
// than dropping anything, so the limit slows a client down and never loses its edits.
import type { RateLimits } from './sync-limits.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly rate: number;
  private readonly burst: number;

  constructor(perSecond: number, burst: number, now: number) {
    this.rate = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** Takes `n` tokens (going into debt if need be); returns the ms until the debt is repaid. */
  debit(n: number, now: number): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }
}

/** Bytes, messages and presence messages received on one connection. */
export class ConnectionThrottle {
  private readonly bytes: TokenBucket;
  private readonly messages: TokenBucket;
  private readonly presence: TokenBucket;

  constructor(limits: RateLimits, now = performance.now()) {
    this.bytes = new TokenBucket(limits.bytesPerSecond, limits.burstBytes, now);
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.burstMessages, now);
    this.presence = new TokenBucket(limits.presencePerSecond, limits.burstPresence, now);
  }

  /** Accounts for one received message; returns how long to stop reading (ms, 0: none). */
  debit(size: number, isPresence: boolean, now = performance.now()): number {
    const wait = Math.max(this.bytes.debit(size, now), this.messages.debit(1, now));
    return isPresence ? Math.max(wait, this.presence.debit(1, now)) : wait;
  }
}
