// The annotation model over the user's notes document: the only writes the viewer makes to it,
// each carrying LOCAL_ORIGIN, which is what the undo manager tracks — edits that arrive from the
// user's other devices are never undone here. Validated on the way in (shared/notes-doc.ts).
import * as Y from 'yjs';
import { annotationsMap, annotationSchema, type Annotation } from '../../shared/notes-doc.ts';

/** The origin of this device's own annotation edits (what Undo may take back). */
export const LOCAL_ORIGIN = 'chamber-local-edit';

export function addAnnotation(doc: Y.Doc, a: Annotation): void {
  const valid = annotationSchema.parse(a);
  doc.transact(() => annotationsMap(doc).set(valid.id, valid), LOCAL_ORIGIN);
}

export function removeAnnotation(doc: Y.Doc, id: string): void {
  if (!annotationsMap(doc).has(id)) return;
  doc.transact(() => annotationsMap(doc).delete(id), LOCAL_ORIGIN);
}

/** Undo and Redo for this device's own annotation edits; one edit per step. */
export function undoManagerFor(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager(annotationsMap(doc), { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
}
