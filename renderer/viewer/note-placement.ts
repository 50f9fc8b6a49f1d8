// Where a note's editor goes on screen. Notes live mostly in the right margin, and the page
// clips what overflows it, so the editor is placed in viewport coordinates: beside its marker
// where it fits, flipped to the other side where it does not, and clamped so that it — with its
// Save and Delete buttons — is always wholly visible, even on an 800 px portrait tablet.

export interface Rect { left: number; top: number; width: number; height: number }
export interface Size { width: number; height: number }

/** Space kept between the editor and the viewport's edges and its marker. */
export const NOTE_EDITOR_GAP = 8;

export function placeNoteEditor(marker: Rect, editor: Size, viewport: Size): { left: number; top: number } {
  const gap = NOTE_EDITOR_GAP;
  const right = marker.left + marker.width + gap;
  const left = marker.left - gap - editor.width;
  let x: number;
  if (right + editor.width <= viewport.width - gap) x = right;
  else if (left >= gap) x = left;
  // Neither side has room (a narrow screen): overlap the marker rather than leave the screen.
  else x = viewport.width - gap - editor.width;
  return {
    left: clamp(x, gap, viewport.width - gap - editor.width),
    top: clamp(marker.top - 2, gap, viewport.height - gap - editor.height),
  };
}

// When the editor is larger than the viewport, its top-left corner wins: the text comes first.
function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(v, hi));
}
