// Touch on the pages, as a plain state machine fed pointer events (the viewer applies what it
// answers). Each finger gets a role when it lands: with a tool chosen and finger drawing on, a
// lone finger draws (the tool's); any second finger turns the whole touch into a gesture — the
// drawing finger's stroke is cancelled and two fingers pan and pinch (zoom around the point
// between them) until every finger is lifted. With finger drawing off (a pen was seen: palm
// rejection) fingers only ever pan and pinch, and while a pen is down every touch is ignored.
// Without a tool, one finger is left to the browser's native scrolling (and `SwipeDetector`).
import { clampZoom } from './layout.ts';

export interface GesturePointer {
  id: number;
  type: string;
  x: number;
  y: number;
}

export type GestureAction =
  | { kind: 'pan'; dx: number; dy: number }
  /** Zoom to `zoom` keeping the page point under (x, y) (client coordinates) where it is. */
  | { kind: 'zoom'; zoom: number; x: number; y: number };

/**
 * What a landing pointer is: `draw` goes to the tool; `gesture` pans and pinches here; `palm`
 * is ignored. `cancel`: the id of a finger whose stroke must be dropped (a second finger landed).
 */
export interface PointerRole {
  role: 'draw' | 'gesture' | 'palm';
  cancel?: number;
}

export interface DownOptions {
  /** The zoom in force (a pinch scales from the zoom at the second finger's landing). */
  zoom: number;
  /** A tool is chosen and fingers may use it (finger drawing on). */
  fingerDraws: boolean;
}

/** A pinch zooms in steps of at least this fraction: every tiny finger wobble is not a re-layout. */
const MIN_STEP = 0.04;

export class TouchGestures {
  private readonly touches = new Map<number, { x: number; y: number }>();
  private pinch: { dist: number; zoom: number } | null = null;
  private penDown = false;
  /** The finger that draws, while it is the only one down. */
  private drawing: number | null = null;
  /** A second finger landed: no finger draws until all are lifted. */
  private multi = false;

  pointerDown(p: GesturePointer, o: DownOptions): PointerRole {
    if (p.type === 'pen') this.penDown = true;
    if (p.type !== 'touch') return { role: 'draw' };
    if (this.penDown) return { role: 'palm' };
    this.touches.set(p.id, { x: p.x, y: p.y });
    if (this.touches.size === 1 && o.fingerDraws && !this.multi) {
      this.drawing = p.id;
      return { role: 'draw' };
    }
    const cancel = this.drawing ?? undefined;
    this.drawing = null;
    if (this.touches.size >= 2) this.multi = true;
    if (this.touches.size === 2) {
      const [a, b] = this.pair();
      this.pinch = { dist: Math.hypot(a.x - b.x, a.y - b.y), zoom: o.zoom };
    }
    return cancel === undefined ? { role: 'gesture' } : { role: 'gesture', cancel };
  }

  /** The tool let go of its finger (a tap that became a drag): from here on it pans. */
  release(id: number): void {
    if (this.drawing === id) this.drawing = null;
  }

  /** Whether this pointer is the one drawing (its moves belong to the tool). */
  isDrawing(id: number): boolean {
    return this.drawing === id;
  }

  /**
   * What this move asks of the viewer: two fingers pan with their midpoint and zoom with their
   * spread; `panning` says whether one finger pans (a tool is chosen: no native scrolling).
   */
  pointerMove(p: GesturePointer, opts: { zoom: number; panning: boolean }): GestureAction[] {
    const prev = this.touches.get(p.id);
    if (!prev || this.penDown || this.drawing === p.id) return [];
    const cur = { x: p.x, y: p.y };
    if (this.touches.size >= 2 && this.pinch) {
      const [a0, b0] = this.pair();
      this.touches.set(p.id, cur);
      const [a, b] = this.pair();
      const out: GestureAction[] = [];
      // The midpoint moves by half the finger's move: the pages follow the fingers.
      const dx = (a0.x + b0.x - a.x - b.x) / 2;
      const dy = (a0.y + b0.y - a.y - b.y) / 2;
      if (dx || dy) out.push({ kind: 'pan', dx, dy });
      const next = clampZoom(this.pinch.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / Math.max(1, this.pinch.dist)));
      if (Math.abs(next - opts.zoom) / opts.zoom > MIN_STEP) out.push({ kind: 'zoom', zoom: next, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
      return out;
    }
    this.touches.set(p.id, cur);
    // Dragging the content: the pages move with the finger, so the scroll goes the other way.
    if (opts.panning) return [{ kind: 'pan', dx: prev.x - cur.x, dy: prev.y - cur.y }];
    return [];
  }

  pointerUp(p: GesturePointer): void {
    if (p.type === 'pen') this.penDown = false;
    this.touches.delete(p.id);
    if (this.drawing === p.id) this.drawing = null;
    if (this.touches.size < 2) this.pinch = null;
    if (this.touches.size === 0) this.multi = false;
  }

  private pair(): [{ x: number; y: number }, { x: number; y: number }] {
    return [...this.touches.values()].slice(0, 2) as [{ x: number; y: number }, { x: number; y: number }];
  }
}

/** A swipe turns the page when it is mostly sideways and long or quick enough. */
const SWIPE_MIN_PX = 50;
const SWIPE_LONG_FRACTION = 0.25;
const SWIPE_MIN_SPEED = 0.35; // px per ms

/**
 * One finger swiping sideways (no tool chosen): the page turns, -1 back (finger to the right)
 * or +1 on. Fed touch events, not pointer events, since the browser's own scrolling cancels
 * the pointer but still reports the touch's end.
 */
export class SwipeDetector {
  private start: { x: number; y: number; t: number; id: number } | null = null;
  private spoiled = false;

  touchStart(touches: number, p: { id: number; x: number; y: number; t: number }): void {
    if (touches > 1 || this.start) {
      this.spoiled = true;
      return;
    }
    this.start = { ...p };
    this.spoiled = false;
  }

  /** `width`: the pages' pane; `canScroll(dir)`: the pane can still scroll sideways that way. */
  touchEnd(remaining: number, p: { id: number; x: number; y: number; t: number }, width: number, canScroll: (dir: -1 | 1) => boolean): -1 | 0 | 1 {
    const s = this.start;
    if (remaining === 0) this.start = null;
    if (!s || s.id !== p.id || this.spoiled) return 0;
    const dx = p.x - s.x;
    const dy = p.y - s.y;
    if (Math.abs(dx) < SWIPE_MIN_PX || Math.abs(dx) < 2 * Math.abs(dy)) return 0;
    const speed = Math.abs(dx) / Math.max(1, p.t - s.t);
    if (Math.abs(dx) < width * SWIPE_LONG_FRACTION && speed < SWIPE_MIN_SPEED) return 0;
    const dir: -1 | 1 = dx < 0 ? 1 : -1;
    // A zoomed-in page pans sideways first; the swipe turns only at its edge.
    return canScroll(dir) ? 0 : dir;
  }

  cancel(): void {
    this.start = null;
  }
}
