// Search in a paper: case- and accent-insensitive, with matches mapped back to text items.
import { describe, expect, it } from 'vitest';
import { findAll, foldedQueryLength, foldItems, foldText, itemsForMatch, matchSpans } from '../../renderer/viewer/search.ts';

describe('folding', () => {
  it('drops case and Vietnamese diacritics, including đ/Đ', () => {
    expect(foldText('Ngân Sách')).toBe('ngan sach');
    expect(foldText('Đặng Quốc Việt')).toBe('dang quoc viet');
    expect(foldText('Tờ trình ngân sách năm 2027')).toBe('to trinh ngan sach nam 2027');
    expect(foldText('ƯU TIÊN ĐẦU TƯ')).toBe('uu tien dau tu');
  });

  it('folds decomposed (NFD) input the same as composed', () => {
    expect(foldText('ngân sách'.normalize('NFD'))).toBe(foldText('ngân sách'));
  });

  it('keeps one folded character per source character, so offsets map back', () => {
    const s = 'Hội đồng thống nhất';
    expect(foldText(s).length).toBe([...s].length);
  });

  it('collapses runs of white space', () => {
    expect(foldText('a \t\n b')).toBe('a b');
  });
});

describe('finding', () => {
  const items = ['Căn cứ Luật Ngân sách nhà nước', 'và dự toán', 'ngân sách năm 2027.'];
  const folded = foldItems(items);

  it('finds accented text from an unaccented query, and the reverse', () => {
    expect(findAll(folded.text, 'ngan sach')).toHaveLength(2);
    expect(findAll(folded.text, 'NGÂN SÁCH')).toHaveLength(2);
    expect(findAll(foldItems(['ngan sach']).text, 'ngân sách')).toHaveLength(1);
    expect(findAll(folded.text, 'du toan')).toHaveLength(1);
  });

  it('finds nothing for an absent or empty query', () => {
    expect(findAll(folded.text, 'thue')).toEqual([]);
    expect(findAll(folded.text, '   ')).toEqual([]);
  });

  it('finds a match that spans two text items (joined by a space)', () => {
    const starts = findAll(folded.text, 'nuoc va');
    expect(starts).toHaveLength(1);
    expect(itemsForMatch(folded.ranges, starts[0]!, foldedQueryLength('nuoc va'))).toEqual([0, 1]);
  });

  it('maps each match to the items it covers', () => {
    const starts = findAll(folded.text, 'ngân sách');
    const len = foldedQueryLength('ngân sách');
    expect(starts.map((s) => itemsForMatch(folded.ranges, s, len))).toEqual([[0], [2]]);
    const [a, b] = folded.ranges[2]!;
    expect(folded.text.slice(a, b)).toBe('ngan sach nam 2027.');
  });

  it('does not count overlapping matches twice', () => {
    expect(findAll(foldItems(['aaaa']).text, 'aa')).toEqual([0, 2]);
  });
});

describe('marking the matched characters', () => {
  it('maps a match back to exact character ranges, across collapsed spaces and accents', () => {
    const items = ['Dự toán  ngân sách', 'năm 2027'];
    const folded = foldItems(items);
    const [start] = findAll(folded.text, 'ngan sach nam');
    const spans = matchSpans(folded, items, start!, foldedQueryLength('ngan sach nam'));
    expect(spans).toEqual([{ item: 0, from: 9, to: 18 }, { item: 1, from: 0, to: 3 }]);
    expect(items[0]!.slice(9, 18)).toBe('ngân sách');
    expect(items[1]!.slice(0, 3)).toBe('năm');
  });

  it('maps offsets in decomposed text to whole source characters', () => {
    const item = 'Kính đề nghị'.normalize('NFD');
    const folded = foldItems([item]);
    const [start] = findAll(folded.text, 'de nghi');
    const [span] = matchSpans(folded, [item], start!, foldedQueryLength('de nghi'));
    expect(item.slice(span!.from, span!.to).normalize('NFC')).toBe('đề nghị');
  });
});
