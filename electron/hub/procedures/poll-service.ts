// A poll's state machine: created → started → finished → published, reset back to created before
// publication, annulled with a reason from any state. Each command re-reads the poll and checks
// its state inside one SQLite transaction that also holds its audit row and the poll's new value
// in live/<meetingId> (the sync core's `atomically`: broadcast once committed). The close (by the chair, or by the hub at ends_at) tallies in the same
// transaction, so exactly the ballots committed before it count. The tables are the truth: on
// start the hub re-arms the deadlines of open polls, extended to at least a minute from now so
// that nobody loses the chance to vote to the outage, and rewrites the live doc from them.
import type { Database } from '../../core/store.ts';
import { HttpError } from '../../core/http-common.ts';
import type { Log } from '../../core/log.ts';
import type { HubDb } from '../hub-db.ts';
import type { LiveWriter } from '../live-writer.ts';
import { newId } from '../../../shared/ids.ts';
import { DEFAULT_MAJORITY, POLL_NOTICES, type CreatePoll, type PollState } from '../../../shared/procedures/polls.ts';
import type { Roll } from './roll.ts';
import type { PollKeys } from './poll-keys.ts';
import type { Poll, PollStore } from './poll-store.ts';
import { publicView } from './poll-view.ts';
import { tally } from './tally.ts';

/** How long an open poll stays open, at least, after the hub comes back. */
export const RESTART_GRACE_MS = 60_000;

const conflict = (code: string, message: string) => new HttpError(409, code, message);

const STATE_WORDS: Record<PollState, string> = {
  created: 'has not been opened', started: 'is open', finished: 'is closed', published: 'is published', annulled: 'was annulled',
};

export interface PollServiceDeps {
  sqlite: Database;
  /** One SQLite transaction around table writes and the live doc writes they make (SyncCore.atomically). */
  atomically: <T>(fn: () => T) => T;
  db: HubDb;
  store: PollStore;
  keys: PollKeys;
  roll: Roll;
  live: LiveWriter;
  log: Log;
  /** Reads a poll's value in the live doc (to rewrite it on start where it differs). */
  readLive: (meetingId: string, pollId: string) => unknown;
}

export class PollService {
  private readonly d: PollServiceDeps;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pendingMirror = new Set<string>();

  constructor(deps: PollServiceDeps) {
    this.d = deps;
  }

  /** Runs a command and mirrors the poll, all committed together. */
  private inTransaction<T>(id: string, fn: () => T): T {
    return this.d.atomically(() => {
      const out = fn();
      this.mirror(id);
      return out;
    });
  }

  /** The poll as stored, in one of the states a command accepts. */
  private current(id: string, allowed: readonly PollState[], doing: string): Poll {
    const poll = this.d.store.get(id);
    if (!poll) throw new HttpError(404, 'not_found', 'no such poll');
    if (!allowed.includes(poll.state)) throw conflict('poll_state', `cannot ${doing}: this vote ${STATE_WORDS[poll.state]}`);
    return poll;
  }

  mirror(pollId: string): void {
    const poll = this.d.store.get(pollId);
    if (poll) this.d.live.write(poll.meetingId, [{ map: 'polls', key: poll.id, value: publicView(poll, this.d.store.voted(poll.id)) }]);
  }

  /** After a ballot: one live write for every ballot of the same turn of the event loop. */
  mirrorSoon(pollId: string): void {
    if (this.pendingMirror.has(pollId)) return;
    this.pendingMirror.add(pollId);
    setImmediate(() => {
      this.pendingMirror.delete(pollId);
      if (this.d.sqlite.open) this.mirror(pollId);
    });
  }

  create(meetingId: string, body: CreatePoll, by: string): Poll {
    const id = newId();
    const now = Date.now();
    this.inTransaction(id, () => {
      if (body.revoteOf !== undefined) {
        const of = this.d.store.get(body.revoteOf);
        if (!of || of.meetingId !== meetingId) throw new HttpError(400, 'bad_request', 'revoteOf names no vote of this meeting');
        if (!['finished', 'published', 'annulled'].includes(of.state)) throw conflict('poll_state', 'a re-vote repeats a vote that was closed or annulled; this one ' + STATE_WORDS[of.state]);
      }
      const selection = body.method === 'selection';
      this.d.store.insert({
        id, meetingId, agendaItemId: body.agendaItemId ?? null, title: body.title, method: body.method, visibility: body.visibility,
        options: selection ? (body.options ?? []).map((label, i) => ({ id: `o${i + 1}`, label })) : [],
        minVotes: selection ? body.minVotes ?? (body.strikeOut ? 1 : 0) : 0, maxVotes: selection ? body.maxVotes ?? 1 : 0,
        strikeOut: selection && body.strikeOut === true, majority: body.majority ?? DEFAULT_MAJORITY,
        quorumCheck: body.quorumCheck ?? 'warn', durationS: body.durationS ?? null, revoteOf: body.revoteOf ?? null, by, at: now,
      });
      this.d.db.audit('poll.create', by, id, { meetingId, title: body.title, method: body.method, visibility: body.visibility, revoteOf: body.revoteOf });
    });
    return this.d.store.get(id)!; // inserted just above
  }

  /** Snapshots who may vote and the quorum; a secret poll gets its key. Returns a warning for the chair, if any. */
  start(id: string, by: string): string | undefined {
    let warning: string | undefined;
    this.inTransaction(id, () => {
      const poll = this.current(id, ['created'], 'open the vote');
      const entitled = [...this.d.roll.entitledNow(poll.meetingId)].sort();
      const q = this.d.roll.quorum(poll.meetingId);
      if (!q.met && poll.quorumCheck === 'block') throw conflict('no_quorum', `there is no quorum (${q.present} present, ${q.needed} needed)`);
      if (!q.met && poll.quorumCheck === 'warn') warning = `there is no quorum (${q.present} present, ${q.needed} needed): without one at the close, the vote decides nothing`;
      // Opened all the same (the chair may reset it once members are in): refusing would be a
      // second rule beside the quorum's, and the chair sees "0 entitled" at once.
      if (entitled.length === 0) warning = 'nobody may vote: no member with a right to vote is checked in; reset the vote once they are';
      const now = Date.now();
      const atStart = { present: entitled.length, membersTotal: this.d.roll.votingMembers(poll.meetingId).length, quorum: q };
      this.d.store.change(id, now, {
        state: 'started', entitled, at_start: atStart, public_key: poll.visibility === 'secret' ? this.d.keys.create(id) : null,
        ends_at: poll.durationS === null ? null : now + poll.durationS * 1000, notice: null,
        started_at: now, started_by: by, stopped_at: null, stopped_by: null,
      });
      this.d.db.audit('poll.start', by, id, { entitled: entitled.length, quorum: q });
    });
    this.arm(id);
    return warning;
  }

  /** Closes and tallies; `by` null is the hub at the deadline. */
  stop(id: string, by: string | null): void {
    let secret = false;
    this.inTransaction(id, () => {
      const poll = this.current(id, ['started'], 'close the vote');
      secret = poll.visibility === 'secret';
      const m = poll.meetingId;
      const quorumMet = poll.quorumCheck === 'none' ? null : this.d.roll.quorum(m).met;
      const present = this.d.roll.entitledNow(m).length;
      const t = tally(poll, this.d.store, this.d.keys, { entitled: poll.entitled.length, present, membersTotal: this.d.roll.votingMembers(m).length }, quorumMet);
      const now = Date.now();
      this.d.store.change(id, now, {
        state: 'finished', result: t.result, signed: t.signed, signature: t.signature, trackers: t.trackers, invalid_trackers: t.invalidTrackers,
        public_key: null, stopped_at: now, stopped_by: by,
      });
      if (secret) this.d.store.clearCiphertexts(id);
      this.d.db.audit('poll.stop', by, id, { voted: t.result.voted, passed: t.result.passed, byDeadline: by === null });
    });
    this.disarm(id);
    if (secret) this.forget(id);
  }

  publish(id: string, by: string): void {
    this.inTransaction(id, () => {
      this.current(id, ['finished'], 'publish the result');
      const now = Date.now();
      this.d.store.change(id, now, { state: 'published', published_at: now, published_by: by });
      this.d.db.audit('poll.publish', by, id);
    });
  }

  /** Back to created: ballots, snapshot and key are gone; only before publication. */
  reset(id: string, by: string): void {
    let secret = false;
    this.inTransaction(id, () => {
      const poll = this.current(id, ['started', 'finished'], 'reset the vote');
      // A finished secret poll forgot its ballots at the close already.
      secret = poll.visibility === 'secret' && poll.state === 'started';
      const voted = this.d.store.voted(id);
      this.d.store.clearBallots(id, true);
      this.d.store.change(id, Date.now(), {
        state: 'created', entitled: null, at_start: null, public_key: null, ends_at: null, notice: null, result: null, signed: null, signature: null,
        trackers: null, invalid_trackers: null, started_at: null, started_by: null, stopped_at: null, stopped_by: null,
      });
      this.d.db.audit('poll.reset', by, id, { from: poll.state, voted });
    });
    this.disarm(id);
    if (secret) this.forget(id);
  }

  /** Annulled for good (a re-vote is a new poll); an open poll's ballots are never counted. */
  annul(id: string, by: string, reason: string): void {
    let secret = false;
    this.inTransaction(id, () => {
      const poll = this.current(id, ['created', 'started', 'finished', 'published'], 'annul the vote');
      secret = poll.visibility === 'secret' && poll.state === 'started';
      if (secret) this.d.store.clearCiphertexts(id);
      const now = Date.now();
      this.d.store.change(id, now, { state: 'annulled', public_key: null, annulled_at: now, annulled_by: by, annulled_reason: reason });
      this.d.db.audit('poll.annul', by, id, { from: poll.state, reason });
    });
    this.disarm(id);
    if (secret) this.forget(id);
  }

  /**
   * A secret poll's ballots are gone from the tables (tallied or thrown away): its key goes too,
   * and the WAL, which still holds the pages they were written to, is checkpointed and cut.
   */
  private forget(id: string): void {
    this.d.keys.destroy(id);
    const [r] = this.d.sqlite.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (r?.busy) this.d.log('could not cut the WAL after a secret vote (busy); it is cut at the next checkpoint that can', { poll: id });
  }

  private arm(id: string): void {
    this.disarm(id);
    const poll = this.d.store.get(id);
    if (!poll || poll.state !== 'started' || poll.endsAt === null) return;
    const timer = setTimeout(() => this.expire(id), Math.max(0, poll.endsAt - Date.now()));
    timer.unref();
    this.timers.set(id, timer);
  }

  private disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private expire(id: string): void {
    this.timers.delete(id);
    if (!this.d.sqlite.open) return;
    const poll = this.d.store.get(id);
    if (!poll || poll.state !== 'started' || poll.endsAt === null) return;
    // A deadline moved later meanwhile: wait for it.
    if (poll.endsAt > Date.now()) return this.arm(id);
    try {
      this.stop(id, null);
    } catch (err) {
      this.d.log('closing a vote at its deadline failed', { poll: id, error: String(err) });
    }
  }

  /** At the hub's start: keys of closed polls destroyed, open polls re-armed and announced, the live doc rewritten. */
  recover(): void {
    const { store, keys, log } = this.d;
    for (const id of keys.heldPolls()) {
      if (store.get(id)?.state !== 'started') keys.destroy(id);
    }
    const now = Date.now();
    for (const poll of store.inState('started')) {
      if (poll.visibility === 'secret' && !keys.has(poll.id)) log('an open secret vote has lost its key: its ballots cannot be counted', { poll: poll.id });
      const endsAt = poll.endsAt === null ? null : Math.max(poll.endsAt, now + RESTART_GRACE_MS);
      const notice = endsAt === null ? POLL_NOTICES.hubRestarted : POLL_NOTICES.deadlineExtended;
      this.inTransaction(poll.id, () => {
        store.change(poll.id, now, { ends_at: endsAt, notice });
        this.d.db.audit('poll.resume', null, poll.id, { endsAt, previousEndsAt: poll.endsAt, notice });
      });
      this.arm(poll.id);
    }
    for (const poll of store.recent(now - 24 * 3600_000)) {
      const value = publicView(poll, store.voted(poll.id));
      if (JSON.stringify(this.d.readLive(poll.meetingId, poll.id)) !== JSON.stringify(value)) this.mirror(poll.id);
    }
  }
}
