// Writes to the user's notes document. Every local edit carries LOCAL_ORIGIN, which is what the
// undo manager tracks: edits that arrive from the user's other devices are never undone here.
import * as Y from 'yjs';
import { annotationsMap, annotationSchema, readAnnotations, type Annotation } from '../../shared/notes-doc.ts';
import { newId } from '../../shared/ids.ts';
import { LOCAL_ORIGIN } from './geometry.ts';

export type Tool = 'none' | 'pen' | 'highlighter' | 'note' | 'eraser';

export { newId };

export function addAnnotation(doc: Y.Doc, a: Annotation): void {
  const valid = annotationSchema.parse(a);
  doc.transact(() => annotationsMap(doc).set(valid.id, valid), LOCAL_ORIGIN);
}

export function removeAnnotation(doc: Y.Doc, id: string): void {
  if (!annotationsMap(doc).has(id)) return;
  doc.transact(() => annotationsMap(doc).delete(id), LOCAL_ORIGIN);
}

export function undoManagerFor(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager(annotationsMap(doc), { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
}

/** A paper version's annotations grouped by page, for the virtualised page views. */
export function annotationsByPage(doc: Y.Doc, paperId: string, sha256: string): Map<number, Annotation[]> {
  const byPage = new Map<number, Annotation[]>();
  for (const a of readAnnotations(doc, { paperId, sha256 })) {
    let list = byPage.get(a.page);
    if (!list) byPage.set(a.page, (list = []));
    list.push(a);
  }
  return byPage;
}
