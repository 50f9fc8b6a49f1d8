// Mirrors what the hub decided into live/<meetingId> (shared/live-doc.ts). Procedure commands are
// committed in SQLite first; this write follows in the same turn of the event loop, as a 'hub'
// transaction through the sync core, so it is stored before it is broadcast like any update.
import type { SyncCore } from '../core/sync-core.ts';
import { liveDocName } from '../../shared/doc-names.ts';
import { applyLiveChanges, type LiveChange } from '../../shared/live-doc.ts';

export interface LiveWriter {
  write(meetingId: string, changes: readonly LiveChange[]): void;
}

export function createLiveWriter(core: SyncCore, now: () => number = Date.now): LiveWriter {
  return {
    write(meetingId, changes) {
      if (changes.length === 0) return;
      core.withDoc(liveDocName(meetingId), (doc) => applyLiveChanges(doc, changes, now(), 'hub'));
    },
  };
}
