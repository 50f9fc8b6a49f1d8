// The archive's routes (docs/archive.md): a meeting's package as a signed ZIP, reopening a closed
// meeting (an admin, with a reason kept in the audit), and the key the hub signs with. The lock
// on closed meetings itself is a guard over every route (../archive/lock.ts).
import { PassThrough } from 'node:stream';
import { HttpError, notFound } from '../../core/http-common.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { planPackage, type ContentSource } from '../archive/contents.ts';
import { checkPaperFiles, writePackage } from '../archive/export.ts';
import { keyFingerprint } from '../archive/signing.ts';
import { SinkClosedError, ZipWriter } from '../../core/zip-writer.ts';
import { refreshRecordLock } from '../records/record-mirror.ts';
import { meetingSummary } from './meetings.ts';
import { fileSlug } from '../../../shared/archive.ts';
import { meetingDocName } from '../../../shared/doc-names.ts';
import { readAgenda, readDetails } from '../../../shared/meeting-doc.ts';
import { ROUTES } from '../../../shared/routes.ts';

/** What the response buffers ahead of a slow client; the reading waits beyond it. */
const STREAM_BUFFER = 1024 * 1024;

export function archiveRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;
  const source: ContentSource = {
    db, sqlite: hub.sqlite,
    agenda: (meetingId) => hub.core.withDoc(meetingDocName(meetingId), (doc) => ({ details: readDetails(doc), items: readAgenda(doc) })),
    record: (meetingId) => hub.records.record(meetingId),
  };

  route(ROUTES.exportMeeting, async ({ account: a, params: { id }, query, req, reply }) => {
    const meeting = db.meeting(id)!; // the table's rule found it
    const final = query.draft !== '1';
    if (final && meeting.status !== 'closed') {
      throw new HttpError(409, 'meeting_open', 'a meeting is exported as final once it is closed: close it first, or export a draft with ?draft=1');
    }
    const name = `${fileSlug(meeting.title)}-${id}${final ? '' : '-draft'}.zip`;
    const headers = { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' };
    // Fastify answers HEAD with the GET handler: the headers, without reading or writing a package.
    if (req.method === 'HEAD') return reply.headers(headers).send();
    const plan = planPackage(source, id);
    // Every paper is checked before the answer starts: a damaged one is a clear error, not a
    // truncated download.
    const crcs = await checkPaperFiles(hub.store, plan.files.flatMap((f) => (f.kind === 'paper' ? [f] : [])));
    const out = new PassThrough({ highWaterMark: STREAM_BUFFER });
    const zip = new ZipWriter(out);
    const me = db.account(a.id);
    writePackage(zip, plan, {
      store: hub.store, signer: hub.keys, roomId: db.getMeta('room-id'), exportedBy: { id: a.id, name: me?.name ?? a.name }, final, crcs,
    }).then((done) => {
      db.audit('meeting-exported', a.id, id, { final, files: done.manifest.files.length, bytes: done.bytes, manifestSha256: done.manifestSha256 });
    }, (err: unknown) => {
      if (!(err instanceof SinkClosedError)) hub.log('meeting export failed', { meetingId: id, error: String(err) });
      out.destroy(err instanceof Error ? err : new Error(String(err)));
    });
    return reply.headers(headers).send(out);
  });

  route(ROUTES.reopenMeeting, async ({ account: a, params: { id }, body }) => {
    const meeting = db.meeting(id);
    if (!meeting) throw notFound('no such meeting');
    if (meeting.status !== 'closed') throw new HttpError(409, 'not_closed', 'this meeting is not closed: there is nothing to reopen');
    hub.core.atomically(() => {
      db.updateMeeting(id, { status: 'published' });
      hub.docs.writeDetails(id);
      db.audit('meeting-reopened', a.id, id, { reason: body.reason });
    });
    // Managers' open sockets were made read-only at the close: they reconnect as writers.
    await hub.connections.recheck((_t, doc) => doc?.meetingId === id);
    refreshRecordLock(hub, id);
    return meetingSummary(hub, a, db.meeting(id)!);
  });

  route(ROUTES.hubKey, async () => ({ algorithm: 'Ed25519' as const, publicKey: hub.keys.publicKey, fingerprint: keyFingerprint(hub.keys.publicKey) }));
}
