// A paper exported with the caller's own annotations (issue 16, "My notes"): the route's query,
// its bounds, the file name, and the codes it refuses with. The hub writes the annotations as
// real PDF annotations (electron/hub/notes-export/); the renderer's "My notes" panel downloads it.
import { z } from 'zod';
import { LIMITS, sha256Schema } from './api.ts';

/** `GET /api/papers/:id/export-with-notes?v=<sha256>`: the version whose annotations go in (default: the latest). */
export const notesExportQuerySchema = z.object({ v: sha256Schema.describe('paper version (sha256)').optional() }).strict();
export type NotesExportQuery = z.infer<typeof notesExportQuerySchema>;

export const NOTES_EXPORT_LIMITS = {
  /** More annotations than anyone draws on one paper; each becomes a PDF object. */
  maxAnnotations: 20_000,
  /** Ink coordinates in all (x, y, pressure: three numbers a point): bounds the worker's memory. */
  maxInkNumbers: 3_000_000,
  /** The paper itself (the upload limit: a larger one cannot be stored, but an old hub's might be). */
  maxPaperBytes: LIMITS.maxPaperBytes,
} as const;

/** The codes the route refuses with beyond the paper export's own (`export_not_allowed`, `not_found`). */
export const NOTES_EXPORT_ERRORS = {
  tooMany: 'too_many_annotations',
  tooLarge: 'too_large',
  noVersion: 'no_such_version',
} as const;

/** The download's name: `<title> (my notes).pdf`, with what file systems refuse replaced. */
export function notesExportFileName(title: string): string {
  // Control characters too (below U+0020), by code: a regex literal may not name them.
  const safe = [...title].map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('').trim().slice(0, 200) || 'paper';
  return `${safe} (my notes).pdf`;
}
