// Reading the lists of speakers: an item's settings (its own, else the meeting's, else the
// defaults), its entries, the countdown on the hub's clock, and the list as the room sees it.
import type { Database } from '../../core/store.ts';
import { SPEAKER_DEFAULTS, type Countdown, type Speaker, type SpeakerList } from '../../../shared/procedures/speakers.ts';

export type SortRule = 'fifo' | 'first_time_first';
export type SpeakerKind = Speaker['kind'];
export type SpeakerState = Speaker['state'];

export interface ListSettings {
  closed: boolean;
  sortRule: SortRule;
  defaultTimeS: number;
  warnAtS: number;
}

export interface SpeakerRow {
  seq: number;
  id: string;
  userId: string;
  name: string;
  kind: SpeakerKind;
  state: SpeakerState;
  weight: number;
  requestedAt: number;
  beginTime: number | null;
  endTime: number | null;
  pauseTime: number | null;
  totalPauseMs: number;
  allottedMs: number | null;
  note: string | null;
}

export const isCurrent = (r: Pick<SpeakerRow, 'state'>): boolean => r.state === 'speaking' || r.state === 'paused';
/** A turn counts once the speaker was given the floor. */
export const hadFloor = (r: Pick<SpeakerRow, 'beginTime'>): boolean => r.beginTime !== null;

/** Time spoken so far: from the start to the pause, end or now, less the pauses. */
export function spokenMs(r: SpeakerRow, now: number): number {
  if (r.beginTime === null) return 0;
  const until = r.pauseTime ?? r.endTime ?? now;
  return Math.max(0, until - r.beginTime - r.totalPauseMs);
}

/**
 * While running, the end on the hub's clock (the client draws from it, corrected by the live
 * doc's serverTime); while paused, what is left. Past the end, remainingMs goes negative.
 */
export function countdownOf(r: SpeakerRow, warnAtS: number, now: number): Countdown {
  const allottedMs = r.allottedMs ?? 0;
  const running = r.state === 'speaking';
  const endsAt = running && r.beginTime !== null ? r.beginTime + r.totalPauseMs + allottedMs : null;
  return { running, endsAt, remainingMs: allottedMs - spokenMs(r, now), allottedMs, warnAtMs: warnAtS * 1000 };
}

export class SpeakerStore {
  private readonly rowsStmt;
  private readonly listStmt;
  private readonly meetingStmt;
  private readonly itemsStmt;
  private readonly byIdStmt;

  constructor(db: Database) {
    const cols = `s.seq, s.id, s.user_id AS userId, COALESCE(a.name, s.user_id) AS name, s.kind, s.state, s.weight,
      s.requested_at AS requestedAt, s.begin_time AS beginTime, s.end_time AS endTime, s.pause_time AS pauseTime,
      s.total_pause_ms AS totalPauseMs, s.allotted_ms AS allottedMs, s.note`;
    this.rowsStmt = db.prepare<[string, string], SpeakerRow>(`SELECT ${cols} FROM speakers s LEFT JOIN accounts a ON a.id = s.user_id
      WHERE s.meeting_id = ? AND s.agenda_item_id = ? ORDER BY s.seq`);
    this.byIdStmt = db.prepare<[string, string], SpeakerRow & { agendaItemId: string }>(`SELECT ${cols}, s.agenda_item_id AS agendaItemId
      FROM speakers s LEFT JOIN accounts a ON a.id = s.user_id WHERE s.meeting_id = ? AND s.id = ?`);
    this.listStmt = db.prepare<[string, string], { closed: number; sortRule: SortRule | null; defaultTimeS: number | null; warnAtS: number | null }>(
      'SELECT closed, sort_rule AS sortRule, default_time_s AS defaultTimeS, warn_at_s AS warnAtS FROM speaker_lists WHERE meeting_id = ? AND agenda_item_id = ?');
    this.meetingStmt = db.prepare<[string], { sortRule: SortRule | null; defaultTimeS: number | null; warnAtS: number | null }>(
      'SELECT sort_rule AS sortRule, default_time_s AS defaultTimeS, warn_at_s AS warnAtS FROM speaker_settings WHERE meeting_id = ?');
    this.itemsStmt = db.prepare<[string, string], { agendaItemId: string }>(`SELECT agenda_item_id AS agendaItemId FROM speaker_lists WHERE meeting_id = ?
      UNION SELECT DISTINCT agenda_item_id FROM speakers WHERE meeting_id = ? ORDER BY 1`);
  }

  settings(meetingId: string, agendaItemId: string): ListSettings {
    const own = this.listStmt.get(meetingId, agendaItemId);
    const meeting = this.meetingStmt.get(meetingId);
    return {
      closed: own?.closed === 1,
      sortRule: own?.sortRule ?? meeting?.sortRule ?? SPEAKER_DEFAULTS.sortRule,
      defaultTimeS: own?.defaultTimeS ?? meeting?.defaultTimeS ?? SPEAKER_DEFAULTS.defaultTimeS,
      warnAtS: own?.warnAtS ?? meeting?.warnAtS ?? SPEAKER_DEFAULTS.warnAtS,
    };
  }

  /** Every entry of the item's list, in the order they were made. */
  rows(meetingId: string, agendaItemId: string): SpeakerRow[] {
    return this.rowsStmt.all(meetingId, agendaItemId);
  }

  byId(meetingId: string, speakerId: string): (SpeakerRow & { agendaItemId: string }) | null {
    return this.byIdStmt.get(meetingId, speakerId) ?? null;
  }

  /** The items that have a list (a setting or an entry). */
  items(meetingId: string): string[] {
    return this.itemsStmt.all(meetingId, meetingId).map((r) => r.agendaItemId);
  }

  list(meetingId: string, agendaItemId: string, now: number, rows = this.rows(meetingId, agendaItemId)): SpeakerList {
    const s = this.settings(meetingId, agendaItemId);
    const spoke = new Set<string>();
    for (const r of rows) if (hadFloor(r)) spoke.add(r.userId);
    const face = (r: SpeakerRow): Speaker => ({
      id: r.id, userId: r.userId, name: r.name, kind: r.kind, state: r.state, requestedAt: r.requestedAt, note: r.note,
      spokeBefore: rows.some((o) => o.userId === r.userId && o.seq !== r.seq && hadFloor(o) && (r.beginTime === null || o.beginTime! < r.beginTime)),
    });
    const current = rows.find(isCurrent) ?? null;
    const waiting = rows.filter((r) => r.state === 'waiting').sort((a, b) => a.weight - b.weight || a.seq - b.seq);
    const finished = rows.filter((r) => r.state === 'finished');
    const last = finished.reduce<SpeakerRow | null>((best, r) => (best === null || (r.endTime ?? 0) >= (best.endTime ?? 0) ? r : best), null);
    return {
      agendaItemId, closed: s.closed,
      current: current ? { ...face(current), countdown: countdownOf(current, s.warnAtS, now) } : null,
      waiting: waiting.map(face),
      finishedCount: finished.length,
      at: now,
      sortRule: s.sortRule, defaultTimeS: s.defaultTimeS, warnAtS: s.warnAtS,
      lastSpeaker: last ? face(last) : null,
    };
  }
}

/**
 * Where a new waiting entry goes (an index into the waiting order). Points of order join the
 * block of points of order at the top, first come first served among themselves; with
 * first_time_first, a member who has not had the floor on this item goes before the first
 * waiting member who has; anyone else joins the end.
 */
export function insertionIndex(waiting: readonly Pick<SpeakerRow, 'kind' | 'userId'>[], kind: SpeakerKind, userId: string, rule: SortRule, spoke: ReadonlySet<string>): number {
  let top = 0;
  while (top < waiting.length && waiting[top]!.kind === 'point_of_order') top++;
  if (kind === 'point_of_order') return top;
  if (rule === 'first_time_first' && !spoke.has(userId)) {
    for (let i = top; i < waiting.length; i++) if (spoke.has(waiting[i]!.userId)) return i;
  }
  return waiting.length;
}
