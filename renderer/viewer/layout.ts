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
  /** Each page's left edge from the column's centre line (negative: left of it). */
  xs: number[];
  /** Pages side by side in a row: 1, or 2 in the two-page view. */
  perRow: number;
  total: number;
  /** The widest row. */
  maxWidth: number;
}

/**
 * Pages in rows of `perRow`, each row centred on the column and as tall as its tallest page.
 * Two at a time, pages pair 1|2, 3|4: meeting papers are reports read in page order, not books
 * printed as spreads, so a page is never left alone beside the one before it.
 */
export function layoutPages(sizes: readonly PageSize[], scale: number, gap = PAGE_GAP, perRow = 1): Layout {
  const n = sizes.length;
  const tops: number[] = new Array(n);
  const heights: number[] = new Array(n);
  const widths: number[] = new Array(n);
  const xs: number[] = new Array(n);
  let y = gap;
  let maxWidth = 0;
  for (let start = 0; start < n; start += perRow) {
    const end = Math.min(n, start + perRow);
    let rowWidth = -gap;
    let rowHeight = 0;
    for (let i = start; i < end; i++) {
      const s = sizes[i]!;
      heights[i] = Math.floor(s.h * scale * CSS_PER_PT);
      widths[i] = Math.floor(s.w * scale * CSS_PER_PT);
      tops[i] = y;
      rowWidth += widths[i]! + gap;
      rowHeight = Math.max(rowHeight, heights[i]!);
    }
    let x = -rowWidth / 2;
    for (let i = start; i < end; i++) {
      xs[i] = x;
      x += widths[i]! + gap;
    }
    if (rowWidth > maxWidth) maxWidth = rowWidth;
    y += rowHeight + gap;
  }
  return { tops, heights, widths, xs, perRow, total: y, maxWidth };
}

export type ViewMode = 'width' | 'page' | 'two';

/** The zoom at which the widest and tallest page (two side by side in the two-page view) fit the box. */
export function fitScale(mode: ViewMode, boxWidth: number, boxHeight: number, maxPtWidth: number, maxPtHeight: number, gap = PAGE_GAP): number {
  const across = mode === 'two' ? 2 : 1;
  const byWidth = (boxWidth - (across + 1) * gap) / (across * maxPtWidth * CSS_PER_PT);
  if (mode === 'width') return clampZoom(byWidth);
  return clampZoom(Math.min(byWidth, (boxHeight - 2 * gap) / (maxPtHeight * CSS_PER_PT)));
}

/** The first page of the row holding page `i` (0-based). */
const rowStart = (layout: Layout, i: number) => i - (i % layout.perRow);
const rowBottom = (layout: Layout, i: number) => {
  let bottom = 0;
  const start = rowStart(layout, i);
  for (let j = start; j < Math.min(layout.tops.length, start + layout.perRow); j++) bottom = Math.max(bottom, layout.tops[j]! + layout.heights[j]!);
  return bottom;
};

/** The page a step forward or back goes to (1-based): the next row's first page, two at a time. */
export function stepPage(layout: Layout, page: number, dir: 1 | -1): number {
  const count = layout.tops.length;
  const start = rowStart(layout, clampPage(page, count) - 1);
  return clampPage(start + 1 + dir * layout.perRow, count);
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
  let first = rowStart(layout, Math.max(0, pageAt(layout, scrollTop)));
  if (rowBottom(layout, first) <= scrollTop && first + layout.perRow < n) first += layout.perRow;
  const last = Math.max(first, pageAt(layout, scrollTop + height - 1));
  return [Math.max(0, first), Math.min(n - 1, last)];
}

/**
 * The page the reader is on: the one (two at a time, the row, named by its first page) covering
 * the most of the viewport; on a tie the earlier. Returns 1-based page numbers, as people count them.
 */
export function currentPage(layout: Layout, scrollTop: number, height: number): number {
  const [first, last] = visibleRange(layout, scrollTop, height);
  let best = first;
  let bestArea = -1;
  for (let i = first; i <= last; i += layout.perRow) {
    const top = Math.max(layout.tops[i]!, scrollTop);
    const bottom = Math.min(rowBottom(layout, i), scrollTop + height);
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
  const rows = neighbours * layout.perRow;
  return [Math.max(0, first - rows), Math.min(layout.tops.length - 1, last + rows)];
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

/** A page's left edge in a column `innerWidth` wide, its rows centred. */
export const pageLeft = (layout: Layout, innerWidth: number, i: number): number => innerWidth / 2 + layout.xs[i]!;

export function focusAt(layout: Layout, innerWidth: number, scrollLeft: number, scrollTop: number, x: number, y: number): ZoomFocus | null {
  const last = pageAt(layout, scrollTop + y);
  if (last < 0) return null;
  // In a row of two: the page under the point, or the nearer one when it is in the gap.
  let i = rowStart(layout, last);
  while (i < last && scrollLeft + x > pageLeft(layout, innerWidth, i) + layout.widths[i]! + PAGE_GAP / 2) i++;
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
