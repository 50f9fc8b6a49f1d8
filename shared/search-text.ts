// Text search as readers type it: case and accents optional (Vietnamese readers type "ngan sach"
// for "ngân sách", and "dang" for "Đảng"). One folding is shared by the viewer's in-paper search,
// the hub's and the agent's full-text indexes (SQLite FTS5 over folded text) and the snippets they
// cut, so a word found by one is found by all and marked on the same characters.

// Indexing folds every character of every page: ASCII is folded by arithmetic and anything else
// is remembered once worked out (a paper's alphabet is small), which made folding the 352-page
// fixture's text several times faster than normalising each character afresh.
const folds = new Map<string, string>();

/** Folds one character: lower case, no diacritics, đ → d. */
export function foldChar(c: string): string {
  if (c.length === 1) {
    const code = c.charCodeAt(0);
    if (code < 0x80) return code >= 0x41 && code <= 0x5a ? String.fromCharCode(code + 0x20) : c;
  }
  let f = folds.get(c);
  if (f === undefined) {
    f = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/đ/g, 'd');
    if (folds.size < 20_000) folds.set(c, f);
  }
  return f;
}

/** Folds a string and collapses runs of white space to one space. */
export function foldText(s: string): string {
  let out = '';
  for (const c of s) out += foldChar(c);
  return out.replace(/\s+/g, ' ');
}

/**
 * What FTS5's unicode61 tokenizer keeps as word characters (letters, digits, private use), plus
 * marks so a Devanagari or Thai word is not cut where the tokenizer would not cut it. Anything
 * else separates words, so it can never reach FTS5 as syntax.
 */
const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** A searched unit: one word, or a quoted phrase of words; `prefix` when typed with a trailing `*`. */
export interface QueryUnit {
  terms: string[];
  prefix: boolean;
}

/** Beyond this a query is no more precise, only slower: the rest of what was typed is ignored. */
const MAX_UNITS = 16;
/**
 * A shorter prefix is read as a whole word: `a*` would have FTS5 merge the pages of every word
 * starting with "a" (half a second over 10,000 pages here, and sixteen of them two seconds).
 */
const MIN_PREFIX = 3;

function wordsOf(segment: string): Array<{ word: string; star: boolean }> {
  const out: Array<{ word: string; star: boolean }> = [];
  for (const m of segment.matchAll(WORD)) {
    const star = segment[m.index + m[0].length] === '*' && [...m[0]].length >= MIN_PREFIX;
    out.push({ word: m[0], star });
  }
  return out;
}

/**
 * Reads what a user typed: words, "quoted phrases" and `word*` prefixes, folded. Everything FTS5
 * would read as syntax (operators, parentheses, `:`, `^`, `-`, NEAR, AND/OR/NOT) is either a
 * separator or an ordinary word here; an unclosed quote is treated as if it were not there.
 */
export function parseQuery(userText: string): QueryUnit[] {
  const parts = foldText(userText).split('"');
  // An odd number of quotes leaves the last one open: its text is read as plain words.
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  const units: QueryUnit[] = [];
  const seen = new Set<string>();
  const add = (u: QueryUnit) => {
    const key = `${u.terms.join(' ')}${u.prefix ? '*' : ''}`;
    if (seen.has(key) || units.length >= MAX_UNITS) return;
    seen.add(key);
    units.push(u);
  };
  parts.forEach((part, i) => {
    const words = wordsOf(part);
    const inPhrase = i % 2 === 1 && i < closed;
    if (inPhrase) {
      const last = words.at(-1);
      if (last) add({ terms: words.map((w) => w.word), prefix: last.star || ((parts[i + 1] ?? '').startsWith('*') && [...last.word].length >= MIN_PREFIX) });
    } else {
      for (const w of words) add({ terms: [w.word], prefix: w.star });
    }
  });
  return units;
}

/**
 * A safe FTS5 MATCH expression for what a user typed: every word or phrase is a quoted FTS5
 * string (so no user character is ever read as an operator), all of them required. null when
 * nothing searchable is left (only punctuation, spaces or quotes).
 */
export function toFtsQuery(userText: string): string | null {
  const units = parseQuery(userText);
  if (!units.length) return null;
  return units.map((u) => `"${u.terms.join(' ')}"${u.prefix ? '*' : ''}`).join(' ');
}

/** Folds a word (no white space in it, so nothing to collapse). */
function foldWord(w: string): string {
  let out = '';
  for (const c of w) out += foldChar(c);
  return out;
}

/**
 * Where `units` occur in `text`, as source [from, to) ranges, sorted and merged: a word matches
 * a whole word (or its start, for a prefix), a phrase its words in a row, as FTS5 matches them.
 * Words are found in the original text and folded one by one, so offsets need no mapping back
 * (accents that arrive decomposed are marks inside the word); folding whole pages with a map of
 * offsets made the 50 snippets of an answer cost up to ~40 ms.
 */
export function findHits(text: string, units: readonly QueryUnit[]): Array<[number, number]> {
  if (!units.length || !text) return [];
  const firsts = new Set(units.map((u) => u.terms[0]!));
  const prefixed = units.filter((u) => u.terms.length === 1 && u.prefix).map((u) => u.terms[0]!);
  const words: Array<{ from: number; to: number; word: string }> = [];
  for (const m of text.matchAll(WORD)) words.push({ from: m.index, to: m.index + m[0].length, word: foldWord(m[0]) });
  const hits: Array<[number, number]> = [];
  for (let j = 0; j < words.length; j++) {
    const first = words[j]!.word;
    // Most words start nothing: skip them without looking at every unit (a one-word prefix
    // matches by its start; any other unit starts with its first word whole).
    if (!firsts.has(first) && !prefixed.some((p) => first.startsWith(p))) continue;
    for (const u of units) {
      const n = u.terms.length;
      if (j + n > words.length) continue;
      let ok = true;
      for (let t = 0; t < n && ok; t++) {
        const w = words[j + t]!.word;
        ok = t === n - 1 && u.prefix ? w.startsWith(u.terms[t]!) : w === u.terms[t];
      }
      if (ok) hits.push([words[j]!.from, words[j + n - 1]!.to]);
    }
  }
  hits.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Array<[number, number]> = [];
  for (const h of hits) {
    const last = merged.at(-1);
    if (last && h[0] <= last[1]) last[1] = Math.max(last[1], h[1]);
    else merged.push([h[0], h[1]]);
  }
  return merged;
}

const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;
/** How far a cut may move to land between words instead of inside one. */
const SNAP = 16;

/**
 * A snippet of the original (accented) `text` around the first hit of `query`, at most about
 * `max` characters, white space collapsed, with "…" where it was cut, and `marks`: each hit's
 * [from, to) in the snippet (UTF-16 offsets). Without a hit, the text's start and no marks.
 */
export function makeSnippet(text: string, query: string | readonly QueryUnit[], max = 200): { snippet: string; marks: Array<[number, number]> } {
  const units = typeof query === 'string' ? parseQuery(query) : query;
  const hits = findHits(text, units);
  const first = hits[0] ?? [0, 0];
  const room = Math.max(0, max - (first[1] - first[0]));
  let s = Math.max(0, first[0] - Math.floor(room * 0.3));
  let e = Math.min(text.length, s + max);
  if (e - s < max) s = Math.max(0, e - max);
  if (s > 0) {
    const gap = text.slice(s, Math.min(first[0], s + SNAP)).search(/\s/);
    if (gap >= 0) s += gap + 1;
  }
  if (e < text.length) {
    const tail = text.slice(Math.max(first[1], e - SNAP), e);
    const gap = tail.search(/\s\S*$/);
    if (gap >= 0) e = Math.max(first[1], e - SNAP) + gap;
  }
  if (s > 0 && isLow(text.charCodeAt(s))) s++;
  if (e < text.length && isLow(text.charCodeAt(e))) e--;

  let out = s > 0 ? '…' : '';
  // pos[i - s]: where source offset i lands in the snippet.
  const pos = new Array<number>(e - s + 1);
  for (let i = s; i < e; i++) {
    pos[i - s] = out.length;
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (out.length > (s > 0 ? 1 : 0) && !out.endsWith(' ')) out += ' ';
    } else {
      out += c;
    }
  }
  pos[e - s] = out.length;
  if (out.endsWith(' ')) out = out.slice(0, -1);
  const bodyEnd = out.length;
  if (e < text.length) out += '…';
  const marks: Array<[number, number]> = [];
  for (const [a, b] of hits) {
    if (b <= s || a >= e) continue;
    const from = pos[Math.max(a, s) - s]!;
    const to = Math.min(pos[Math.min(b, e) - s]!, bodyEnd);
    if (to > from) marks.push([from, to]);
  }
  return { snippet: out, marks };
}

/** Whether `text` holds every word and phrase of `query`, as the full-text index would match it. */
export function matchesQuery(text: string, query: string | readonly QueryUnit[]): boolean {
  const units = typeof query === 'string' ? parseQuery(query) : query;
  return units.length > 0 && units.every((u) => findHits(text, [u]).length > 0);
}
