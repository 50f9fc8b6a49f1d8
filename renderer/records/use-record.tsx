// The meeting's record as the hub mirrored it into live/<meetingId> (map `record`): read with one
// subscription to that map, so a decision recorded re-renders the record and nothing of the
// attendance or the votes. The meeting view shares one reading with every agenda row through
// RecordScope; the console's Record tab reads its own.
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type * as Y from 'yjs';
import * as liveDoc from '../../shared/live-doc.ts';
import type { PollPublic } from '../../shared/procedures/polls.ts';
import type { ActionItem, Decision, ItemOutcome } from '../../shared/records.ts';
import type { Api } from '../api.ts';
import { hubNow } from '../procedures/clock.ts';
import { useLiveDoc, usePolls } from '../procedures/live.ts';
import { useYMap } from '../sync/hooks.ts';
import { judgeOverdue } from './record-model.ts';

export interface LiveRecord {
  outcomes: ItemOutcome[];
  decisions: Decision[];
  actionItems: ActionItem[];
  locked: boolean;
}

const EMPTY: LiveRecord = { outcomes: [], decisions: [], actionItems: [], locked: false };
const readRecord = (d: Y.Doc): LiveRecord => ({
  outcomes: liveDoc.itemOutcomes(d), decisions: liveDoc.decisions(d), actionItems: liveDoc.actionItems(d), locked: liveDoc.recordLocked(d),
});

/** The record in the live document; each action item's `overdue` judged against the hub's day now. */
export function useLiveRecord(doc: Y.Doc | null): LiveRecord {
  const rec = useYMap(doc, 'record', readRecord, EMPTY);
  return useMemo(() => ({ ...rec, actionItems: judgeOverdue(rec.actionItems, hubNow()) }), [rec]);
}

export interface RecordScopeValue {
  meetingId: string;
  api: Api;
  userId: string;
  record: LiveRecord;
  polls: PollPublic[];
}

const RecordContext = createContext<RecordScopeValue | null>(null);

/** The record of one meeting for everything under it (the meeting view's agenda rows). */
export function RecordScope({ meetingId, api, userId, children }: { meetingId: string; api: Api; userId: string; children: ReactNode }) {
  const { doc } = useLiveDoc(meetingId, api.token);
  const record = useLiveRecord(doc);
  const polls = usePolls(doc);
  const value = useMemo(() => ({ meetingId, api, userId, record, polls }), [meetingId, api, userId, record, polls]);
  return <RecordContext.Provider value={value}>{children}</RecordContext.Provider>;
}

/** The meeting's record, or null outside a RecordScope. */
export const useRecordScope = (): RecordScopeValue | null => useContext(RecordContext);
