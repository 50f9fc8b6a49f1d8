// The meeting screen's layout state (issue 16): whether the window is narrow (tablet portrait,
// where the meeting panel becomes a drawer over the paper), whether the wide layout's panel is
// hidden (remembered on the device), and the top bar's slot where the meeting screen puts the
// button that opens or hides its panel — the top bar is mounted by App, outside the meeting view.
import { useCallback, useSyncExternalStore } from 'react';
import { useMediaQuery } from '../ui/use-media-query.ts';

/** Kept equal to the `max-width` of the narrow layout in styles.css. */
export const NARROW_QUERY = '(max-width: 900px)';

export const useNarrow = (): boolean => useMediaQuery(NARROW_QUERY);

const PANEL_KEY = 'chamber.meetingPanel';
const panelListeners = new Set<() => void>();
function readPanelHidden(): boolean {
  try {
    return localStorage.getItem(PANEL_KEY) === 'hidden';
  } catch {
    return false; // storage refused (private mode): the panel simply shows
  }
}
function subscribePanel(onChange: () => void): () => void {
  panelListeners.add(onChange);
  // Another window of the same device changing it follows too.
  const onStorage = (e: StorageEvent) => { if (e.key === PANEL_KEY) onChange(); };
  window.addEventListener('storage', onStorage);
  return () => {
    panelListeners.delete(onChange);
    window.removeEventListener('storage', onStorage);
  };
}

/** The wide layout's panel hidden or not, remembered on this device (not per user: it is how the screen is used). */
export function usePanelHidden(): [boolean, (hidden: boolean) => void] {
  const hidden = useSyncExternalStore(subscribePanel, readPanelHidden);
  const set = useCallback((h: boolean) => {
    try {
      if (h) localStorage.setItem(PANEL_KEY, 'hidden');
      else localStorage.removeItem(PANEL_KEY);
    } catch { /* storage refused: nothing to remember it in, so the panel stays as it is */ }
    for (const l of panelListeners) l();
  }, []);
  return [hidden, set];
}

// The top bar's slot: one element, registered by the top bar while it is mounted.
let slot: HTMLElement | null = null;
const slotListeners = new Set<() => void>();
export function setTopBarSlot(el: HTMLElement | null): void {
  if (el === slot) return;
  slot = el;
  for (const l of slotListeners) l();
}
function subscribeSlot(onChange: () => void): () => void {
  slotListeners.add(onChange);
  return () => slotListeners.delete(onChange);
}
export const useTopBarSlot = (): HTMLElement | null => useSyncExternalStore(subscribeSlot, () => slot);
