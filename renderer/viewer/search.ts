// Search in a paper: accent- and case-insensitive (Vietnamese readers type "ngan sach" for
// "ngân sách"), over the text items pdf.js extracts, with offsets that map back to the items so
// the text layer can mark the spans a match covers.

/** Folds one character: lower case, no diacritics, đ → d. */
function foldChar(c: string): string {
  const base = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  return base.replace(/đ/g, 'd');
}

export function foldText(s: string): string {
  let out = '';
  for (const c of s) out += foldChar(c);
  return out.replace(/\s+/g, ' ');
}

export interface FoldedItems {
  text: string;
  /** For each item, its [start, end) in `text`. */
  ranges: Array<[number, number]>;
}

/** Folds text items into one searchable string; items are separated by one space. */
export function foldItems(items: readonly string[]): FoldedItems {
  let text = '';
  const ranges: Array<[number, number]> = [];
  for (const item of items) {
    const start = text.length;
    text += foldText(item);
    ranges.push([start, text.length]);
    if (!text.endsWith(' ')) text += ' ';
  }
  return { text, ranges };
}

/** All match start offsets of the folded query in folded text. */
export function findAll(folded: string, query: string): number[] {
  const q = foldText(query).trim();
  if (!q) return [];
  const out: number[] = [];
  let i = folded.indexOf(q);
  while (i >= 0) {
    out.push(i);
    i = folded.indexOf(q, i + q.length);
  }
  return out;
}

/** Indices of the items that a match [start, start + len) touches. */
export function itemsForMatch(ranges: ReadonlyArray<[number, number]>, start: number, len: number): number[] {
  const end = start + len;
  const out: number[] = [];
  ranges.forEach(([a, b], i) => {
    if (a < end && start < b && b > a) out.push(i);
  });
  return out;
}

export const foldedQueryLength = (query: string): number => foldText(query).trim().length;
