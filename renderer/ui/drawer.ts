// A drawer's keyboard and focus behaviour, for a panel shown over the page as a modal dialog:
// focus moves into it when it opens (to the element marked `data-drawer-initial`, else the first
// focusable one) and back to where it was when it closes; Tab stays inside; Escape closes.
import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function useDrawerFocus(ref: RefObject<HTMLElement | null>, open: boolean): void {
  const returnTo = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (!open) return;
    returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('[data-drawer-initial]') ?? el?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      // The opener may have been replaced meanwhile (a re-render): only a node still in the page takes focus.
      const back = returnTo.current;
      if (back?.isConnected) back.focus();
    };
  }, [open, ref]);
}

/** The drawer's onKeyDown: Escape closes, Tab wraps around its focusable elements, no key leaks out. */
export function drawerKeyDown(e: KeyboardEvent<HTMLElement>, onClose: () => void): void {
  // Keys typed in a modal drawer are its own: the reader underneath listens on the window for
  // Escape (close a note, a tool, a panel) and the arrows (turn pages).
  e.stopPropagation();
  if (e.key === 'Escape') {
    e.preventDefault();
    onClose();
    return;
  }
  if (e.key !== 'Tab') return;
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((n) => n.offsetParent !== null || n === document.activeElement);
  if (items.length === 0) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
