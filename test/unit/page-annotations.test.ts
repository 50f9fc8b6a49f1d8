// Per-page annotation subscriptions over a real notes document: a stroke on one page gives that
// page a new list and tells that page alone; every other page keeps the very same list (so its
// React component does not re-render). Edits from another device arrive the same way.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Annotation } from '../../shared/notes-doc.ts';
import { addAnnotation, removeAnnotation, undoManagerFor } from '../../renderer/annotations/annotation-model.ts';
import { PageAnnotations } from '../../renderer/annotations/page-annotations.ts';

const SHA = 'b'.repeat(64);
const OLD = 'c'.repeat(64);
let n = 0;
const ink = (page: number, more: Partial<Annotation> = {}): Annotation => ({
  id: `ink-${++n}`, kind: 'ink', tool: 'pen', paperId: 'p1', sha256: SHA, page, createdAt: n, color: '#111111', width: 2, points: [1, 2, 0.5, 3, 4, 0.5], ...more,
} as Annotation);

/** Counts notifications per page. */
function watch(index: PageAnnotations, pages: number[]) {
  const calls = new Map(pages.map((p) => [p, 0]));
  for (const p of pages) index.subscribe(p, () => calls.set(p, calls.get(p)! + 1));
  return calls;
}

describe('PageAnnotations', () => {
  it('a stroke on page 3 notifies page 3 only, and only page 3\'s list changes identity', () => {
    const doc = new Y.Doc();
    addAnnotation(doc, ink(1));
    addAnnotation(doc, ink(3));
    const index = new PageAnnotations(doc, 'p1', SHA);
    const stop = index.start();
    const calls = watch(index, [1, 2, 3, 4]);
    const before = { 1: index.get(1), 2: index.get(2), 3: index.get(3) };
    expect(before[1]).toHaveLength(1);
    expect(before[2]).toHaveLength(0);

    const stroke = ink(3);
    addAnnotation(doc, stroke);
    expect(Object.fromEntries(calls)).toEqual({ 1: 0, 2: 0, 3: 1, 4: 0 });
    expect(index.get(1)).toBe(before[1]);
    expect(index.get(2)).toBe(before[2]);
    expect(index.get(3)).not.toBe(before[3]);
    expect(index.get(3).map((a) => a.id)).toEqual([before[3][0]!.id, stroke.id]);
    // Reading again without a change hands out the same list.
    expect(index.get(3)).toBe(index.get(3));

    // Undo takes it back: page 3 again, alone.
    const undo = undoManagerFor(doc);
    const second = ink(3);
    addAnnotation(doc, second);
    undo.undo();
    expect(calls.get(3)).toBe(3);
    expect(index.get(3).map((a) => a.id)).toEqual([before[3][0]!.id, stroke.id]);
    expect(calls.get(1)).toBe(0);
    stop();
  });

  it('follows edits from another device, deletions, a note moved to another page, and ignores other papers and versions', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    const index = new PageAnnotations(doc, 'p1', SHA);
    const stop = index.start();
    const calls = watch(index, [1, 2, 5]);
    // Another device's stroke arrives as a Yjs update.
    const remote = ink(5);
    addAnnotation(other, remote);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    expect(index.get(5).map((a) => a.id)).toEqual([remote.id]);
    expect(Object.fromEntries(calls)).toEqual({ 1: 0, 2: 0, 5: 1 });

    // Not this paper version: nobody is told, nothing is listed.
    addAnnotation(doc, ink(1, { sha256: OLD }));
    addAnnotation(doc, ink(1, { paperId: 'p2' }));
    expect(index.get(1)).toHaveLength(0);
    expect(calls.get(1)).toBe(0);

    // A note edited onto another page leaves the first and joins the second.
    const note = { id: 'note-1', kind: 'note', paperId: 'p1', sha256: SHA, page: 1, createdAt: 1, x: 1, y: 1, text: 'a' } as Annotation;
    addAnnotation(doc, note);
    addAnnotation(doc, { ...note, page: 2 });
    expect(index.get(1)).toHaveLength(0);
    expect(index.get(2).map((a) => a.id)).toEqual(['note-1']);
    expect(Object.fromEntries(calls)).toEqual({ 1: 2, 2: 1, 5: 1 });

    removeAnnotation(doc, 'note-1');
    expect(index.get(2)).toHaveLength(0);
    expect(calls.get(2)).toBe(2);
    stop();

    // Stopped: changes are no longer followed.
    addAnnotation(doc, ink(5));
    expect(calls.get(5)).toBe(1);
  });

  it('start() picks up what changed before it, and tells the pages concerned', () => {
    const doc = new Y.Doc();
    const index = new PageAnnotations(doc, 'p1', SHA);
    const calls = watch(index, [4, 6]);
    addAnnotation(doc, ink(4));
    expect(index.get(4)).toHaveLength(0);
    const stop = index.start();
    expect(index.get(4)).toHaveLength(1);
    expect(Object.fromEntries(calls)).toEqual({ 4: 1, 6: 0 });
    stop();
  });

  it('a value written again unchanged (another device re-sending it) is no change', () => {
    const doc = new Y.Doc();
    const a = ink(7);
    addAnnotation(doc, a);
    const index = new PageAnnotations(doc, 'p1', SHA);
    const stop = index.start();
    const calls = watch(index, [7]);
    const list = index.get(7);
    addAnnotation(doc, { ...a });
    expect(index.get(7)).toBe(list);
    expect(calls.get(7)).toBe(0);
    stop();
  });
});
