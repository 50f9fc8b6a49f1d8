// The poll tables (schema in procedures/schema.ts) as typed reads and writes. No decisions here:
// poll-service.ts runs the state machine and ballot-box.ts takes ballots, each inside its own
// transaction over these statements.
import type { Database } from '../../core/store.ts';
import { DEFAULT_MAJORITY, majoritySchema, type Majority, type PollMethod, type PollOption, type PollResult, type PollState, type PollVisibility, type QuorumCheck } from '../../../shared/procedures/polls.ts';
import type { BallotRules } from '../../../shared/procedures/ballot.ts';

interface PollRowRaw {
  id: string;
  meeting_id: string;
  agenda_item_id: string | null;
  seq: number;
  title: string;
  method: PollMethod;
  visibility: PollVisibility;
  min_votes: number;
  max_votes: number;
  strike_out: number;
  majority: string;
  quorum_check: QuorumCheck;
  duration_s: number | null;
  state: PollState;
  entitled: string | null;
  at_start: string | null;
  public_key: Buffer | null;
  ends_at: number | null;
  notice: string | null;
  result: string | null;
  signed: string | null;
  signature: string | null;
  trackers: string | null;
  invalid_trackers: string | null;
  created_at: number;
  started_at: number | null;
  stopped_at: number | null;
  published_at: number | null;
  annulled_reason: string | null;
  revote_of: string | null;
  changed_at: number;
}

export interface Poll {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  seq: number;
  title: string;
  method: PollMethod;
  visibility: PollVisibility;
  options: PollOption[];
  rules: BallotRules;
  majority: Majority;
  quorumCheck: QuorumCheck;
  durationS: number | null;
  state: PollState;
  /** The snapshot taken at start (sorted user ids); empty before. */
  entitled: string[];
  /** The attendance figures at the start, for the record. */
  atStart: PollAtStart | null;
  publicKey: Buffer | null;
  endsAt: number | null;
  notice: string | null;
  result: PollResult | null;
  signed: string | null;
  signature: string | null;
  trackers: string[] | null;
  invalidTrackers: string[];
  startedAt: number | null;
  stoppedAt: number | null;
  publishedAt: number | null;
  annulledReason: string | null;
  revoteOf: string | null;
  changedAt: number;
}

export interface PollAtStart {
  present: number;
  membersTotal: number;
  quorum: { met: boolean; needed: number; present: number; base: number };
}

export interface NewPoll {
  id: string;
  meetingId: string;
  agendaItemId: string | null;
  title: string;
  method: PollMethod;
  visibility: PollVisibility;
  options: PollOption[];
  minVotes: number;
  maxVotes: number;
  strikeOut: boolean;
  majority: Majority;
  quorumCheck: QuorumCheck;
  durationS: number | null;
  revoteOf: string | null;
  by: string;
  at: number;
}

/** What a transition writes besides the state (columns by name; undefined leaves one as it is). */
export interface PollChange {
  state?: PollState;
  entitled?: string[] | null;
  at_start?: PollAtStart | null;
  public_key?: Buffer | null;
  ends_at?: number | null;
  notice?: string | null;
  result?: PollResult | null;
  signed?: string | null;
  signature?: string | null;
  trackers?: string[] | null;
  invalid_trackers?: string[] | null;
  started_at?: number | null;
  started_by?: string | null;
  stopped_at?: number | null;
  stopped_by?: string | null;
  published_at?: number | null;
  published_by?: string | null;
  annulled_at?: number | null;
  annulled_by?: string | null;
  annulled_reason?: string | null;
}

const JSON_COLUMNS = new Set(['entitled', 'at_start', 'result', 'trackers', 'invalid_trackers']);
const parseList = (s: string | null): string[] | null => (s === null ? null : (JSON.parse(s) as string[]));

export class PollStore {
  readonly db: Database;
  private readonly s;

  constructor(db: Database) {
    this.db = db;
    this.s = {
      get: db.prepare<[string], PollRowRaw>('SELECT * FROM polls WHERE id = ?'),
      ofMeeting: db.prepare<[string], PollRowRaw>('SELECT * FROM polls WHERE meeting_id = ? ORDER BY seq'),
      inState: db.prepare<[string], PollRowRaw>('SELECT * FROM polls WHERE state = ?'),
      recent: db.prepare<[number], PollRowRaw>("SELECT * FROM polls WHERE state IN ('created', 'started', 'finished') OR changed_at > ?"),
      options: db.prepare<[string], PollOption>('SELECT id, label FROM poll_options WHERE poll_id = ? ORDER BY seq'),
      nextSeq: db.prepare<[string], { n: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM polls WHERE meeting_id = ?'),
      insert: db.prepare(`INSERT INTO polls (id, meeting_id, agenda_item_id, seq, title, method, visibility, min_votes, max_votes, strike_out,
        majority, quorum_check, duration_s, state, created_at, created_by, revote_of, changed_at)
        VALUES (@id, @meetingId, @agendaItemId, @seq, @title, @method, @visibility, @minVotes, @maxVotes, @strikeOut,
        @majority, @quorumCheck, @durationS, 'created', @at, @by, @revoteOf, @at)`),
      insertOption: db.prepare('INSERT INTO poll_options (poll_id, id, seq, label) VALUES (?, ?, ?, ?)'),
      voted: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM poll_voters WHERE poll_id = ?'),
      hasVoted: db.prepare<[string, string], { x: number }>('SELECT 1 AS x FROM poll_voters WHERE poll_id = ? AND user_id = ?'),
      voters: db.prepare<[string], { user_id: string }>('SELECT user_id FROM poll_voters WHERE poll_id = ?'),
      addVoter: db.prepare('INSERT INTO poll_voters (poll_id, user_id) VALUES (?, ?)'),
      addBallot: db.prepare('INSERT INTO poll_ballots (poll_id, user_id, value, tracker) VALUES (?, ?, ?, ?)'),
      ballots: db.prepare<[string], { user_id: string; value: string; tracker: string }>('SELECT user_id, value, tracker FROM poll_ballots WHERE poll_id = ?'),
      ballotOf: db.prepare<[string, string], { value: string }>('SELECT value FROM poll_ballots WHERE poll_id = ? AND user_id = ?'),
      ballotTracker: db.prepare<[string, string], { x: number }>('SELECT 1 AS x FROM poll_ballots WHERE poll_id = ? AND tracker = ?'),
      addCiphertext: db.prepare('INSERT INTO poll_ciphertexts (poll_id, tracker, ct) VALUES (?, ?, ?)'),
      ciphertexts: db.prepare<[string], { tracker: string; ct: Buffer }>('SELECT tracker, ct FROM poll_ciphertexts WHERE poll_id = ?'),
      hasCiphertext: db.prepare<[string, string], { x: number }>('SELECT 1 AS x FROM poll_ciphertexts WHERE poll_id = ? AND tracker = ?'),
      clearVoters: db.prepare('DELETE FROM poll_voters WHERE poll_id = ?'),
      clearBallots: db.prepare('DELETE FROM poll_ballots WHERE poll_id = ?'),
      clearCiphertexts: db.prepare('DELETE FROM poll_ciphertexts WHERE poll_id = ?'),
      names: db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM accounts WHERE id IN (SELECT value FROM json_each(?))'),
    };
  }

  private toPoll(r: PollRowRaw): Poll {
    const options = r.method === 'selection' ? this.s.options.all(r.id) : [];
    const majority = majoritySchema.safeParse(JSON.parse(r.majority));
    return {
      id: r.id, meetingId: r.meeting_id, agendaItemId: r.agenda_item_id, seq: r.seq, title: r.title, method: r.method, visibility: r.visibility,
      options,
      rules: { method: r.method, options, minVotes: r.min_votes, maxVotes: r.max_votes, strikeOut: r.strike_out === 1 },
      majority: majority.success ? majority.data : DEFAULT_MAJORITY,
      quorumCheck: r.quorum_check, durationS: r.duration_s, state: r.state,
      entitled: parseList(r.entitled) ?? [], atStart: r.at_start === null ? null : (JSON.parse(r.at_start) as PollAtStart), publicKey: r.public_key, endsAt: r.ends_at, notice: r.notice,
      result: r.result === null ? null : (JSON.parse(r.result) as PollResult),
      signed: r.signed, signature: r.signature, trackers: parseList(r.trackers), invalidTrackers: parseList(r.invalid_trackers) ?? [],
      startedAt: r.started_at, stoppedAt: r.stopped_at, publishedAt: r.published_at, annulledReason: r.annulled_reason,
      revoteOf: r.revote_of, changedAt: r.changed_at,
    };
  }

  get(id: string): Poll | null {
    const r = this.s.get.get(id);
    return r ? this.toPoll(r) : null;
  }
  ofMeeting(meetingId: string): Poll[] {
    return this.s.ofMeeting.all(meetingId).map((r) => this.toPoll(r));
  }
  inState(state: PollState): Poll[] {
    return this.s.inState.all(state).map((r) => this.toPoll(r));
  }
  /** Polls still in progress or changed since `since` (ms). */
  recent(since: number): Poll[] {
    return this.s.recent.all(since).map((r) => this.toPoll(r));
  }

  insert(p: NewPoll): void {
    const seq = this.s.nextSeq.get(p.meetingId)!.n; // an aggregate always yields one row
    this.s.insert.run({
      id: p.id, meetingId: p.meetingId, agendaItemId: p.agendaItemId, seq, title: p.title, method: p.method, visibility: p.visibility,
      minVotes: p.minVotes, maxVotes: p.maxVotes, strikeOut: p.strikeOut ? 1 : 0, majority: JSON.stringify(p.majority),
      quorumCheck: p.quorumCheck, durationS: p.durationS, at: p.at, by: p.by, revoteOf: p.revoteOf,
    });
    p.options.forEach((o, i) => this.s.insertOption.run(p.id, o.id, i, o.label));
  }

  /** Writes the named columns and stamps changed_at. */
  change(id: string, at: number, c: PollChange): void {
    const cols = Object.entries(c).filter(([, v]) => v !== undefined);
    const sets = [...cols.map(([k]) => `${k} = ?`), 'changed_at = ?'].join(', ');
    const args = cols.map(([k, v]) => (JSON_COLUMNS.has(k) && v !== null ? JSON.stringify(v) : v));
    this.db.prepare(`UPDATE polls SET ${sets} WHERE id = ?`).run(...args, at, id);
  }

  voted(pollId: string): number {
    return this.s.voted.get(pollId)!.n; // COUNT(*) always yields one row
  }
  hasVoted(pollId: string, userId: string): boolean {
    return this.s.hasVoted.get(pollId, userId) !== undefined;
  }
  voters(pollId: string): string[] {
    return this.s.voters.all(pollId).map((r) => r.user_id);
  }
  addVoter(pollId: string, userId: string): void {
    this.s.addVoter.run(pollId, userId);
  }
  addBallot(pollId: string, userId: string, value: string, tracker: string): void {
    this.s.addBallot.run(pollId, userId, value, tracker);
  }
  ballots(pollId: string): Array<{ userId: string; value: string; tracker: string }> {
    return this.s.ballots.all(pollId).map((r) => ({ userId: r.user_id, value: r.value, tracker: r.tracker }));
  }
  ballotOf(pollId: string, userId: string): string | null {
    return this.s.ballotOf.get(pollId, userId)?.value ?? null;
  }
  addCiphertext(pollId: string, tracker: string, ct: Buffer): void {
    this.s.addCiphertext.run(pollId, tracker, ct);
  }
  ciphertexts(pollId: string): Array<{ tracker: string; ct: Buffer }> {
    return this.s.ciphertexts.all(pollId);
  }
  /** A ballot with this tracker is held (not yet tallied). */
  holds(pollId: string, tracker: string): boolean {
    return this.s.hasCiphertext.get(pollId, tracker) !== undefined || this.s.ballotTracker.get(pollId, tracker) !== undefined;
  }
  clearBallots(pollId: string, voters: boolean): void {
    if (voters) this.s.clearVoters.run(pollId);
    this.s.clearBallots.run(pollId);
    this.s.clearCiphertexts.run(pollId);
  }
  clearCiphertexts(pollId: string): void {
    this.s.clearCiphertexts.run(pollId);
  }
  names(userIds: readonly string[]): Map<string, string> {
    return new Map(this.s.names.all(JSON.stringify(userIds)).map((r) => [r.id, r.name]));
  }
}
