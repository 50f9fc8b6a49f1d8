// Papers staged before release (issue 16): an upload with `stage=1` is a paper row like any other,
// marked staged, which every access check already honours (access.ts canSeePaper: managers only)
// and which the meeting document, the papers list, search, the minutes and the package leave out.
// Releasing it is the moment it becomes a paper of the meeting, exactly as an unstaged upload is;
// discarding it deletes it as if it had never been uploaded. A staged new version of a released
// paper is such a row too, naming the paper it `replaces`: readers keep the current version until
// its release hands the file to the upload service as that paper's next version.
import { badRequest, HttpError } from '../core/http-common.ts';
import type { Account } from './access.ts';
import type { HubContext } from './context.ts';
import type { PaperRow } from './hub-db.ts';
import { meetingDocName } from '../../shared/doc-names.ts';
import { readAgenda } from '../../shared/meeting-doc.ts';
import type { ReleasePaperRequest } from '../../shared/api.ts';

type StagingHub = Pick<HubContext, 'db' | 'core' | 'docs' | 'classification' | 'store' | 'blobCache' | 'log' | 'addPaper'>;

const notStaged = (): HttpError => new HttpError(409, 'not_staged', 'this paper is already released: it is in the meeting');

/**
 * Applies what the secretary settled (title, agenda item, restriction, level) and releases the
 * paper, all in one transaction with its audit row: the paper joins the meeting document with its
 * versions, agenda item and level as an unstaged upload would, and live.papersRev is bumped so
 * every reader's list follows at once. A second release answers 409 and changes nothing.
 */
export async function releasePaper(hub: StagingHub, actor: Account, paper: PaperRow, body: ReleasePaperRequest): Promise<PaperRow> {
  const { db, core, docs, classification } = hub;
  if (!paper.staged) throw notStaged();
  if (paper.replaces) return releaseVersion(hub, actor, paper, body);
  const meetingId = paper.meeting_id;
  if (body.agendaItemId) {
    const items = core.withDoc(meetingDocName(meetingId), (doc) => readAgenda(doc).map((i) => i.id));
    if (!items.includes(body.agendaItemId)) throw badRequest(`agendaItemId: no agenda item ${body.agendaItemId} in this meeting`);
  }
  for (const u of body.restrictTo ?? []) if (!db.account(u)) throw badRequest(`restrictTo: no account ${u}`);
  if (body.level !== undefined) classification.requireLevel(body.level);
  return core.atomically(() => {
    // Checked again inside the transaction: two managers releasing at once release it once.
    if (!db.paper(paper.id)?.staged) throw notStaged();
    if (body.title) db.setPaperTitle(paper.id, body.title);
    if (body.restrictTo !== undefined) db.setPaperRestriction(paper.id, body.restrictTo);
    // The agenda link waits where a restricted paper's does; mirrorPaper moves it onto the item
    // in the document for a paper everyone reads, and leaves it there for a restricted one.
    if (body.agendaItemId !== undefined) db.dropRestrictedPaperItems(paper.id);
    if (body.agendaItemId) db.keepRestrictedPaperItems(paper.id, [body.agendaItemId]);
    db.releasePaper(paper.id);
    docs.mirrorPaper(paper.id);
    if (body.level !== undefined) classification.setPaperLevel(paper.id, body.level);
    else classification.mirror(paper.id);
    docs.bumpPapers(meetingId);
    db.audit('paper-released', actor.id, paper.id, { meetingId, fields: Object.keys(body) });
    return db.paper(paper.id)!;
  });
}

/**
 * A staged new version becomes the next version of the paper it replaces, through the upload
 * service (the pages it keeps unchanged, the meeting document, the search index: as an unstaged
 * `replace` upload), and the staged row goes in the same transaction with the release's audit row.
 * It keeps its paper's agenda items and readers; a title renames the paper.
 */
async function releaseVersion(hub: StagingHub, actor: Account, staged: PaperRow, body: ReleasePaperRequest): Promise<PaperRow> {
  const { db, store } = hub;
  if (body.agendaItemId !== undefined || body.restrictTo !== undefined) {
    throw badRequest('a new version keeps its paper\'s agenda items and readers: send only title or level');
  }
  const paper = db.paper(staged.replaces!);
  if (!paper || paper.staged) throw new HttpError(409, 'paper_gone', 'the paper this version replaces was removed: discard the version or upload it as a new paper');
  const v = db.paperVersions(staged.id).at(-1)!;
  const bytes = store.readBlobAll(v.sha256);
  if (!bytes) throw new HttpError(500, 'damaged_file', 'the staged file is missing from the store: upload it again');
  await hub.addPaper(actor, paper.meeting_id, bytes, {
    replace: paper.id, title: body.title, fileName: v.file_name, level: body.level,
    commitWith: () => {
      // Checked inside the transaction: of two releases at once, the second changes nothing.
      if (!db.paper(staged.id)?.staged) throw notStaged();
      db.discardPaper(staged.id);
      db.audit('paper-released', actor.id, staged.id, { meetingId: paper.meeting_id, replaces: paper.id, fields: Object.keys(body) });
    },
  });
  return db.paper(paper.id)!;
}

/**
 * Deletes a staged paper with its versions, and each file no other paper version holds (a file
 * also uploaded elsewhere stays). Its text leaves the search index at the hub's next start; until
 * then no one is answered from it, since no paper shows it.
 */
export function discardPaper(hub: StagingHub, actor: Account, paper: PaperRow): void {
  const { db, core, docs, store, blobCache } = hub;
  if (!paper.staged) throw notStaged();
  const freed = core.atomically(() => {
    const shas = db.discardPaper(paper.id);
    for (const sha of shas) store.deleteBlob(sha);
    // The managers' consoles list staged papers by this signal too.
    docs.bumpPapers(paper.meeting_id);
    db.audit('paper-discarded', actor.id, paper.id, { meetingId: paper.meeting_id, title: paper.title, files: shas });
    return shas;
  });
  for (const sha of freed) blobCache.drop(sha);
  hub.log('staged paper discarded', { paperId: paper.id, files: freed.length });
}
