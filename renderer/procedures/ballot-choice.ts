// What a ballot's choice means, as plain functions (tested without a browser in
// test/unit/procedures-ballot.test.ts): the poll's rules as the live doc gives them, toggling an
// option, what the ballot sends, whether it is valid yet and what to tell the voter. A selection
// ballot marks the options chosen; a strike-out ballot (Vietnamese "gạch tên") marks the names
// struck, and sends the ones kept — the hub counts kept names. Validity is the shared rule the
// hub judges by (shared/procedures/ballot.ts), so the form never offers to send a ballot the hub
// would refuse as invalid.
import { checkBallot, type BallotRules } from '../../shared/procedures/ballot.ts';
import type { ApprovalValue, BallotBody, PollPublic } from '../../shared/procedures/polls.ts';
import type { MessageKey, Translate } from '../i18n/index.tsx';

export const APPROVAL_LABEL: Record<ApprovalValue, MessageKey> = { yes: 'proc.vote.yes', no: 'proc.vote.no', abstain: 'proc.vote.abstain' };

export interface Choice {
  value: ApprovalValue | null;
  /** Selection: the options chosen; strike-out: the names struck. */
  marked: readonly string[];
}

/** The rules a ballot is judged by, with the hub's defaults where the poll leaves one out. */
export function rulesOf(p: Pick<PollPublic, 'method' | 'options' | 'minVotes' | 'maxVotes' | 'strikeOut'>): BallotRules {
  const strikeOut = p.strikeOut === true;
  return {
    method: p.method === 'selection' ? 'selection' : 'approval',
    options: p.options ?? [],
    minVotes: p.minVotes ?? (strikeOut ? 1 : 0),
    maxVotes: p.maxVotes ?? 1,
    strikeOut,
  };
}

/** One of n (not strike-out, at most one): choosing another replaces the choice, like a radio. */
export const isSingleChoice = (r: BallotRules): boolean => r.method === 'selection' && !r.strikeOut && r.maxVotes === 1;

export function toggleMark(r: BallotRules, marked: readonly string[], id: string): string[] {
  if (marked.includes(id)) return marked.filter((m) => m !== id);
  if (isSingleChoice(r)) return [id];
  // In the poll's order, so the draft and the confirmation read like the ballot.
  const next = new Set([...marked, id]);
  return r.options.filter((o) => next.has(o.id)).map((o) => o.id);
}

/** The options the ballot sends: those chosen, or for a strike-out ballot those not struck. */
export function sentIds(r: BallotRules, marked: readonly string[]): string[] {
  const set = new Set(marked);
  return r.options.filter((o) => (r.strikeOut ? !set.has(o.id) : set.has(o.id))).map((o) => o.id);
}

/** The ballot's body once it is valid; null while it is not (nothing chosen, too many, too few). */
export function ballotBody(r: BallotRules, c: Choice): BallotBody | null {
  if (r.method === 'approval') return c.value ? { value: c.value } : null;
  const body = { optionIds: sentIds(r, c.marked) };
  return checkBallot(r, body).ok ? body : null;
}

const labels = (r: BallotRules, ids: readonly string[]): string[] => {
  const set = new Set(ids);
  return r.options.filter((o) => set.has(o.id)).map((o) => o.label);
};
const list = (t: Translate, names: string[]): string => (names.length ? names.join(', ') : t('proc.ballot.nobody'));

/** "Choose up to 2 of 5", "Strike out the names you reject; keep 1 to 3". */
export function ruleText(t: Translate, r: BallotRules): string {
  const n = r.options.length;
  if (r.strikeOut) return t('proc.ballot.rule.strike', { max: r.maxVotes, n });
  if (r.minVotes === r.maxVotes) return t('proc.ballot.rule.exactly', { max: r.maxVotes, n });
  if (r.minVotes === 0) return t('proc.ballot.rule.upTo', { max: r.maxVotes, n });
  return t('proc.ballot.rule.between', { min: r.minVotes, max: r.maxVotes, n });
}

/** Where the choice stands against the rule, said the moment it changes. */
export function standingText(t: Translate, r: BallotRules, marked: readonly string[]): { text: string; ok: boolean } {
  const sent = sentIds(r, marked).length;
  if (r.strikeOut) {
    const kept = t('proc.ballot.keeping', { kept: sent, n: r.options.length });
    if (sent > r.maxVotes) return { text: `${kept} — ${t('proc.ballot.strikeMore', { k: sent - r.maxVotes })}`, ok: false };
    if (sent < 1) return { text: `${kept} — ${t('proc.ballot.keepOne')}`, ok: false };
    return { text: kept, ok: true };
  }
  const chosen = t('proc.ballot.chosen', { n: sent });
  if (sent < r.minVotes) return { text: `${chosen} — ${t('proc.ballot.chooseMore', { k: r.minVotes - sent })}`, ok: false };
  if (sent > r.maxVotes) return { text: `${chosen} — ${t('proc.ballot.tooMany', { k: sent - r.maxVotes })}`, ok: false };
  return { text: chosen, ok: true };
}

/** The confirm step's question: the whole choice, in words. */
export function confirmText(t: Translate, r: BallotRules, c: Choice): string {
  if (r.method === 'approval') return t('proc.vote.confirmQ', { choice: c.value ? t(APPROVAL_LABEL[c.value]) : '' });
  if (r.strikeOut) return t('proc.ballot.confirmStrike', { struck: list(t, labels(r, c.marked)), kept: list(t, labels(r, sentIds(r, c.marked))) });
  return t('proc.ballot.confirmChoose', { names: list(t, labels(r, c.marked)) });
}

/** "You voted: Yes" / "You voted: A, B" / "You kept: A, B" — named and open polls only. */
export function castText(t: Translate, r: BallotRules, c: Choice): string | null {
  if (r.method === 'approval') return c.value ? t('proc.vote.youVoted', { choice: t(APPROVAL_LABEL[c.value]) }) : null;
  const names = list(t, labels(r, sentIds(r, c.marked)));
  return r.strikeOut ? t('proc.ballot.youKept', { names }) : t('proc.vote.youVoted', { choice: names });
}
