// The renderer's side of `Search all papers` without a browser: the addresses a search and a hit
// open (route.ts), the snippet's marks as the server sent them (untrusted offsets), and hits
// grouped by meeting in the order of their best hit.
import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../renderer/route.ts';
import { markedParts } from '../../renderer/search/Snippet.tsx';
import { byMeeting } from '../../renderer/search/SearchView.tsx';

describe('search addresses', () => {
  it('round-trips a search and a hit opened from it, with any characters in the query', () => {
    const q = 'ngân sách & "quỹ" #1?';
    expect(parseRoute(formatRoute({ name: 'search', q }))).toEqual({ name: 'search', q });
    const hit = { name: 'meeting', meetingId: 'm-1', paperId: 'p-1', page: 7, sha256: null, find: q } as const;
    expect(formatRoute(hit)).toMatch(/^#\/m\/m-1\/p\/p-1\?page=7&find=/);
    expect(parseRoute(formatRoute(hit))).toEqual(hit);
  });

  it('keeps the old addresses as they were, and drops a find without a paper or with nothing in it', () => {
    expect(parseRoute('#/m/m-1/p/p-1?page=3')).toEqual({ name: 'meeting', meetingId: 'm-1', paperId: 'p-1', page: 3, sha256: null });
    expect(parseRoute('#/m/m-1?find=x')).toEqual({ name: 'meeting', meetingId: 'm-1', paperId: null, page: 1, sha256: null });
    expect(parseRoute('#/m/m-1/p/p-1?page=2&find=%20%20')).not.toHaveProperty('find');
    expect(parseRoute('#/search')).toEqual({ name: 'search', q: '' });
    expect(parseRoute('#/search/extra?q=x').name).toBe('meetings');
    expect((parseRoute(`#/search?q=${'a'.repeat(900)}`) as { q: string }).q).toHaveLength(500);
  });
});

describe('snippet marks', () => {
  it('splits the snippet into marked and plain parts', () => {
    expect(markedParts('Tờ trình ngân sách năm', [[9, 13], [14, 18]])).toEqual([
      { text: 'Tờ trình ', marked: false }, { text: 'ngân', marked: true }, { text: ' ', marked: false },
      { text: 'sách', marked: true }, { text: ' năm', marked: false },
    ]);
  });

  it('never breaks the text on marks it cannot use: out of range, overlapping, reversed, unsorted', () => {
    const text = 'abcdefghij';
    const parts = markedParts(text, [[8, 40], [2, 5], [3, 4], [6, 6], [7, 1]]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.marked).map((p) => p.text)).toEqual(['cde', 'ij']);
    expect(markedParts(text, [])).toEqual([{ text, marked: false }]);
  });
});

describe('results by meeting', () => {
  it('groups hits by meeting in the order of each meeting\'s best hit, keeping the rank within a group', () => {
    const hit = (meetingId: string, n: number) => ({ meetingId, meetingTitle: `M ${meetingId}`, n });
    const groups = byMeeting([hit('b', 1), hit('a', 2), hit('b', 3), hit('c', 4), hit('a', 5)]);
    expect(groups.map((g) => [g.meetingId, g.items.map((i) => i.n)])).toEqual([['b', [1, 3]], ['a', [2, 5]], ['c', [4]]]);
  });
});
