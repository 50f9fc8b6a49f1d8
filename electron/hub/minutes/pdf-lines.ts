// Breaking runs of styled text into lines of a given width, for the PDF writer (pdf.ts): pdf-lib
// draws one string in one font at a time, so bold and regular words on one line are placed one by
// one. A word wider than the line is cut between characters rather than run off the page.
import type { PDFFont } from 'pdf-lib';
import type { Run } from '../../../shared/minutes-layout.ts';

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  boldItalic: PDFFont;
}

export interface Word {
  text: string;
  font: PDFFont;
  width: number;
  /** A space comes before it on its line (not the first word, and not glued to the previous run). */
  spaced: boolean;
}
export interface Line {
  words: Word[];
  width: number;
  /** Ends a paragraph (or a forced break): not stretched when justifying. */
  last: boolean;
}

export const fontOf = (f: Fonts, r: Pick<Run, 'bold' | 'italic'>): PDFFont =>
  r.bold ? (r.italic ? f.boldItalic : f.bold) : r.italic ? f.italic : f.regular;

// Measuring is fontkit's glyph layout, the writer's costliest step: each word is measured once
// per font and size (a meeting's minutes repeat the same names and words page after page).
const widths = new WeakMap<PDFFont, Map<string, number>>();
export function widthOf(font: PDFFont, text: string, size: number): number {
  let cache = widths.get(font);
  if (!cache) widths.set(font, (cache = new Map()));
  const key = `${size}\u0000${text}`;
  let w = cache.get(key);
  if (w === undefined) cache.set(key, (w = font.widthOfTextAtSize(text, size)));
  return w;
}

/** Splits `text` into pieces no wider than `max`, at character boundaries (a word that fits is one piece). */
function cut(text: string, font: PDFFont, size: number, max: number): string[] {
  if (widthOf(font, text, size) <= max) return [text];
  const out: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur && widthOf(font, cur + ch, size) > max) {
      out.push(cur);
      cur = ch;
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/**
 * Lays `runs` out in lines of at most `width` points (the first `firstIndent` narrower). A `\n`
 * in a run's text forces a break. Words keep their run's font; a run that begins without a space
 * continues the previous word's line position (as "Label: " then the value).
 */
export function breakLines(runs: readonly Run[], fonts: Fonts, size: number, width: number, firstIndent = 0): Line[] {
  const lines: Line[] = [];
  const space = widthOf(fonts.regular, ' ', size);
  let cur: Line = { words: [], width: 0, last: false };
  const room = () => width - (lines.length === 0 ? firstIndent : 0);
  const flush = (last: boolean) => {
    cur.last = last;
    lines.push(cur);
    cur = { words: [], width: 0, last: false };
  };
  let pendingSpace = false;
  for (const run of runs) {
    const font = fontOf(fonts, run);
    run.text.normalize('NFC').split('\n').forEach((para, pi) => {
      if (pi > 0) {
        flush(true);
        pendingSpace = false;
      }
      for (const tok of para.split(/( +)/)) {
        if (tok === '') continue;
        if (tok.trim() === '') {
          pendingSpace = true;
          continue;
        }
        cut(tok, font, size, room()).forEach((piece, i) => {
          const w = widthOf(font, piece, size);
          const spaced = cur.words.length > 0 && pendingSpace && i === 0;
          const add = w + (spaced ? space : 0);
          if (cur.words.length > 0 && cur.width + add > room()) {
            flush(false);
            cur.words.push({ text: piece, font, width: w, spaced: false });
            cur.width = w;
          } else {
            cur.words.push({ text: piece, font, width: w, spaced });
            cur.width += add;
          }
        });
        pendingSpace = false;
      }
    });
  }
  flush(true);
  return lines;
}
