// The record into live/<meetingId> (map `record`, keys in shared/records.ts RECORD_KEYS), so every
// tablet sees conclusions, decisions and action items change at once and keeps them offline (its
// agent replicates the live document). A command writes the entries it touched, in its own
// transaction; `mirrorRecord` compares the whole record with the document and rewrites what lags
// (at the hub's start: the tables are the truth).
import type { SyncCore } from '../../core/sync-core.ts';
import { liveDocName } from '../../../shared/doc-names.ts';
import { liveMap, type LiveChange } from '../../../shared/live-doc.ts';
import { RECORD_KEYS } from '../../../shared/records.ts';
import type { LiveWriter } from '../live-writer.ts';
import type { RecordStore } from './record-store.ts';

export interface MirrorDeps {
  core: SyncCore;
  live: LiveWriter;
}

const entry = (key: string, value: unknown): LiveChange => ({ map: 'record', key, value: value ?? undefined });

export const outcomeEntry = (store: RecordStore, meetingId: string, agendaItemId: string): LiveChange =>
  entry(RECORD_KEYS.outcome(agendaItemId), store.outcome(meetingId, agendaItemId));
export const decisionEntry = (store: RecordStore, id: string): LiveChange => entry(RECORD_KEYS.decision(id), store.decision(id));
export const actionEntry = (store: RecordStore, id: string): LiveChange => entry(RECORD_KEYS.action(id), store.actionItem(id));

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The whole record against the document: lagging entries rewritten, entries no longer in the tables removed. */
export function mirrorRecord(deps: MirrorDeps, store: RecordStore, meetingId: string): number {
  const rec = store.record(meetingId);
  const want = new Map<string, unknown>([[RECORD_KEYS.locked, rec.locked]]);
  for (const o of rec.outcomes) want.set(RECORD_KEYS.outcome(o.agendaItemId), o);
  for (const d of rec.decisions) want.set(RECORD_KEYS.decision(d.id), d);
  for (const a of rec.actionItems) want.set(RECORD_KEYS.action(a.id), a);
  const changes: LiveChange[] = [];
  deps.core.withDoc(liveDocName(meetingId), (doc) => {
    const shown = liveMap(doc, 'record');
    for (const [key, value] of want) if (!same(shown.get(key), value)) changes.push(entry(key, value));
    for (const key of shown.keys()) if (!want.has(key)) changes.push(entry(key, undefined));
  });
  deps.live.write(meetingId, changes);
  return changes.length;
}

/** After the lock may have changed (the meeting closed or reopened, the minutes issued). */
export function refreshRecordLock(hub: MirrorDeps & { records: RecordStore }, meetingId: string): void {
  const locked = hub.records.lock.isLocked(meetingId);
  const shown = hub.core.withDoc(liveDocName(meetingId), (doc) => liveMap(doc, 'record').get(RECORD_KEYS.locked));
  if (shown !== locked) hub.live.write(meetingId, [entry(RECORD_KEYS.locked, locked)]);
}
