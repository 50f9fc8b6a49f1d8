// The annotation tools as state machines, driven without a browser (tldraw's habit): pointer
// down / move / up on the plain objects, writing through the real annotation model into a real
// notes document (so every annotation a tool makes passes the shared schema).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readAnnotations, type Annotation } from '../../shared/notes-doc.ts';
import { addAnnotation, removeAnnotation, undoManagerFor } from '../../renderer/annotations/annotation-model.ts';
import { createTool, type ToolContext, type ToolPointer } from '../../renderer/annotations/tools/index.ts';

const SHA = 'a'.repeat(64);

/** A page whose screen box starts at (100, 50) with 2 CSS px per page unit and y growing down the screen. */
function page(doc: Y.Doc, extra: Partial<ToolContext> = {}) {
  const live: Array<number[] | null> = [];
  const opened: string[] = [];
  const selects: number[][] = [];
  let ids = 0;
  let selection: ReturnType<ToolContext['selection']> = null;
  const ctx: ToolContext = {
    paperId: 'paper-1', sha256: SHA, page: 3, color: '#1f3a93', width: 2.4,
    measure: () => (x, y) => [(x - 100) / 2, 800 - (y - 50) / 2],
    // What lies under a point: notes placed within 10 units of it.
    hitTest: (x, y) => readAnnotations(doc).filter((a) => a.kind === 'note' && Math.hypot(a.x - (x - 100) / 2, a.y - (800 - (y - 50) / 2)) < 10).map((a) => a.id),
    annotations: () => readAnnotations(doc),
    add: (a) => addAnnotation(doc, a),
    erase: (id) => removeAnnotation(doc, id),
    openNote: (id) => opened.push(id),
    showLive: (points) => live.push(points ? [...points] : null),
    selection: () => selection,
    clearSelection: () => {
      selection = null;
    },
    selectBetween: (...xy) => selects.push(xy),
    newId: () => `ann-${++ids}`,
    now: () => 1_700_000_000_000 + ids,
    ...extra,
  };
  return { ctx, live, opened, selects, select: (s: typeof selection) => (selection = s), selected: () => selection };
}

const ptr = (x: number, y: number, more: Partial<ToolPointer> = {}): ToolPointer => ({ id: 1, type: 'mouse', button: 0, x, y, pressure: 0.5, samples: [], ...more });

describe('annotation tools', () => {
  it('pen: idle → drawing → one ink annotation in page units, live stroke shown then cleared', () => {
    const doc = new Y.Doc();
    const { ctx, live } = page(doc);
    const pen = createTool('pen')!;
    expect(pen.state).toBe('idle');
    expect(pen.pointerDown(ptr(100, 50), ctx)).toBe('capture');
    expect(pen.state).toBe('drawing');
    // Every coalesced sample counts, not only the event's own position.
    pen.pointerMove(ptr(120, 70, { samples: [{ x: 110, y: 60, pressure: 0.9 }, { x: 120, y: 70, pressure: 0.9 }] }), ctx);
    pen.pointerMove(ptr(140, 90), ctx);
    expect(live.at(-1)).toHaveLength(4 * 3);
    pen.pointerUp(ptr(140, 90), ctx);
    expect(pen.state).toBe('idle');
    expect(live.at(-1)).toBeNull();
    const [ink] = readAnnotations(doc);
    expect(ink).toMatchObject({ kind: 'ink', tool: 'pen', paperId: 'paper-1', sha256: SHA, page: 3, color: '#1f3a93', width: 2.4 });
    // A mouse has no pressure: simulated at 0.5 whatever the event says.
    expect((ink as Extract<Annotation, { kind: 'ink' }>).points).toEqual([0, 800, 0.5, 5, 795, 0.5, 10, 790, 0.5, 20, 780, 0.5]);
  });

  it('pen: a pen\'s pressure is kept; secondary buttons never draw; another pointer is ignored', () => {
    const doc = new Y.Doc();
    const { ctx } = page(doc);
    const pen = createTool('pen')!;
    expect(pen.pointerDown(ptr(100, 50, { button: 2 }), ctx)).toBe('ignored');
    expect(pen.state).toBe('idle');
    expect(pen.pointerDown(ptr(100, 50, { type: 'pen', pressure: 0.8 }), ctx)).toBe('capture');
    // A palm (another pointer) neither extends nor ends the stroke.
    pen.pointerMove(ptr(300, 300, { id: 2, type: 'touch' }), ctx);
    pen.pointerUp(ptr(300, 300, { id: 2, type: 'touch' }), ctx);
    expect(pen.state).toBe('drawing');
    pen.pointerMove(ptr(102.004, 52, { type: 'pen', pressure: 0.3 }), ctx);
    pen.pointerUp(ptr(102, 52, { type: 'pen' }), ctx);
    const ink = readAnnotations(doc)[0] as Extract<Annotation, { kind: 'ink' }>;
    // Rounded to two decimals of a page unit.
    expect(ink.points).toEqual([0, 800, 0.8, 1, 799, 0.3]);
  });

  it('note: a tap places an empty note at the page point and opens it', () => {
    const doc = new Y.Doc();
    const { ctx, opened } = page(doc);
    const note = createTool('note')!;
    expect(note.pointerDown(ptr(140, 250), ctx)).toBe('handled');
    const [n] = readAnnotations(doc);
    expect(n).toMatchObject({ kind: 'note', x: 20, y: 700, text: '', page: 3 });
    expect(opened).toEqual([n!.id]);
  });

  it('a finger the viewer lets draw: the pen draws, a cancel drops the stroke; a note is placed on a still lift only', () => {
    const doc = new Y.Doc();
    const { ctx, live, opened } = page(doc);
    const finger = (x: number, y: number, id = 5) => ptr(x, y, { id, type: 'touch' });
    const pen = createTool('pen')!;
    expect(pen.pointerDown(finger(100, 50), ctx)).toBe('capture');
    pen.pointerMove(finger(140, 90), ctx);
    pen.pointerUp(finger(140, 90), ctx);
    expect(readAnnotations(doc)).toHaveLength(1);
    // A second finger landed: the viewer cancels; the lift then keeps nothing.
    pen.pointerDown(finger(100, 50), ctx);
    pen.pointerMove(finger(120, 60), ctx);
    pen.cancel(5, ctx);
    expect(pen.state).toBe('idle');
    expect(live.at(-1)).toBeNull();
    pen.pointerUp(finger(120, 60), ctx);
    expect(readAnnotations(doc)).toHaveLength(1);

    const note = createTool('note')!;
    expect(note.pointerDown(finger(140, 250), ctx)).toBe('capture');
    expect(readAnnotations(doc)).toHaveLength(1);
    note.pointerMove(finger(144, 253), ctx);
    note.pointerUp(finger(144, 253), ctx);
    const placed = readAnnotations(doc).filter((a) => a.kind === 'note');
    // Where the finger landed, not where it lifted.
    expect(placed).toMatchObject([{ x: 20, y: 700 }]);
    expect(opened).toEqual([placed[0]!.id]);
    // A finger that wanders is a pan: no note, and the tool lets go (idle).
    note.pointerDown(finger(300, 250), ctx);
    note.pointerMove(finger(300, 290), ctx);
    expect(note.state).toBe('idle');
    note.pointerUp(finger(300, 290), ctx);
    expect(readAnnotations(doc).filter((a) => a.kind === 'note')).toHaveLength(1);
  });

  it('highlighter by finger: selects from where the finger landed to where it is, and highlights on the lift', () => {
    const doc = new Y.Doc();
    const { ctx, selects, select } = page(doc);
    const hl = createTool('highlighter')!;
    // A mouse selects the browser's way: the tool waits for the lift.
    expect(hl.pointerDown(ptr(100, 50), ctx)).toBe('ignored');
    expect(hl.pointerDown(ptr(150, 100, { type: 'touch', id: 4 }), ctx)).toBe('capture');
    hl.pointerMove(ptr(250, 104, { type: 'touch', id: 4 }), ctx);
    expect(selects).toEqual([[150, 100, 250, 104]]);
    select({ rects: [{ left: 150, top: 90, right: 250, bottom: 110 }], box: { left: 100, top: 50, right: 1300, bottom: 1650 }, text: 'budget' });
    hl.pointerUp(ptr(250, 104, { type: 'touch', id: 4 }), ctx);
    expect(readAnnotations(doc)).toMatchObject([{ kind: 'highlight', text: 'budget', rects: [25, 770, 50, 10] }]);
    // A second finger cancels: nothing is kept.
    hl.pointerDown(ptr(150, 100, { type: 'touch', id: 5 }), ctx);
    select({ rects: [{ left: 150, top: 90, right: 250, bottom: 110 }], box: { left: 100, top: 50, right: 1300, bottom: 1650 }, text: 'x' });
    hl.cancel(5, ctx);
    hl.pointerUp(ptr(250, 104, { type: 'touch', id: 5 }), ctx);
    expect(readAnnotations(doc)).toHaveLength(1);
  });

  it('eraser: reaches ink within its radius (not only on the line), between far-apart samples, and highlights', () => {
    const doc = new Y.Doc();
    const { ctx } = page(doc);
    const base = { paperId: 'paper-1', sha256: SHA, page: 3, createdAt: 1, color: '#000' };
    // A horizontal line at page y 700 (screen y 250), x 20..120 (screen 140..340); a highlight band below it.
    addAnnotation(doc, { ...base, id: 'line', kind: 'ink', tool: 'pen', width: 2, points: [20, 700, 0.5, 70, 700, 0.5, 120, 700, 0.5] });
    addAnnotation(doc, { ...base, id: 'band', kind: 'highlight', rects: [20, 600, 100, 10] });
    const eraser = createTool('eraser')!;
    // 30 screen px above the line (15 page units): beyond the 12 px reach plus half the width.
    eraser.pointerDown(ptr(200, 220), ctx);
    eraser.pointerUp(ptr(200, 220), ctx);
    expect(readAnnotations(doc).map((a) => a.id).sort()).toEqual(['band', 'line']);
    // 10 screen px above it: within reach.
    eraser.pointerDown(ptr(200, 240), ctx);
    eraser.pointerUp(ptr(200, 240), ctx);
    expect(readAnnotations(doc).map((a) => a.id)).toEqual(['band']);
    // Across the band (screen y 430..450) in one jump from above it to below it: no sample on it.
    eraser.pointerDown(ptr(200, 400), ctx);
    eraser.pointerMove(ptr(200, 480), ctx);
    expect(readAnnotations(doc)).toHaveLength(0);
  });

  it('eraser: a tap and a drag remove what they pass over, and Undo brings it back', () => {
    const doc = new Y.Doc();
    const { ctx } = page(doc);
    const note = createTool('note')!;
    note.pointerDown(ptr(140, 250), ctx);
    note.pointerDown(ptr(300, 250), ctx);
    expect(readAnnotations(doc)).toHaveLength(2);
    const undo = undoManagerFor(doc);
    const eraser = createTool('eraser')!;
    // Nothing under the first point; the drag then crosses the second note only.
    expect(eraser.pointerDown(ptr(500, 600), ctx)).toBe('capture');
    expect(readAnnotations(doc)).toHaveLength(2);
    eraser.pointerMove(ptr(300, 252), ctx);
    expect(readAnnotations(doc).map((a) => a.kind === 'note' && a.x)).toEqual([20]);
    eraser.pointerUp(ptr(300, 252), ctx);
    expect(eraser.state).toBe('idle');
    // Moving without a press erases nothing.
    eraser.pointerMove(ptr(140, 250), ctx);
    expect(readAnnotations(doc)).toHaveLength(1);
    undo.undo();
    expect(readAnnotations(doc)).toHaveLength(2);
  });

  it('highlighter: on lift, the selection\'s line boxes become one band per line, and the selection is consumed', () => {
    const doc = new Y.Doc();
    const { ctx, select, selected } = page(doc);
    const hl = createTool('highlighter')!;
    // Selecting is the browser's: nothing happens until the lift, and nothing without a selection.
    expect(hl.pointerDown(ptr(120, 100), ctx)).toBe('ignored');
    hl.pointerUp(ptr(200, 100), ctx);
    expect(readAnnotations(doc)).toHaveLength(0);
    // Two spans of one line (touching), one span of the next, a sliver, and a box past the page's right edge.
    select({
      text: 'This paper proposes a plan',
      box: { left: 100, top: 50, right: 500, bottom: 850 },
      rects: [
        { left: 120, top: 100, right: 200, bottom: 120 },
        { left: 200, top: 100, right: 300, bottom: 120 },
        { left: 120, top: 130, right: 560, bottom: 150 },
        { left: 120, top: 160, right: 120.5, bottom: 180 },
      ],
    });
    hl.pointerUp(ptr(300, 150), { ...ctx, color: '#ffe066', width: 9.6 });
    const h = readAnnotations(doc)[0] as Extract<Annotation, { kind: 'highlight' }>;
    expect(h).toMatchObject({ kind: 'highlight', color: '#ffe066', text: 'This paper proposes a plan', page: 3 });
    // [x, y, w, h] in page units, lower-left corners, top line first; the second line clipped to the page.
    expect(h.rects).toEqual([10, 765, 90, 10, 10, 750, 190, 10]);
    expect(selected()).toBeNull();
  });

  it('none: no machine, so the page is left to reading and selecting', () => {
    expect(createTool('none')).toBeNull();
  });
});
