// Whether a vote passed: the majority rule (a fraction of a base, strict or not) applied to the
// tallied counts, in integers so that no rounding ever decides a vote. Pure, so the hub decides
// with it and a screen can explain the figure ("14 needed") with the same arithmetic.
import type { Majority, MajorityBase, PollOption, PollResult } from './polls.ts';

export interface Fraction {
  num: number;
  den: number;
  /** More than the fraction (true) or at least it (false). */
  strict: boolean;
}

/**
 * simple and absolute are both "more than half": they differ in the base a body uses with them
 * (the votes on the question, or all its members), which the rule names explicitly.
 */
export function fractionOf(m: Majority): Fraction {
  switch (m.kind) {
    case 'simple':
    case 'absolute':
      return { num: 1, den: 2, strict: m.strict ?? true };
    case 'two_thirds':
      return { num: 2, den: 3, strict: m.strict ?? false };
    case 'custom':
      return { num: m.num ?? 1, den: m.den ?? 2, strict: m.strict ?? false };
  }
}

/**
 * The fewest votes that carry against `base`: v·den > num·base (strict) or v·den ≥ num·base.
 * Never fewer than one: nothing passes with no vote for it.
 */
export function votesNeeded(f: Fraction, base: number): number {
  const product = f.num * base;
  const needed = f.strict ? Math.floor(product / f.den) + 1 : Math.ceil(product / f.den);
  return Math.max(1, needed);
}

/** Everything the bases are measured from, as the hub had it when the poll closed. */
export interface Turnout {
  /** Entitled at the start (the snapshot). */
  entitled: number;
  /** Entitled and present at the close. */
  present: number;
  /** Members with the right to vote, present or not. */
  membersTotal: number;
  /** Ballots cast (valid or not). */
  voted: number;
  invalid: number;
}

export interface ApprovalCounts {
  yes: number;
  no: number;
  abstain: number;
}

export function baseFigure(base: MajorityBase, t: Turnout, c: ApprovalCounts | null): number {
  const valid = t.voted - t.invalid;
  switch (base) {
    // Selection polls have no "no": their yes/no base is the valid ballots.
    case 'yes_no': return c ? c.yes + c.no : valid;
    case 'valid': return valid;
    case 'cast': return t.voted;
    case 'present': return t.present;
    case 'entitled': return t.entitled;
    case 'members_total': return t.membersTotal;
  }
}

/** `quorumMet` null: the poll checks no quorum. false: nothing passes (passed null). */
export function decideApproval(m: Majority, t: Turnout, c: ApprovalCounts, quorumMet: boolean | null): PollResult {
  const base = baseFigure(m.base, t, c);
  const needed = votesNeeded(fractionOf(m), base);
  return {
    ...c,
    passed: quorumMet === false ? null : c.yes >= needed,
    ...turnoutFields(t, quorumMet), base, needed,
  };
}

/**
 * Each option is elected when its votes meet the majority; if more meet it than there are seats,
 * the most voted take them and a tie for the last seat elects none of the tied (a run-off decides).
 */
export function decideSelection(m: Majority, t: Turnout, options: readonly PollOption[], votes: ReadonlyMap<string, number>, seats: number, quorumMet: boolean | null): PollResult {
  const base = baseFigure(m.base, t, null);
  const needed = votesNeeded(fractionOf(m), base);
  const reaching = options.filter((o) => (votes.get(o.id) ?? 0) >= needed).map((o) => votes.get(o.id) ?? 0).sort((a, b) => b - a);
  // The least votes that still win a seat; options tied on it beyond the seats all lose.
  let cutoff = Infinity;
  if (reaching.length > 0) {
    const last = reaching[Math.min(seats, reaching.length) - 1]!;
    const tiedBeyond = reaching.length > seats && reaching[seats] === last;
    cutoff = tiedBeyond ? last + 1 : last;
  }
  const counted = options.map((o) => {
    const v = votes.get(o.id) ?? 0;
    return { id: o.id, label: o.label, votes: v, elected: quorumMet === false ? null : v >= needed && v >= cutoff };
  });
  return {
    yes: 0, no: 0, abstain: 0,
    passed: quorumMet === false ? null : counted.some((o) => o.elected === true),
    ...turnoutFields(t, quorumMet), base, needed, options: counted,
  };
}

function turnoutFields(t: Turnout, quorumMet: boolean | null) {
  return {
    entitled: t.entitled, present: t.present, voted: t.voted, valid: t.voted - t.invalid, invalid: t.invalid,
    notVoting: Math.max(0, t.entitled - t.voted), quorumMet,
  };
}
