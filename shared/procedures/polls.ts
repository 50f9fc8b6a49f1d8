// Votes as every side sees them: methods, visibilities, the poll's states and what a poll shows
// the room in live/<meetingId> — progress while open ("voted n of m"), the result once published.
// No ballot is ever part of this: only counts the hub tallied.
import { z } from 'zod';

export const POLL_STATES = ['created', 'started', 'finished', 'published', 'annulled'] as const;
export type PollState = (typeof POLL_STATES)[number];
export const POLL_METHODS = ['approval', 'selection'] as const;
export type PollMethod = (typeof POLL_METHODS)[number];
export const POLL_VISIBILITIES = ['named', 'open', 'secret'] as const;
export type PollVisibility = (typeof POLL_VISIBILITIES)[number];
export const APPROVAL_VALUES = ['yes', 'no', 'abstain'] as const;
export type ApprovalValue = (typeof APPROVAL_VALUES)[number];
export const QUORUM_CHECKS = ['none', 'warn', 'block'] as const;
export type QuorumCheck = (typeof QUORUM_CHECKS)[number];

/**
 * The notices the hub sets on a poll (PollPublic.notice), in English; a screen may translate them
 * by these exact texts.
 */
export const POLL_NOTICES = {
  deadlineExtended: 'deadline extended after a hub restart',
  hubRestarted: 'the hub restarted during this vote; no ballot was lost',
} as const;

export const pollOptionSchema = z.object({ id: z.string(), label: z.string() });
export type PollOption = z.infer<typeof pollOptionSchema>;

/** One option's count in a selection poll; `elected` by the poll's majority (null: no quorum). */
export const optionCountSchema = z.object({ id: z.string(), label: z.string(), votes: z.number().int().nonnegative(), elected: z.boolean().nullable() });

/**
 * A tallied result. The contract's four fields always; the rest say how it was decided:
 * `base` is the figure the majority was measured against and `needed` the votes it took.
 * For a selection poll yes/no/abstain are 0 and `options` holds the counts; `passed` is true
 * when at least one option was elected. `passed` is null when the quorum was not met at close.
 */
export const pollResultSchema = z.object({
  yes: z.number().int().nonnegative(),
  no: z.number().int().nonnegative(),
  abstain: z.number().int().nonnegative(),
  passed: z.boolean().nullable(),
  entitled: z.number().int().nonnegative().optional(),
  present: z.number().int().nonnegative().optional(),
  voted: z.number().int().nonnegative().optional(),
  valid: z.number().int().nonnegative().optional(),
  invalid: z.number().int().nonnegative().optional(),
  /** Entitled at the start who cast no ballot. */
  notVoting: z.number().int().nonnegative().optional(),
  /** null when the poll checks no quorum. */
  quorumMet: z.boolean().nullable().optional(),
  base: z.number().int().nonnegative().optional(),
  needed: z.number().int().nonnegative().optional(),
  options: z.array(optionCountSchema).optional(),
});
export type PollResult = z.infer<typeof pollResultSchema>;

/** A poll as the room sees it. */
export const pollPublicSchema = z.object({
  id: z.string(),
  title: z.string(),
  agendaItemId: z.string().nullable(),
  method: z.string(),
  visibility: z.enum(POLL_VISIBILITIES),
  state: z.enum(POLL_STATES),
  voted: z.number().int().nonnegative(),
  entitled: z.number().int().nonnegative(),
  /** Hub clock, ms; null when the poll has no deadline. */
  endsAt: z.number().nullable(),
  result: pollResultSchema.nullable(),
  at: z.number(),
  /** Selection polls: the candidates, and how many a ballot keeps (strike-out) or chooses. */
  options: z.array(pollOptionSchema).optional(),
  minVotes: z.number().int().nonnegative().optional(),
  maxVotes: z.number().int().nonnegative().optional(),
  strikeOut: z.boolean().optional(),
  /** What the room should be told, e.g. that the deadline was extended after a hub restart. */
  notice: z.string().nullable().optional(),
  annulledReason: z.string().nullable().optional(),
  revoteOf: z.string().nullable().optional(),
});
export type PollPublic = z.infer<typeof pollPublicSchema>;

// ---- commands (bodies of the poll routes in shared/routes.ts) ----------------------------------
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const MAJORITY_KINDS = ['simple', 'absolute', 'two_thirds', 'custom'] as const;
export const MAJORITY_BASES = ['yes_no', 'valid', 'cast', 'present', 'entitled', 'members_total'] as const;
export type MajorityBase = (typeof MAJORITY_BASES)[number];
export const majoritySchema = z.object({
  kind: z.enum(MAJORITY_KINDS),
  base: z.enum(MAJORITY_BASES),
  num: z.number().int().min(1).max(1000).optional(),
  den: z.number().int().min(1).max(1000).optional(),
  strict: z.boolean().optional(),
}).strict().superRefine((m, ctx) => {
  if (m.kind === 'custom' && (m.num === undefined || m.den === undefined)) ctx.addIssue({ code: 'custom', message: 'a custom majority needs num and den' });
  if (m.kind !== 'custom' && (m.num !== undefined || m.den !== undefined)) ctx.addIssue({ code: 'custom', message: `num and den belong to a custom majority, not ${m.kind}` });
  if (m.num !== undefined && m.den !== undefined && m.num > m.den) ctx.addIssue({ code: 'custom', message: 'the majority fraction must be at most 1' });
});
export type Majority = z.infer<typeof majoritySchema>;
/** Without a rule: more yes than no among those who took a side (abstentions count for neither). */
export const DEFAULT_MAJORITY: Majority = { kind: 'simple', base: 'yes_no' };

export const createPollSchema = z.object({
  title: z.string().trim().min(1).max(500),
  method: z.enum(POLL_METHODS),
  visibility: z.enum(POLL_VISIBILITIES),
  agendaItemId: id.optional(),
  /** Selection: the candidates; approval takes none. */
  options: z.array(z.string().trim().min(1).max(200)).max(200).optional(),
  /** Selection: how many may be chosen; `strikeOut` is the Vietnamese ballot (strike the names you reject). */
  minVotes: z.number().int().min(0).max(200).optional(),
  maxVotes: z.number().int().min(1).max(200).optional(),
  strikeOut: z.boolean().optional(),
  majority: majoritySchema.optional(),
  /** At start: none, warn (start anyway, say so) or block (refuse); with warn or block a close without quorum passes nothing. */
  quorumCheck: z.enum(QUORUM_CHECKS).optional(),
  durationS: z.number().int().min(10).max(24 * 3600).optional(),
  revoteOf: id.optional(),
}).strict().superRefine((p, ctx) => {
  if (p.method === 'approval') {
    for (const k of ['options', 'minVotes', 'maxVotes', 'strikeOut'] as const) {
      if (p[k] !== undefined) ctx.addIssue({ code: 'custom', path: [k], message: `an approval vote takes no ${k}` });
    }
    return;
  }
  const n = p.options?.length ?? 0;
  if (n < 1) ctx.addIssue({ code: 'custom', path: ['options'], message: 'a selection vote needs at least one option' });
  if (new Set(p.options ?? []).size !== n) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options must differ' });
  const max = p.maxVotes ?? 1;
  const min = p.minVotes ?? (p.strikeOut ? 1 : 0);
  if (max > n && n > 0) ctx.addIssue({ code: 'custom', path: ['maxVotes'], message: `maxVotes (${max}) is more than the ${n} options` });
  if (min > max) ctx.addIssue({ code: 'custom', path: ['minVotes'], message: `minVotes (${min}) is more than maxVotes (${max})` });
  if (p.strikeOut && min < 1) ctx.addIssue({ code: 'custom', path: ['minVotes'], message: 'a strike-out ballot keeps at least one name' });
});
export type CreatePoll = z.infer<typeof createPollSchema>;

/** Approval: one value. Selection: the chosen option ids (for a strike-out ballot, the ones kept). */
export const ballotSchema = z.union([
  z.object({ value: z.enum(APPROVAL_VALUES) }).strict(),
  z.object({ optionIds: z.array(id).max(200) }).strict(),
]);
export type BallotBody = z.infer<typeof ballotSchema>;
export const annulSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

// ---- answers ---------------------------------------------------------------------------------
const serverTime = z.number();

/** The caller's own standing in a poll: never what they voted in a secret poll. */
export const pollMeSchema = z.object({
  entitled: z.boolean(),
  voted: z.boolean(),
  present: z.boolean(),
  /** Named and open polls only: the caller's own ballot. */
  value: z.enum(APPROVAL_VALUES).optional(),
  optionIds: z.array(z.string()).optional(),
});

/** Who voted what, where the poll's visibility lets the caller see it (never for a secret poll). */
export const namedBallotSchema = z.object({
  userId: z.string(),
  name: z.string(),
  value: z.enum(APPROVAL_VALUES).optional(),
  optionIds: z.array(z.string()).optional(),
});

/** For a tallied secret poll: what anyone can check with the hub's public key. */
export const pollVerificationSchema = z.object({
  /** Ed25519, SPKI DER, base64. */
  hubKey: z.string(),
  /** The exact text that was signed (JSON of poll id, result and trackersSha256). */
  signed: z.string(),
  signature: z.string(),
  trackersSha256: z.string(),
});

/** GET /api/polls/:id and the answer of every poll command. */
export const pollDetailSchema = pollPublicSchema.extend({
  meetingId: z.string(),
  majority: majoritySchema.optional(),
  quorumCheck: z.enum(QUORUM_CHECKS),
  startedAt: z.number().nullable(),
  /** Attendance when the poll opened: entitled members present, all voting members, the quorum. */
  atStart: z.object({
    present: z.number().int().nonnegative(),
    membersTotal: z.number().int().nonnegative(),
    quorum: z.object({ met: z.boolean(), needed: z.number().int().nonnegative(), present: z.number().int().nonnegative(), base: z.number().int().nonnegative() }),
  }).nullable().optional(),
  stoppedAt: z.number().nullable(),
  publishedAt: z.number().nullable(),
  me: pollMeSchema,
  /** Managers, while the poll is open: the entitled who have not voted yet. */
  notVoted: z.array(z.object({ userId: z.string(), name: z.string() })).optional(),
  ballots: z.array(namedBallotSchema).optional(),
  verification: pollVerificationSchema.optional(),
  /** After start with quorumCheck warn: why the chair should know. */
  warning: z.string().optional(),
  serverTime,
});
export type PollDetail = z.infer<typeof pollDetailSchema>;

export const pollListSchema = z.object({ polls: z.array(pollPublicSchema), serverTime });
export const createdPollSchema = z.object({ id: z.string(), serverTime });
export const ballotReceiptSchema = z.object({
  /** sha256 of the stored ciphertext (secret) or a random value (named, open): look it up later. */
  tracker: z.string(),
  /** Ed25519 over `${pollId}:${tracker}` with the hub's key: proof the hub took this ballot. */
  receiptSig: z.string().optional(),
  serverTime,
});
export const trackerListSchema = z.object({ trackers: z.array(z.string()), voted: z.number().int().nonnegative(), trackersSha256: z.string(), serverTime });
export const trackerStatusSchema = z.object({
  tracker: z.string(),
  /** The hub holds a ballot with this tracker (or tallied one). */
  received: z.boolean(),
  /** Once tallied: counted as a valid ballot; null before the tally. */
  counted: z.boolean().nullable(),
  serverTime,
});
