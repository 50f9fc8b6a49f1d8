// The record's commands. Each one is checked (the callers' rights are the routes'; what the
// command names — an agenda item, a vote, a decision, an account — is checked here), then
// written with its audit row and its live-document entries in one SQLite transaction (the sync
// core's `atomically`: broadcast only once committed), and only then told to the search index.
// A locked record (record-lock.ts) refuses every write with 409 `record_locked`, except an action
// item's progress: its status and evidence are followed up long after the meeting closed, so they
// stay open (docs/api.md, "The meeting's record").
import { badRequest, forbidden, HttpError, notFound } from '../../core/http-common.ts';
import type { HubDb } from '../hub-db.ts';
import type { LiveWriter } from '../live-writer.ts';
import type { PollStore } from '../procedures/poll-store.ts';
import { newId } from '../../../shared/ids.ts';
import type { LiveChange } from '../../../shared/live-doc.ts';
import { pollResultSchema, type PollResult } from '../../../shared/procedures/polls.ts';
import type { ActionItem, Decision, ItemOutcome, PutItemOutcome } from '../../../shared/records.ts';
import { OWNER_FIELDS, type createActionItemSchema, type createDecisionSchema, type patchActionItemSchema, type patchDecisionSchema } from '../../../shared/records.ts';
import { actionEntry, decisionEntry, outcomeEntry } from './record-mirror.ts';
import type { ActionChange, RecordChange, RecordStore } from './record-store.ts';
import type { z } from 'zod';

type CreateDecision = z.output<typeof createDecisionSchema>;
type PatchDecision = z.output<typeof patchDecisionSchema>;
type CreateActionItem = z.output<typeof createActionItemSchema>;
type PatchActionItem = z.output<typeof patchActionItemSchema>;

export interface RecordServiceDeps {
  db: HubDb;
  store: RecordStore;
  polls: Pick<PollStore, 'get'>;
  live: LiveWriter;
  /** One SQLite transaction around table writes and the live writes they make (SyncCore.atomically). */
  atomically: <T>(fn: () => T) => T;
  /** Whether the meeting document's agenda holds the item. */
  agendaHas: (meetingId: string, agendaItemId: string) => boolean;
}

const STATE_WORDS: Record<string, string> = { created: 'has not been opened', started: 'is open', finished: 'is closed but not published', annulled: 'was annulled' };

export class RecordService {
  private readonly d: RecordServiceDeps;

  constructor(deps: RecordServiceDeps) {
    this.d = deps;
  }

  /** Runs `fn` (which returns the live entries it changed) in one transaction, then tells the listeners. */
  private commit<T>(meetingId: string, fn: () => { out: T; live: LiveChange[]; told?: RecordChange[] }): T {
    const done = this.d.atomically(() => {
      const r = fn();
      this.d.live.write(meetingId, r.live);
      return r;
    });
    for (const c of done.told ?? []) this.d.store.emit(c);
    return done.out;
  }

  private requireItem(meetingId: string, agendaItemId: string, field: string): void {
    if (!this.d.agendaHas(meetingId, agendaItemId)) throw badRequest(`${field}: names no item of this meeting's agenda`);
  }

  /** The published result of a vote of this meeting, copied for a decision. */
  private publishedResult(meetingId: string, pollId: string): PollResult {
    const poll = this.d.polls.get(pollId);
    if (!poll || poll.meetingId !== meetingId) throw badRequest('pollId: names no vote of this meeting');
    if (poll.state !== 'published' || !poll.result) {
      throw new HttpError(409, 'poll_not_published', `a decision links a vote once its result is published; this vote ${STATE_WORDS[poll.state] ?? poll.state}`);
    }
    // Only the tallied counts (the schema keeps no other key): never who voted what.
    return pollResultSchema.parse(poll.result);
  }

  // ---- item outcomes ------------------------------------------------------------------------------
  putOutcome(meetingId: string, agendaItemId: string, body: PutItemOutcome, by: string): ItemOutcome {
    if (!this.d.agendaHas(meetingId, agendaItemId)) throw notFound('no such agenda item in this meeting');
    const { store } = this.d;
    return this.commit(meetingId, () => {
      store.lock.assertOpen(meetingId);
      store.putOutcome({ meetingId, agendaItemId, ...body, by, at: Date.now() });
      this.d.db.audit('record.outcome', by, agendaItemId, { meetingId, status: body.status });
      return {
        out: store.outcome(meetingId, agendaItemId)!, // written just above
        live: [outcomeEntry(store, meetingId, agendaItemId)],
        told: [{ meetingId, kind: 'outcome', agendaItemId, refId: agendaItemId, text: body.conclusion || null }],
      };
    });
  }

  // ---- decisions ----------------------------------------------------------------------------------
  createDecision(meetingId: string, body: CreateDecision, by: string): Decision {
    this.requireItem(meetingId, body.agendaItemId, 'agendaItemId');
    const { store } = this.d;
    const id = newId();
    return this.commit(meetingId, () => {
      store.lock.assertOpen(meetingId);
      const result = body.pollId === null ? null : this.publishedResult(meetingId, body.pollId);
      store.insertDecision({ id, meetingId, agendaItemId: body.agendaItemId, kind: body.kind, text: body.text, pollId: body.pollId, result, by, at: Date.now() });
      this.d.db.audit('decision.create', by, id, { meetingId, agendaItemId: body.agendaItemId, kind: body.kind, pollId: body.pollId });
      return {
        out: store.decision(id)!, // inserted just above
        live: [decisionEntry(store, id)],
        told: [{ meetingId, kind: 'decision', agendaItemId: body.agendaItemId, refId: id, text: body.text }],
      };
    });
  }

  patchDecision(current: Decision, body: PatchDecision, by: string): Decision {
    const { store } = this.d;
    const { id, meetingId } = current;
    return this.commit(meetingId, () => {
      store.lock.assertOpen(meetingId);
      // Linked again to the same vote: the copy made at the first link stands (it never changes).
      const relink = body.pollId !== undefined && body.pollId !== current.pollId;
      const pollId = body.pollId === undefined ? current.pollId : body.pollId;
      const result = !relink ? current.result : pollId === null ? null : this.publishedResult(meetingId, pollId);
      const text = body.text ?? current.text;
      store.updateDecision({ id, kind: body.kind ?? current.kind, text, pollId, result, at: Date.now() });
      this.d.db.audit('decision.update', by, id, { meetingId, fields: Object.keys(body), ...(relink ? { pollId } : {}) });
      return {
        out: store.decision(id)!, // exists: checked by the caller, in this same turn
        live: [decisionEntry(store, id)],
        told: body.text === undefined ? [] : [{ meetingId, kind: 'decision', agendaItemId: current.agendaItemId, refId: id, text }],
      };
    });
  }

  /** Its reserved opinions go with it; its action items stay, no longer linked to it. */
  deleteDecision(current: Decision, by: string): void {
    const { store } = this.d;
    const { id, meetingId } = current;
    this.commit(meetingId, () => {
      store.lock.assertOpen(meetingId);
      const unlinked = store.actionItemsOfDecision(id);
      store.deleteDecision(id); // action_items.decision_id → NULL by its foreign key
      this.d.db.audit('decision.delete', by, id, { meetingId, agendaItemId: current.agendaItemId, unlinkedActionItems: unlinked.length });
      return {
        out: undefined,
        live: [decisionEntry(store, id), ...unlinked.map((a) => actionEntry(store, a))],
        told: [{ meetingId, kind: 'decision', agendaItemId: current.agendaItemId, refId: id, text: null }],
      };
    });
  }

  // ---- reserved opinions ------------------------------------------------------------------------------
  /** `userId`'s reserved opinion on the decision, replacing theirs if they had one. */
  putDissent(decision: Decision, userId: string, text: string, by: string): Decision {
    const { store, db } = this.d;
    if (db.participantRole(decision.meetingId, userId) === null) {
      if (userId === by) throw forbidden('only the meeting\'s participants may reserve an opinion');
      throw badRequest('userId: not a participant of this meeting');
    }
    return this.commit(decision.meetingId, () => {
      store.lock.assertOpen(decision.meetingId);
      store.putDissent(decision.id, userId, text, Date.now(), by);
      db.audit('dissent.set', by, decision.id, { meetingId: decision.meetingId, userId });
      return { out: store.decision(decision.id)!, live: [decisionEntry(store, decision.id)] };
    });
  }

  deleteDissent(decision: Decision, userId: string, by: string): void {
    const { store, db } = this.d;
    this.commit(decision.meetingId, () => {
      store.lock.assertOpen(decision.meetingId);
      if (!store.deleteDissent(decision.id, userId)) throw notFound('no such reserved opinion');
      db.audit('dissent.delete', by, decision.id, { meetingId: decision.meetingId, userId });
      return { out: undefined, live: [decisionEntry(store, decision.id)] };
    });
  }

  // ---- action items ------------------------------------------------------------------------------
  private requireOwner(ownerUserId: string | null): void {
    if (ownerUserId !== null && !this.d.db.account(ownerUserId)) throw badRequest('ownerUserId: no such account');
  }

  createActionItem(meetingId: string, body: CreateActionItem, by: string): ActionItem {
    const { store, db } = this.d;
    let agendaItemId = body.agendaItemId;
    if (body.decisionId !== null) {
      const decision = store.decision(body.decisionId);
      if (!decision || decision.meetingId !== meetingId) throw badRequest('decisionId: names no decision of this meeting');
      agendaItemId ??= decision.agendaItemId;
    } else if (agendaItemId !== null) {
      this.requireItem(meetingId, agendaItemId, 'agendaItemId');
    }
    this.requireOwner(body.ownerUserId);
    const id = newId();
    return this.commit(meetingId, () => {
      store.lock.assertOpen(meetingId);
      store.insertActionItem({ id, meetingId, ...body, agendaItemId, by, at: Date.now() });
      db.audit('action-item.create', by, id, { meetingId, decisionId: body.decisionId, ownerUserId: body.ownerUserId, dueDate: body.dueDate });
      return { out: store.actionItem(id)!, live: [actionEntry(store, id)] }; // inserted just above
    });
  }

  /** `asOwner`: the caller is the item's owner and not a manager — status and evidence only. */
  patchActionItem(current: ActionItem, body: PatchActionItem, by: string, asOwner: boolean): ActionItem {
    const { store, db } = this.d;
    const fields = Object.keys(body).filter((k) => body[k as keyof PatchActionItem] !== undefined);
    const beyondProgress = fields.filter((f) => !(OWNER_FIELDS as readonly string[]).includes(f));
    if (asOwner && beyondProgress.length) throw forbidden(`the owner of an action item may change only its status and evidence, not ${beyondProgress.join(', ')}`);
    if (body.ownerUserId !== undefined) this.requireOwner(body.ownerUserId);
    const { id, meetingId } = current;
    return this.commit(meetingId, () => {
      if (beyondProgress.length) store.lock.assertOpen(meetingId);
      const change: ActionChange = {
        title: body.title, owner_user_id: body.ownerUserId, owner_unit: body.ownerUnit, co_units: body.coUnits, due_date: body.dueDate,
        status: body.status, evidence: body.evidence,
      };
      store.changeActionItem(id, Date.now(), change);
      db.audit('action-item.update', by, id, { meetingId, fields, ...(body.status ? { status: body.status } : {}) });
      return { out: store.actionItem(id)!, live: [actionEntry(store, id)] }; // exists: checked by the caller
    });
  }

  deleteActionItem(current: ActionItem, by: string): void {
    const { store, db } = this.d;
    this.commit(current.meetingId, () => {
      store.lock.assertOpen(current.meetingId);
      store.deleteActionItem(current.id);
      db.audit('action-item.delete', by, current.id, { meetingId: current.meetingId, title: current.title });
      return { out: undefined, live: [actionEntry(store, current.id)] };
    });
  }
}
