// Counting a poll's ballots at its close, inside the stop transaction (poll-service.ts), so the
// ballots counted are exactly those committed before it. A secret poll's ciphertexts are
// decrypted in a random order (not the order they are stored or came in), a ciphertext that does
// not open or holds no valid ballot counts as invalid, and the result is signed together with the
// sha256 of the sorted trackers, so the published tracker list and the result vouch for each other.
import crypto from 'node:crypto';
import { decodeBallot, type Ballot } from '../../../shared/procedures/ballot.ts';
import { decideApproval, decideSelection, type Turnout } from '../../../shared/procedures/majority.ts';
import type { PollResult } from '../../../shared/procedures/polls.ts';
import { decryptBallot } from './ballot-crypto.ts';
import type { PollKeys } from './poll-keys.ts';
import type { Poll, PollStore } from './poll-store.ts';
import { HttpError } from '../../core/http-common.ts';

export interface Tally {
  result: PollResult;
  /** Every ballot's tracker, sorted: the public tracker board. */
  trackers: string[];
  invalidTrackers: string[];
  trackersSha256: string;
  /** The signed text: what the signature covers. */
  signed: string;
  signature: string;
}

/** Fisher–Yates with the CSPRNG: no order of the input survives. */
function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const trackersDigest = (sorted: readonly string[]): string => crypto.createHash('sha256').update(sorted.join('\n')).digest('hex');

interface Opened {
  tracker: string;
  ballot: Ballot | null;
}

function openSecret(poll: Poll, store: PollStore, keys: PollKeys): Opened[] {
  const held = store.ciphertexts(poll.id);
  if (held.length === 0) return [];
  const key = keys.privateKey(poll.id);
  // Without its key a poll's ballots cannot be counted; they are kept and the stop refused, so
  // restoring the key file from a backup can still save the vote.
  if (!key) throw new HttpError(500, 'poll_key_missing', 'the key of this secret vote is missing from the hub\'s data folder: its ballots cannot be counted');
  return shuffle(held).map(({ tracker, ct }) => {
    const plain = decryptBallot(key, poll.id, ct);
    return { tracker, ballot: plain ? decodeBallot(poll.rules, plain) : null };
  });
}

function openNamed(poll: Poll, store: PollStore): Opened[] {
  return store.ballots(poll.id).map(({ tracker, value }) => {
    let ballot: Ballot | null = null;
    try {
      ballot = JSON.parse(value) as Ballot;
    } catch {
      /* counted as invalid */
    }
    return { tracker, ballot };
  });
}

export function tally(poll: Poll, store: PollStore, keys: PollKeys, figures: Omit<Turnout, 'voted' | 'invalid'>, quorumMet: boolean | null): Tally {
  const opened = poll.visibility === 'secret' ? openSecret(poll, store, keys) : openNamed(poll, store);
  const invalidTrackers: string[] = [];
  const approval = { yes: 0, no: 0, abstain: 0 };
  const votes = new Map<string, number>();
  for (const { tracker, ballot } of opened) {
    if (!ballot) {
      invalidTrackers.push(tracker);
      continue;
    }
    if ('value' in ballot) approval[ballot.value]++;
    else for (const id of ballot.optionIds) votes.set(id, (votes.get(id) ?? 0) + 1);
  }
  const turnout: Turnout = { ...figures, voted: store.voted(poll.id), invalid: invalidTrackers.length };
  const result = poll.method === 'approval'
    ? decideApproval(poll.majority, turnout, approval, quorumMet)
    : decideSelection(poll.majority, turnout, poll.options, votes, poll.rules.maxVotes, quorumMet);
  const trackers = opened.map((o) => o.tracker).sort();
  const trackersSha256 = trackersDigest(trackers);
  const signed = JSON.stringify({ poll: poll.id, title: poll.title, result, trackersSha256 });
  return { result, trackers, invalidTrackers: invalidTrackers.sort(), trackersSha256, signed, signature: keys.sign(signed) };
}
