// The viewer's touch gestures and keyboard shortcuts as plain state machines and tables, without
// a browser: one finger pans only under a drawing tool, two pinch around the point between them,
// a pen down makes every touch a palm; keys map to actions, and never from inside a field.
import { describe, expect, it } from 'vitest';
import { TouchGestures } from '../../renderer/viewer/touch-gestures.ts';
import { spaceStep, viewerShortcut, type KeyLike } from '../../renderer/viewer/shortcuts.ts';
import { MAX_ZOOM } from '../../renderer/viewer/layout.ts';

const touch = (id: number, x: number, y: number) => ({ id, type: 'touch', x, y });

describe('TouchGestures', () => {
  it('one finger pans (scrolling against the finger) with a drawing tool, and is left to the browser without one', () => {
    const g = new TouchGestures();
    g.pointerDown(touch(1, 100, 500), 1);
    expect(g.pointerMove(touch(1, 100, 470), { zoom: 1, panning: true })).toEqual({ kind: 'pan', dx: 0, dy: 30 });
    expect(g.pointerMove(touch(1, 90, 440), { zoom: 1, panning: false })).toBeNull();
    g.pointerUp(touch(1, 90, 440));
    // A finger that was never down moves nothing.
    expect(g.pointerMove(touch(1, 90, 400), { zoom: 1, panning: true })).toBeNull();
  });

  it('two fingers zoom around their midpoint, in steps of more than 4 %, within the zoom limits', () => {
    const g = new TouchGestures();
    g.pointerDown(touch(1, 440, 300), 1.2);
    g.pointerDown(touch(2, 560, 300), 1.2);
    // 120 px apart → 123 px: under 4 %, no re-layout for a wobble.
    expect(g.pointerMove(touch(2, 563, 300), { zoom: 1.2, panning: true })).toBeNull();
    // → 300 px apart: 2.5 times the zoom at the second finger's landing.
    const z = g.pointerMove(touch(2, 740, 300), { zoom: 1.2, panning: true });
    expect(z).toEqual({ kind: 'zoom', zoom: 3, x: 590, y: 300 });
    expect(g.pointerMove(touch(2, 3000, 300), { zoom: 3, panning: true })).toMatchObject({ kind: 'zoom', zoom: MAX_ZOOM });
    // One finger lifted: the other pans again.
    g.pointerUp(touch(2, 3000, 300));
    expect(g.pointerMove(touch(1, 440, 290), { zoom: MAX_ZOOM, panning: true })).toEqual({ kind: 'pan', dx: 0, dy: 10 });
  });

  it('while a pen is down every touch is a palm: no pan, no pinch', () => {
    const g = new TouchGestures();
    g.pointerDown({ id: 9, type: 'pen', x: 0, y: 0 }, 1);
    g.pointerDown(touch(1, 100, 500), 1);
    expect(g.pointerMove(touch(1, 100, 400), { zoom: 1, panning: true })).toBeNull();
    g.pointerUp({ id: 9, type: 'pen', x: 0, y: 0 });
    g.pointerDown(touch(2, 100, 500), 1);
    expect(g.pointerMove(touch(2, 100, 480), { zoom: 1, panning: true })).toEqual({ kind: 'pan', dx: 0, dy: 20 });
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
