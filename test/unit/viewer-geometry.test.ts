// Annotations are stored in PDF page coordinates and drawn on screen at any zoom and rotation:
// the two transforms must agree with each other and with where pdf.js draws the page.
import { describe, expect, it } from 'vitest';
import { mergeLineRects, pageToScreen, rectFromCorners, screenSize, screenToPage, strokePath, type PagePlacement } from '../../renderer/annotations/geometry.ts';
import { CSS_PER_PT } from '../../renderer/viewer/layout.ts';

// A Letter page whose view box does not start at the origin (cropped pages do this).
const VIEW = [10, 20, 622, 812] as const; // 612 × 792 pt
const at = (rotation: number, zoom: number): PagePlacement => ({ viewBox: VIEW, rotation, scale: zoom * CSS_PER_PT });

describe('page ↔ screen', () => {
  it('puts the page corners where a rotated page shows them', () => {
    const p0 = at(0, 1);
    const s = CSS_PER_PT;
    // PDF y grows upwards: the top-left corner of the page is (x0, y1).
    expect(pageToScreen(10, 812, p0)).toEqual([0, 0]);
    expect(pageToScreen(622, 20, p0)).toEqual([612 * s, 792 * s]);
    // 90° clockwise: the page's top-left goes to the screen's top-right.
    const [x90, y90] = pageToScreen(10, 812, at(90, 1));
    expect([x90, y90]).toEqual([792 * s, 0]);
    const [x180, y180] = pageToScreen(10, 812, at(180, 1));
    expect([x180, y180]).toEqual([612 * s, 792 * s]);
    const [x270, y270] = pageToScreen(10, 812, at(270, 1));
    expect([x270, y270]).toEqual([0, 612 * s]);
  });

  it('swaps the screen box at 90° and 270°', () => {
    expect(screenSize(at(0, 2))).toEqual([612 * 2 * CSS_PER_PT, 792 * 2 * CSS_PER_PT]);
    expect(screenSize(at(90, 2))).toEqual([792 * 2 * CSS_PER_PT, 612 * 2 * CSS_PER_PT]);
    expect(screenSize(at(-90, 1))).toEqual(screenSize(at(270, 1)));
  });

  it('scales linearly with zoom', () => {
    const [a, b] = pageToScreen(100, 300, at(90, 1));
    const [c, d] = pageToScreen(100, 300, at(90, 2.5));
    expect(c).toBeCloseTo(a * 2.5, 9);
    expect(d).toBeCloseTo(b * 2.5, 9);
  });

  it('round-trips every point under every zoom and rotation', () => {
    const points: Array<[number, number]> = [[10, 20], [622, 812], [100.25, 700.5], [311, 416], [600, 30]];
    for (const rotation of [0, 90, 180, 270, 360, -90, 450]) {
      for (const zoom of [0.25, 0.67, 1, 1.75, 5]) {
        const p = at(rotation, zoom);
        const [w, h] = screenSize(p);
        for (const [x, y] of points) {
          const [sx, sy] = pageToScreen(x, y, p);
          // Every point of the page lands inside the page's screen box.
          expect(sx).toBeGreaterThanOrEqual(-1e-9);
          expect(sy).toBeGreaterThanOrEqual(-1e-9);
          expect(sx).toBeLessThanOrEqual(w + 1e-9);
          expect(sy).toBeLessThanOrEqual(h + 1e-9);
          const [bx, by] = screenToPage(sx, sy, p);
          expect(bx).toBeCloseTo(x, 9);
          expect(by).toBeCloseTo(y, 9);
        }
      }
    }
  });

  it('keeps an annotation on the same spot of the text when the reader rotates', () => {
    // The centre of the page stays the centre; a point near the top stays near the page's top
    // edge, wherever that edge now is on screen.
    const centre: [number, number] = [316, 416];
    for (const r of [0, 90, 180, 270]) {
      const p = at(r, 1);
      const [w, h] = screenSize(p);
      const [sx, sy] = pageToScreen(...centre, p);
      expect(sx).toBeCloseTo(w / 2, 9);
      expect(sy).toBeCloseTo(h / 2, 9);
    }
    const nearTop = pageToScreen(316, 802, at(90, 1)); // 10 pt below the top edge
    expect(nearTop[0]).toBeCloseTo((792 - 10) * CSS_PER_PT, 9); // top edge is on the right at 90°
  });
});

describe('shapes', () => {
  it('normalises rectangle corners to lower-left + size', () => {
    expect(rectFromCorners(50, 80, 10, 20)).toEqual([10, 20, 40, 60]);
  });

  it('merges touching rectangles on one line, not across lines', () => {
    const merged = mergeLineRects([[10, 700, 40, 12], [50.5, 700.2, 30, 12], [10, 680, 60, 12], [0, 0, 0.1, 5]]);
    expect(merged).toEqual([[10, 700, 70.5, 12], [10, 680, 60, 12]]);
  });

  it('outlines a stroke as a closed path in page units', () => {
    const d = strokePath([100, 100, 0.5, 120, 110, 0.5, 140, 100, 0.5], 2.4);
    expect(d.startsWith('M')).toBe(true);
    expect(d.endsWith('Z')).toBe(true);
    const xs = [...d.matchAll(/(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
    expect(Math.min(...xs)).toBeGreaterThan(95);
    expect(Math.max(...xs)).toBeLessThan(145);
    expect(strokePath([], 2)).toBe('');
  });
});
