// Whether fingers use the chosen tool on this device. Until the device has seen a pen, fingers
// draw (most room tablets have no stylus); once one was seen, fingers pan and only the pen draws
// (palm rejection). The `Draw with finger` toggle overrides either way. Both are remembered on
// the device (localStorage), shared by every viewer through one small store.
import { useSyncExternalStore } from 'react';

const PEN_SEEN = 'chamber.penSeen';
const FINGER = 'chamber.drawWithFinger';

const listeners = new Set<() => void>();

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this page only.
  }
  for (const fn of listeners) fn();
}

/** Fingers draw: the reader's explicit choice, else as long as no pen was seen here. */
export function fingerDraws(): boolean {
  const choice = read(FINGER);
  if (choice !== null) return choice === '1';
  return read(PEN_SEEN) !== '1';
}

/** A pen touched the pages: from now on fingers pan, unless the reader turns finger drawing on. */
export function notePenSeen(): void {
  if (read(PEN_SEEN) === '1') return;
  // The first pen resets an earlier choice: the device has just become a pen device.
  try {
    localStorage.removeItem(FINGER);
  } catch {
    // As in write().
  }
  write(PEN_SEEN, '1');
}

export function setFingerDraws(on: boolean): void {
  write(FINGER, on ? '1' : '0');
}

function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  const onStorage = (e: StorageEvent) => {
    if (e.key === PEN_SEEN || e.key === FINGER || e.key === null) fn();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(fn);
    window.removeEventListener('storage', onStorage);
  };
}

export function useFingerDraws(): boolean {
  return useSyncExternalStore(subscribe, fingerDraws, () => true);
}
