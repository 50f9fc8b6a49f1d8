// The viewer's keyboard shortcuts as a table from key to action, kept apart from the component
// so the mapping is tested without a browser. Keys typed into a field are never shortcuts.
export type ViewerAction =
  | 'undo' | 'redo' | 'search'
  | 'next' | 'prev' | 'first' | 'last'
  | 'zoomIn' | 'zoomOut'
  /** Closes the innermost thing open: a note, then the tool, then the side panel. */
  | 'escape';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The action for a key press (window-wide), and whether the browser's own handling must stop. */
export function viewerShortcut(e: KeyLike, inField: boolean): { action: ViewerAction; preventDefault: boolean } | null {
  if (inField || e.altKey) return null;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod) {
    if (key === 'z') return { action: e.shiftKey ? 'redo' : 'undo', preventDefault: true };
    if (key === 'y') return { action: 'redo', preventDefault: true };
    if (key === 'f') return { action: 'search', preventDefault: true };
    return null;
  }
  switch (e.key) {
    case 'ArrowRight': case 'PageDown': case 'n': return { action: 'next', preventDefault: true };
    case 'ArrowLeft': case 'PageUp': case 'p': return { action: 'prev', preventDefault: true };
    case 'Home': return { action: 'first', preventDefault: true };
    case 'End': return { action: 'last', preventDefault: true };
    case '+': case '=': return { action: 'zoomIn', preventDefault: false };
    case '-': return { action: 'zoomOut', preventDefault: false };
    case 'Escape': return { action: 'escape', preventDefault: false };
    default: return null;
  }
}

/** Space pages like a book inside the pages region (Shift+Space back), not a half-screen scroll. */
export function spaceStep(e: KeyLike, inField: boolean): number {
  if (e.key !== ' ' || inField) return 0;
  return e.shiftKey ? -1 : 1;
}

export const isEditable = (el: EventTarget | null): boolean =>
  typeof HTMLElement !== 'undefined' && el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
