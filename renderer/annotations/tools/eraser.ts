// The eraser: a tap removes what lies near it; idle → erasing while the pointer drags across
// annotations → idle. "Near" is a radius on screen (a fingertip's), turned into page units, and
// measured along the whole path since the last sample, so a quick swipe misses nothing between
// samples. It removes ink by its stroke (plus half the stroke's width) and highlights by their
// bands; notes are under their markers (the hit test).
import type { Annotation } from '../../../shared/notes-doc.ts';
import { drawsWith, type DownResult, type Tool, type ToolContext, type ToolPointer, type ToPage } from './tool.ts';

/** The eraser's reach around the pointer, in CSS pixels. */
export const ERASER_RADIUS_PX = 12;

type EraserState = { name: 'idle' } | { name: 'erasing'; pointerId: number; toPage: ToPage; r: number; last: [number, number] };

export class EraserTool implements Tool {
  readonly name = 'eraser' as const;
  private s: EraserState = { name: 'idle' };

  get state(): string {
    return this.s.name;
  }

  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult {
    if (!drawsWith(p) || this.s.name !== 'idle') return 'ignored';
    const toPage = ctx.measure();
    const at = toPage(p.x, p.y);
    const edge = toPage(p.x + ERASER_RADIUS_PX, p.y);
    const r = Math.hypot(edge[0] - at[0], edge[1] - at[1]);
    this.s = { name: 'erasing', pointerId: p.id, toPage, r, last: at };
    this.eraseAlong(at, at, ctx);
    for (const id of ctx.hitTest(p.x, p.y)) ctx.erase(id);
    return 'capture';
  }

  pointerMove(p: ToolPointer, ctx: ToolContext): void {
    const s = this.s;
    if (s.name !== 'erasing' || s.pointerId !== p.id) return;
    for (const sample of p.samples.length ? p.samples : [p]) {
      const at = s.toPage(sample.x, sample.y);
      this.eraseAlong(s.last, at, ctx);
      s.last = at;
    }
    for (const id of ctx.hitTest(p.x, p.y)) ctx.erase(id);
  }

  pointerUp(p: ToolPointer): void {
    if (this.s.name === 'erasing' && this.s.pointerId === p.id) this.s = { name: 'idle' };
  }

  cancel(pointerId: number): void {
    if (this.s.name === 'erasing' && this.s.pointerId === pointerId) this.s = { name: 'idle' };
  }

  private eraseAlong(a: [number, number], b: [number, number], ctx: ToolContext): void {
    const s = this.s;
    if (s.name !== 'erasing') return;
    for (const ann of ctx.annotations()) if (touches(ann, a, b, s.r)) ctx.erase(ann.id);
  }
}

/** Whether the eraser's path from `a` to `b`, `r` wide on each side, reaches the annotation. */
export function touches(ann: Annotation, a: readonly [number, number], b: readonly [number, number], r: number): boolean {
  if (ann.kind === 'ink') {
    const reach = r + ann.width / 2;
    const pts = ann.points;
    if (pts.length < 6) return pts.length >= 2 && segmentDistance(a, b, [pts[0]!, pts[1]!], [pts[0]!, pts[1]!]) <= reach;
    for (let i = 3; i + 1 < pts.length; i += 3) {
      if (segmentDistance(a, b, [pts[i - 3]!, pts[i - 2]!], [pts[i]!, pts[i + 1]!]) <= reach) return true;
    }
    return false;
  }
  if (ann.kind === 'highlight') {
    for (let i = 0; i + 3 < ann.rects.length; i += 4) {
      const [x, y, w, h] = [ann.rects[i]!, ann.rects[i + 1]!, ann.rects[i + 2]!, ann.rects[i + 3]!];
      if (segmentRectDistance(a, b, Math.min(x, x + w), Math.min(y, y + h), Math.max(x, x + w), Math.max(y, y + h)) <= r) return true;
    }
  }
  return false;
}

type Pt = readonly [number, number];

function pointSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = dx * dx + dy * dy;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

/** The shortest distance between segments ab and cd (0 where they cross). */
export function segmentDistance(a: Pt, b: Pt, c: Pt, d: Pt): number {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 0;
  return Math.min(pointSegment(a, c, d), pointSegment(b, c, d), pointSegment(c, a, b), pointSegment(d, a, b));
}

function segmentRectDistance(a: Pt, b: Pt, x0: number, y0: number, x1: number, y1: number): number {
  const inside = (p: Pt) => p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
  if (inside(a) || inside(b)) return 0;
  const c: Pt[] = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  let best = Infinity;
  for (let i = 0; i < 4; i++) best = Math.min(best, segmentDistance(a, b, c[i]!, c[(i + 1) % 4]!));
  return best;
}
