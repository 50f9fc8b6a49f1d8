// Which of a reader's notes a replacement carried and which stayed (renderer/viewer/replaced-notes.ts).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { putAnnotation, type Annotation } from '../../shared/notes-doc.ts';
import { replacements, splitReplacedNotes, type PaperLike } from '../../renderer/viewer/replaced-notes.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

function ink(id: string, paperId: string, sha256: string, page: number): Annotation {
  return { id, kind: 'ink', tool: 'pen', paperId, sha256, page, color: '#111111', width: 2, points: [1, 1, 0.5, 2, 2, 0.5], createdAt: 1 };
}

describe('splitReplacedNotes', () => {
  const paper: PaperLike = {
    id: 'p1', title: 'Plan',
    versions: [
      { version: 1, sha256: A },
      { version: 2, sha256: B, carriedFrom: { sha256: A, pages: [[1, 1], [3, 4]] } },
    ],
  };

  it('splits the previous version’s notes by the page map, new pages for carried ones', () => {
    const doc = new Y.Doc();
    for (const [id, page] of [['n1', 1], ['n2', 3], ['n3', 3], ['n4', 5], ['n5', 2]] as const) putAnnotation(doc, ink(id, 'p1', A, page));
    putAnnotation(doc, ink('other', 'p2', A, 2)); // another paper
    putAnnotation(doc, ink('new', 'p1', B, 2)); // on the new version already
    const [s, ...rest] = splitReplacedNotes(doc, [paper]);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ paperId: 'p1', version: 2, previous: 1, previousSha256: A, carried: [1, 4], stayed: [2, 5] });
  });

  it('says nothing for a paper the reader did not annotate, nor for one never replaced', () => {
    const doc = new Y.Doc();
    putAnnotation(doc, ink('x', 'p9', C, 1));
    expect(splitReplacedNotes(doc, [paper, { id: 'p9', title: 'One', versions: [{ version: 1, sha256: C }] }])).toEqual([]);
  });

  it('looks at the version the hub compared with; without one, the version before, nothing carried', () => {
    const three: PaperLike = { id: 'p1', title: 'Plan', versions: [...paper.versions, { version: 3, sha256: C }] };
    expect(replacements([three]).map((r) => [r.prev.version, r.pages.size])).toEqual([[2, 0]]);
    const doc = new Y.Doc();
    putAnnotation(doc, ink('n', 'p1', B, 2));
    expect(splitReplacedNotes(doc, [three])[0]).toMatchObject({ version: 3, previous: 2, carried: [], stayed: [2] });
  });

  it('ignores what is not a valid annotation', () => {
    const doc = new Y.Doc();
    doc.getMap('annotations').set('junk', { paperId: 'p1', sha256: A, page: 'x' });
    expect(splitReplacedNotes(doc, [paper])).toEqual([]);
  });
});
