// Keeps conclusions and decisions findable. The record store tells each change once its own
// transaction has committed; the index is written after, in a transaction of its own, so a kill -9
// between the two would lose the entry: at start every meeting's record is therefore put again
// (`put` replaces, so this is idempotent and cheap next to a record's size).
import type { RecordChange, RecordStore } from '../records/record-store.ts';
import type { SearchService } from './service.ts';

type Records = Pick<RecordStore, 'onChange' | 'meetingsWithRecord' | 'record'>;
type Index = Pick<SearchService, 'putRecord' | 'removeRecord'>;

function apply(search: Index, c: RecordChange): void {
  const kind = c.kind === 'outcome' ? 'conclusion' : 'decision';
  if (c.text === null || c.text.trim() === '') search.removeRecord(c.refId, kind);
  else search.putRecord({ kind, meetingId: c.meetingId, agendaItemId: c.agendaItemId, refId: c.refId, text: c.text });
}

/** Puts the whole record into the index, then follows every change; returns the unsubscribe. */
export function feedRecordsToSearch(records: Records, search: Index): () => void {
  for (const meetingId of records.meetingsWithRecord()) {
    const r = records.record(meetingId);
    for (const o of r.outcomes) {
      apply(search, { meetingId, kind: 'outcome', agendaItemId: o.agendaItemId, refId: o.agendaItemId, text: o.conclusion || null });
    }
    for (const d of r.decisions) {
      apply(search, { meetingId, kind: 'decision', agendaItemId: d.agendaItemId, refId: d.id, text: d.text });
    }
  }
  return records.onChange((c) => apply(search, c));
}
