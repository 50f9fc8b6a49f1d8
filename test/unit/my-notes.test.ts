// "My notes" without a browser: the grouping the panel shows (renderer/notes/group-notes.ts), the
// download's name (shared/notes-export.ts, renderer/notes/export-notes.ts) and the PDF writer's
// small parts (electron/hub/notes-export/pdf-annotations.ts).
import { describe, expect, it } from 'vitest';
import { groupNotes } from '../../renderer/notes/group-notes.ts';
import { downloadName } from '../../renderer/notes/export-notes.ts';
import { notesExportFileName } from '../../shared/notes-export.ts';
import { parseColor, pdfDate } from '../../electron/hub/notes-export/pdf-annotations.ts';
import type { Annotation } from '../../shared/notes-doc.ts';
import type { MeetingPaper } from '../../renderer/api.ts';
import { formatRoute, parseRoute } from '../../renderer/route.ts';

const sha = (c: string) => c.repeat(64);
const version = (v: number, s: string) => ({ version: v, sha256: s, pages: 3, size: 100, fileName: 'f.pdf', createdAt: '2026-11-29T09:00:00Z' });
const paper = (id: string, title: string, versions: ReturnType<typeof version>[]): MeetingPaper => ({ id, meetingId: 'm1', title, restricted: false, versions });
const note = (id: string, paperId: string, s: string, page: number, createdAt: number): Annotation =>
  ({ id, paperId, sha256: s, page, createdAt, kind: 'note', x: 1, y: 1, text: id });

describe('groupNotes', () => {
  const papers = [paper('b', 'Budget', [version(1, sha('1')), version(2, sha('2'))]), paper('a', 'Agenda', [version(1, sha('a'))])];

  it('groups by paper in the list\'s order, then version (latest first, older marked), then page, oldest first', () => {
    const g = groupNotes([
      note('late-p1', 'b', sha('2'), 1, 30), note('early-p1', 'b', sha('2'), 1, 10), note('p3', 'b', sha('2'), 3, 5),
      note('old', 'b', sha('1'), 2, 1), note('agenda', 'a', sha('a'), 1, 1),
    ], papers);
    expect(g.count).toBe(5);
    expect(g.gone).toBe(0);
    expect(g.papers.map((p) => p.paper.title)).toEqual(['Budget', 'Agenda']);
    const [latest, old] = g.papers[0]!.versions;
    expect([latest!.version, latest!.old, old!.version, old!.old]).toEqual([2, false, 1, true]);
    expect(latest!.pages.map((pg) => [pg.page, pg.items.map((a) => a.id)])).toEqual([[1, ['early-p1', 'late-p1']], [3, ['p3']]]);
    expect(old!.pages.map((pg) => pg.items.map((a) => a.id))).toEqual([['old']]);
  });

  it('counts, and leaves out, annotations on papers or versions the list no longer has', () => {
    const g = groupNotes([note('gone-paper', 'zz', sha('9'), 1, 1), note('gone-version', 'a', sha('8'), 1, 1), note('kept', 'a', sha('a'), 2, 1)], papers);
    expect(g.gone).toBe(2);
    expect(g.count).toBe(1);
    expect(g.papers.map((p) => p.paper.id)).toEqual(['a']);
  });
});

describe('the download\'s name', () => {
  it('is the title with "(my notes)", with what file systems refuse replaced', () => {
    expect(notesExportFileName('Ngân sách 2027')).toBe('Ngân sách 2027 (my notes).pdf');
    expect(notesExportFileName('a/b:c*?"<>|\\\u0001')).toBe('a_b_c________ (my notes).pdf');
    expect(notesExportFileName('   ')).toBe('paper (my notes).pdf');
  });

  it('comes from the hub\'s RFC 5987 filename*, else from the title', () => {
    const header = `attachment; filename="Ng_n s_ch (my notes).pdf"; filename*=UTF-8''${encodeURIComponent('Ngân sách (my notes).pdf')}`;
    expect(downloadName(header, 'ignored')).toBe('Ngân sách (my notes).pdf');
    expect(downloadName(null, 'Tờ trình')).toBe('Tờ trình (my notes).pdf');
    expect(downloadName("attachment; filename*=UTF-8''%E0%A4%A", 'Bad escape')).toBe('Bad escape (my notes).pdf');
  });
});

describe('the PDF writer\'s parts', () => {
  it('reads #rgb and #rrggbb colours, and falls back for anything else', () => {
    expect(parseColor('#ff0000', [0, 0, 0])).toEqual([1, 0, 0]);
    expect(parseColor('#0f0', [0, 0, 0])).toEqual([0, 1, 0]);
    expect(parseColor('red', [0.5, 0.5, 0.5])).toEqual([0.5, 0.5, 0.5]);
    expect(parseColor(undefined, [0, 0, 1])).toEqual([0, 0, 1]);
  });

  it('writes PDF dates in UTC', () => {
    expect(pdfDate(Date.UTC(2026, 10, 29, 9, 5, 7))).toBe('D:20261129090507Z');
    expect(pdfDate(Number.NaN)).toBe('D:19700101000000Z');
  });
});

describe('the panel\'s address', () => {
  it('is the screen\'s own with notes=1, with or without a paper open', () => {
    const withPaper = parseRoute(`#/m/m1/p/p1?page=4&v=${sha('a')}&notes=1`);
    expect(withPaper).toEqual({ name: 'meeting', meetingId: 'm1', paperId: 'p1', page: 4, sha256: sha('a'), notes: true });
    expect(formatRoute(withPaper)).toBe(`#/m/m1/p/p1?page=4&v=${sha('a')}&notes=1`);
    const bare = parseRoute('#/m/m1?notes=1');
    expect(bare).toEqual({ name: 'meeting', meetingId: 'm1', paperId: null, page: 1, sha256: null, notes: true });
    expect(formatRoute(bare)).toBe('#/m/m1?notes=1');
    expect(parseRoute('#/m/m1?notes=yes')).not.toHaveProperty('notes');
  });
});
