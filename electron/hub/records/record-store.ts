// The record tables (schema.ts) as typed reads and writes, and the one place others read the
// record from: the minutes builder calls `record(meetingId)`, the search index listens to
// `onChange`. No rules here: record-service.ts decides, inside its transactions, over these
// statements, and calls `emit` once a change is committed.
import type { Database } from '../../core/store.ts';
import type { Log } from '../../core/log.ts';
import type { PollResult } from '../../../shared/procedures/polls.ts';
import {
  dayOf, isOverdue, type ActionItem, type ActionStatus, type Decision, type DecisionKind, type Dissent, type ItemOutcome,
  type ItemOutcomeStatus, type ListedActionItem, type MeetingRecord,
} from '../../../shared/records.ts';
import type { RecordLock } from './record-lock.ts';

/** What the search index hears: a conclusion or a decision's text set, or (null) gone. */
export interface RecordChange {
  meetingId: string;
  kind: 'outcome' | 'decision';
  agendaItemId: string;
  /** The agenda item's id for an outcome, the decision's id for a decision. */
  refId: string;
  text: string | null;
}
export type RecordListener = (change: RecordChange) => void;

interface OutcomeRow { meeting_id: string; agenda_item_id: string; status: ItemOutcomeStatus; conclusion: string; summary: string; updated_at: number }
interface DecisionRow {
  id: string; meeting_id: string; agenda_item_id: string; kind: DecisionKind; text: string; poll_id: string | null; result: string | null;
  created_at: number; updated_at: number;
}
interface DissentRow { decision_id: string; user_id: string; name: string; text: string; at: number }
interface ActionRow {
  id: string; meeting_id: string; decision_id: string | null; agenda_item_id: string | null; title: string; owner_user_id: string | null;
  owner_name: string | null; owner_unit: string; co_units: string; due_date: string | null; status: ActionStatus; evidence: string;
  created_at: number; updated_at: number; meeting_title?: string;
}

export interface NewDecision { id: string; meetingId: string; agendaItemId: string; kind: DecisionKind; text: string; pollId: string | null; result: PollResult | null; by: string; at: number }
export interface NewActionItem {
  id: string; meetingId: string; decisionId: string | null; agendaItemId: string | null; title: string; ownerUserId: string | null;
  ownerUnit: string; coUnits: string[]; dueDate: string | null; by: string; at: number;
}
/** Columns an action item's change may set (undefined leaves one as it is). */
export interface ActionChange {
  title?: string; owner_user_id?: string | null; owner_unit?: string; co_units?: string[]; due_date?: string | null;
  status?: ActionStatus; evidence?: string; decision_id?: string | null;
}

/** Who asks for the cross-meeting list, and what they asked. */
export interface ActionQuery {
  userId: string;
  /** Every meeting (an admin), or the meetings the caller takes part in. */
  meetings: 'all' | readonly string[];
  mine: boolean;
  overdue: boolean;
  meetingId: string | null;
  today: string;
}

/** The list's length at most: an admin's "every meeting" stays one answer. */
export const ACTION_LIST_LIMIT = 2000;

const ACTION_SELECT = `SELECT a.*, o.name AS owner_name FROM action_items a LEFT JOIN accounts o ON o.id = a.owner_user_id`;

export class RecordStore {
  readonly lock: RecordLock;
  private readonly db: Database;
  private readonly s;
  private readonly listeners = new Set<RecordListener>();
  private readonly log: Log | undefined;
  private readonly now: () => number;

  constructor(db: Database, lock: RecordLock, opts: { log?: Log; now?: () => number } = {}) {
    this.lock = lock;
    this.db = db;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.s = {
      outcomes: db.prepare<[string], OutcomeRow>('SELECT * FROM item_outcomes WHERE meeting_id = ? ORDER BY updated_at, agenda_item_id'),
      outcome: db.prepare<[string, string], OutcomeRow>('SELECT * FROM item_outcomes WHERE meeting_id = ? AND agenda_item_id = ?'),
      putOutcome: db.prepare(`INSERT INTO item_outcomes (meeting_id, agenda_item_id, status, conclusion, summary, updated_at, updated_by)
        VALUES (@meetingId, @agendaItemId, @status, @conclusion, @summary, @at, @by)
        ON CONFLICT (meeting_id, agenda_item_id) DO UPDATE SET status = excluded.status, conclusion = excluded.conclusion,
        summary = excluded.summary, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
      decisions: db.prepare<[string], DecisionRow>('SELECT * FROM decisions WHERE meeting_id = ? ORDER BY created_at, id'),
      decision: db.prepare<[string], DecisionRow>('SELECT * FROM decisions WHERE id = ?'),
      insertDecision: db.prepare(`INSERT INTO decisions (id, meeting_id, agenda_item_id, kind, text, poll_id, result, created_at, created_by, updated_at)
        VALUES (@id, @meetingId, @agendaItemId, @kind, @text, @pollId, @result, @at, @by, @at)`),
      updateDecision: db.prepare('UPDATE decisions SET kind = @kind, text = @text, poll_id = @pollId, result = @result, updated_at = @at WHERE id = @id'),
      deleteDecision: db.prepare('DELETE FROM decisions WHERE id = ?'),
      dissentsOfMeeting: db.prepare<[string], DissentRow>(`SELECT d.decision_id, d.user_id, a.name, d.text, d.at FROM decision_dissents d
        JOIN accounts a ON a.id = d.user_id JOIN decisions x ON x.id = d.decision_id WHERE x.meeting_id = ? ORDER BY d.at, d.user_id`),
      dissents: db.prepare<[string], DissentRow>(`SELECT d.decision_id, d.user_id, a.name, d.text, d.at FROM decision_dissents d
        JOIN accounts a ON a.id = d.user_id WHERE d.decision_id = ? ORDER BY d.at, d.user_id`),
      putDissent: db.prepare(`INSERT INTO decision_dissents (decision_id, user_id, text, at, recorded_by) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (decision_id, user_id) DO UPDATE SET text = excluded.text, at = excluded.at, recorded_by = excluded.recorded_by`),
      deleteDissent: db.prepare('DELETE FROM decision_dissents WHERE decision_id = ? AND user_id = ?'),
      actionItems: db.prepare<[string], ActionRow>(`${ACTION_SELECT} WHERE a.meeting_id = ? ORDER BY a.created_at, a.id`),
      actionItem: db.prepare<[string], ActionRow>(`${ACTION_SELECT} WHERE a.id = ?`),
      actionsOfDecision: db.prepare<[string], { id: string }>('SELECT id FROM action_items WHERE decision_id = ?'),
      insertAction: db.prepare(`INSERT INTO action_items (id, meeting_id, decision_id, agenda_item_id, title, owner_user_id, owner_unit, co_units,
        due_date, status, evidence, created_at, created_by, updated_at)
        VALUES (@id, @meetingId, @decisionId, @agendaItemId, @title, @ownerUserId, @ownerUnit, @coUnits, @dueDate, 'open', '', @at, @by, @at)`),
      deleteAction: db.prepare('DELETE FROM action_items WHERE id = ?'),
      // Overdue first (the longest overdue first), then by due day with undated last, then newest.
      list: db.prepare<[{ all: number; me: string; meetings: string; mine: number; overdue: number; meetingId: string | null; today: string; limit: number }], ActionRow>(`
        SELECT a.*, o.name AS owner_name, m.title AS meeting_title FROM action_items a
        JOIN meetings m ON m.id = a.meeting_id LEFT JOIN accounts o ON o.id = a.owner_user_id
        WHERE (@all = 1 OR a.owner_user_id = @me OR a.meeting_id IN (SELECT value FROM json_each(@meetings)))
          AND (@mine = 0 OR a.owner_user_id = @me)
          AND (@meetingId IS NULL OR a.meeting_id = @meetingId)
          AND (@overdue = 0 OR (a.status IN ('open', 'in_progress') AND a.due_date < @today))
        ORDER BY (a.status IN ('open', 'in_progress') AND a.due_date < @today) DESC, a.due_date IS NULL, a.due_date, a.created_at DESC, a.id
        LIMIT @limit`),
      meetingsWithRecord: db.prepare<[], { id: string }>(`SELECT meeting_id AS id FROM item_outcomes UNION SELECT meeting_id FROM decisions
        UNION SELECT meeting_id FROM action_items`),
    };
  }

  // ---- reads --------------------------------------------------------------------------------
  /** The whole record of a meeting, as `GET /api/meetings/:id/record` answers it. */
  record(meetingId: string): MeetingRecord {
    const today = dayOf(this.now());
    const dissents = new Map<string, Dissent[]>();
    for (const d of this.s.dissentsOfMeeting.all(meetingId)) {
      const list = dissents.get(d.decision_id) ?? [];
      list.push(toDissent(d));
      dissents.set(d.decision_id, list);
    }
    return {
      meetingId,
      outcomes: this.s.outcomes.all(meetingId).map(toOutcome),
      decisions: this.s.decisions.all(meetingId).map((r) => toDecision(r, dissents.get(r.id) ?? [])),
      actionItems: this.s.actionItems.all(meetingId).map((r) => toAction(r, today)),
      locked: this.lock.isLocked(meetingId),
    };
  }

  outcome(meetingId: string, agendaItemId: string): ItemOutcome | null {
    const r = this.s.outcome.get(meetingId, agendaItemId);
    return r ? toOutcome(r) : null;
  }

  decision(id: string): Decision | null {
    const r = this.s.decision.get(id);
    return r ? toDecision(r, this.s.dissents.all(id).map(toDissent)) : null;
  }

  actionItem(id: string): ActionItem | null {
    const r = this.s.actionItem.get(id);
    return r ? toAction(r, dayOf(this.now())) : null;
  }

  actionItemsOfDecision(decisionId: string): string[] {
    return this.s.actionsOfDecision.all(decisionId).map((r) => r.id);
  }

  listActionItems(q: ActionQuery): ListedActionItem[] {
    const rows = this.s.list.all({
      all: q.meetings === 'all' ? 1 : 0, me: q.userId, meetings: JSON.stringify(q.meetings === 'all' ? [] : q.meetings),
      mine: q.mine ? 1 : 0, overdue: q.overdue ? 1 : 0, meetingId: q.meetingId, today: q.today, limit: ACTION_LIST_LIMIT,
    });
    return rows.map((r) => ({ ...toAction(r, q.today), meetingTitle: r.meeting_title ?? '' }));
  }

  /** Meetings that have any record, for the start-up mirror. */
  meetingsWithRecord(): string[] {
    return this.s.meetingsWithRecord.all().map((r) => r.id);
  }

  // ---- writes (inside the service's transactions) -------------------------------------------------
  putOutcome(o: { meetingId: string; agendaItemId: string; status: ItemOutcomeStatus; conclusion: string; summary: string; by: string; at: number }): void {
    this.s.putOutcome.run(o);
  }
  insertDecision(d: NewDecision): void {
    this.s.insertDecision.run({ ...d, result: d.result === null ? null : JSON.stringify(d.result) });
  }
  updateDecision(d: { id: string; kind: DecisionKind; text: string; pollId: string | null; result: PollResult | null; at: number }): void {
    this.s.updateDecision.run({ ...d, result: d.result === null ? null : JSON.stringify(d.result) });
  }
  deleteDecision(id: string): void {
    this.s.deleteDecision.run(id);
  }
  putDissent(decisionId: string, userId: string, text: string, at: number, by: string): void {
    this.s.putDissent.run(decisionId, userId, text, at, by);
  }
  deleteDissent(decisionId: string, userId: string): boolean {
    return this.s.deleteDissent.run(decisionId, userId).changes > 0;
  }
  insertActionItem(a: NewActionItem): void {
    this.s.insertAction.run({ ...a, coUnits: JSON.stringify(a.coUnits) });
  }
  changeActionItem(id: string, at: number, change: ActionChange): void {
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [at];
    for (const [col, v] of Object.entries(change) as Array<[keyof ActionChange, unknown]>) {
      if (v === undefined) continue;
      sets.push(`${col} = ?`);
      args.push(col === 'co_units' ? JSON.stringify(v) : v);
    }
    this.db.prepare(`UPDATE action_items SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }
  deleteActionItem(id: string): void {
    this.s.deleteAction.run(id);
  }

  // ---- changes, for the search index ----------------------------------------------------------------
  /** Called after each committed change of a conclusion or a decision's text; returns the unsubscribe. */
  onChange(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every listener; one that throws is logged and the others still hear it. */
  emit(change: RecordChange): void {
    for (const l of this.listeners) {
      try {
        l(change);
      } catch (err) {
        this.log?.('a record listener failed', { meetingId: change.meetingId, refId: change.refId, error: String(err) });
      }
    }
  }
}

const toOutcome = (r: OutcomeRow): ItemOutcome => ({
  agendaItemId: r.agenda_item_id, status: r.status, conclusion: r.conclusion, summary: r.summary, updatedAt: r.updated_at,
});
const toDissent = (r: DissentRow): Dissent => ({ userId: r.user_id, name: r.name, text: r.text, at: r.at });
const toDecision = (r: DecisionRow, dissents: Dissent[]): Decision => ({
  id: r.id, meetingId: r.meeting_id, agendaItemId: r.agenda_item_id, kind: r.kind, text: r.text, pollId: r.poll_id,
  result: r.result === null ? null : (JSON.parse(r.result) as PollResult), dissents, createdAt: r.created_at, updatedAt: r.updated_at,
});
function toAction(r: ActionRow, today: string): ActionItem {
  const item = {
    id: r.id, meetingId: r.meeting_id, decisionId: r.decision_id, agendaItemId: r.agenda_item_id, title: r.title,
    ownerUserId: r.owner_user_id, ownerName: r.owner_name, ownerUnit: r.owner_unit, coUnits: JSON.parse(r.co_units) as string[],
    dueDate: r.due_date, status: r.status, evidence: r.evidence, createdAt: r.created_at, updatedAt: r.updated_at,
  };
  return { ...item, overdue: isOverdue(item, today) };
}
