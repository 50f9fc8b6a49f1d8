// Pure page-layout arithmetic for the virtualised viewer: where each page sits in the scroll
// column, which pages are on screen, which to render. Kept free of the DOM so it is unit-tested.

export const PAGE_GAP = 12;
/** CSS pixels per PDF point at 100 % zoom (pdf.js and browsers use 96 dpi CSS pixels, PDF 72). */
export const CSS_PER_PT = 96 / 72;

export interface PageSize {
  /** Width and height in PDF points, after rotation. */
  w: number;
  h: number;
}

export interface Layout {
  tops: number[];
  heights: number[];
  widths: number[];
  total: number;
  maxWidth: number;
}

export function layoutPages(sizes: readonly PageSize[], scale: number, gap = PAGE_GAP): Layout {
  const tops: number[] = new Array(sizes.length);
  const heights: number[] = new Array(sizes.length);
  const widths: number[] = new Array(sizes.length);
  let y = gap;
  let maxWidth = 0;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i]!;
    const h = Math.floor(s.h * scale * CSS_PER_PT);
    const w = Math.floor(s.w * scale * CSS_PER_PT);
    tops[i] = y;
    heights[i] = h;
    widths[i] = w;
    if (w > maxWidth) maxWidth = w;
    y += h + gap;
  }
  return { tops, heights, widths, total: y, maxWidth };
}

/** Index of the last page whose top is at or above y (binary search). */
function pageAt(layout: Layout, y: number): number {
  let lo = 0;
  let hi = layout.tops.length - 1;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (layout.tops[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 0-based [first, last] pages intersecting the viewport [scrollTop, scrollTop + height). */
export function visibleRange(layout: Layout, scrollTop: number, height: number): [number, number] {
  const n = layout.tops.length;
  if (n === 0) return [0, -1];
  let first = pageAt(layout, scrollTop);
  if (first >= 0 && layout.tops[first]! + layout.heights[first]! <= scrollTop && first < n - 1) first++;
  const last = Math.max(first, pageAt(layout, scrollTop + height - 1));
  return [Math.max(0, first), Math.min(n - 1, last)];
}

/**
 * The page the reader is on: the one covering the most of the viewport; on a tie the earlier.
 * Returns 1-based page numbers, as people count them.
 */
export function currentPage(layout: Layout, scrollTop: number, height: number): number {
  const [first, last] = visibleRange(layout, scrollTop, height);
  let best = first;
  let bestArea = -1;
  for (let i = first; i <= last; i++) {
    const top = Math.max(layout.tops[i]!, scrollTop);
    const bottom = Math.min(layout.tops[i]! + layout.heights[i]!, scrollTop + height);
    const area = bottom - top;
    if (area > bestArea + 1) {
      best = i;
      bestArea = area;
    }
  }
  return best + 1;
}

/** Pages to keep painted: the visible ones and `neighbours` on each side (0-based, inclusive). */
export function renderWindow(layout: Layout, scrollTop: number, height: number, neighbours = 1): [number, number] {
  const [first, last] = visibleRange(layout, scrollTop, height);
  if (last < first) return [0, -1];
  return [Math.max(0, first - neighbours), Math.min(layout.tops.length - 1, last + neighbours)];
}

export function clampPage(n: number, count: number): number {
  if (!Number.isFinite(n)) return 1;
  return Math.min(Math.max(1, Math.round(n)), Math.max(1, count));
}

export const ZOOM_STEPS = [0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4, 5];
export const MIN_ZOOM = 0.25;
export const MAX_ZOOM = 5;

export function stepZoom(scale: number, dir: 1 | -1): number {
  if (dir > 0) return ZOOM_STEPS.find((z) => z > scale + 0.001) ?? MAX_ZOOM;
  return [...ZOOM_STEPS].reverse().find((z) => z < scale - 0.001) ?? MIN_ZOOM;
}

export const clampZoom = (z: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));

/** A point of a page held under a point of the viewport while the zoom changes (pinch, ctrl+wheel). */
export interface ZoomFocus {
  /** The viewport point, in px from the scroller's top-left corner. */
  x: number;
  y: number;
  /** The page under it (0-based) and where on that page, as fractions of its width and height. */
  page: number;
  fx: number;
  fy: number;
}

/** Pages are centred in a row `innerWidth` wide. */
const pageLeft = (layout: Layout, innerWidth: number, i: number) => (innerWidth - layout.widths[i]!) / 2;

export function focusAt(layout: Layout, innerWidth: number, scrollLeft: number, scrollTop: number, x: number, y: number): ZoomFocus | null {
  const i = pageAt(layout, scrollTop + y);
  if (i < 0) return null;
  return {
    x, y, page: i,
    fx: (scrollLeft + x - pageLeft(layout, innerWidth, i)) / Math.max(1, layout.widths[i]!),
    fy: (scrollTop + y - layout.tops[i]!) / Math.max(1, layout.heights[i]!),
  };
}

/** The scroll offsets that bring the focus's page point back under its viewport point in `layout`. */
export function scrollForFocus(layout: Layout, innerWidth: number, f: ZoomFocus): { left: number; top: number } {
  const i = Math.min(f.page, layout.tops.length - 1);
  return {
    left: Math.max(0, pageLeft(layout, innerWidth, i) + f.fx * layout.widths[i]! - f.x),
    top: Math.max(0, layout.tops[i]! + f.fy * layout.heights[i]! - f.y),
  };
}
