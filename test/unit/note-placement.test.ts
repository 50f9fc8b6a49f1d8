import { describe, expect, it } from 'vitest';
import { NOTE_EDITOR_GAP as G, placeNoteEditor } from '../../renderer/viewer/note-placement.ts';

const editor = { width: 260, height: 150 };
const inside = (p: { left: number; top: number }, vw: number, vh: number) =>
  p.left >= G && p.top >= G && p.left + editor.width <= vw - G && p.top + editor.height <= vh - G;

describe('note editor placement', () => {
  it('sits to the right of its marker when there is room', () => {
    const p = placeNoteEditor({ left: 100, top: 200, width: 28, height: 28 }, editor, { width: 1280, height: 800 });
    expect(p).toEqual({ left: 100 + 28 + G, top: 198 });
  });

  it('flips to the left of a marker in the right margin', () => {
    const p = placeNoteEditor({ left: 760, top: 300, width: 28, height: 28 }, editor, { width: 800, height: 1280 });
    expect(p.left).toBe(760 - G - 260);
    expect(inside(p, 800, 1280)).toBe(true);
  });

  it('stays on screen near the bottom and on a screen narrower than two editors', () => {
    const low = placeNoteEditor({ left: 400, top: 770, width: 28, height: 28 }, editor, { width: 1280, height: 800 });
    expect(inside(low, 1280, 800)).toBe(true);
    const narrow = placeNoteEditor({ left: 150, top: 10, width: 28, height: 28 }, editor, { width: 300, height: 600 });
    expect(inside(narrow, 300, 600)).toBe(true);
  });

  it('keeps a marker scrolled off screen from dragging the editor off screen', () => {
    for (const m of [{ left: -500, top: -300 }, { left: 2000, top: 3000 }]) {
      const p = placeNoteEditor({ ...m, width: 28, height: 28 }, editor, { width: 800, height: 1280 });
      expect(inside(p, 800, 1280)).toBe(true);
    }
  });
});
