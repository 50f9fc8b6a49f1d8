// Papers: the meeting's list, uploads (a PDF, or a .docx/.odt converted first), renaming,
// restricting and removing, and staged papers' list, release and discard (../paper-staging.ts).
// The upload itself is the upload service (../uploads.ts).
import { badRequest, HttpError } from '../../core/http-common.ts';
import { mediaType } from '../../core/http-guards.ts';
import { canManage, canSeePaper } from '../access.ts';
import type { HubContext } from '../context.ts';
import { discardPaper, releasePaper } from '../paper-staging.ts';
import { convertToPdf, officeKind } from '../convert.ts';
import type { PaperRow } from '../hub-db.ts';
import type { Router } from '../route.ts';
import type { PaperInfo } from '../../../shared/api.ts';
import { ROUTES } from '../../../shared/routes.ts';

/** A paper as every answer gives it: its versions, and its classification level with the level's rules. */
export function paperInfoFor(hub: Pick<HubContext, 'db' | 'fingerprints' | 'classification'>, p: PaperRow): PaperInfo {
  const level = hub.classification.levelOfPaper(p.id);
  return {
    id: p.id, meetingId: p.meeting_id, title: p.title, restricted: p.restricted === 1, ...(p.staged ? { staged: true } : {}), ...(p.replaces ? { replaces: p.replaces } : {}),
    versions: hub.db.paperVersions(p.id).map((v) => ({
      version: v.version, sha256: v.sha256, pages: v.pages, size: v.size, fileName: v.file_name, createdAt: v.created_at, carriedFrom: hub.fingerprints.carryOf(p.id, v.version),
    })),
    level: level.id, classification: level,
  };
}

export function paperRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;
  const paperInfo = (p: PaperRow): PaperInfo => paperInfoFor(hub, p);

  // Managers also learn who a restricted paper is limited to (the console shows and edits it).
  const listed = (p: PaperRow, manager: boolean) => (!p.restricted && !p.staged ? paperInfo(p) : {
    ...paperInfo(p), agendaItemIds: db.restrictedPaperItems(p.id), ...(manager && p.restricted ? { restrictTo: db.paperAllowedUsers(p.id) } : {}),
  });

  // The meeting's papers: a staged one is not one yet, for its managers neither (they list it
  // below), so readers' lists, agents' caches and prefetching never hold it.
  route(ROUTES.papers, async ({ account: a, params: { id } }) => {
    const manager = canManage(db, a, id);
    return db.papersOf(id).filter((p) => !p.staged && canSeePaper(db, a, p)).map((p) => listed(p, manager));
  });

  route(ROUTES.stagedPapers, async ({ params: { id } }) => db.papersOf(id).filter((p) => p.staged).map((p) => listed(p, true)));

  route(ROUTES.releasePaper, async ({ account: a, params: { id }, body }) => paperInfo(await releasePaper(hub, a, db.paper(id)!, body)));

  // The one route that reads a large body, and only from a caller who may upload here (the
  // table's rule runs before the body is read).
  route(ROUTES.upload, async ({ account: a, params: { id }, query: q, body, req }) => {
    const ctype = mediaType(req.headers['content-type']);
    const office = officeKind(ctype, q.fileName);
    if (ctype !== 'application/pdf' && ctype !== 'application/octet-stream' && !office) {
      throw new HttpError(415, 'unsupported_media_type', 'send the paper as the request body with Content-Type: application/pdf');
    }
    if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('the request body is empty: send the PDF bytes');
    const restrictTo = q.restrictTo ? q.restrictTo.split(',').map((x) => x.trim()).filter(Boolean) : null;
    // A .docx/.odt becomes a PDF first (or a 415 naming what to install) and then takes the PDF path.
    const pdf = office ? await convertToPdf(body, office) : body;
    const fileName = office && q.fileName ? q.fileName.replace(/\.(docx|odt)$/i, '.pdf') : q.fileName;
    return hub.addPaper(a, id, pdf, { title: q.title, fileName, replace: q.replace, restrictTo, level: q.level, stage: q.stage === '1' });
  });

  route(ROUTES.updatePaper, async ({ account: a, params: { id }, body }) => {
    if (body.agendaItems) {
      const paper = db.paper(id)!;
      if (body.restrictTo !== undefined) throw badRequest('agendaItems: send it on its own, not with restrictTo');
      if (!paper.restricted && !paper.staged) {
        throw new HttpError(409, 'in_document', 'this paper is open to the meeting: its agenda items are in the meeting document');
      }
      db.relinkRestrictedPaperItems(id, body.agendaItems.add ?? [], body.agendaItems.remove ?? []);
    }
    if (body.title) db.setPaperTitle(id, body.title);
    if (body.restrictTo !== undefined) db.setPaperRestriction(id, body.restrictTo);
    const updated = db.paper(id)!;
    hub.docs.mirrorPaper(id);
    // A paper no longer restricted joins the meeting document: with its level.
    hub.classification.mirror(id);
    hub.docs.bumpPapers(updated.meeting_id);
    db.audit('paper-updated', a.id, id, { fields: Object.keys(body) });
    return paperInfo(updated);
  });

  route(ROUTES.removePaper, async ({ account: a, params: { id } }) => {
    const paper = db.paper(id)!;
    // Discarding a staged paper deletes it; a released one stays on record, marked removed.
    if (paper.staged) return discardPaper(hub, a, paper);
    db.removePaper(id);
    hub.docs.removePaper(paper.meeting_id, id);
    hub.docs.bumpPapers(paper.meeting_id);
    db.audit('paper-removed', a.id, id);
  });
}
