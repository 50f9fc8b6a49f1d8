// The viewer's touch gestures and keyboard shortcuts as plain state machines and tables, without
// a browser: a lone finger draws when finger drawing is on and a second one cancels it, fingers
// otherwise pan, two pan and pinch around the point between them, a pen down makes every touch
// a palm, sideways swipes turn pages; keys map to actions, and never from inside a field.
import { describe, expect, it } from 'vitest';
import { SwipeDetector, TouchGestures } from '../../renderer/viewer/touch-gestures.ts';
import { spaceStep, viewerShortcut, type KeyLike } from '../../renderer/viewer/shortcuts.ts';
import { MAX_ZOOM } from '../../renderer/viewer/layout.ts';

const touch = (id: number, x: number, y: number) => ({ id, type: 'touch', x, y });

const gesture = { zoom: 1, fingerDraws: false };
const draws = { zoom: 1, fingerDraws: true };

describe('TouchGestures', () => {
  it('one finger pans (scrolling against the finger) with a tool and fingers not drawing, and is left to the browser without a tool', () => {
    const g = new TouchGestures();
    expect(g.pointerDown(touch(1, 100, 500), gesture)).toEqual({ role: 'gesture' });
    expect(g.pointerMove(touch(1, 100, 470), { zoom: 1, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 30 }]);
    expect(g.pointerMove(touch(1, 90, 440), { zoom: 1, panning: false })).toEqual([]);
    g.pointerUp(touch(1, 90, 440));
    // A finger that was never down moves nothing.
    expect(g.pointerMove(touch(1, 90, 400), { zoom: 1, panning: true })).toEqual([]);
  });

  it('with finger drawing on, a lone finger draws; a second finger cancels its stroke and the two pan and pinch', () => {
    const g = new TouchGestures();
    expect(g.pointerDown(touch(1, 100, 500), draws)).toEqual({ role: 'draw' });
    expect(g.isDrawing(1)).toBe(true);
    // Its moves are the tool's.
    expect(g.pointerMove(touch(1, 120, 500), { zoom: 1, panning: true })).toEqual([]);
    expect(g.pointerDown(touch(2, 300, 500), draws)).toEqual({ role: 'gesture', cancel: 1 });
    expect(g.isDrawing(1)).toBe(false);
    // Both move up by 40 px together: a pan by 20 per finger's move (the midpoint's), no zoom.
    expect(g.pointerMove(touch(1, 100, 460), { zoom: 1, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 20 }]);
    expect(g.pointerMove(touch(2, 300, 460), { zoom: 1, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 20 }]);
    // One finger lifted: the other does not start drawing again, it pans.
    g.pointerUp(touch(2, 300, 460));
    expect(g.isDrawing(1)).toBe(false);
    expect(g.pointerMove(touch(1, 100, 450), { zoom: 1, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 10 }]);
    g.pointerUp(touch(1, 100, 450));
    // All lifted: the next lone finger draws.
    expect(g.pointerDown(touch(3, 100, 500), draws)).toEqual({ role: 'draw' });
    // A tool that lets its finger go (a note's tap became a drag): it pans from where it landed.
    g.release(3);
    expect(g.pointerMove(touch(3, 100, 470), { zoom: 1, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 30 }]);
    // Mouse and pen always go to the tool.
    expect(g.pointerDown({ id: 7, type: 'mouse', x: 0, y: 0 }, gesture)).toEqual({ role: 'draw' });
  });

  it('two fingers zoom around their midpoint, in steps of more than 4 %, within the zoom limits', () => {
    const g = new TouchGestures();
    g.pointerDown(touch(1, 440, 300), { zoom: 1.2, fingerDraws: false });
    g.pointerDown(touch(2, 560, 300), { zoom: 1.2, fingerDraws: false });
    // 120 px apart → 123 px: under 4 %, no re-layout for a wobble (the midpoint's 1.5 px is a pan).
    expect(g.pointerMove(touch(2, 563, 300), { zoom: 1.2, panning: true })).toEqual([{ kind: 'pan', dx: -1.5, dy: 0 }]);
    // → 300 px apart: 2.5 times the zoom at the second finger's landing.
    const z = g.pointerMove(touch(2, 740, 300), { zoom: 1.2, panning: true });
    expect(z.find((a) => a.kind === 'zoom')).toEqual({ kind: 'zoom', zoom: 3, x: 590, y: 300 });
    expect(g.pointerMove(touch(2, 3000, 300), { zoom: 3, panning: true }).find((a) => a.kind === 'zoom')).toMatchObject({ kind: 'zoom', zoom: MAX_ZOOM });
    // One finger lifted: the other pans again.
    g.pointerUp(touch(2, 3000, 300));
    expect(g.pointerMove(touch(1, 440, 290), { zoom: MAX_ZOOM, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 10 }]);
  });

  it('while a pen is down every touch is a palm: no pan, no pinch, no drawing', () => {
    const g = new TouchGestures();
    expect(g.pointerDown({ id: 9, type: 'pen', x: 0, y: 0 }, draws)).toEqual({ role: 'draw' });
    expect(g.pointerDown(touch(1, 100, 500), draws)).toEqual({ role: 'palm' });
    expect(g.pointerMove(touch(1, 100, 400), { zoom: 1, panning: true })).toEqual([]);
    g.pointerUp({ id: 9, type: 'pen', x: 0, y: 0 });
    g.pointerUp(touch(1, 100, 400));
    g.pointerDown(touch(2, 100, 500), gesture);
    expect(g.pointerMove(touch(2, 100, 480), { zoom: 1, panning: true })).toEqual([{ kind: 'pan', dx: 0, dy: 20 }]);
  });
});

describe('SwipeDetector', () => {
  const never = () => false;
  const swipe = (dx: number, dy: number, ms: number, canScroll: (d: -1 | 1) => boolean = never) => {
    const s = new SwipeDetector();
    s.touchStart(1, { id: 1, x: 500, y: 400, t: 0 });
    return s.touchEnd(0, { id: 1, x: 500 + dx, y: 400 + dy, t: ms }, 1000, canScroll);
  };

  it('a sideways swipe, long or quick, turns the page: finger left → next, right → previous', () => {
    expect(swipe(-300, 20, 900)).toBe(1);
    expect(swipe(300, -20, 900)).toBe(-1);
    // Short but quick.
    expect(swipe(-80, 0, 100)).toBe(1);
  });

  it('short and slow, mostly vertical, two fingers, or a pane that can still scroll that way: no turn', () => {
    expect(swipe(-80, 0, 1000)).toBe(0);
    expect(swipe(-30, 0, 20)).toBe(0);
    expect(swipe(-300, 200, 300)).toBe(0);
    expect(swipe(-300, 0, 300, (d) => d === 1)).toBe(0);
    expect(swipe(300, 0, 300, (d) => d === 1)).toBe(-1);
    const s = new SwipeDetector();
    s.touchStart(1, { id: 1, x: 500, y: 400, t: 0 });
    s.touchStart(2, { id: 2, x: 600, y: 400, t: 10 });
    expect(s.touchEnd(1, { id: 1, x: 100, y: 400, t: 200 }, 1000, never)).toBe(0);
    expect(s.touchEnd(0, { id: 2, x: 200, y: 400, t: 200 }, 1000, never)).toBe(0);
    // And the next single finger is a fresh start.
    s.touchStart(1, { id: 3, x: 500, y: 400, t: 300 });
    expect(s.touchEnd(0, { id: 3, x: 100, y: 400, t: 500 }, 1000, never)).toBe(1);
  });
});

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('viewer shortcuts', () => {
  it('maps the keys to page turns, zoom, search, undo and redo', () => {
    const action = (k: KeyLike) => viewerShortcut(k, false)?.action;
    expect(['ArrowRight', 'PageDown', 'n'].map((k) => action(key(k)))).toEqual(['next', 'next', 'next']);
    expect(['ArrowLeft', 'PageUp', 'p'].map((k) => action(key(k)))).toEqual(['prev', 'prev', 'prev']);
    expect([action(key('Home')), action(key('End'))]).toEqual(['first', 'last']);
    expect([action(key('+')), action(key('=')), action(key('-'))]).toEqual(['zoomIn', 'zoomIn', 'zoomOut']);
    expect(action(key('z', { ctrlKey: true }))).toBe('undo');
    expect(action(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(action(key('y', { metaKey: true }))).toBe('redo');
    expect(viewerShortcut(key('f', { ctrlKey: true }), false)).toEqual({ action: 'search', preventDefault: true });
    expect(viewerShortcut(key('Escape'), false)).toEqual({ action: 'escape', preventDefault: false });
    // Other chords are the browser's.
    expect(viewerShortcut(key('n', { ctrlKey: true }), false)).toBeNull();
    expect(viewerShortcut(key('ArrowRight', { altKey: true }), false)).toBeNull();
  });

  it('typing in a field is never a shortcut; Space pages like a book', () => {
    expect(viewerShortcut(key('ArrowLeft'), true)).toBeNull();
    expect(viewerShortcut(key('z', { ctrlKey: true }), true)).toBeNull();
    expect(spaceStep(key(' '), false)).toBe(1);
    expect(spaceStep(key(' ', { shiftKey: true }), false)).toBe(-1);
    expect(spaceStep(key(' '), true)).toBe(0);
    expect(spaceStep(key('Enter'), false)).toBe(0);
  });
});
