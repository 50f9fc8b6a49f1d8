// The minutes as a PDF (pdf-lib): A4, margins as Nghị định 30/2020 sets them (left 30 mm, the
// others 20 mm), the blocks of shared/minutes-layout.ts drawn in order — masthead in two columns,
// justified text, ruled tables that carry their header onto the next page, signature blocks kept
// together — and the page number at the top centre from page 2, as Vietnamese documents number
// them. Set in DejaVu Serif Condensed, embedded and subset: it has every Vietnamese letter
// precomposed, so diacritics render and extract intact, and it sets about as wide as Times.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { layoutMinutes, type Block, type MastLine, type Run } from '../../../shared/minutes-layout.ts';
import type { MinutesLang, MinutesModel } from '../../../shared/minutes.ts';
import { minutesText } from '../../../shared/minutes-text.ts';
import { breakLines, fontOf, widthOf, type Fonts, type Line } from './pdf-lines.ts';

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: 'DejaVuSerifCondensed.ttf', bold: 'DejaVuSerifCondensed-Bold.ttf',
  italic: 'DejaVuSerifCondensed-Italic.ttf', boldItalic: 'DejaVuSerifCondensed-BoldItalic.ttf',
} as const;
let fontBytes: Record<keyof Fonts, Buffer> | null = null;
const loadFontBytes = () => (fontBytes ??= Object.fromEntries(Object.entries(FONT_FILES)
  .map(([k, file]) => [k, fs.readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))])) as Record<keyof Fonts, Buffer>);

const MM = 72 / 25.4;
const PAGE = { w: 210 * MM, h: 297 * MM };
const MARGIN = { left: 30 * MM, right: 20 * MM, top: 20 * MM, bottom: 20 * MM };
const TEXT_W = PAGE.w - MARGIN.left - MARGIN.right;
const SIZE = { body: 12, table: 11, mast: 11, title: 15, subtitle: 13, note: 10, pageNo: 11 };
const LEAD = 1.4;
const INDENT = 10 * MM;
const CELL_PAD = 4;
const BLACK = rgb(0, 0, 0);

export interface PdfOptions {
  /** The document's dates (the issue moment, so an issued PDF says when it was made). */
  at: number;
}

class Composer {
  readonly pdf: PDFDocument;
  readonly fonts: Fonts;
  page!: PDFPage;
  y = 0;

  constructor(pdf: PDFDocument, fonts: Fonts) {
    this.pdf = pdf;
    this.fonts = fonts;
    this.newPage();
  }

  newPage(): void {
    this.page = this.pdf.addPage([PAGE.w, PAGE.h]);
    this.y = PAGE.h - MARGIN.top;
  }

  /** Starts a new page unless `h` points still fit above the bottom margin. */
  need(h: number): void {
    if (this.y - h < MARGIN.bottom) this.newPage();
  }

  /** Draws one laid-out line with its baseline `size` below y; justified lines stretch their spaces. */
  drawLine(line: Line, x: number, width: number, size: number, align: 'left' | 'center' | 'justify'): void {
    const gaps = line.words.filter((w) => w.spaced).length;
    const extra = align === 'justify' && !line.last && gaps > 0 ? (width - line.width) / gaps : 0;
    let at = align === 'center' ? x + (width - line.width) / 2 : x;
    const space = widthOf(this.fonts.regular, ' ', size);
    const baseline = this.y - size;
    for (const w of line.words) {
      if (w.spaced) at += space + extra;
      this.page.drawText(w.text, { x: at, y: baseline, size, font: w.font, color: BLACK });
      at += w.width;
    }
  }

  /** A paragraph of runs, broken across pages line by line. */
  text(runs: readonly Run[], opts: { size?: number; x?: number; width?: number; align?: 'left' | 'center' | 'justify'; firstIndent?: number; after?: number } = {}): void {
    const size = opts.size ?? SIZE.body;
    const x = opts.x ?? MARGIN.left;
    const width = opts.width ?? TEXT_W;
    const first = opts.firstIndent ?? 0;
    breakLines(runs, this.fonts, size, width, first).forEach((line, i) => {
      this.need(size * LEAD);
      const indent = i === 0 ? first : 0;
      this.drawLine(line, x + indent, width - indent, size, opts.align ?? 'justify');
      this.y -= size * LEAD;
    });
    this.y -= opts.after ?? 3;
  }

  /** Lines centred in a column from `top`; returns the y below the last. */
  column(lines: readonly MastLine[], x: number, width: number, top: number): number {
    let y = top;
    for (const l of lines) {
      // A masthead line is one line: it shrinks to fit its column before it would wrap.
      let size = SIZE.mast;
      const measure = (s: number) => l.runs.reduce((n, r) => n + widthOf(fontOf(this.fonts, r), r.text.normalize('NFC'), s), 0);
      while (size > 8.5 && measure(size) > width) size -= 0.5;
      this.y = y;
      const broken = breakLines(l.runs, this.fonts, size, width);
      for (const line of broken) {
        this.drawLine(line, x, width, size, 'center');
        this.y -= size * LEAD;
      }
      if (l.rule && broken[0]) {
        const w = l.rule === 'full' ? Math.max(...broken.map((b) => b.width)) : width / 3;
        const ry = this.y + size * LEAD - size - 3;
        this.page.drawLine({ start: { x: x + (width - w) / 2, y: ry }, end: { x: x + (width + w) / 2, y: ry }, thickness: 0.6, color: BLACK });
        this.y -= 2;
      }
      y = this.y;
    }
    return y;
  }

  table(b: Extract<Block, { kind: 'table' }>): void {
    const size = SIZE.table;
    const widths = b.widths.map((f) => f * TEXT_W);
    const layout = (cells: readonly string[], bold: boolean) => cells.map((c, i) => breakLines([{ text: c, bold }], this.fonts, size, widths[i]! - 2 * CELL_PAD));
    const height = (cells: Line[][]) => Math.max(...cells.map((ls) => ls.length)) * size * LEAD + 2 * CELL_PAD;
    const header = layout(b.header, true);
    const drawRow = (cells: Line[][], isHeader: boolean) => {
      const h = height(cells);
      const top = this.y;
      let x = MARGIN.left;
      cells.forEach((lines, i) => {
        const w = widths[i]!;
        this.y = top - CELL_PAD;
        const centred = isHeader || (i === 0 && b.header[0] !== undefined);
        for (const line of lines) {
          this.drawLine(line, x + CELL_PAD, w - 2 * CELL_PAD, size, centred ? 'center' : 'left');
          this.y -= size * LEAD;
        }
        this.page.drawRectangle({ x, y: top - h, width: w, height: h, borderColor: BLACK, borderWidth: 0.5 });
        x += w;
      });
      this.y = top - h;
    };
    const rows = b.rows.map((r) => layout(r, false));
    // The header never ends a page alone: it starts where its first row fits under it.
    this.need(height(header) + (rows[0] ? height(rows[0]) : 0));
    drawRow(header, true);
    for (const cells of rows) {
      if (this.y - height(cells) < MARGIN.bottom) {
        this.newPage();
        drawRow(header, true);
      }
      drawRow(cells, false);
    }
    this.y -= 8;
  }

  signatures(b: Extract<Block, { kind: 'signatures' }>): void {
    const colW = TEXT_W / b.cols.length;
    this.need(SIZE.body * LEAD * 3 + SIZE.note * LEAD + 70);
    this.y -= 8;
    const top = this.y;
    b.cols.forEach((c, i) => {
      const x = MARGIN.left + i * colW;
      this.y = top;
      this.text([{ text: c.title, bold: true }], { x, width: colW, align: 'center', after: 0 });
      this.text([{ text: c.note, italic: true }], { x, width: colW, align: 'center', size: SIZE.note, after: 0 });
      this.y -= 64;
      this.text([{ text: c.name, bold: true }], { x, width: colW, align: 'center', after: 0 });
    });
  }

  block(b: Block): void {
    switch (b.kind) {
      case 'masthead': {
        const leftW = TEXT_W * 0.44;
        const gap = TEXT_W * 0.02;
        const top = this.y;
        const l = this.column(b.left, MARGIN.left - 10, leftW + 10, top);
        const r = this.column(b.right, MARGIN.left + leftW + gap, TEXT_W - leftW - gap + 10, top);
        this.y = Math.min(l, r) - 18;
        return;
      }
      case 'title':
        if (b.draft) this.text([{ text: b.draft, bold: true }], { align: 'center', size: SIZE.note, after: 4 });
        this.text([{ text: b.title, bold: true }], { align: 'center', size: SIZE.title, after: 0 });
        this.text([{ text: b.subtitle, bold: true }], { align: 'center', size: SIZE.subtitle, after: 14 });
        return;
      case 'heading':
        // Room for the heading and what opens its section (a table's header and first row).
        this.need(SIZE.body * LEAD * 6);
        this.y -= 6;
        this.text([{ text: b.text, bold: true }], { align: 'left', after: 4 });
        return;
      case 'para':
        // A line that introduces what follows (an item's name, "Present (4):") starts a page rather than end one.
        if (b.keep) this.need(SIZE.body * LEAD * 4);
        if (b.indent) this.text(b.runs, { x: MARGIN.left + INDENT, width: TEXT_W - INDENT });
        else this.text(b.runs, { firstIndent: INDENT });
        return;
      case 'table':
        this.table(b);
        return;
      case 'signatures':
        this.signatures(b);
    }
  }

  /** The page number, top centre, from page 2. */
  numberPages(): void {
    this.pdf.getPages().forEach((p, i) => {
      if (i === 0) return;
      const label = String(i + 1);
      const w = widthOf(this.fonts.regular, label, SIZE.pageNo);
      p.drawText(label, { x: (PAGE.w - w) / 2, y: PAGE.h - MARGIN.top / 2 - SIZE.pageNo / 2, size: SIZE.pageNo, font: this.fonts.regular, color: BLACK });
    });
  }
}

export async function minutesPdf(model: MinutesModel, lang: MinutesLang, opts: PdfOptions): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const bytes = loadFontBytes();
  const embed = (b: Buffer): Promise<PDFFont> => pdf.embedFont(b, { subset: true });
  const fonts: Fonts = { regular: await embed(bytes.regular), bold: await embed(bytes.bold), italic: await embed(bytes.italic), boldItalic: await embed(bytes.boldItalic) };
  const title = `${minutesText(lang, 'title')} — ${model.meetingTitle}`;
  pdf.setTitle(title);
  pdf.setLanguage(lang === 'vi' ? 'vi-VN' : 'en-GB');
  pdf.setCreator('Chamber');
  pdf.setProducer('Chamber (pdf-lib)');
  pdf.setCreationDate(new Date(opts.at));
  pdf.setModificationDate(new Date(opts.at));
  const c = new Composer(pdf, fonts);
  for (const b of layoutMinutes(model, lang)) c.block(b);
  c.numberPages();
  return Buffer.from(await pdf.save());
}
