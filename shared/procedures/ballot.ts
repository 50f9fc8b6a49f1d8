// A ballot's validity and its fixed-size form. Validity is the rule a paper ballot is judged by:
// one of yes/no/abstain for an approval vote; for a selection, known options, none twice, as many
// as the poll allows (a strike-out ballot is valid when 1 ≤ names kept ≤ seats). The fixed-size
// form is what a secret ballot is encrypted as: every ballot of every poll is PLAIN_BYTES long,
// so a ciphertext's length says nothing about what it holds. Pure, for the hub and the screens.
import { APPROVAL_VALUES, type ApprovalValue, type BallotBody, type PollMethod, type PollOption } from './polls.ts';

export interface BallotRules {
  method: PollMethod;
  options: readonly PollOption[];
  minVotes: number;
  maxVotes: number;
  strikeOut: boolean;
}

export type Ballot = { value: ApprovalValue } | { optionIds: string[] };

export type BallotCheck = { ok: true; ballot: Ballot } | { ok: false; message: string };

export function checkBallot(rules: BallotRules, body: BallotBody): BallotCheck {
  if (rules.method === 'approval') {
    if (!('value' in body)) return { ok: false, message: 'this is a yes/no/abstain vote: send {"value": "yes" | "no" | "abstain"}' };
    return { ok: true, ballot: { value: body.value } };
  }
  if (!('optionIds' in body)) return { ok: false, message: 'this vote is a choice among options: send {"optionIds": [...]}' };
  const known = new Set(rules.options.map((o) => o.id));
  const ids = body.optionIds;
  if (new Set(ids).size !== ids.length) return { ok: false, message: 'an option is chosen more than once' };
  const unknown = ids.filter((i) => !known.has(i));
  if (unknown.length > 0) return { ok: false, message: `${unknown.length === 1 ? 'an option' : `${unknown.length} options`} of this ballot ${unknown.length === 1 ? 'is' : 'are'} not on the poll` };
  const n = ids.length;
  if (rules.strikeOut && (n < 1 || n > rules.maxVotes)) {
    return { ok: false, message: `a strike-out ballot keeps between 1 and ${rules.maxVotes} names (this one keeps ${n})` };
  }
  if (n < rules.minVotes || n > rules.maxVotes) {
    return { ok: false, message: rules.minVotes === rules.maxVotes ? `choose exactly ${rules.maxVotes} (this ballot has ${n})` : `choose between ${rules.minVotes} and ${rules.maxVotes} (this ballot has ${n})` };
  }
  // Stored in the poll's option order, so two equal choices are equal ballots.
  const order = new Map(rules.options.map((o, i) => [o.id, i]));
  return { ok: true, ballot: { optionIds: [...ids].sort((a, b) => order.get(a)! - order.get(b)!) } };
}

/** Large enough for a bitmap over the most options a poll may have (200). */
export const PLAIN_BYTES = 64;
const FORMAT = 1;
const KIND_APPROVAL = 1;
const KIND_SELECTION = 2;

export function encodeBallot(rules: BallotRules, ballot: Ballot): Uint8Array {
  const out = new Uint8Array(PLAIN_BYTES);
  out[0] = FORMAT;
  if ('value' in ballot) {
    out[1] = KIND_APPROVAL;
    out[2] = APPROVAL_VALUES.indexOf(ballot.value);
    return out;
  }
  out[1] = KIND_SELECTION;
  const index = new Map(rules.options.map((o, i) => [o.id, i]));
  for (const id of ballot.optionIds) {
    const i = index.get(id)!;
    out[2 + (i >> 3)]! |= 1 << (i & 7);
  }
  return out;
}

/** The ballot a plaintext holds, or null when it is not a valid ballot of this poll. */
export function decodeBallot(rules: BallotRules, plain: Uint8Array): Ballot | null {
  if (plain.length !== PLAIN_BYTES || plain[0] !== FORMAT) return null;
  let used = 3;
  let ballot: Ballot;
  if (rules.method === 'approval') {
    const value = APPROVAL_VALUES[plain[2]!];
    if (plain[1] !== KIND_APPROVAL || value === undefined) return null;
    ballot = { value };
  } else {
    if (plain[1] !== KIND_SELECTION) return null;
    const n = rules.options.length;
    used = 2 + Math.ceil(n / 8);
    const ids: string[] = [];
    for (let i = 0; i < 8 * (used - 2); i++) {
      if ((plain[2 + (i >> 3)]! & (1 << (i & 7))) === 0) continue;
      if (i >= n) return null;
      ids.push(rules.options[i]!.id);
    }
    ballot = { optionIds: ids };
  }
  for (let i = used; i < PLAIN_BYTES; i++) if (plain[i] !== 0) return null;
  const check = checkBallot(rules, ballot);
  return check.ok ? check.ballot : null;
}
