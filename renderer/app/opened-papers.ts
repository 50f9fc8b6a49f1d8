// Which version of each paper this user has opened on this device, for the paper cards' badges
// (issue 16): "New" — never opened here; "Updated" — its latest version is newer than any this
// user opened here. Kept per user in localStorage; what is read back is checked, since anything
// in the page's storage may be stale or edited.
import { useSyncExternalStore } from 'react';

export type Freshness = 'new' | 'updated' | null;
/** paper id → highest version number opened. */
export type OpenedVersions = Readonly<Record<string, number>>;
export type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

const keyOf = (userId: string) => `chamber.opened.${userId}`;

export function freshness(opened: OpenedVersions, paperId: string, latestVersion: number | null): Freshness {
  const seen = opened[paperId];
  if (seen === undefined) return 'new';
  return latestVersion !== null && latestVersion > seen ? 'updated' : null;
}

export function readOpened(storage: StorageLike, userId: string): OpenedVersions {
  let raw: unknown;
  try {
    raw = JSON.parse(storage.getItem(keyOf(userId)) ?? '{}');
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, number> = {};
  for (const [id, v] of Object.entries(raw)) if (Number.isSafeInteger(v) && (v as number) > 0) out[id] = v as number;
  return out;
}

/**
 * Records that `userId` opened `version` of `paperId`. The highest version stays: reading an
 * older version after the latest does not make the paper "Updated" again. Returns whether it changed.
 */
export function recordOpened(storage: StorageLike, userId: string, paperId: string, version: number): boolean {
  const opened = readOpened(storage, userId);
  if ((opened[paperId] ?? 0) >= version) return false;
  try {
    storage.setItem(keyOf(userId), JSON.stringify({ ...opened, [paperId]: version }));
    return true;
  } catch {
    return false; // storage full or refused: the badge simply stays
  }
}

// ---- the page's store, shared by every card on screen ----
const listeners = new Set<() => void>();
let cache: { userId: string; value: OpenedVersions } | null = null;
const browserStorage = (): StorageLike | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

export function markOpened(userId: string, paperId: string, version: number): void {
  const storage = browserStorage();
  if (!storage || !recordOpened(storage, userId, paperId, version)) return;
  cache = null;
  for (const l of listeners) l();
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  return () => listeners.delete(onChange);
}

export function useOpenedVersions(userId: string): OpenedVersions {
  return useSyncExternalStore(subscribe, () => {
    if (cache?.userId !== userId) {
      const storage = browserStorage();
      cache = { userId, value: storage ? readOpened(storage, userId) : {} };
    }
    return cache.value;
  });
}
