// A paper exported with the caller's own annotations (issue 16, "My notes"; shared/notes-export.ts):
// the same checks as the plain export (classification/routes.ts) — outsiders 404, a level that
// forbids export 403, a level that watermarks stamps this one too — then the caller's notes doc,
// and only theirs (the account the session names; no parameter can name another user), read for
// the one version asked, written into the file in a worker (runner.ts).
import crypto from 'node:crypto';
import * as Y from 'yjs';
import { HttpError, notFound } from '../../core/http-common.ts';
import { canSeePaper } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { writeNotesPdfInWorker } from './runner.ts';
import { watermarkLines } from '../../../shared/classification.ts';
import { notesDocName } from '../../../shared/doc-names.ts';
import { ID_PATTERN } from '../../../shared/ids.ts';
import { readAnnotations, type Annotation } from '../../../shared/notes-doc.ts';
import { NOTES_EXPORT_ERRORS, NOTES_EXPORT_LIMITS, notesExportFileName } from '../../../shared/notes-export.ts';
import { DEVICE_HEADER } from '../../../shared/procedures/attendance.ts';
import { ROUTES } from '../../../shared/routes.ts';

/** `Content-Disposition` with an ASCII name and the UTF-8 one beside it (RFC 6266 / RFC 5987). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  // encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow.
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The caller's annotations on one version, read from the stored state without loading the doc for sync. */
function ownAnnotations(hub: HubContext, meetingId: string, userId: string, paperId: string, sha256: string): Annotation[] {
  const state = hub.core.encodeState(notesDocName(meetingId, userId));
  if (!state) return [];
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return readAnnotations(doc, { paperId, sha256 }).filter((a) => a.kind !== 'bookmark');
  } finally {
    doc.destroy();
  }
}

function checkBounds(list: readonly Annotation[]): void {
  if (list.length > NOTES_EXPORT_LIMITS.maxAnnotations) {
    throw new HttpError(413, NOTES_EXPORT_ERRORS.tooMany, `this paper holds ${list.length} of your annotations; an export takes at most ${NOTES_EXPORT_LIMITS.maxAnnotations}`);
  }
  const numbers = list.reduce((sum, a) => sum + (a.kind === 'ink' ? a.points.length : a.kind === 'highlight' ? a.rects.length : 0), 0);
  if (numbers > NOTES_EXPORT_LIMITS.maxInkNumbers) {
    throw new HttpError(413, NOTES_EXPORT_ERRORS.tooMany, `your strokes on this paper hold ${numbers} coordinates; an export takes at most ${NOTES_EXPORT_LIMITS.maxInkNumbers}`);
  }
}

export function notesExportRoutes(route: Router, hub: HubContext): void {
  const { db, store, classification } = hub;

  route(ROUTES.exportPaperWithNotes, async ({ account: a, params: { id }, query, req, reply }) => {
    const paper = db.paper(id);
    if (!paper || !canSeePaper(db, a, paper)) throw notFound('no such paper');
    const level = classification.levelOfPaper(id);
    if (!level.exportAllowed) {
      throw new HttpError(403, 'export_not_allowed', `this paper is classified "${level.name.en}", whose papers may not be exported`);
    }
    const versions = db.paperVersions(id);
    const v = query.v ? versions.find((x) => x.sha256 === query.v) : versions.at(-1);
    if (!v) throw new HttpError(404, query.v ? NOTES_EXPORT_ERRORS.noVersion : 'not_found', query.v ? 'this paper has no such version' : 'this paper has no stored file');
    if (v.size > NOTES_EXPORT_LIMITS.maxPaperBytes) {
      throw new HttpError(413, NOTES_EXPORT_ERRORS.tooLarge, `this paper is ${v.size} bytes; an export with notes takes papers up to ${NOTES_EXPORT_LIMITS.maxPaperBytes}`);
    }
    const annotations = ownAnnotations(hub, paper.meeting_id, a.id, id, v.sha256);
    checkBounds(annotations);
    const headers = { 'content-type': 'application/pdf', 'content-disposition': attachment(notesExportFileName(paper.title)), 'cache-control': 'no-store' };
    // Fastify answers HEAD with the GET handler: the headers, with nothing read, written or audited.
    if (req.method === 'HEAD') return reply.status(200).headers(headers).send();
    const bytes = store.readBlobAll(v.sha256);
    if (!bytes) throw notFound('this paper has no stored file');
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== v.sha256) {
      throw new HttpError(500, 'damaged_file', 'the stored file of this paper no longer matches its sha256: upload it again');
    }
    const header = req.headers[DEVICE_HEADER];
    const deviceId = typeof header === 'string' && ID_PATTERN.test(header) ? header : null;
    const at = Date.now();
    const watermark = level.watermark ? watermarkLines({ name: a.name, login: a.login, deviceId, at }) : null;
    let out: Buffer;
    try {
      out = await writeNotesPdfInWorker({ bytes, annotations, author: a.name, watermark, at });
    } catch (err) {
      hub.log('export with notes failed', { paperId: id, error: err instanceof Error ? err.message : String(err) });
      throw new HttpError(500, 'export_failed', 'the paper could not be written with your notes');
    }
    db.audit('paper-exported-with-notes', a.id, id, {
      version: v.version, sha256: v.sha256, level: level.id, watermarked: level.watermark, annotations: annotations.length, deviceId,
    });
    return reply.status(200).headers(headers).send(out);
  });
}
