// The chair's vote form as plain data (tested without a browser in
// test/unit/procedures-ballot.test.ts): its fields, their defaults (a named yes/no/abstain vote
// decided by a simple majority of yes and no, the quorum checked with a warning — the hub's own
// defaults), a re-vote's copy of the poll it repeats, and the body of `POST …/polls` the form
// makes, or what is wrong with it in words the chair reads. The hub checks again.
import { createPollSchema, type CreatePoll, type Majority, type MajorityBase, type PollDetail, type QuorumCheck } from '../../../shared/procedures/polls.ts';
import type { MessageKey, MessageValues } from '../../i18n/index.tsx';

export type VoteKind = 'approval' | 'selection' | 'strike_out';

export interface VoteForm {
  title: string;
  kind: VoteKind;
  secret: boolean;
  /** Selection and strike-out: one option per line. */
  optionsText: string;
  /** Selection: at least this many chosen. */
  minVotes: number;
  /** Selection: at most this many; strike-out: the seats to fill (names kept at most). */
  maxVotes: number;
  majority: Majority['kind'];
  base: MajorityBase;
  /** A custom majority: num/den, more than it when `strict`. */
  num: number;
  den: number;
  strict: boolean;
  quorumCheck: QuorumCheck;
  /** Seconds; 0: no time limit. */
  limit: number;
  /** The vote this one repeats (a re-vote), with its title for the form to say so. */
  revoteOf: { id: string; title: string } | null;
}

export const NEW_VOTE: VoteForm = {
  title: '', kind: 'approval', secret: false, optionsText: '', minVotes: 0, maxVotes: 1,
  majority: 'simple', base: 'yes_no', num: 1, den: 2, strict: false, quorumCheck: 'warn', limit: 0, revoteOf: null,
};

/** The base each kind of majority is usually measured against; the chair may pick another. */
export const USUAL_BASE: Record<Majority['kind'], MajorityBase | null> = {
  simple: 'yes_no',
  absolute: 'members_total',
  two_thirds: 'cast',
  custom: null,
};

export const optionLines = (text: string): string[] => text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);

/** A re-vote: the poll's question, ballot and rules again, marked as repeating it. */
export function revoteForm(p: PollDetail): VoteForm {
  const kind: VoteKind = p.method !== 'selection' ? 'approval' : p.strikeOut ? 'strike_out' : 'selection';
  const m = p.majority;
  return {
    ...NEW_VOTE,
    title: p.title, kind, secret: p.visibility === 'secret',
    optionsText: (p.options ?? []).map((o) => o.label).join('\n'),
    minVotes: p.minVotes ?? (kind === 'strike_out' ? 1 : 0), maxVotes: p.maxVotes ?? 1,
    ...(m ? { majority: m.kind, base: m.base, num: m.num ?? 1, den: m.den ?? 2, strict: m.strict ?? false } : {}),
    quorumCheck: p.quorumCheck,
    revoteOf: { id: p.id, title: p.title },
  };
}

export type FormCheck = { ok: true; body: CreatePoll } | { ok: false; problem: MessageKey; vars?: MessageValues };

function majorityOf(f: VoteForm): Majority {
  if (f.majority === 'custom') return { kind: 'custom', base: f.base, num: f.num, den: f.den, strict: f.strict };
  return { kind: f.majority, base: f.base };
}

export function voteBody(f: VoteForm, agendaItemId: string | null): FormCheck {
  const title = f.title.trim();
  if (!title) return { ok: false, problem: 'chair.vote.needTitle' };
  const common = {
    title, visibility: f.secret ? 'secret' as const : 'named' as const,
    majority: majorityOf(f), quorumCheck: f.quorumCheck,
    ...(agendaItemId ? { agendaItemId } : {}), ...(f.limit ? { durationS: f.limit } : {}),
    ...(f.revoteOf ? { revoteOf: f.revoteOf.id } : {}),
  };
  if (f.majority === 'custom' && f.num > f.den) return { ok: false, problem: 'chair.vote.fractionTooBig' };
  let body: CreatePoll;
  if (f.kind === 'approval') {
    body = { ...common, method: 'approval' };
  } else {
    const options = optionLines(f.optionsText);
    if (options.length === 0) return { ok: false, problem: 'chair.vote.needOptions' };
    if (new Set(options).size !== options.length) return { ok: false, problem: 'chair.vote.sameOption' };
    if (f.maxVotes < 1 || f.maxVotes > options.length) return { ok: false, problem: 'chair.vote.maxOverOptions', vars: { max: f.maxVotes, n: options.length } };
    const strikeOut = f.kind === 'strike_out';
    const minVotes = strikeOut ? 1 : f.minVotes;
    if (minVotes > f.maxVotes) return { ok: false, problem: 'chair.vote.minOverMax', vars: { min: minVotes, max: f.maxVotes } };
    body = { ...common, method: 'selection', options, minVotes, maxVotes: f.maxVotes, ...(strikeOut ? { strikeOut: true } : {}) };
  }
  // The hub's own schema, so a form the hub would refuse as malformed is caught here too.
  const parsed = createPollSchema.safeParse(body);
  return parsed.success ? { ok: true, body: parsed.data } : { ok: false, problem: 'refusal.other', vars: { message: parsed.error.issues[0]?.message ?? 'invalid' } };
}
