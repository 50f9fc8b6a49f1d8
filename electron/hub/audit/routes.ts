// The audit trail's routes (docs/audit.md): an inspector's export (admin) and the viewer's
// reading records. Reading is recorded only for papers whose classification level asks for it;
// the level is read through `recordsReading`, which the hub is given (by default nothing is
// recorded), so this module does not depend on how levels are stored.
import { Readable } from 'node:stream';
import { badRequest, notFound } from '../../core/http-common.ts';
import { canSeePaper, takesPart } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { auditExportLines } from './export.ts';
import { AUDIT_EXPORT_TYPE } from '../../../shared/audit.ts';
import { ROUTES } from '../../../shared/routes.ts';

/** Whether reading the paper is recorded (its level's `recordReading`, shared/classification.ts). */
export type ReadingPolicy = (paperId: string) => boolean;
export const NO_READING_RECORDS: ReadingPolicy = () => false;

export function auditRoutes(route: Router, hub: HubContext, recordsReading: ReadingPolicy = NO_READING_RECORDS): void {
  const { db, sqlite } = hub;
  const lastCheckpoint = sqlite.prepare<[], { id: number; last_id: number }>('SELECT id, last_id FROM audit_checkpoints ORDER BY id DESC LIMIT 1');

  route(ROUTES.auditExport, async ({ account: a, reply }) => {
    db.audit('audit-exported', a.id, null);
    // Sealed first, so everything the inspector receives is under a signed checkpoint; entries
    // written while the export streams are the next export's.
    db.trail.checkpoint('export');
    const cut = lastCheckpoint.get();
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
    reply.headers({ 'content-type': AUDIT_EXPORT_TYPE, 'content-disposition': `attachment; filename="audit-${stamp}.jsonl"`, 'cache-control': 'no-store' });
    return reply.send(Readable.from(auditExportLines(sqlite, hub.keys.publicKey, { lastEntryId: cut?.last_id, lastCheckpointId: cut?.id })));
  });

  route(ROUTES.paperReading, async ({ account: a, params: { id }, body }) => {
    const paper = db.paper(id);
    // Outsiders and those a restricted paper is not shared with learn nothing of it.
    if (!paper || !takesPart(db, a, paper.meeting_id) || !canSeePaper(db, a, paper)) throw notFound('no such paper');
    if (!recordsReading(paper.id)) return { recorded: false };
    const pagesNow = db.paperVersions(paper.id).at(-1)?.pages ?? 0;
    const pages = [...new Set(body.pages)].sort((x, y) => x - y);
    if (pages.at(-1)! > pagesNow) throw badRequest(`invalid reading report: the paper has ${pagesNow} page(s), page ${pages.at(-1)} was named`);
    db.audit('paper-read', a.id, paper.id, { meetingId: paper.meeting_id, pages, openedAt: body.openedAt });
    return { recorded: true };
  });
}
