// Attendance into live/<meetingId>: every member's public record and the quorum summary, written
// where they differ from what the document holds, so a command costs the room only what changed
// and the same call rebuilds a document that lags behind the tables (a participant added, a start).
import type { Database } from '../../core/store.ts';
import type { SyncCore } from '../../core/sync-core.ts';
import { liveDocName } from '../../../shared/doc-names.ts';
import { liveMap, type LiveChange } from '../../../shared/live-doc.ts';
import type { AttendanceSummary, MemberAttendance } from '../../../shared/procedures/attendance.ts';
import type { LiveWriter } from '../live-writer.ts';
import { AttendanceStore, type MemberRecord } from './attendance-store.ts';

export interface MirrorDeps {
  core: SyncCore;
  live: LiveWriter;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The public face of a member (what the live doc and every participant see: no device or seat). */
export const publicMember = (m: MemberRecord): MemberAttendance => ({
  userId: m.userId, name: m.name, status: m.status, votingRight: m.votingRight, late: m.late, firstInAt: m.firstInAt, reason: m.reason,
});

/** What a mirror wrote: the summary and the members' records (those of `only`, or all). */
export interface Mirrored {
  summary: AttendanceSummary;
  members: Map<string, MemberRecord>;
}

/**
 * With `only`, the members a command changed (and the summary); without, every member is compared
 * with the document and the lagging ones rewritten, members no longer on the roll removed.
 */
export function mirrorAttendance(deps: MirrorDeps, store: AttendanceStore, meetingId: string, now = Date.now(), only?: readonly string[], settings = store.settings(meetingId)): Mirrored {
  const summary = store.summary(meetingId, now, settings);
  const changes: LiveChange[] = [];
  if (only) {
    const lateAfter = store.lateAfter(meetingId, settings);
    const members = new Map<string, MemberRecord>();
    for (const userId of only) {
      const m = store.member(meetingId, userId, lateAfter);
      if (m) members.set(userId, m);
      changes.push({ map: 'members', key: userId, value: m ? publicMember(m) : undefined });
    }
    changes.push({ map: 'attendance', key: 'summary', value: summary });
    deps.live.write(meetingId, changes);
    return { summary, members };
  }
  const members = store.members(meetingId, settings);
  deps.core.withDoc(liveDocName(meetingId), (doc) => {
    const shown = liveMap(doc, 'members');
    const ids = new Set<string>();
    for (const m of members) {
      ids.add(m.userId);
      const value = publicMember(m);
      if (!same(shown.get(m.userId), value)) changes.push({ map: 'members', key: m.userId, value });
    }
    for (const key of shown.keys()) if (!ids.has(key)) changes.push({ map: 'members', key, value: undefined });
    const cur = liveMap(doc, 'attendance').get('summary') as { at?: number } | undefined;
    // The summary's time says when the figures last changed, not when someone last looked.
    if (changes.length || !cur || !same({ ...cur, at: 0 }, { ...summary, at: 0 })) changes.push({ map: 'attendance', key: 'summary', value: summary });
  });
  deps.live.write(meetingId, changes);
  return { summary, members: new Map(members.map((m) => [m.userId, m])) };
}

const stores = new WeakMap<Database, AttendanceStore>();

/** After a change outside attendance that alters the roll (a participant added, removed or re-roled). */
export function refreshAttendance(hub: MirrorDeps & { sqlite: Database }, meetingId: string): void {
  let store = stores.get(hub.sqlite);
  if (!store) stores.set(hub.sqlite, (store = new AttendanceStore(hub.sqlite)));
  mirrorAttendance(hub, store, meetingId);
}
