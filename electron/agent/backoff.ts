// Reconnect delays for everything the agent retries against the hub. "Full jitter" (a uniform
// draw below an exponentially growing cap): when a restarted hub comes back, a room of tablets
// that all lost it at the same instant spreads its reconnects over the whole window instead of
// arriving together at each power of two.
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Injected for tests; Math.random otherwise. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;
  private readonly opts: BackoffOptions;
  constructor(opts: BackoffOptions) {
    this.opts = opts;
  }
  /** The delay before the next attempt; each call widens the window. */
  next(): number {
    const cap = Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    const r = (this.opts.random ?? Math.random)();
    // A small floor keeps a tight loop impossible even when the draw is near zero.
    return Math.max(Math.min(50, this.opts.baseMs), Math.floor(r * cap));
  }
  reset(): void {
    this.attempt = 0;
  }
  get attempts(): number {
    return this.attempt;
  }
}
