// Taking a ballot. Checked and stored in one transaction: the poll is open, the voter was entitled
// when it opened and is present now, and has not voted; then the voter goes into poll_voters and
// the ballot into poll_ballots (named, open: who voted what, audited) or, encrypted at this
// boundary to the poll's key, into poll_ciphertexts under its tracker (secret: nothing links the
// two rows, and no audit row marks the moment). The answer waits until the WAL holding the commit
// is on disk: the hub commits with synchronous=NORMAL (a killed process loses nothing), and an
// acknowledged ballot must survive a power cut too. The fsync runs on libuv's pool, so ballots
// arriving meanwhile are committed and share the next one instead of queueing behind it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Database } from '../../core/store.ts';
import { HttpError } from '../../core/http-common.ts';
import type { HubDb } from '../hub-db.ts';
import { checkBallot, encodeBallot } from '../../../shared/procedures/ballot.ts';
import type { BallotBody } from '../../../shared/procedures/polls.ts';
import { encryptBallot, trackerOf } from './ballot-crypto.ts';
import type { PollKeys } from './poll-keys.ts';
import type { PollStore } from './poll-store.ts';
import type { Roll } from './roll.ts';

export interface BallotBoxDeps {
  sqlite: Database;
  db: HubDb;
  store: PollStore;
  keys: PollKeys;
  roll: Roll;
  /** Called after each commit: the room's "voted n of m". */
  committed: (pollId: string) => void;
}

export interface Receipt {
  tracker: string;
  receiptSig: string;
}

const SQLITE_FULL = 2;

/** Resolves once everything committed so far is on disk. */
function walSyncer(sqlite: Database): () => Promise<void> {
  let fd: number | null = null;
  return () => new Promise<void>((resolve, reject) => {
    // FULL already synced the WAL at the commit; a closed hub has nothing left to sync.
    if (!sqlite.open || sqlite.pragma('synchronous', { simple: true }) === SQLITE_FULL) return resolve();
    try {
      fd ??= fs.openSync(`${sqlite.name}-wal`, 'r+');
    } catch (err) {
      return reject(err as Error);
    }
    fs.fdatasync(fd, (err) => (err ? reject(err) : resolve()));
  });
}

export class BallotBox {
  private readonly d: BallotBoxDeps;
  private readonly durable: () => Promise<void>;

  constructor(deps: BallotBoxDeps) {
    this.d = deps;
    this.durable = walSyncer(deps.sqlite);
  }

  async cast(pollId: string, userId: string, body: BallotBody): Promise<Receipt> {
    const { store, roll } = this.d;
    const tracker = this.d.sqlite.transaction(() => {
      const poll = store.get(pollId);
      if (!poll) throw new HttpError(404, 'not_found', 'no such poll');
      if (poll.state !== 'started') throw new HttpError(409, 'poll_not_open', poll.state === 'created' ? 'this vote has not been opened yet' : 'this vote is closed');
      if (poll.endsAt !== null && Date.now() >= poll.endsAt) throw new HttpError(409, 'poll_not_open', 'the time for this vote is over');
      if (!poll.entitled.includes(userId)) {
        throw new HttpError(403, 'not_entitled', 'you may not vote in this poll: it counts the members with a right to vote who were present when it opened');
      }
      if (!roll.isPresent(poll.meetingId, userId)) throw new HttpError(403, 'not_present', 'you are not checked in: check in to vote');
      if (store.hasVoted(pollId, userId)) {
        throw new HttpError(409, 'already_voted', 'you have already voted in this poll; your first ballot stands (look it up by its tracker)');
      }
      const check = checkBallot(poll.rules, body);
      if (!check.ok) throw new HttpError(400, 'bad_request', `invalid ballot: ${check.message}`);
      store.addVoter(pollId, userId);
      if (poll.visibility === 'secret') {
        if (!poll.publicKey) throw new HttpError(500, 'internal', 'this secret vote has no key');
        const ct = encryptBallot(poll.publicKey, pollId, encodeBallot(poll.rules, check.ballot));
        const t = trackerOf(ct);
        store.addCiphertext(pollId, t, ct);
        return t;
      }
      const t = crypto.randomBytes(32).toString('hex');
      store.addBallot(pollId, userId, JSON.stringify(check.ballot), t);
      this.d.db.audit('poll.ballot', userId, pollId);
      return t;
    }).immediate();
    this.d.committed(pollId);
    await this.durable();
    return { tracker, receiptSig: this.d.keys.sign(`${pollId}:${tracker}`) };
  }
}
