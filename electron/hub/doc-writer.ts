// What the hub writes into meeting documents on behalf of the REST API: the details mirrored
// from the meetings table, the papers' metadata, the papers revision that tells clients to
// refetch the list, and the live state. Every write is a 'hub' transaction through the sync core,
// so it is committed before it is broadcast like any client's update.
import * as Y from 'yjs';
import type { SyncCore } from '../core/sync-core.ts';
import type { HubDb, PaperVersionRow } from './hub-db.ts';
import type { PageFingerprints } from './page-fingerprints.ts';
import { meetingDocName } from '../../shared/doc-names.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

export interface DocWriter {
  /** Title, start, room and status, as the meetings table has them now. */
  writeDetails(meetingId: string): void;
  /** Tells clients the meeting's paper list changed (they refetch it). */
  bumpPapers(meetingId: string): void;
  /** One paper version's metadata (a restricted or staged paper is never written). */
  putPaperVersion(meetingId: string, paperId: string, title: string, v: PaperVersionRow, carriedFrom: meetingDoc.PaperVersion['carriedFrom']): void;
  /** After a rename, a change of restriction or a release: shown with its title and versions, or removed. */
  mirrorPaper(paperId: string): void;
  removePaper(meetingId: string, paperId: string): void;
  /** Runs `check` against the live state and then writes what the presenter shows, in one step. */
  present(meetingId: string, check: (live: ReturnType<typeof meetingDoc.readLive>) => meetingDoc.Presenting | null): meetingDoc.Presenting | null;
  setPresenter(meetingId: string, userId: string | null): void;
}

export function createDocWriter(deps: { db: HubDb; core: SyncCore; fingerprints: PageFingerprints }): DocWriter {
  const { db, core, fingerprints } = deps;
  const versionOf = (paperId: string, v: PaperVersionRow, carriedFrom = fingerprints.carryOf(paperId, v.version)) => ({
    version: v.version, sha256: v.sha256, pages: v.pages, size: v.size, fileName: v.file_name, createdAt: v.created_at, carriedFrom,
  });
  return {
    writeDetails(meetingId) {
      const m = db.meeting(meetingId);
      if (!m) return;
      core.withDoc(meetingDocName(meetingId), (doc) => doc.transact(() => {
        const d = meetingDoc.details(doc);
        d.set('title', m.title);
        d.set('startsAt', m.starts_at);
        d.set('room', m.room);
        d.set('status', m.status);
      }, 'hub'));
    },
    bumpPapers(meetingId) {
      core.withDoc(meetingDocName(meetingId), (doc) => {
        const cur = meetingDoc.live(doc).get('papersRev');
        doc.transact(() => meetingDoc.live(doc).set('papersRev', (typeof cur === 'number' ? cur : 0) + 1), 'hub');
      });
    },
    putPaperVersion(meetingId, paperId, title, v, carriedFrom) {
      core.withDoc(meetingDocName(meetingId), (doc) => meetingDoc.putPaperVersion(doc, paperId, title, versionOf(paperId, v, carriedFrom)));
    },
    mirrorPaper(paperId) {
      const paper = db.paper(paperId);
      if (!paper) return;
      core.withDoc(meetingDocName(paper.meeting_id), (doc) => {
        // A staged paper is kept off the document like a restricted one; its agenda item waits
        // in the same table until it is released (paper-staging.ts).
        if (paper.restricted || paper.staged) {
          // Its agenda items move to the hub's database (committed first), so the paper stays on
          // them for its readers and goes back onto them when the restriction is lifted.
          const items = meetingDoc.readAgenda(doc).filter((i) => i.paperIds.includes(paperId)).map((i) => i.id);
          if (items.length > 0) db.keepRestrictedPaperItems(paperId, items);
          meetingDoc.removePaper(doc, paperId);
        } else {
          doc.transact(() => {
            const m = meetingDoc.papersMap(doc).get(paperId);
            if (m) m.set('title', paper.title);
            else for (const v of db.paperVersions(paperId)) meetingDoc.putPaperVersion(doc, paperId, paper.title, versionOf(paperId, v));
            const agenda = meetingDoc.readAgenda(doc);
            for (const itemId of db.restrictedPaperItems(paperId)) {
              const item = agenda.find((i) => i.id === itemId);
              // Appended, not rewritten: a concurrent edit of the item's other papers survives.
              const ids = meetingDoc.agendaMap(doc).get(itemId)?.get('paperIds');
              if (item && !item.paperIds.includes(paperId)) {
                if (ids instanceof Y.Array) ids.push([paperId]);
                else meetingDoc.setItemPapers(doc, itemId, [paperId]);
              }
            }
          }, 'hub');
          db.dropRestrictedPaperItems(paperId);
        }
      });
    },
    removePaper(meetingId, paperId) {
      core.withDoc(meetingDocName(meetingId), (doc) => meetingDoc.removePaper(doc, paperId));
    },
    present(meetingId, check) {
      return core.withDoc(meetingDocName(meetingId), (doc) => {
        const presenting = check(meetingDoc.readLive(doc));
        doc.transact(() => meetingDoc.live(doc).set('presenting', presenting), 'hub');
        return presenting;
      });
    },
    setPresenter(meetingId, userId) {
      core.withDoc(meetingDocName(meetingId), (doc) => doc.transact(() => meetingDoc.live(doc).set('presenterId', userId), 'hub'));
    },
  };
}
