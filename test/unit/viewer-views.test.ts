// The layout maths of the viewer's views (renderer/viewer/layout.ts): two pages side by side,
// rows for visibility and the current page, stepping by a spread, and fitting a page or two.
import { describe, expect, it } from 'vitest';
import { CSS_PER_PT, currentPage, fitScale, focusAt, layoutPages, pageLeft, PAGE_GAP, renderWindow, scrollForFocus, stepPage, visibleRange } from '../../renderer/viewer/layout.ts';

const A4 = { w: 595, h: 842 };
const LAND = { w: 842, h: 595 };
const scale = 0.75 / CSS_PER_PT; // one point is 0.75 css px: round numbers below

describe('two pages side by side', () => {
  const five = [A4, A4, LAND, A4, A4];
  const two = layoutPages(five, scale, PAGE_GAP, 2);

  it('pairs 1|2, 3|4 and leaves the last page alone, each row centred', () => {
    expect(two.tops[0]).toBe(two.tops[1]);
    expect(two.tops[2]).toBe(two.tops[3]);
    expect(two.tops[4]).toBeGreaterThan(two.tops[3]!);
    // The row is as tall as its tallest page.
    expect(two.tops[2]).toBe(PAGE_GAP + two.heights[0]! + PAGE_GAP);
    expect(two.tops[4]).toBe(two.tops[2]! + Math.max(two.heights[2]!, two.heights[3]!) + PAGE_GAP);
    // Centred: the left page's left edge and the right page's right edge balance around 0.
    expect(two.xs[0]).toBeCloseTo(-(two.widths[0]! + PAGE_GAP + two.widths[1]!) / 2);
    expect(two.xs[1]).toBeCloseTo(two.xs[0]! + two.widths[0]! + PAGE_GAP);
    expect(two.xs[4]).toBeCloseTo(-two.widths[4]! / 2);
    expect(two.maxWidth).toBe(two.widths[2]! + PAGE_GAP + two.widths[3]!);
    expect(pageLeft(two, 2000, 1)).toBeCloseTo(1000 + two.xs[1]!);
  });

  it('one page a row is the old single column', () => {
    const one = layoutPages(five, scale);
    expect(one.perRow).toBe(1);
    expect(one.tops[1]).toBe(PAGE_GAP + one.heights[0]! + PAGE_GAP);
    expect(one.xs[2]).toBeCloseTo(-one.widths[2]! / 2);
  });

  it('sees whole rows: both pages of a row are visible and rendered; the left one is current', () => {
    const rowTop = two.tops[2]!;
    expect(visibleRange(two, rowTop, 300)).toEqual([2, 3]);
    expect(currentPage(two, rowTop - 5, 700)).toBe(3);
    // A viewport that starts below the first row's shorter page still counts that row.
    expect(visibleRange(two, two.tops[0]! + two.heights[0]! - 10, 50)).toEqual([0, 3]);
    // Neighbours are rows: one row either side.
    expect(renderWindow(two, rowTop, 300, 1)).toEqual([0, 4]);
  });

  it('steps by a spread forward and back, from either page of it, within the paper', () => {
    expect(stepPage(two, 3, 1)).toBe(5);
    expect(stepPage(two, 4, 1)).toBe(5);
    expect(stepPage(two, 4, -1)).toBe(1);
    expect(stepPage(two, 5, 1)).toBe(5);
    expect(stepPage(two, 1, -1)).toBe(1);
    const one = layoutPages(five, scale);
    expect(stepPage(one, 3, 1)).toBe(4);
    expect(stepPage(one, 3, -1)).toBe(2);
  });

  it('zooms around the page under the fingers, the right-hand one too', () => {
    const inner = 1200;
    const x = pageLeft(two, inner, 1) + 30; // on page 2, scroll 0
    const f = focusAt(two, inner, 0, 0, x, two.tops[1]! + 40)!;
    expect(f.page).toBe(1);
    const bigger = layoutPages(five, scale * 2, PAGE_GAP, 2);
    const innerBig = Math.max(inner, bigger.maxWidth + 2 * PAGE_GAP);
    const s = scrollForFocus(bigger, innerBig, f);
    expect(pageLeft(bigger, innerBig, 1) + f.fx * bigger.widths[1]! - s.left).toBeCloseTo(x);
  });
});

describe('fitting the view', () => {
  it('fit width fills the width; fit page also fits the height; two pages fit two across', () => {
    const w = 1000;
    const h = 700;
    const byWidth = (w - 2 * PAGE_GAP) / (A4.w * CSS_PER_PT);
    const byHeight = (h - 2 * PAGE_GAP) / (A4.h * CSS_PER_PT);
    expect(fitScale('width', w, h, A4.w, A4.h)).toBeCloseTo(byWidth);
    expect(fitScale('page', w, h, A4.w, A4.h)).toBeCloseTo(Math.min(byWidth, byHeight));
    expect(fitScale('two', w, h, A4.w, A4.h)).toBeCloseTo(Math.min((w - 3 * PAGE_GAP) / (2 * A4.w * CSS_PER_PT), byHeight));
    // A fitted page is whole in the box.
    const s = fitScale('page', w, h, A4.w, A4.h);
    expect(A4.h * s * CSS_PER_PT).toBeLessThanOrEqual(h - 2 * PAGE_GAP + 0.001);
    // Never beyond the zoom limits.
    expect(fitScale('page', 10, 10, A4.w, A4.h)).toBe(0.25);
  });
});
