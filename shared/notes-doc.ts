// The notes document `notes/<meetingId>/<userId>`: one user's annotations. Each annotation is
// an immutable JSON value under its id in the `annotations` map; an edit replaces it. That keeps
// every change a single map write, which is what Y.UndoManager undoes and redoes cleanly.
//
// Coordinates are PDF user-space units of the page (origin bottom-left, as pdf.js viewports
// use them), so zoom, rotation and screen size never move an annotation. Each annotation names
// the paper *version* (sha256) it was made on.
import type * as Y from 'yjs';
import { z } from 'zod';

const base = {
  id: z.string().min(1).max(64),
  paperId: z.string().min(1).max(64),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  page: z.number().int().positive(),
  createdAt: z.number(),
};

export const inkSchema = z.object({
  ...base,
  kind: z.literal('ink'),
  tool: z.enum(['pen', 'highlighter']),
  color: z.string().max(32),
  width: z.number().positive().max(100),
  /** Flat [x, y, pressure, x, y, pressure, ...] in page units. */
  points: z.array(z.number()).max(30000),
});

export const highlightSchema = z.object({
  ...base,
  kind: z.literal('highlight'),
  color: z.string().max(32),
  /** Flat [x, y, w, h, ...] rectangles in page units. */
  rects: z.array(z.number()).max(4000),
  text: z.string().max(10000).optional(),
});

export const noteSchema = z.object({
  ...base,
  kind: z.literal('note'),
  x: z.number(),
  y: z.number(),
  text: z.string().max(20000),
  color: z.string().max(32).optional(),
});

export const bookmarkSchema = z.object({
  ...base,
  kind: z.literal('bookmark'),
  label: z.string().max(300).optional(),
});

export const annotationSchema = z.discriminatedUnion('kind', [inkSchema, highlightSchema, noteSchema, bookmarkSchema]);
export type Annotation = z.infer<typeof annotationSchema>;
export type InkAnnotation = z.infer<typeof inkSchema>;

export const annotationsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('annotations');

/** Valid annotations only: a replica may hold anything its user's other devices wrote. */
export function readAnnotations(doc: Y.Doc, filter?: { paperId?: string; sha256?: string; page?: number }): Annotation[] {
  const out: Annotation[] = [];
  annotationsMap(doc).forEach((value) => {
    const parsed = annotationSchema.safeParse(value);
    if (!parsed.success) return;
    const a = parsed.data;
    if (filter?.paperId && a.paperId !== filter.paperId) return;
    if (filter?.sha256 && a.sha256 !== filter.sha256) return;
    if (filter?.page && a.page !== filter.page) return;
    out.push(a);
  });
  return out.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
}

export function putAnnotation(doc: Y.Doc, a: Annotation): void {
  annotationsMap(doc).set(a.id, annotationSchema.parse(a));
}

export function deleteAnnotation(doc: Y.Doc, id: string): void {
  annotationsMap(doc).delete(id);
}
