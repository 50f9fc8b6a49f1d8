// The reader's watermark stamped into an exported PDF (pdf-lib): the same two lines the viewer
// draws (shared/classification.ts `watermarkLines`), tiled diagonally across every page at low
// opacity, written into each page's own content stream, so the text is part of the page (and
// its text layer: pdf.js extracts it) rather than an annotation a reader could delete. Set in
// DejaVu Sans, embedded and subset: it has every Vietnamese letter a reader's name may hold.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { degrees, PDFDocument, rgb, type PDFFont } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';

const require = createRequire(import.meta.url);
let fontBytes: Buffer | null = null;
const font = () => (fontBytes ??= fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));

/** Text size and spacing of the tiles, in PDF points (an A4 page holds about 4 × 6 of them). */
const SIZE = 10;
const GAP_X = 60;
const GAP_Y = 110;
const ANGLE = 35;
const OPACITY = 0.16;

function tileWidth(f: PDFFont, lines: readonly string[]): number {
  return Math.max(...lines.map((l) => f.widthOfTextAtSize(l, SIZE)));
}

export async function stampPdf(bytes: Uint8Array, lines: readonly string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  await stampPages(pdf, lines);
  return pdf.save({ useObjectStreams: true });
}

/** Stamps a loaded document in place: for exports that change it further before saving (notes-export/). */
export async function stampPages(pdf: PDFDocument, lines: readonly string[]): Promise<void> {
  pdf.registerFontkit(fontkit);
  const f = await pdf.embedFont(font(), { subset: true });
  const stepX = tileWidth(f, lines) + GAP_X;
  const lineH = SIZE * 1.3;
  for (const page of pdf.getPages()) {
    const { width, height } = page.getSize();
    // The rotated grid must cover the page's corners: tiles are laid over the page's diagonal
    // square and rotated about its origin, those landing outside the page cost a few bytes.
    const reach = Math.hypot(width, height);
    const rad = (ANGLE * Math.PI) / 180;
    const cos = Math.cos(rad);
    const sin = Math.sin(rad);
    let row = 0;
    for (let v = -reach; v < reach; v += GAP_Y, row++) {
      for (let u = -reach + (row % 2) * (stepX / 2); u < reach; u += stepX) {
        // (u, v) in the rotated grid → page coordinates; only tiles that touch the page are drawn.
        const x = u * cos - v * sin;
        const y = u * sin + v * cos;
        if (x < -stepX || x > width + SIZE || y < -stepX || y > height + SIZE) continue;
        lines.forEach((text, i) => {
          page.drawText(text, {
            x: x + i * lineH * sin, y: y - i * lineH * cos, size: SIZE, font: f,
            color: rgb(0.55, 0.1, 0.1), opacity: OPACITY, rotate: degrees(ANGLE),
          });
        });
      }
    }
  }
}
