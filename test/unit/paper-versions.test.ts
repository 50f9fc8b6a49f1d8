import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { carryAnnotationsForward, mapUnchangedPages } from '../../shared/paper-versions.ts';
import { putAnnotation, readAnnotations, deleteAnnotation } from '../../shared/notes-doc.ts';

const sha = (c: string) => c.repeat(64);

describe('mapUnchangedPages', () => {
  it('matches unchanged pages in order across an inserted and a removed page', () => {
    expect(mapUnchangedPages(['a', 'b', 'c', 'd'], ['a', 'x', 'b', 'd'])).toEqual([[1, 1], [2, 3], [4, 4]]);
  });
  it('maps nothing when every page changed, and handles empty input', () => {
    expect(mapUnchangedPages(['a', 'b'], ['c', 'd'])).toEqual([]);
    expect(mapUnchangedPages([], ['a'])).toEqual([]);
  });
  it('matches repeated fingerprints (blank pages) only in sequence', () => {
    const map = mapUnchangedPages(['blank', 'a', 'blank'], ['blank', 'blank', 'a']);
    expect(map).toHaveLength(2);
    for (let k = 1; k < map.length; k++) {
      expect(map[k]![0]).toBeGreaterThan(map[k - 1]![0]);
      expect(map[k]![1]).toBeGreaterThan(map[k - 1]![1]);
    }
  });
});

describe('carryAnnotationsForward', () => {
  const ink = (id: string, page: number, s: string) => ({
    id, kind: 'ink' as const, tool: 'pen' as const, paperId: 'p1', sha256: s, page, createdAt: 1, color: '#000', width: 2, points: [1, 2, 0.5],
  });

  it('copies annotations on unchanged pages to the new version, once, and leaves the rest', () => {
    const notes = new Y.Doc();
    putAnnotation(notes, ink('n1', 1, sha('a')));
    putAnnotation(notes, ink('n2', 2, sha('a')));
    const versions = [{ sha256: sha('a') }, { sha256: sha('b'), carriedFrom: { sha256: sha('a'), pages: [[1, 3]] as Array<[number, number]> } }];
    expect(carryAnnotationsForward(notes, 'p1', versions)).toBe(1);
    const onNew = readAnnotations(notes, { sha256: sha('b') });
    expect(onNew).toHaveLength(1);
    expect(onNew[0]!.page).toBe(3);
    expect(readAnnotations(notes, { sha256: sha('a') })).toHaveLength(2);
    // Idempotent, and a copy the user deleted does not come back.
    expect(carryAnnotationsForward(notes, 'p1', versions)).toBe(0);
    deleteAnnotation(notes, onNew[0]!.id);
    expect(carryAnnotationsForward(notes, 'p1', versions)).toBe(0);
    expect(readAnnotations(notes, { sha256: sha('b') })).toHaveLength(0);
  });

  it('converges when two devices carry the same annotations at once', () => {
    const a = new Y.Doc();
    putAnnotation(a, ink('n1', 1, sha('a')));
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const versions = [{ sha256: sha('b'), carriedFrom: { sha256: sha('a'), pages: [[1, 1]] as Array<[number, number]> } }];
    carryAnnotationsForward(a, 'p1', versions);
    carryAnnotationsForward(b, 'p1', versions);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readAnnotations(a, { sha256: sha('b') })).toHaveLength(1);
    expect(readAnnotations(b, { sha256: sha('b') })).toEqual(readAnnotations(a, { sha256: sha('b') }));
  });
});
