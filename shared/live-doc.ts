// The live document's shape over Yjs: `live/<meetingId>` holds what the hub decided about the
// meeting's procedures, so every screen sees it change at once. Only the hub writes it (the
// permission table gives every connection read access at most); each value is a whole JSON object
// the hub replaces, never edited in place, so a reader never sees half a decision.
//
// Layout (one top-level Y.Map each; values validated by the schemas in shared/procedures/):
//   clock      : 'serverTime' → the hub's clock at its last write (clients correct countdowns by it)
//   attendance : 'summary' → AttendanceSummary
//   members    : userId → MemberAttendance
//   speakers   : agendaItemId → SpeakerList
//   polls      : pollId → PollPublic
//   record     : the meeting's record (shared/records.ts RECORD_KEYS): 'locked' → boolean,
//                'outcome:<agendaItemId>' → ItemOutcome, 'decision:<id>' → Decision,
//                'action:<id>' → ActionItem (its `overdue` as of the write: readers judge it again)
//   minutes    : 'status' → MinutesStatus (shared/minutes.ts): the minutes' state, number and sha256
//   recalls    : recallId → LiveRecall (shared/recall.ts): papers pulled back from every device
import * as Y from 'yjs';
import type { z } from 'zod';
import { attendanceSummarySchema, memberAttendanceSchema, type AttendanceSummary, type MemberAttendance } from './procedures/attendance.ts';
import { speakerListSchema, type SpeakerList } from './procedures/speakers.ts';
import { pollPublicSchema, type PollPublic } from './procedures/polls.ts';
import { liveRecallSchema, type LiveRecall } from './recall.ts';
import { actionItemSchema, decisionSchema, itemOutcomeSchema, RECORD_KEYS, type ActionItem, type Decision, type ItemOutcome } from './records.ts';

export const LIVE_MAPS = ['clock', 'attendance', 'members', 'speakers', 'polls', 'record', 'minutes', 'recalls'] as const;
export type LiveMapName = (typeof LIVE_MAPS)[number];

export const liveMap = (doc: Y.Doc, name: LiveMapName): Y.Map<unknown> => doc.getMap(name);

/** Parses a value the hub wrote; a value this client does not understand reads as absent. */
function read<T>(schema: z.ZodType<T>, value: unknown): T | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function readAll<T>(doc: Y.Doc, name: LiveMapName, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  for (const v of liveMap(doc, name).values()) {
    const item = read(schema, v);
    if (item) out.push(item);
  }
  return out;
}

export const serverTime = (doc: Y.Doc): number | null => {
  const t = liveMap(doc, 'clock').get('serverTime');
  return typeof t === 'number' ? t : null;
};
export const attendanceSummary = (doc: Y.Doc): AttendanceSummary | null => read(attendanceSummarySchema, liveMap(doc, 'attendance').get('summary'));
export const members = (doc: Y.Doc): MemberAttendance[] => readAll(doc, 'members', memberAttendanceSchema);
export const member = (doc: Y.Doc, userId: string): MemberAttendance | null => read(memberAttendanceSchema, liveMap(doc, 'members').get(userId));
export const speakerList = (doc: Y.Doc, agendaItemId: string): SpeakerList | null => read(speakerListSchema, liveMap(doc, 'speakers').get(agendaItemId));
export const speakerLists = (doc: Y.Doc): SpeakerList[] => readAll(doc, 'speakers', speakerListSchema);
export const poll = (doc: Y.Doc, pollId: string): PollPublic | null => read(pollPublicSchema, liveMap(doc, 'polls').get(pollId));
export const polls = (doc: Y.Doc): PollPublic[] => readAll(doc, 'polls', pollPublicSchema);
export const recalls = (doc: Y.Doc): LiveRecall[] => readAll(doc, 'recalls', liveRecallSchema);

/** The record's entries whose key starts with `prefix`, each checked with `schema`. */
function readRecord<T>(doc: Y.Doc, prefix: string, schema: z.ZodType<T>): T[] {
  const out: T[] = [];
  for (const [k, v] of liveMap(doc, 'record').entries()) {
    if (!k.startsWith(prefix)) continue;
    const item = read(schema, v);
    if (item) out.push(item);
  }
  return out;
}
export const recordLocked = (doc: Y.Doc): boolean => liveMap(doc, 'record').get(RECORD_KEYS.locked) === true;
export const itemOutcomes = (doc: Y.Doc): ItemOutcome[] => readRecord(doc, RECORD_KEYS.outcome(''), itemOutcomeSchema);
/** In the order they were made. */
export const decisions = (doc: Y.Doc): Decision[] => readRecord(doc, RECORD_KEYS.decision(''), decisionSchema).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
export const actionItems = (doc: Y.Doc): ActionItem[] => readRecord(doc, RECORD_KEYS.action(''), actionItemSchema).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));

/** One write of the hub's: sets (or, with `undefined`, deletes) values and stamps the clock. */
export interface LiveChange {
  map: Exclude<LiveMapName, 'clock'>;
  key: string;
  value: unknown;
}

export function applyLiveChanges(doc: Y.Doc, changes: readonly LiveChange[], now: number, origin: unknown): void {
  doc.transact(() => {
    for (const c of changes) {
      const m = liveMap(doc, c.map);
      if (c.value === undefined) m.delete(c.key);
      else m.set(c.key, c.value);
    }
    liveMap(doc, 'clock').set('serverTime', now);
  }, origin);
}
