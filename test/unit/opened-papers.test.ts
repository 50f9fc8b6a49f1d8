// The paper cards' "New" / "Updated" badges: which versions a user opened on this device, kept
// in a Storage (an in-memory one here; the page's localStorage in the app, test/e2e/layouts).
import { describe, expect, it } from 'vitest';
import { freshness, readOpened, recordOpened, type StorageLike } from '../../renderer/app/opened-papers.ts';

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('opened papers', () => {
  it('is new until opened, then plain, then updated when a newer version comes', () => {
    const s = memoryStorage();
    expect(freshness(readOpened(s, 'u1'), 'p1', 1)).toBe('new');
    expect(recordOpened(s, 'u1', 'p1', 1)).toBe(true);
    expect(freshness(readOpened(s, 'u1'), 'p1', 1)).toBe(null);
    expect(freshness(readOpened(s, 'u1'), 'p1', 2)).toBe('updated');
    recordOpened(s, 'u1', 'p1', 2);
    expect(freshness(readOpened(s, 'u1'), 'p1', 2)).toBe(null);
  });

  it('keeps the highest version opened: reading an old version does not make the paper updated again', () => {
    const s = memoryStorage();
    recordOpened(s, 'u1', 'p1', 3);
    expect(recordOpened(s, 'u1', 'p1', 1)).toBe(false);
    expect(readOpened(s, 'u1')).toEqual({ p1: 3 });
    expect(freshness(readOpened(s, 'u1'), 'p1', 3)).toBe(null);
  });

  it('is per user: another user of the device still sees the paper as new', () => {
    const s = memoryStorage();
    recordOpened(s, 'u1', 'p1', 1);
    expect(freshness(readOpened(s, 'u2'), 'p1', 1)).toBe('new');
  });

  it('reads damaged or edited storage as nothing opened, keeping only well-formed entries', () => {
    expect(readOpened(memoryStorage({ 'chamber.opened.u1': '{not json' }), 'u1')).toEqual({});
    expect(readOpened(memoryStorage({ 'chamber.opened.u1': '[1,2]' }), 'u1')).toEqual({});
    expect(readOpened(memoryStorage({ 'chamber.opened.u1': 'null' }), 'u1')).toEqual({});
    const mixed = memoryStorage({ 'chamber.opened.u1': JSON.stringify({ a: 2, b: 'x', c: -1, d: 1.5, e: 1e300 }) });
    expect(readOpened(mixed, 'u1')).toEqual({ a: 2 });
    // A write after damage starts clean rather than failing.
    const broken = memoryStorage({ 'chamber.opened.u1': '{not json' });
    expect(recordOpened(broken, 'u1', 'p1', 1)).toBe(true);
    expect(readOpened(broken, 'u1')).toEqual({ p1: 1 });
  });

  it('survives a storage that refuses writes (full, private mode): the badge simply stays', () => {
    const s: StorageLike = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(recordOpened(s, 'u1', 'p1', 1)).toBe(false);
    expect(freshness(readOpened(s, 'u1'), 'p1', 1)).toBe('new');
  });
});
