// Live state: what the presenter shows, and who may present.
import { badRequest, forbidden, notFound } from '../../core/http-common.ts';
import { callerFor, canSeePaper } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { canPresent } from '../../../shared/roles.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function liveRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;

  route(ROUTES.present, async ({ account: a, params: { id }, body }) => {
    // Checked against the live state in the same step as the write: a presenter handed over
    // meanwhile cannot slip a page in.
    const presenting = hub.docs.present(id, (live) => {
      if (!canPresent(callerFor(db, a, id), live.presenterId)) throw forbidden('you may not present in this meeting');
      const paper = db.paper(body.paperId);
      if (!paper || paper.meeting_id !== id || !canSeePaper(db, a, paper)) throw notFound('no such paper');
      if (paper.restricted) throw badRequest('a restricted paper cannot be presented to the whole room');
      if (paper.staged) throw badRequest('a staged paper is not released yet: release it before presenting it');
      const versions = db.paperVersions(paper.id);
      const version = body.sha256 ? versions.find((v) => v.sha256 === body.sha256) : versions[versions.length - 1];
      if (!version) throw notFound('no such paper version');
      if (body.page > version.pages) throw badRequest(`page ${body.page} is past the end (${version.pages} pages)`);
      return { userId: a.id, paperId: paper.id, sha256: version.sha256, page: body.page, at: Date.now() };
    });
    return presenting!;
  });

  route(ROUTES.stopPresenting, async ({ account: a, params: { id } }) => {
    hub.docs.present(id, (live) => {
      if (!canPresent(callerFor(db, a, id), live.presenterId)) throw forbidden('you may not present in this meeting');
      return null;
    });
  });

  route(ROUTES.handPresenter, async ({ params: { id }, body }) => {
    if (body.userId && !db.participantRole(id, body.userId)) throw badRequest('the presenter must take part in the meeting');
    hub.docs.setPresenter(id, body.userId);
    return { presenterId: body.userId };
  });
}
