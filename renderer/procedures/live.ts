// The meeting's procedures as the hub decided them: the read-only replica of `live/<meetingId>`
// (shared/live-doc.ts), shared through the replica registry like the meeting doc, and one hook per
// part. Each hook subscribes to the one map it reads (useYMap), so a ballot counted ("voted 12 of
// 21") re-renders the vote's progress and nothing of the attendance or the speakers.
import { useCallback, useEffect } from 'react';
import type * as Y from 'yjs';
import { liveDocName } from '../../shared/doc-names.ts';
import * as liveDoc from '../../shared/live-doc.ts';
import { readAgenda } from '../../shared/meeting-doc.ts';
import type { AttendanceSummary, MemberAttendance } from '../../shared/procedures/attendance.ts';
import type { SpeakerList } from '../../shared/procedures/speakers.ts';
import type { PollPublic } from '../../shared/procedures/polls.ts';
import { useDocStatus, useSyncedDoc, useYMap } from '../sync/hooks.ts';
import { observeHubTime } from './clock.ts';

/** The live replica while mounted; its clock stamps feed the hub-clock estimate. */
export function useLiveDoc(meetingId: string, token: string | null): { doc: Y.Doc | null; everSynced: boolean } {
  const synced = useSyncedDoc(liveDocName(meetingId), token);
  const { everSynced } = useDocStatus(synced);
  const doc = synced?.doc ?? null;
  useEffect(() => {
    if (!doc) return;
    const clock = liveDoc.liveMap(doc, 'clock');
    // Each hub write stamps the clock in the same transaction, so a change seen now is a fresh
    // sample; the value already there may be old, which the estimate allows for (clock.ts).
    const seen = () => {
      const t = liveDoc.serverTime(doc);
      if (t !== null) observeHubTime(t);
    };
    seen();
    clock.observe(seen);
    return () => clock.unobserve(seen);
  }, [doc]);
  return { doc, everSynced };
}

const NO_MEMBERS: MemberAttendance[] = [];
const NO_POLLS: PollPublic[] = [];
const readSummary = (d: Y.Doc): AttendanceSummary | null => liveDoc.attendanceSummary(d);
const readMembers = (d: Y.Doc): MemberAttendance[] => liveDoc.members(d).sort((a, b) => a.name.localeCompare(b.name));
const readPolls = (d: Y.Doc): PollPublic[] => liveDoc.polls(d);

/** "Quorum: 15 of 21, 14 needed", live. */
export const useAttendanceSummary = (doc: Y.Doc | null): AttendanceSummary | null => useYMap(doc, 'attendance', readSummary, null);

/** Every member's attendance, by name. */
export const useMembers = (doc: Y.Doc | null): MemberAttendance[] => useYMap(doc, 'members', readMembers, NO_MEMBERS);

/** The list of speakers of one agenda item (null: no item, or nobody has asked yet). */
export function useSpeakerList(doc: Y.Doc | null, agendaItemId: string | null): SpeakerList | null {
  const read = useCallback((d: Y.Doc) => (agendaItemId ? liveDoc.speakerList(d, agendaItemId) : null), [agendaItemId]);
  return useYMap(doc, 'speakers', read, null);
}

/** Every poll as the room sees it (progress while open, the result once published). */
export const usePolls = (doc: Y.Doc | null): PollPublic[] => useYMap(doc, 'polls', readPolls, NO_POLLS);

// ---- from the meeting doc: which agenda item the speakers belong to --------------------------
export interface ItemRef {
  id: string;
  title: string;
}
const NO_ITEMS: ItemRef[] = [];
// The console marks the current item and its status in one transaction (shared/meeting-doc.ts
// setCurrentItem), so the agenda map alone says which item is under discussion.
const readCurrentItem = (d: Y.Doc): ItemRef | null => {
  const item = readAgenda(d).find((i) => i.status === 'current');
  return item ? { id: item.id, title: item.title } : null;
};
const readItems = (d: Y.Doc): ItemRef[] => readAgenda(d).map((i) => ({ id: i.id, title: i.title }));

/** The agenda item under discussion (null: none yet). */
export const useCurrentItem = (meetingDoc: Y.Doc | null): ItemRef | null => useYMap(meetingDoc, 'agenda', readCurrentItem, null);

/** The agenda's items in order, for the chair's choice of list. */
export const useAgendaItems = (meetingDoc: Y.Doc | null): ItemRef[] => useYMap(meetingDoc, 'agenda', readItems, NO_ITEMS);
