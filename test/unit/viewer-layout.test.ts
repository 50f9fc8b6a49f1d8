// The virtualised viewer's arithmetic: where pages sit, which are on screen, which to render.
import { describe, expect, it } from 'vitest';
import { clampPage, clampZoom, CSS_PER_PT, currentPage, focusAt, layoutPages, MAX_ZOOM, MIN_ZOOM, PAGE_GAP, renderWindow, scrollForFocus, stepZoom, visibleRange } from '../../renderer/viewer/layout.ts';

// 72 pt tall pages at scale 1 are 96 CSS px: easy numbers.
const sizes = (n: number, w = 72, h = 72) => Array.from({ length: n }, () => ({ w, h }));

describe('layoutPages', () => {
  it('stacks pages with a gap above each and after the last', () => {
    const l = layoutPages(sizes(3), 1);
    expect(l.heights).toEqual([96, 96, 96]);
    expect(l.tops).toEqual([PAGE_GAP, PAGE_GAP * 2 + 96, PAGE_GAP * 3 + 192]);
    expect(l.total).toBe(PAGE_GAP * 4 + 288);
  });

  it('scales with zoom and takes the widest page as the column width', () => {
    const l = layoutPages([{ w: 612, h: 792 }, { w: 792, h: 612 }], 2);
    expect(l.widths).toEqual([Math.floor(612 * 2 * CSS_PER_PT), Math.floor(792 * 2 * CSS_PER_PT)]);
    expect(l.heights[0]).toBe(Math.floor(792 * 2 * CSS_PER_PT));
    expect(l.maxWidth).toBe(l.widths[1]);
  });

  it('handles an empty paper', () => {
    const l = layoutPages([], 1);
    expect(l.total).toBe(PAGE_GAP);
    expect(visibleRange(l, 0, 500)).toEqual([0, -1]);
    expect(renderWindow(l, 0, 500)).toEqual([0, -1]);
  });
});

describe('visible pages and the current page', () => {
  const l = layoutPages(sizes(10), 1); // pages 96 px tall, a page every 108 px

  it('finds the pages a viewport intersects', () => {
    expect(visibleRange(l, 0, 100)).toEqual([0, 0]);
    expect(visibleRange(l, 0, 200)).toEqual([0, 1]);
    // Scrolled into the gap after page 1: page 1 is no longer visible.
    expect(visibleRange(l, PAGE_GAP + 96 + 1, 50)).toEqual([1, 1]);
    // Past the end clamps to the last page.
    expect(visibleRange(l, 100_000, 500)).toEqual([9, 9]);
  });

  it('takes the page covering most of the viewport, 1-based', () => {
    expect(currentPage(l, 0, 100)).toBe(1);
    // Viewport [100, 300): page 2 [120, 216) covers 96 px, page 3 [228, 324) covers 72.
    expect(currentPage(l, 100, 200)).toBe(2);
    expect(currentPage(l, l.tops[6]! - 6, 96)).toBe(7);
  });

  it('renders visible pages plus neighbours, clamped to the paper', () => {
    expect(renderWindow(l, 0, 100)).toEqual([0, 1]);
    expect(renderWindow(l, l.tops[5]!, 96)).toEqual([4, 6]);
    expect(renderWindow(l, l.tops[5]!, 96, 2)).toEqual([3, 7]);
    expect(renderWindow(l, 100_000, 96)).toEqual([8, 9]);
  });

  it('keeps the render window bounded on a long book', () => {
    const book = layoutPages(sizes(352, 612, 792), 1);
    for (const top of [0, book.total / 2, book.total - 700]) {
      const [a, b] = renderWindow(book, top, 700);
      expect(b - a + 1).toBeLessThanOrEqual(4);
    }
  });
});

describe('page numbers and zoom', () => {
  it('clamps page numbers', () => {
    expect(clampPage(0, 12)).toBe(1);
    expect(clampPage(13, 12)).toBe(12);
    expect(clampPage(4.6, 12)).toBe(5);
    expect(clampPage(Number.NaN, 12)).toBe(1);
    expect(clampPage(3, 0)).toBe(1);
  });

  it('steps through the zoom levels and stops at the ends', () => {
    expect(stepZoom(1, 1)).toBe(1.1);
    expect(stepZoom(1, -1)).toBe(0.9);
    // From an off-grid pinch zoom, the next step in each direction.
    expect(stepZoom(1.3, 1)).toBe(1.5);
    expect(stepZoom(1.3, -1)).toBe(1.25);
    expect(stepZoom(MAX_ZOOM, 1)).toBe(MAX_ZOOM);
    expect(stepZoom(MIN_ZOOM, -1)).toBe(MIN_ZOOM);
    expect(clampZoom(100)).toBe(MAX_ZOOM);
    expect(clampZoom(0.01)).toBe(MIN_ZOOM);
  });
});

describe('zoom focus', () => {
  const sizes = [{ w: 612, h: 792 }, { w: 612, h: 792 }, { w: 400, h: 600 }];
  it('keeps the page point under the fingers in place when the zoom doubles', () => {
    const small = layoutPages(sizes, 1);
    const big = layoutPages(sizes, 2);
    const innerSmall = 1000;
    const innerBig = Math.max(1000, big.maxWidth + 2 * PAGE_GAP);
    const scroll = { left: 0, top: small.tops[1]! + 100 };
    const f = focusAt(small, innerSmall, scroll.left, scroll.top, 500, 200)!;
    expect(f.page).toBe(1);
    const next = scrollForFocus(big, innerBig, f);
    // The content point now at viewport (500, 200) is the same page fraction as before.
    const contentX = next.left + 500;
    const contentY = next.top + 200;
    const left = (innerBig - big.widths[1]!) / 2;
    expect((contentX - left) / big.widths[1]!).toBeCloseTo(f.fx, 6);
    expect((contentY - big.tops[1]!) / big.heights[1]!).toBeCloseTo(f.fy, 6);
  });
  it('is the identity at the same zoom', () => {
    const l = layoutPages(sizes, 1.3);
    const inner = Math.max(900, l.maxWidth + 2 * PAGE_GAP);
    const f = focusAt(l, inner, 40, 1234, 300, 250)!;
    const back = scrollForFocus(l, inner, f);
    expect(back.left).toBeCloseTo(40, 6);
    expect(back.top).toBeCloseTo(1234, 6);
  });
  it('never asks for a negative scroll offset', () => {
    const l = layoutPages(sizes, 1);
    const f = focusAt(l, 1000, 0, 0, 10, 10)!;
    const r = scrollForFocus(layoutPages(sizes, 0.5), 1000, f);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.top).toBeGreaterThanOrEqual(0);
  });
});
