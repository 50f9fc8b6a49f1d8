// Search in a paper: accent- and case-insensitive (Vietnamese readers type "ngan sach" for
// "ngân sách"), over the text items pdf.js extracts, with offsets that map back to the items so
// the text layer can mark the spans a match covers.

// The folding itself is shared with the hub's and the agent's full-text indexes (one folding, so
// what the index finds the viewer marks).
import { foldChar, foldText } from '../../shared/search-text.ts';

export { foldText };

export interface FoldedItems {
  text: string;
  /** For each item, its [start, end) in `text`. */
  ranges: Array<[number, number]>;
  /** For each offset in `text`, the UTF-16 offset in its source item (-1 for the joins). */
  source: number[];
}

/**
 * Folds text items into one searchable string; items are separated by one space. Folding
 * collapses white space, so `source` keeps where each folded character came from: a match can
 * then be marked on exactly the characters it covers.
 */
export function foldItems(items: readonly string[]): FoldedItems {
  let text = '';
  const ranges: Array<[number, number]> = [];
  const source: number[] = [];
  for (const item of items) {
    const start = text.length;
    let offset = 0;
    for (const c of item) {
      const f = /\s/.test(c) ? ' ' : foldChar(c);
      if (!(f === ' ' && (text.endsWith(' ') || text.length === 0))) {
        text += f;
        for (let k = 0; k < f.length; k++) source.push(offset);
      }
      offset += c.length;
    }
    ranges.push([start, text.length]);
    if (!text.endsWith(' ')) {
      text += ' ';
      source.push(-1);
    }
  }
  return { text, ranges, source };
}

/**
 * The part of each item a match [start, start + len) covers, as UTF-16 [from, to) offsets in the
 * item's own string.
 */
export function matchSpans(folded: FoldedItems, items: readonly string[], start: number, len: number): Array<{ item: number; from: number; to: number }> {
  const out: Array<{ item: number; from: number; to: number }> = [];
  for (const i of itemsForMatch(folded.ranges, start, len)) {
    const [a, b] = folded.ranges[i]!;
    const s = Math.max(start, a);
    const e = Math.min(start + len, b);
    if (e <= s) continue;
    const from = folded.source[s]!;
    const last = folded.source[e - 1]!;
    const str = items[i]!;
    // Through the whole last character (a surrogate pair is two UTF-16 units).
    let to = last + (str.codePointAt(last)! > 0xffff ? 2 : 1);
    // And its accents, when the text arrives decomposed (they fold to nothing).
    while (to < str.length && /[\u0300-\u036f]/.test(str[to]!)) to++;
    out.push({ item: i, from, to });
  }
  return out;
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
