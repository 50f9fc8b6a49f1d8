// List-of-speakers commands: a member asks for the floor or withdraws; the chair runs the list.
// Each command checks the list as the tables hold it, then writes its rows, the audit row and the
// item's list in live/<meetingId> in one SQLite transaction (core.atomically), on the hub's clock.
import { badRequest, forbidden, notFound } from '../../core/http-common.ts';
import type { Database } from '../../core/store.ts';
import type { SyncCore } from '../../core/sync-core.ts';
import type { HubDb } from '../hub-db.ts';
import type { LiveWriter } from '../live-writer.ts';
import { newId } from '../../../shared/ids.ts';
import { meetingDocName } from '../../../shared/doc-names.ts';
import { readAgenda } from '../../../shared/meeting-doc.ts';
import type { Speaker, SpeakerControl, SpeakerList } from '../../../shared/procedures/speakers.ts';
import { conflict } from './attendance.ts';
import { hadFloor, insertionIndex, isCurrent, SpeakerStore, type SpeakerKind, type SpeakerRow } from './speakers-store.ts';

export interface SpeakerDeps {
  sqlite: Database;
  db: HubDb;
  core: SyncCore;
  live: LiveWriter;
}

const MEMBER_ROLES = new Set(['delegate', 'chair', 'secretary']);

export class Speakers {
  readonly store: SpeakerStore;
  private readonly deps: SpeakerDeps;
  private readonly sql;

  constructor(deps: SpeakerDeps) {
    this.deps = deps;
    this.store = new SpeakerStore(deps.sqlite);
    const db = deps.sqlite;
    this.sql = {
      ensureList: db.prepare('INSERT INTO speaker_lists (meeting_id, agenda_item_id, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'),
      insert: db.prepare(`INSERT INTO speakers (id, meeting_id, agenda_item_id, user_id, kind, state, weight, requested_at, note, added_by)
        VALUES (?, ?, ?, ?, ?, 'waiting', 0, ?, ?, ?)`),
      weight: db.prepare('UPDATE speakers SET weight = ? WHERE id = ?'),
      state: db.prepare('UPDATE speakers SET state = ?, end_time = ? WHERE id = ?'),
      begin: db.prepare("UPDATE speakers SET state = 'speaking', begin_time = ?, allotted_ms = ? WHERE id = ?"),
      pause: db.prepare("UPDATE speakers SET state = 'paused', pause_time = ? WHERE id = ?"),
      resume: db.prepare("UPDATE speakers SET state = 'speaking', total_pause_ms = total_pause_ms + (? - pause_time), pause_time = NULL WHERE id = ?"),
      finish: db.prepare(`UPDATE speakers SET state = 'finished', end_time = ?,
        total_pause_ms = total_pause_ms + COALESCE(? - pause_time, 0), pause_time = NULL WHERE id = ?`),
      allot: db.prepare('UPDATE speakers SET allotted_ms = ? WHERE id = ?'),
      closed: db.prepare('UPDATE speaker_lists SET closed = ?, updated_at = ? WHERE meeting_id = ? AND agenda_item_id = ?'),
    };
  }

  view(meetingId: string, now = Date.now()): { lists: SpeakerList[]; serverTime: number } {
    return { lists: this.store.items(meetingId).map((item) => this.store.list(meetingId, item, now)), serverTime: now };
  }

  /** A member asks for the floor on an item: once per kind while waiting; a closed list takes points of order only. */
  request(meetingId: string, userId: string, body: { agendaItemId: string; kind?: 'normal' | 'point_of_order'; note?: string }): { speaker: Speaker; position: number; list: SpeakerList } {
    if (!this.isMember(meetingId, userId)) throw forbidden('only members of the meeting (delegates, chair, secretary) may ask for the floor');
    const kind = body.kind ?? 'normal';
    this.requireItem(meetingId, body.agendaItemId);
    if (kind === 'normal' && this.store.settings(meetingId, body.agendaItemId).closed) throw conflict('the list of speakers on this item is closed');
    const id = this.add(meetingId, body.agendaItemId, userId, kind, body.note ?? null, userId, 'speaker-requested');
    const list = this.store.list(meetingId, body.agendaItemId, Date.now());
    const position = list.waiting.findIndex((s) => s.id === id) + 1;
    return { speaker: list.waiting[position - 1]!, position, list };
  }

  /** The member themself takes back a waiting request (the chair removes instead). */
  withdraw(meetingId: string, userId: string, speakerId: string): void {
    const row = this.store.byId(meetingId, speakerId);
    if (!row) throw notFound('no such request to speak in this meeting');
    if (row.userId !== userId) throw forbidden('only the member who asked may withdraw a request to speak');
    if (row.state !== 'waiting') throw conflict(`this request is no longer waiting (it is ${row.state})`);
    this.commit(meetingId, row.agendaItemId, userId, 'speaker-withdrawn', { speakerId }, () => {
      this.sql.state.run('withdrawn', Date.now(), speakerId);
    });
  }

  control(meetingId: string, callerId: string, c: SpeakerControl): SpeakerList {
    const item = c.agendaItemId;
    this.requireItem(meetingId, item);
    const now = Date.now();
    const rows = this.store.rows(meetingId, item);
    const current = rows.find(isCurrent) ?? null;
    const waiting = this.waitingOf(rows);
    const settings = this.store.settings(meetingId, item);
    const begin = (r: SpeakerRow) => this.sql.begin.run(now, settings.defaultTimeS * 1000, r.id);
    const end = (r: SpeakerRow) => this.sql.finish.run(now, now, r.id);
    const detail: Record<string, unknown> = { action: c.action };
    let apply: () => void;
    switch (c.action) {
      case 'start':
        if (current) throw conflict(`${current.name} has the floor: end that turn first, or use next`);
        if (!waiting[0]) throw conflict('nobody is waiting to speak on this item');
        apply = () => begin(waiting[0]!);
        detail.speakerId = waiting[0].id;
        break;
      case 'next':
        if (!current && !waiting[0]) throw conflict('nobody has the floor and nobody is waiting');
        apply = () => {
          if (current) end(current);
          if (waiting[0]) begin(waiting[0]);
        };
        Object.assign(detail, { ended: current?.id ?? null, speakerId: waiting[0]?.id ?? null });
        break;
      case 'pause':
        if (current?.state !== 'speaking') throw conflict('nobody is speaking');
        apply = () => this.sql.pause.run(now, current.id);
        break;
      case 'resume':
        if (current?.state !== 'paused') throw conflict('no turn is paused');
        apply = () => this.sql.resume.run(now, current.id);
        break;
      case 'end':
        if (!current) throw conflict('nobody has the floor');
        apply = () => end(current);
        detail.speakerId = current.id;
        break;
      case 'add_time':
        if (!current) throw conflict('nobody has the floor');
        apply = () => this.sql.allot.run(Math.max(0, (current.allottedMs ?? 0) + c.seconds * 1000), current.id);
        Object.assign(detail, { speakerId: current.id, seconds: c.seconds });
        break;
      case 'close':
      case 'open':
        apply = () => this.sql.closed.run(c.action === 'close' ? 1 : 0, now, meetingId, item);
        break;
      case 'remove': {
        const row = rows.find((r) => r.id === c.speakerId);
        if (!row) throw notFound('no such speaker on this item\'s list');
        if (row.state !== 'waiting') throw conflict(`only a waiting speaker can be removed (this one is ${row.state}); end a turn instead`);
        apply = () => this.sql.state.run('removed', now, row.id);
        detail.speakerId = row.id;
        break;
      }
      case 'reorder': {
        const ids = new Set(c.speakerIds);
        if (ids.size !== c.speakerIds.length || ids.size !== waiting.length || waiting.some((w) => !ids.has(w.id))) {
          throw badRequest('speakerIds: give every waiting speaker of the item exactly once, in the new order');
        }
        apply = () => c.speakerIds.forEach((id, i) => this.sql.weight.run(i, id));
        detail.order = c.speakerIds;
        break;
      }
      case 'readd_last': {
        const last = rows.filter((r) => r.state === 'finished').sort((a, b) => (b.endTime ?? 0) - (a.endTime ?? 0) || b.seq - a.seq)[0];
        if (!last) throw conflict('nobody has finished speaking on this item yet');
        if (waiting.some((w) => w.userId === last.userId && w.kind === 'normal')) throw conflict(`${last.name} is already waiting`);
        this.add(meetingId, item, last.userId, 'normal', null, callerId, 'speaker-readded', true);
        return this.store.list(meetingId, item, Date.now());
      }
      case 'add':
        if (!this.isMember(meetingId, c.userId)) throw badRequest(`userId: ${c.userId} is not a member of this meeting`);
        this.add(meetingId, item, c.userId, c.kind ?? 'normal', null, callerId, 'speaker-added');
        return this.store.list(meetingId, item, Date.now());
    }
    this.commit(meetingId, item, callerId, 'speaker-control', detail, apply);
    return this.store.list(meetingId, item, Date.now());
  }

  /** One item's settings (with agendaItemId) or the meeting's defaults for lists without their own. */
  settings(meetingId: string, callerId: string, body: { agendaItemId?: string; sortRule?: string; defaultTimeS?: number; warnAtS?: number }): void {
    const now = Date.now();
    const db = this.deps.sqlite;
    const set = [body.sortRule ?? null, body.defaultTimeS ?? null, body.warnAtS ?? null] as const;
    if (body.agendaItemId === undefined) {
      this.deps.core.atomically(() => {
        db.prepare(`INSERT INTO speaker_settings (meeting_id, sort_rule, default_time_s, warn_at_s, updated_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT(meeting_id) DO UPDATE SET sort_rule = COALESCE(excluded.sort_rule, sort_rule),
          default_time_s = COALESCE(excluded.default_time_s, default_time_s), warn_at_s = COALESCE(excluded.warn_at_s, warn_at_s),
          updated_at = excluded.updated_at`).run(meetingId, ...set, now);
        this.deps.db.audit('speaker-settings', callerId, meetingId, body);
        this.mirror(meetingId, this.store.items(meetingId), now);
      });
      return;
    }
    const item = body.agendaItemId;
    this.requireItem(meetingId, item);
    this.commit(meetingId, item, callerId, 'speaker-settings', body, () => {
      db.prepare(`UPDATE speaker_lists SET sort_rule = COALESCE(?, sort_rule), default_time_s = COALESCE(?, default_time_s),
        warn_at_s = COALESCE(?, warn_at_s), updated_at = ? WHERE meeting_id = ? AND agenda_item_id = ?`).run(...set, now, meetingId, item);
    });
  }

  /** Writes the items' lists into live/<meetingId> (inside the caller's transaction). */
  mirror(meetingId: string, items: readonly string[], now = Date.now()): void {
    this.deps.live.write(meetingId, items.map((item) => ({ map: 'speakers' as const, key: item, value: this.store.list(meetingId, item, now) })));
  }

  private commit(meetingId: string, item: string, callerId: string, action: string, detail: Record<string, unknown>, apply: () => void): void {
    const now = Date.now();
    this.deps.core.atomically(() => {
      this.sql.ensureList.run(meetingId, item, now);
      apply();
      this.deps.db.audit(action, callerId, meetingId, { agendaItemId: item, ...detail });
      this.mirror(meetingId, [item], now);
    });
  }

  /** A new waiting entry where the rules put it (or at the top, after points of order, for a re-added speaker). */
  private add(meetingId: string, item: string, userId: string, kind: SpeakerKind, note: string | null, by: string, action: string, front = false): string {
    const id = newId();
    this.commit(meetingId, item, by, action, { speakerId: id, userId, kind }, () => {
      const rows = this.store.rows(meetingId, item);
      const waiting = this.waitingOf(rows);
      if (waiting.some((w) => w.userId === userId && w.kind === kind)) {
        throw conflict(kind === 'point_of_order' ? 'this member has already raised a point of order on this item' : 'this member is already on the list of speakers for this item');
      }
      const spoke = new Set(rows.filter(hadFloor).map((r) => r.userId));
      const settings = this.store.settings(meetingId, item);
      const at = front ? insertionIndex(waiting, 'point_of_order', userId, settings.sortRule, spoke) : insertionIndex(waiting, kind, userId, settings.sortRule, spoke);
      this.sql.insert.run(id, meetingId, item, userId, kind, Date.now(), note, by);
      const order = waiting.map((w) => w.id);
      order.splice(at, 0, id);
      order.forEach((sid, i) => this.sql.weight.run(i, sid));
    });
    return id;
  }

  private waitingOf(rows: readonly SpeakerRow[]): SpeakerRow[] {
    return rows.filter((r) => r.state === 'waiting').sort((a, b) => a.weight - b.weight || a.seq - b.seq);
  }

  private isMember(meetingId: string, userId: string): boolean {
    const role = this.deps.db.participantRole(meetingId, userId);
    return role !== null && MEMBER_ROLES.has(role);
  }

  /** The agenda lives in the meeting document: an item that is not there has no list. */
  private requireItem(meetingId: string, agendaItemId: string): void {
    const found = this.deps.core.withDoc(meetingDocName(meetingId), (doc) => readAgenda(doc).some((i) => i.id === agendaItemId));
    if (!found) throw badRequest(`agendaItemId: no agenda item ${agendaItemId} in this meeting`);
  }
}
