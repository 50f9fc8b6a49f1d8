// The sign-in throttle on an injected clock: free failures, then waits that double up to a cap,
// never a lock-out; accounts cleared by a success, addresses not; parallel guesses held to one
// at a time; bounded memory.
import { describe, expect, it } from 'vitest';
import { addressKey, loginKey, SignInThrottle } from '../../electron/core/sign-in-throttle.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** One complete attempt that fails; returns whether it was let through. */
function guess(th: SignInThrottle, keys: string[]): boolean {
  const v = th.check(keys);
  if (!v.ok) return false;
  th.fail(keys);
  return true;
}

describe('SignInThrottle', () => {
  it('lets the free failures through, then doubles the wait up to the cap', () => {
    const c = clock();
    const th = new SignInThrottle({ policy: { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000 }, now: c.now });
    const k = [loginKey('Ana')];
    for (let i = 0; i < 3; i++) expect(guess(th, k)).toBe(true);
    expect(th.check(k)).toEqual({ ok: true }); // the 4th attempt still goes ahead...
    th.fail(k); // ...and fails: now a wait begins
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const v = th.check(k);
      expect(v.ok).toBe(false);
      const sec = (v as { retryAfterSec: number }).retryAfterSec;
      waits.push(sec);
      c.advance(sec * 1000 - 1);
      expect(th.check(k).ok).toBe(false); // not a millisecond early
      c.advance(1);
      expect(guess(th, k)).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4, 8, 8, 8]);
  });

  it('is never a lock-out: after 300 failures the right password works once the capped wait is over', () => {
    const c = clock();
    const th = new SignInThrottle({ now: c.now }); // defaults: 5 free, 1 s doubling, 60 s cap
    const k = [loginKey('chair'), addressKey('10.0.0.7')];
    let tried = 0;
    while (tried < 300) {
      const v = th.check(k);
      if (!v.ok) {
        expect(v.retryAfterSec).toBeLessThanOrEqual(60);
        c.advance(v.retryAfterSec * 1000);
        continue;
      }
      th.fail(k);
      tried++;
    }
    const blocked = th.check(k);
    expect(blocked).toEqual({ ok: false, retryAfterSec: 60 });
    c.advance(60_000);
    expect(th.check(k)).toEqual({ ok: true });
    th.succeed(k);
    // The account starts again from nothing: its next wrong password costs no wait.
    expect(guess(th, [loginKey('chair')])).toBe(true);
    expect(th.check([loginKey('chair')])).toEqual({ ok: true });
  });

  it('keys by account and by address: either one waiting holds the attempt', () => {
    const c = clock();
    const th = new SignInThrottle({ policies: { address: { freeFailures: 4, resetOnSuccess: false } }, policy: { freeFailures: 2 }, now: c.now });
    const from = addressKey('192.168.1.20');
    // Spraying one guess at many accounts from one address: the address runs out.
    for (const login of ['a', 'b', 'c', 'd']) expect(guess(th, [loginKey(login), from])).toBe(true);
    expect(guess(th, [loginKey('e'), from])).toBe(true);
    const v = th.check([loginKey('f'), from]);
    expect(v).toEqual({ ok: false, retryAfterSec: 1 });
    // Another address is not held, even for the same accounts.
    expect(th.check([loginKey('a'), addressKey('192.168.1.21')])).toEqual({ ok: true });
    th.succeed([loginKey('a'), addressKey('192.168.1.21')]);
    // A success from the guessing address does not clear the address's count.
    c.advance(1000);
    expect(th.check([loginKey('mine'), from])).toEqual({ ok: true });
    th.succeed([loginKey('mine'), from]);
    expect(guess(th, [loginKey('g'), from])).toBe(true);
    expect(th.check([loginKey('h'), from])).toEqual({ ok: false, retryAfterSec: 2 });
  });

  it('holds parallel guesses to one at a time once the free failures are used', () => {
    const c = clock();
    const th = new SignInThrottle({ policy: { freeFailures: 3 }, now: c.now });
    const k = [loginKey('secretary')];
    // Before any failure, up to the free allowance may be checked at once.
    const burst = Array.from({ length: 10 }, () => th.check(k));
    expect(burst.filter((v) => v.ok).length).toBe(3);
    for (let i = 0; i < 3; i++) th.fail(k);
    c.advance(1000);
    const second = Array.from({ length: 10 }, () => th.check(k));
    expect(second.filter((v) => v.ok).length).toBe(1);
    th.fail(k);
    // An attempt whose outcome is never reported stops holding the key after a minute.
    expect(th.check(k).ok).toBe(false);
    c.advance(2000);
    expect(th.check(k).ok).toBe(true);
    expect(th.check(k).ok).toBe(false);
    c.advance(61_000);
    expect(th.check(k).ok).toBe(true);
  });

  it('forgets a key that has not failed for a while, and stays within its key budget', () => {
    const c = clock();
    const th = new SignInThrottle({ policy: { freeFailures: 1 }, forgetAfterMs: 10_000, maxKeys: 100, now: c.now });
    const k = [loginKey('x')];
    guess(th, k);
    guess(th, k);
    expect(th.check(k).ok).toBe(false);
    c.advance(10_001);
    expect(guess(th, k)).toBe(true); // counted from nothing again: the first failure is free
    expect(th.check(k).ok).toBe(true);
    for (let i = 0; i < 1000; i++) guess(th, [loginKey(`flood-${i}`)]);
    expect(th.size).toBeLessThanOrEqual(100);
  });
});

describe('addressKey and loginKey', () => {
  it('normalise what a client can vary for free', () => {
    expect(addressKey('::ffff:10.1.2.3')).toBe(addressKey('10.1.2.3'));
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('2001:0db8:0001:0002::1')).toBe(addressKey('2001:db8:1:2::9'));
    expect(addressKey(undefined)).toBe('address:unknown');
    expect(loginKey(' Admin ')).toBe(loginKey('admin'));
  });
});
