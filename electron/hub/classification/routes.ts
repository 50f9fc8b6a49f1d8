// The classification routes (shared/routes.ts, "classification"): the room's levels, a paper's
// level, and the export its level allows. Each write is one transaction with its audit row and
// the meeting documents' change (committed, then broadcast); bad input changes nothing.
import crypto from 'node:crypto';
import { HttpError, notFound } from '../../core/http-common.ts';
import { canSeePaper } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { paperInfoFor } from '../routes/papers.ts';
import { stampInWorker } from './stamp-runner.ts';
import { watermarkLines } from '../../../shared/classification.ts';
import { DEVICE_HEADER } from '../../../shared/procedures/attendance.ts';
import { ROUTES } from '../../../shared/routes.ts';
import { ID_PATTERN } from '../../../shared/ids.ts';

/** The device an agent forwarded the request from (hub-proxy.ts sets it); null read directly. */
function deviceOf(header: string | string[] | undefined): string | null {
  return typeof header === 'string' && ID_PATTERN.test(header) ? header : null;
}

/** `Content-Disposition` for a paper's file name, ASCII with the UTF-8 name beside it. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function classificationRoutes(route: Router, hub: HubContext): void {
  const { db, core, store, classification } = hub;

  route(ROUTES.classificationLevels, async () => classification.levels());

  route(ROUTES.putClassificationLevels, async ({ account: a, body }) => {
    core.atomically(() => {
      classification.replaceLevels(body);
      db.audit('classification-levels-set', a.id, null, { levels: body.map((l) => l.id) });
    });
    return classification.levels();
  });

  route(ROUTES.setPaperClassification, async ({ account: a, params: { id }, body }) => {
    const before = classification.levelOfPaper(id).id;
    classification.requireLevel(body.level);
    const paper = db.paper(id)!;
    core.atomically(() => {
      classification.setPaperLevel(id, body.level);
      hub.docs.bumpPapers(paper.meeting_id);
      db.audit('paper-classified', a.id, id, { from: before, to: body.level });
    });
    return paperInfoFor(hub, db.paper(id)!);
  });

  route(ROUTES.exportPaper, async ({ account: a, params: { id }, req, reply }) => {
    const paper = db.paper(id);
    if (!paper || !canSeePaper(db, a, paper)) throw notFound('no such paper');
    const level = classification.levelOfPaper(id);
    if (!level.exportAllowed) {
      throw new HttpError(403, 'export_not_allowed', `this paper is classified "${level.name.en}", whose papers may not be exported`);
    }
    const v = db.paperVersions(id).at(-1);
    if (!v) throw notFound('this paper has no stored file');
    const headers = { 'content-type': 'application/pdf', 'content-disposition': attachment(v.file_name), 'cache-control': 'no-store' };
    // Fastify answers HEAD with the GET handler: the headers, with nothing read, stamped or audited.
    if (req.method === 'HEAD') return reply.status(200).headers(headers).send();
    const bytes = store.readBlobAll(v.sha256);
    if (!bytes) throw notFound('this paper has no stored file');
    // The stored bytes are checked against their name before anything is made of them.
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== v.sha256) {
      throw new HttpError(500, 'damaged_file', 'the stored file of this paper no longer matches its sha256: upload it again');
    }
    const deviceId = deviceOf(req.headers[DEVICE_HEADER]);
    const at = Date.now();
    const out = level.watermark ? await stampInWorker(bytes, watermarkLines({ name: a.name, login: a.login, deviceId, at })) : bytes;
    db.audit('paper-exported', a.id, id, { version: v.version, sha256: v.sha256, level: level.id, watermarked: level.watermark, deviceId });
    return reply.status(200).headers(headers).send(out);
  });
}
