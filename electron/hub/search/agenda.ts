// Agenda item titles live in the meeting documents (Yjs), edited by secretaries over sync, not
// through a hub command the search could hook. So the search keeps its own copy: a committed
// change to `meeting/<id>` marks the meeting, a short timer (or the next search, whichever comes
// first) reads its agenda and rewrites that meeting's entries when they differ. At hub start
// every meeting is read once from the store, for meetings edited before this existed.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import * as Y from 'yjs';
import type { Log } from '../../core/log.ts';
import type { SyncCore } from '../../core/sync-core.ts';
import type { RecordIndex } from './records.ts';
import { meetingDocName, parseDocName } from '../../../shared/doc-names.ts';
import { readAgenda } from '../../../shared/meeting-doc.ts';

type Entry = { refId: string; agendaItemId: string; text: string };

export class AgendaTitles {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly core: SyncCore;
  private readonly records: RecordIndex;
  private readonly log: Log;
  private readonly delayMs: number;

  constructor(deps: { core: SyncCore; records: RecordIndex; log: Log }, delayMs = 1000) {
    this.core = deps.core;
    this.records = deps.records;
    this.log = deps.log;
    this.delayMs = delayMs;
  }

  /**
   * The sync core's commit hook, on every committed update: a set lookup while the meeting is
   * already marked (parsing the name each time showed in the fan-out benchmark's profile). The
   * name is one the core attached under, so parsing it once per mark is enough.
   */
  committed(docName: string): void {
    if (this.closed || !docName.startsWith('meeting/')) return;
    const meetingId = docName.slice('meeting/'.length);
    if (this.dirty.has(meetingId)) return;
    if (parseDocName(docName)?.kind !== 'meeting') return;
    this.dirty.add(meetingId);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref();
    }
  }

  /** Brings every marked meeting up to date now (a search runs this first, so it sees the agenda as it is). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed) return;
    for (const id of [...this.dirty]) {
      this.dirty.delete(id);
      this.refresh(id);
    }
  }

  /** Reads each meeting's agenda, one meeting per turn of the loop. */
  async scan(meetingIds: readonly string[]): Promise<void> {
    for (const id of meetingIds) {
      if (this.closed) return;
      this.refresh(id);
      await yieldToLoop();
    }
  }

  /**
   * Reads the agenda from the live document when it is loaded (the common case: it was just
   * edited), else from a copy of its stored state, so the search never loads a document or keeps
   * one from unloading. Not a copy of the live one: decoding a meeting document's whole state
   * once a second while it was edited cost the hub's event loop milliseconds per read, seen in
   * the fan-out benchmark's profile (`npm run bench -- hub`).
   */
  private refresh(meetingId: string): void {
    const name = meetingDocName(meetingId);
    let copy: Y.Doc | null = null;
    // Whatever a stored document holds (a row Yjs cannot read), the search only logs it: this runs
    // from a timer and at start, where a throw would take the hub down.
    try {
      let doc = this.core.loadedDoc(name);
      if (!doc) {
        copy = doc = new Y.Doc();
        const state = this.core.encodeState(name);
        if (state) Y.applyUpdate(copy, state);
      }
      this.store(meetingId, entriesOf(doc));
    } catch (err) {
      this.log('agenda titles not indexed', { meetingId, error: (err as Error).message });
    } finally {
      copy?.destroy();
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private store(meetingId: string, entries: Entry[]): void {
    const have = this.records.list(meetingId, 'agenda');
    const same = have.length === entries.length && have.every((h, i) => h.refId === entries[i]!.refId && h.text === entries[i]!.text);
    if (!same) this.records.replaceAll(meetingId, 'agenda', entries);
  }
}

function entriesOf(doc: Y.Doc): Entry[] {
  return readAgenda(doc)
    .filter((item) => item.title.trim())
    .map((item) => ({ refId: item.id, agendaItemId: item.id, text: item.title }))
    .sort((a, b) => (a.refId < b.refId ? -1 : a.refId > b.refId ? 1 : 0));
}
