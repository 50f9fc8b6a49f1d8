// Recalls (issue 17): the meeting's managers pull a paper back from every device. The paper is
// removed for everyone as by `DELETE /api/papers/:id`, and the recall is written into the
// meeting's live document in the same step, so every online device (whose agent replicates
// live/<meetingId>) deletes it at once; offline devices find it in their pending list at their
// next round. The paper's files stay in the hub's blob store (the archive keeps the meeting
// whole); docs/recall-and-expiry.md says so.
import { forbidden, notFound } from '../../core/http-common.ts';
import { canManage, canSeePaper, takesPart, type Account } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';
import type { RecallStatus } from '../../../shared/recall.ts';
import { RecallStore } from './recall-store.ts';

/**
 * Recalls papers (each still listed, not removed) in one transaction with their removal, the
 * audit rows, the live document's entries and the meeting document's change.
 */
export function recallPapers(hub: HubContext, a: Account, paperIds: readonly string[], reason: string): RecallStatus[] {
  const { db } = hub;
  const store = new RecallStore(hub.sqlite);
  const papers = paperIds.map((id) => db.paper(id)).filter((p) => p !== null);
  if (papers.length === 0) return [];
  const devices = store.knownDevices();
  const issued = hub.core.atomically(() => {
    const out = papers.map((paper) => {
      // Every device the hub has seen for a user who could read the paper may hold it.
      const holders = devices.filter((d) => {
        const acc = db.account(d.userId);
        return acc !== null && canSeePaper(db, acc, paper);
      });
      const sha256s = [...new Set(db.paperVersions(paper.id).map((v) => v.sha256))];
      const r = store.issue({ paperId: paper.id, meetingId: paper.meeting_id, title: paper.title, sha256s, reason, issuedBy: a.id, holders });
      db.removePaper(paper.id);
      db.audit('paper-recalled', a.id, paper.id, { recall: r.id, reason, devices: holders.length });
      hub.live.write(paper.meeting_id, [{ map: 'recalls', key: r.id, value: { id: r.id, paperId: paper.id, at: r.at } }]);
      hub.docs.removePaper(paper.meeting_id, paper.id);
      return { paper, id: r.id };
    });
    for (const meetingId of new Set(out.map((i) => i.paper.meeting_id))) hub.docs.bumpPapers(meetingId);
    return out;
  });
  return issued.flatMap((i) => store.status({ paperId: i.paper.id }).filter((s) => s.id === i.id));
}

export function recallRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;
  const store = new RecallStore(hub.sqlite);

  route(ROUTES.recallPaper, async ({ account: a, params: { id }, body }) => recallPapers(hub, a, [id], body.reason)[0]!);

  route(ROUTES.paperRecalls, async ({ account: a, params: { id } }) => {
    const list = store.status({ paperId: id });
    const meetingId = list[0]?.meetingId ?? db.paper(id)?.meeting_id;
    // Outsiders learn nothing (404), participants who do not manage the meeting get 403.
    if (!meetingId || !takesPart(db, a, meetingId)) throw notFound('no such paper');
    if (!canManage(db, a, meetingId)) throw forbidden('only the meeting\'s secretary, chair or an admin may see its recalls');
    return list;
  });

  route(ROUTES.meetingRecalls, async ({ params: { id } }) => store.status({ meetingId: id }));

  route(ROUTES.deviceRecalls, async ({ account: a, query }) => store.pendingFor(query.deviceId, a.id));

  route(ROUTES.ackRecall, async ({ account: a, params: { id }, body }) => {
    const meetingId = store.meetingOf(id);
    if (!meetingId || !takesPart(db, a, meetingId)) throw notFound('no such recall');
    if (store.confirm(id, body.deviceId, a.id)) db.audit('paper-recall-confirmed', a.id, id, { deviceId: body.deviceId });
  });
}
