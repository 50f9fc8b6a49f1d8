// The upload service: validates, stores and records a paper or a new version of one, for the
// upload route and the demo seed alike. No HTTP here beyond the errors it answers with.
import crypto from 'node:crypto';
import { BlobCache, CorruptBlobError } from '../core/blob-cache.ts';
import { badRequest, HttpError, notFound, parseOr400 } from '../core/http-common.ts';
import { inspectPdf, PdfRejectedError } from '../core/pdf-inspect.ts';
import type { Log } from '../core/log.ts';
import type { DocStore } from '../core/store.ts';
import type { SyncCore } from '../core/sync-core.ts';
import type { Account } from './access.ts';
import type { DocWriter } from './doc-writer.ts';
import type { HubDb } from './hub-db.ts';
import type { PageFingerprints } from './page-fingerprints.ts';
import type { ClassificationService } from './classification/service.ts';
import { idSchema, type UploadResponse } from '../../shared/api.ts';

export interface PaperUpload {
  title?: string;
  fileName?: string;
  /** The paper this upload becomes the next version of. */
  replace?: string;
  /** Only these accounts (and the meeting's managers) see it. */
  restrictTo?: string[] | null;
  /** Its classification level (a new paper without one is `normal`; a new version keeps the paper's). */
  level?: string;
  /**
   * The upload waits, seen by the meeting's managers only, until it is released
   * (paper-staging.ts): a new paper, or a new version of a released paper, which is kept as a
   * staged row of its own (`replaces` names the paper) while readers keep the current version.
   */
  stage?: boolean;
  /**
   * Runs inside the upload's transaction once the paper's rows are written: the caller's own rows
   * (the issued minutes, electron/hub/minutes/service.ts) commit with the paper, or, if it throws,
   * neither does.
   */
  commitWith?: (paper: { id: string; version: number }) => void;
}

export type AddPaper = (actor: Account, meetingId: string, pdf: Buffer, q: PaperUpload) => Promise<UploadResponse>;

export interface UploadDeps {
  db: HubDb;
  store: DocStore;
  core: SyncCore;
  blobCache: BlobCache;
  fingerprints: PageFingerprints;
  docs: DocWriter;
  classification: ClassificationService;
  log: Log;
}

export function createUploadService(deps: UploadDeps): AddPaper {
  const { db, store, core, blobCache, fingerprints, docs, classification, log } = deps;
  return async function addPaper(a, id, body, q) {
    const existing = q.replace ? db.paper(q.replace) : null;
    if (q.replace && (!existing || existing.meeting_id !== id)) throw notFound('no such paper to replace in this meeting');
    // A staged new version of a released paper leaves that paper as it is until it is released.
    const stagedVersionOf = q.stage && existing && !existing.staged ? existing : null;
    const target = stagedVersionOf ? null : existing;
    const restrictTo = q.restrictTo ?? null;
    if (restrictTo) for (const u of restrictTo) if (!db.account(parseOr400(idSchema, u, 'restrictTo'))) throw badRequest(`restrictTo: no account ${u}`);
    if (q.level !== undefined) classification.requireLevel(q.level);
    let pages: number;
    try {
      pages = (await inspectPdf(body)).pages;
    } catch (err) {
      if (err instanceof PdfRejectedError) throw new HttpError(422, 'not_a_pdf', `rejected: ${err.message}`);
      throw err;
    }
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    const title = q.title ?? existing?.title ?? q.fileName?.replace(/\.pdf$/i, '') ?? 'Untitled paper';
    const fileName = q.fileName ?? `${title}.pdf`;
    // A new version records which of the previous version's pages it keeps unchanged, so each
    // delegate's client can carry their annotations across; a first upload is fingerprinted in
    // the background once stored, ready for the day it is replaced.
    const previous = target ? db.paperVersions(target.id).at(-1) : undefined;
    let carriedFrom = null;
    if (previous && previous.sha256 !== sha256) {
      carriedFrom = await fingerprints.carried(previous.sha256, () => store.readBlobAll(previous.sha256), sha256, () => body);
    }
    // The same bytes uploaded again replace a stored copy that no longer matches its sha256.
    const stored = store.blobInfo(sha256);
    const repair = stored?.complete === true && await blobCache.verifiedChunks(store, sha256, stored.size)
      .then(() => false, (err: unknown) => { if (err instanceof CorruptBlobError) return true; throw err; });
    // One outcome: the blob, the paper's rows and the meeting document's change are committed in
    // one transaction (and only then broadcast), or none of them is (a document that cannot be
    // written used to leave a stored paper behind a 500).
    const result = core.atomically(() => {
      if (repair || !store.blobInfo(sha256)?.complete) store.putBlob(sha256, body);
      const created = target ?? db.createPaper({
        meetingId: id, title, restrictTo: stagedVersionOf ? null : restrictTo, staged: q.stage === true, replaces: stagedVersionOf?.id,
      });
      if (target && q.title) db.setPaperTitle(target.id, q.title);
      const v = db.addPaperVersion({ paper_id: created.id, sha256, pages, size: body.length, file_name: fileName });
      if (carriedFrom) fingerprints.saveCarry(created.id, v.version, carriedFrom);
      const paper = db.paper(created.id)!;
      if (!paper.restricted && !paper.staged) docs.putPaperVersion(id, paper.id, paper.title, v, carriedFrom);
      if (q.level !== undefined) classification.setPaperLevel(paper.id, q.level);
      else if (!target) classification.mirror(paper.id);
      docs.bumpPapers(id);
      q.commitWith?.({ id: paper.id, version: v.version });
      return { paper, v };
    });
    if (repair) {
      blobCache.drop(sha256);
      log('damaged paper file stored again', { sha256 });
    }
    if (!previous) void fingerprints.ensure(sha256, () => body);
    db.audit('paper-uploaded', a.id, result.paper.id, { meetingId: id, sha256, pages, version: result.v.version, size: body.length, ...(result.paper.staged ? { staged: true } : {}), ...(stagedVersionOf ? { replaces: stagedVersionOf.id } : {}) });
    return { id: result.paper.id, sha256, pages, version: result.v.version };
  };
}
