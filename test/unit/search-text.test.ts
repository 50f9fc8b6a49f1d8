// What a user types becomes a safe FTS5 query and a marked snippet (shared/search-text.ts). The
// safety claim is checked against a real FTS5 table: no input, however hostile, is a syntax error.
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { foldChar, foldText, makeSnippet, matchesQuery, parseQuery, toFtsQuery } from '../../shared/search-text.ts';

const marked = (s: { snippet: string; marks: Array<[number, number]> }) => s.marks.map(([a, b]) => s.snippet.slice(a, b));

describe('folding', () => {
  it('lower-cases, drops Vietnamese accents and folds đ/Đ, one character for one', () => {
    expect(foldText('Đảng bộ NGÂN SÁCH Nhà nước')).toBe('dang bo ngan sach nha nuoc');
    expect(foldChar('Ữ')).toBe('u');
    expect(foldChar('đ')).toBe('d');
    expect(foldChar('A')).toBe('a');
    expect(foldChar('😀')).toBe('😀');
    const s = 'Hội đồng thống nhất Ưu tiên';
    expect(foldText(s).length).toBe([...s].length);
  });
});

describe('toFtsQuery', () => {
  it('quotes every word and phrase and keeps a typed prefix', () => {
    expect(toFtsQuery('Ngân sách')).toBe('"ngan" "sach"');
    expect(toFtsQuery('"nhà nước" Đảng*')).toBe('"nha nuoc" "dang"*');
    expect(toFtsQuery('"phong hop"*')).toBe('"phong hop"*');
    expect(toFtsQuery('ngan ngan NGÂN')).toBe('"ngan"');
    // A prefix of fewer than 3 letters would merge the pages of too many words: a whole word.
    expect(toFtsQuery('a* ng* "x y"* ngâ*')).toBe('"a" "ng" "x y" "nga"*');
  });

  it('reads operators and syntax as words or separators', () => {
    expect(toFtsQuery('NEAR(a b) AND c OR NOT d')).toBe('"near" "a" "b" "and" "c" "or" "not" "d"');
    expect(toFtsQuery('body:ngan -sach ^x {y}')).toBe('"body" "ngan" "sach" "x" "y"');
    expect(toFtsQuery('"unclosed phrase')).toBe('"unclosed" "phrase"');
  });

  it('is null when nothing searchable is left', () => {
    for (const q of ['', ' ', '"', '""', '*', '()', '-', ':^', '😀 🎉', '\u0301', '"*"']) expect(toFtsQuery(q), JSON.stringify(q)).toBeNull();
  });

  it('never gives FTS5 a syntax error, for hostile and random input alike', () => {
    const db = new BetterSqlite3(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2'); INSERT INTO t VALUES ('ngan sach nha nuoc near and or not')");
    const run = (q: string) => {
      const m = toFtsQuery(q);
      if (m !== null) db.prepare('SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank').all(m);
    };
    const hostile = ['NEAR(', 'NEAR(a b, 2)', 'a NEAR/3 b', '"a" + "b"', 'a AND', 'OR', 'NOT', '(a', 'a)', '*a', 'a**', 'a*b', '^a', 'a:', ':a',
      'col:a', '{a b}: c', '-a', 'a -', '\'', "'; DROP TABLE t; --", '\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '"a""b"', '" "', 'a"*"b'];
    for (const q of hostile) expect(() => run(q), JSON.stringify(q)).not.toThrow();
    // Random strings over an alphabet heavy in FTS5's syntax characters.
    const alphabet = ['"', '*', '(', ')', ':', '-', '^', '+', '{', '}', ',', ' ', 'a', 'ă', 'Đ', 'NEAR', 'AND', 'OR', 'NOT', '/', '\\', '\u0301', '😀', '0'];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 2000; i++) {
      let q = '';
      const n = 1 + Math.floor(rnd() * 20);
      for (let k = 0; k < n; k++) q += alphabet[Math.floor(rnd() * alphabet.length)];
      expect(() => run(q), JSON.stringify(q)).not.toThrow();
    }
    db.close();
  });

  it('bounds a long query to 16 words or phrases', () => {
    expect(parseQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(16);
  });
});

describe('makeSnippet', () => {
  it('marks every hit in the original, accented text', () => {
    const s = makeSnippet('Dự toán NGÂN SÁCH nhà nước và ngân sách địa phương', 'ngan sach');
    expect(s.snippet).toBe('Dự toán NGÂN SÁCH nhà nước và ngân sách địa phương');
    expect(marked(s)).toEqual(['NGÂN', 'SÁCH', 'ngân', 'sách']);
  });

  it('marks a phrase as one stretch, whole words only, and a prefix as its whole word', () => {
    expect(marked(makeSnippet('nhà nước, nhà ở, nước nhà', '"nha nuoc"'))).toEqual(['nhà nước']);
    expect(marked(makeSnippet('Đảng, đẳng cấp, Đăng ký', 'dang'))).toEqual(['Đảng', 'đẳng', 'Đăng']);
    expect(marked(makeSnippet('chuyển đổi, chuyên môn', 'chuyen*'))).toEqual(['chuyển', 'chuyên']);
    expect(marked(makeSnippet('ngân sáchx', 'sach'))).toEqual([]);
  });

  it('cuts around the first hit, between words, with … where it cut, and collapses white space', () => {
    const text = `${'mở đầu '.repeat(80)}Quyết   định\n\nngân sách năm 2027 ${'phần cuối '.repeat(80)}`;
    const s = makeSnippet(text, 'ngan sach', 120);
    expect(s.snippet.startsWith('…')).toBe(true);
    expect(s.snippet.endsWith('…')).toBe(true);
    expect(s.snippet.length).toBeLessThanOrEqual(122);
    expect(s.snippet).toContain('Quyết định ngân sách');
    expect(s.snippet).not.toMatch(/\s{2}/);
    expect(marked(s)).toEqual(['ngân', 'sách']);
    // The cut falls between words: the first and last words are whole.
    expect(text).toContain(s.snippet.slice(1, -1).split(' ')[0]! + ' ');
  });

  it('covers accents that arrive decomposed, and never splits a surrogate pair', () => {
    const nfd = 'Báo cáo ngân sách'.normalize('NFD');
    const s = makeSnippet(nfd, 'ngan');
    expect(marked(s)).toEqual(['ngân'.normalize('NFD')]);
    const emoji = `${'😀'.repeat(150)} ngân ${'😀'.repeat(150)}`;
    const e = makeSnippet(emoji, 'ngan', 100);
    expect(e.snippet.replace(/…/g, '')).toMatch(/^(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\uD800-\uDFFF])*$/);
    expect(marked(e)).toEqual(['ngân']);
  });

  it('without a hit gives the start of the text and no marks', () => {
    expect(makeSnippet('Một hai ba', 'bon')).toEqual({ snippet: 'Một hai ba', marks: [] });
    expect(makeSnippet('', 'bon')).toEqual({ snippet: '', marks: [] });
  });
});

describe('matchesQuery', () => {
  it('needs every word and phrase, as the index does', () => {
    expect(matchesQuery('Bản chụp Hội nghị', 'ban chup')).toBe(true);
    expect(matchesQuery('Bản chụp Hội nghị', 'ban "hoi nghi"')).toBe(true);
    expect(matchesQuery('Bản chụp Hội nghị', 'ban khac')).toBe(false);
    expect(matchesQuery('Bản chụp Hội nghị', '"')).toBe(false);
  });
});
