// Touch on the pages while a drawing tool owns single-pointer input: one finger pans, two pinch
// (zoom around the point between them), and while a pen is down every touch is ignored (palm
// rejection). A plain state machine fed pointer events; the viewer applies what it answers.
// Without a drawing tool, one finger is left to the browser's native scrolling.
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

/** A pinch zooms in steps of at least this fraction: every tiny finger wobble is not a re-layout. */
const MIN_STEP = 0.04;

export class TouchGestures {
  private readonly touches = new Map<number, { x: number; y: number }>();
  private pinch: { dist: number; zoom: number } | null = null;
  private penDown = false;

  /** `zoom`: the zoom in force when the second finger lands (the pinch scales from it). */
  pointerDown(p: GesturePointer, zoom: number): void {
    if (p.type === 'pen') this.penDown = true;
    if (p.type !== 'touch' || this.penDown) return;
    this.touches.set(p.id, { x: p.x, y: p.y });
    if (this.touches.size === 2) {
      const [a, b] = this.pair();
      this.pinch = { dist: Math.hypot(a.x - b.x, a.y - b.y), zoom };
    }
  }

  /** What this move asks of the viewer: `panning` says whether one finger pans (a drawing tool). */
  pointerMove(p: GesturePointer, opts: { zoom: number; panning: boolean }): GestureAction | null {
    const prev = this.touches.get(p.id);
    if (!prev || this.penDown) return null;
    const cur = { x: p.x, y: p.y };
    this.touches.set(p.id, cur);
    if (this.touches.size >= 2 && this.pinch) {
      const [a, b] = this.pair();
      const next = clampZoom(this.pinch.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / Math.max(1, this.pinch.dist)));
      if (Math.abs(next - opts.zoom) / opts.zoom <= MIN_STEP) return null;
      return { kind: 'zoom', zoom: next, x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    }
    // Dragging the content: the pages move with the finger, so the scroll goes the other way.
    if (opts.panning) return { kind: 'pan', dx: prev.x - cur.x, dy: prev.y - cur.y };
    return null;
  }

  pointerUp(p: GesturePointer): void {
    if (p.type === 'pen') this.penDown = false;
    this.touches.delete(p.id);
    if (this.touches.size < 2) this.pinch = null;
  }

  private pair(): [{ x: number; y: number }, { x: number; y: number }] {
    return [...this.touches.values()] as [{ x: number; y: number }, { x: number; y: number }];
  }
}
