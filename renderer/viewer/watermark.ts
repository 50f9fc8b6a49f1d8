// The reader's watermark, drawn into a rendered page's own pixels (issue 17): after pdf.js has
// painted the page and before the canvas is shown, the reader's name, account, device and the
// time (shared/classification.ts `watermarkLines`) are tiled diagonally across it at low opacity.
// Being pixels of the page, it cannot be removed from the DOM or hidden by a style, and it is in
// whatever leaves the screen (a screenshot, a print).

type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
type ScratchCanvas = OffscreenCanvas | HTMLCanvasElement;

/** The text's slant, and its ink: dark red at 18 % — readable, not in the way of reading. */
const ANGLE = -Math.PI / 6;
const INK = 'rgba(150, 20, 20, 0.18)';
/** Text size as a share of the page's width: the same look at every zoom and in thumbnails. */
const SIZE_OF_WIDTH = 1 / 46;

function canvasOf(w: number, h: number): ScratchCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

/** The lines' size once measured, per text and font size (the same few for as long as a paper is open). */
const measured = new Map<string, { textW: number; lineH: number }>();

function measure(lines: readonly string[], px: number, font: string): { textW: number; lineH: number } {
  const key = `${px}\u0000${lines.join('\u0001')}`;
  let m = measured.get(key);
  if (!m) {
    const ctx = canvasOf(1, 1).getContext('2d') as Ctx2D;
    ctx.font = font;
    m = { textW: Math.max(...lines.map((l) => ctx.measureText(l).width)), lineH: Math.ceil(px * 1.3) };
    if (measured.size >= 8) measured.delete(measured.keys().next().value!);
    measured.set(key, m);
  }
  return m;
}

/**
 * Writes `lines`, slanted, in offset rows over the whole `width` × `height` pixels of `ctx`'s
 * canvas (any transform it has is ignored). Text is drawn at each place rather than a
 * pre-drawn stamp copied or a rotated pattern filled: only the glyphs' pixels are touched
 * (Chromium, a 1500 × 1940 page: +0.4–1.4 ms drawn this way, +1.8–3.4 ms with stamps copied,
 * and the rotated pattern added over 10 % to a page turn; BENCHMARKS.md, "Watermark").
 */
export function drawWatermark(ctx: Ctx2D, width: number, height: number, lines: readonly string[]): void {
  if (!lines.length || width <= 0 || height <= 0) return;
  const px = Math.max(4, Math.round(width * SIZE_OF_WIDTH));
  const font = `600 ${px}px system-ui, "DejaVu Sans", sans-serif`;
  const { textW, lineH } = measure(lines, px, font);
  const textH = lineH * lines.length;
  const cos = Math.cos(ANGLE);
  const sin = Math.sin(ANGLE);
  // The slanted block's bounding box sets the grid, as if each were a stamp of that size.
  const boxW = Math.ceil(textW * cos + textH * Math.abs(sin));
  const boxH = Math.ceil(textW * Math.abs(sin) + textH * cos);
  const stepX = boxW + px * 3;
  const stepY = Math.round(boxH * 0.75 + px * 2);
  ctx.save();
  ctx.globalAlpha = 1;
  ctx.globalCompositeOperation = 'source-over';
  ctx.font = font;
  ctx.fillStyle = INK;
  ctx.textBaseline = 'top';
  let row = 0;
  for (let y = -Math.round(boxH / 3); y < height; y += stepY, row++) {
    for (let x = -Math.round(stepX * (row % 2 ? 0.5 : 0.15)); x < width; x += stepX) {
      ctx.setTransform(cos, sin, -sin, cos, x + boxW / 2, y + boxH / 2);
      lines.forEach((l, i) => ctx.fillText(l, -textW / 2, -textH / 2 + i * lineH));
    }
  }
  ctx.restore();
}
