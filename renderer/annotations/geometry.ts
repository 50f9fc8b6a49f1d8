// Annotation geometry: PDF page coordinates in, screen paths out. Strokes are kept as the raw
// sampled points (x, y, pressure in page units) and outlined with perfect-freehand at paint
// time, so a stroke looks right at any zoom and on any screen.
import { getStroke } from 'perfect-freehand';

/** Flat [x, y, p, ...] → an SVG path of the stroke's outline, in the same (page) units. */
export function strokePath(points: readonly number[], width: number, opts: { simulatePressure?: boolean; last?: boolean } = {}): string {
  const n = Math.floor(points.length / 3);
  if (n === 0) return '';
  const input: [number, number, number][] = new Array(n);
  for (let i = 0; i < n; i++) input[i] = [points[i * 3]!, points[i * 3 + 1]!, points[i * 3 + 2]!];
  const outline = getStroke(input, {
    size: width,
    thinning: opts.simulatePressure ? 0.5 : 0.6,
    smoothing: 0.5,
    streamline: 0.4,
    simulatePressure: opts.simulatePressure ?? false,
    last: opts.last ?? true,
  });
  return outlineToPath(outline);
}

/** A closed path through the outline's points using quadratic midpoints (smooth, cheap). */
export function outlineToPath(outline: number[][]): string {
  const len = outline.length;
  if (len < 2) return '';
  const f = (v: number) => (Math.round(v * 100) / 100).toString();
  const [x0, y0] = outline[0] as [number, number];
  const [x1, y1] = outline[1] as [number, number];
  let d = `M${f(x0)},${f(y0)} Q${f(x1)},${f(y1)} ${f((x1 + (outline[2]?.[0] ?? x1)) / 2)},${f((y1 + (outline[2]?.[1] ?? y1)) / 2)} T`;
  for (let i = 2; i < len - 1; i++) {
    const a = outline[i]!;
    const b = outline[i + 1]!;
    d += `${f((a[0]! + b[0]!) / 2)},${f((a[1]! + b[1]!) / 2)} `;
  }
  return `${d}Z`;
}

/** Normalises two corners into [x, y, w, h] with x, y the lower-left (PDF space grows upwards). */
export function rectFromCorners(ax: number, ay: number, bx: number, by: number): [number, number, number, number] {
  return [Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay)];
}

/** Joins rectangles on the same line that touch or overlap, so a highlight reads as one band. */
export function mergeLineRects(rects: Array<[number, number, number, number]>, tolerance = 1.5): Array<[number, number, number, number]> {
  // Left to right, so spans of one line meet in reading order even when their baselines differ
  // by a fraction of a point (which a top-down sort would interleave).
  const sorted = rects.filter((r) => r[2] > 0.5 && r[3] > 0.5).sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: Array<[number, number, number, number]> = [];
  for (const r of sorted) {
    const line = out.find((o) => Math.abs(o[1] - r[1]) < tolerance && Math.abs(o[3] - r[3]) < tolerance * 2 && r[0] <= o[0] + o[2] + tolerance);
    if (line) line[2] = Math.max(line[0] + line[2], r[0] + r[2]) - line[0];
    else out.push([...r]);
  }
  // Top line first, as the text reads.
  return out.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
}

export const PEN_COLORS = ['#1f3a93', '#c0392b', '#1e8449', '#111111', '#8e44ad'] as const;
export const HIGHLIGHT_COLORS = ['#ffe066', '#8ce99a', '#74c0fc', '#faa2c1'] as const;
export const PEN_WIDTHS = [1.2, 2.4, 4.8] as const;

/**
 * How one page is placed on screen: its PDF view box ([x0, y0, x1, y1] in points, y growing
 * upwards), its rotation (clockwise, a multiple of 90°) and the CSS pixels per point (zoom ×
 * 96/72). Screen coordinates are CSS pixels from the page box's top-left corner, y downwards.
 */
export interface PagePlacement {
  viewBox: readonly [number, number, number, number];
  rotation: number;
  scale: number;
}

const quarterTurns = (rotation: number): number => ((Math.round(rotation / 90) % 4) + 4) % 4;

/** PDF page point → screen point. Same mapping as pdf.js's PageViewport, without the DOM. */
export function pageToScreen(x: number, y: number, p: PagePlacement): [number, number] {
  const [x0, y0, x1, y1] = p.viewBox;
  const w = x1 - x0;
  const h = y1 - y0;
  // Unrotated page, top-left origin, y downwards, in points.
  const u = x - x0;
  const v = y1 - y;
  let sx: number;
  let sy: number;
  switch (quarterTurns(p.rotation)) {
    case 1: [sx, sy] = [h - v, u]; break;
    case 2: [sx, sy] = [w - u, h - v]; break;
    case 3: [sx, sy] = [v, w - u]; break;
    default: [sx, sy] = [u, v];
  }
  return [sx * p.scale, sy * p.scale];
}

/** Screen point → PDF page point: the inverse of pageToScreen. */
export function screenToPage(sx: number, sy: number, p: PagePlacement): [number, number] {
  const [x0, y0, x1, y1] = p.viewBox;
  const w = x1 - x0;
  const h = y1 - y0;
  const a = sx / p.scale;
  const b = sy / p.scale;
  let u: number;
  let v: number;
  switch (quarterTurns(p.rotation)) {
    case 1: [u, v] = [b, h - a]; break;
    case 2: [u, v] = [w - a, h - b]; break;
    case 3: [u, v] = [w - b, a]; break;
    default: [u, v] = [a, b];
  }
  return [u + x0, y1 - v];
}

/** The page box's size on screen, in CSS pixels (width and height swap at 90° and 270°). */
export function screenSize(p: PagePlacement): [number, number] {
  const w = (p.viewBox[2] - p.viewBox[0]) * p.scale;
  const h = (p.viewBox[3] - p.viewBox[1]) * p.scale;
  return quarterTurns(p.rotation) % 2 ? [h, w] : [w, h];
}
