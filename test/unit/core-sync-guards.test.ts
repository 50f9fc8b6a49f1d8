// The per-connection rate limit and the presence rules, with the clock given explicitly.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { ConnectionThrottle, TokenBucket } from '../../electron/core/rate-limit.ts';
import { checkPresence, readPresenceEntries, type PresenceOwner, type PresenceScope } from '../../electron/core/presence.ts';

describe('rate limit', () => {
  it('lets a burst through, then asks for exactly the time the debt takes to repay', () => {
    const b = new TokenBucket(1000, 5000, 0);
    expect(b.debit(5000, 0)).toBe(0);
    expect(b.debit(2000, 0)).toBe(2000);
    // Half a second later 500 tokens came back: 1500 owed.
    expect(b.debit(0, 500)).toBe(1500);
    expect(b.debit(0, 2000)).toBe(0);
    // Refill stops at the burst size.
    expect(b.debit(5000, 100_000)).toBe(0);
    expect(b.debit(1, 100_000)).toBe(1);
  });

  it('holds bytes, messages and presence messages to their own rates', () => {
    const t = new ConnectionThrottle({ bytesPerSecond: 1000, burstBytes: 10_000, messagesPerSecond: 10, burstMessages: 5, presencePerSecond: 1, burstPresence: 2 }, 0);
    for (let i = 0; i < 5; i++) expect(t.debit(10, false, 0)).toBe(0);
    expect(t.debit(10, false, 0)).toBe(100);
    const p = new ConnectionThrottle({ bytesPerSecond: 1e9, burstBytes: 1e9, messagesPerSecond: 1e9, burstMessages: 1e9, presencePerSecond: 1, burstPresence: 2 }, 0);
    expect(p.debit(10, true, 0)).toBe(0);
    expect(p.debit(10, true, 0)).toBe(0);
    expect(p.debit(10, true, 0)).toBe(1000);
    expect(p.debit(10, false, 0)).toBe(0);
    const bytes = new ConnectionThrottle({ bytesPerSecond: 1000, burstBytes: 1000, messagesPerSecond: 1e9, burstMessages: 1e9, presencePerSecond: 1e9, burstPresence: 1e9 }, 0);
    expect(bytes.debit(3000, false, 0)).toBe(2000);
  });
});

describe('presence rules', () => {
  const limits = { maxPresenceBytes: 100, maxPresenceIds: 2 };
  const owner = (identity: string | null, ids: number[] = [], claimed = ids.length > 0): PresenceOwner => ({ owned: new Set(ids), claimed, identity });
  const entries = (...ids: Array<[number, number, number?, boolean?]>) => ids.map(([clientId, stateBytes, clock = 1, removal = false]) => ({ clientId, clock, stateBytes, removal }));
  /** What the hub holds: id 5 at clock 3 with a state (or, with `present: false`, without one). */
  const scope = (owners: PresenceOwner[], present = true): PresenceScope => ({
    clockOf: (id) => (id === 5 ? 3 : undefined),
    present: (id) => id === 5 && present,
    owners: () => owners,
  });

  it('reads client ids, clocks and state sizes from what y-protocols encodes', () => {
    const doc = new Y.Doc();
    doc.clientID = 77;
    const aw = new awarenessProtocol.Awareness(doc);
    aw.setLocalState({ user: 'ảnh' });
    expect(readPresenceEntries(awarenessProtocol.encodeAwarenessUpdate(aw, [77]))).toEqual([{ clientId: 77, clock: 1, stateBytes: Buffer.byteLength(JSON.stringify({ user: 'ảnh' })), removal: false }]);
    aw.setLocalState(null);
    expect(readPresenceEntries(awarenessProtocol.encodeAwarenessUpdate(aw, [77]))[0]).toMatchObject({ clock: 2, removal: true });
    aw.destroy();
    expect(() => readPresenceEntries(Uint8Array.of(3, 1))).toThrow();
  });

  it('the first message claims; later ones may not add ids; nobody may change another user’s id', () => {
    const me = owner('u1');
    const other = owner('u2', [5]);
    expect(checkPresence(entries([1, 10]), me, scope([me, other]), limits)).toEqual({ ok: true, claims: [1], takeOver: [], changes: true });
    expect(checkPresence(entries([5, 10, 4]), me, scope([me, other]), limits)).toEqual({ ok: false, reason: 'client id 5 belongs to another connection' });
    const claimed = owner('u1', [1]);
    expect(checkPresence(entries([1, 10, 2]), claimed, scope([claimed]), limits).ok).toBe(true);
    expect(checkPresence(entries([2, 10]), claimed, scope([claimed]), limits).ok).toBe(false);
  });

  it('lets echoes of what the hub has through without a change, but not a removal of a present state', () => {
    const me = owner('u1', [1]);
    const other = owner('u2', [5]);
    expect(checkPresence(entries([5, 10, 3], [5, 10, 2]), me, scope([me, other]), limits)).toEqual({ ok: true, claims: [], takeOver: [], changes: false });
    expect(checkPresence(entries([5, 4, 3, true]), me, scope([me, other]), limits).ok).toBe(false);
    expect(checkPresence(entries([5, 4, 3, true]), me, scope([me, other], false), limits)).toMatchObject({ ok: true, changes: false });
  });

  it('the same user takes over their own id from an older connection; anonymous peers never do', () => {
    const old = owner('u1', [5]);
    const fresh = owner('u1');
    expect(checkPresence(entries([5, 10, 9]), fresh, scope([old, fresh]), limits)).toEqual({ ok: true, claims: [5], takeOver: [old], changes: true });
    const anon = owner(null);
    expect(checkPresence(entries([5, 10, 9]), anon, scope([owner(null, [5]), anon]), limits).ok).toBe(false);
  });

  it('caps the size of a state and the number of ids', () => {
    const me = owner('u1');
    expect(checkPresence(entries([1, 101]), me, scope([me]), limits)).toEqual({ ok: false, reason: 'presence state over 100 bytes' });
    expect(checkPresence(entries([1, 1], [2, 1], [3, 1]), me, scope([me]), limits)).toEqual({ ok: false, reason: 'more than 2 presence ids on one connection' });
  });
});
