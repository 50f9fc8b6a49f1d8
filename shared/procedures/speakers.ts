// The list of speakers as every side sees it: a speaker's kind and state, the countdown on the
// hub's clock, and one agenda item's list as the hub mirrors it into live/<meetingId>.
import { z } from 'zod';

export const SPEAKER_KINDS = ['normal', 'point_of_order', 'reply'] as const;
export const SPEAKER_STATES = ['waiting', 'speaking', 'paused', 'finished', 'withdrawn', 'removed'] as const;

/**
 * A countdown a client can draw without asking the hub again: while running it ends at `endsAt`
 * (hub clock; the client corrects by the doc's serverTime), while paused `remainingMs` is left.
 */
export const countdownSchema = z.object({
  running: z.boolean(),
  endsAt: z.number().nullable(),
  remainingMs: z.number(),
  allottedMs: z.number().nonnegative(),
  warnAtMs: z.number().nonnegative(),
});
export type Countdown = z.infer<typeof countdownSchema>;

export const speakerSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  kind: z.enum(SPEAKER_KINDS),
  state: z.enum(SPEAKER_STATES),
  requestedAt: z.number(),
  /** Has this member had the floor on this item before (first_time_first puts newcomers first)? */
  spokeBefore: z.boolean().optional(),
  note: z.string().nullable().optional(),
});
export type Speaker = z.infer<typeof speakerSchema>;

/** One agenda item's list: who speaks now, who waits in order, and the item's figures. */
export const speakerListSchema = z.object({
  agendaItemId: z.string(),
  closed: z.boolean(),
  current: speakerSchema.extend({ countdown: countdownSchema }).nullable(),
  waiting: z.array(speakerSchema),
  finishedCount: z.number().int().nonnegative(),
  at: z.number(),
  /** The list's effective settings (its own, else the meeting's, else the defaults). */
  sortRule: z.enum(['fifo', 'first_time_first']).optional(),
  defaultTimeS: z.number().int().optional(),
  warnAtS: z.number().int().optional(),
  /** The last finished turn, which `readd_last` puts back on the list. */
  lastSpeaker: speakerSchema.nullable().optional(),
});
export type SpeakerList = z.infer<typeof speakerListSchema>;

// ---- commands (bodies of the speaker routes in shared/routes.ts) -------------------------------
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const requestFloorSchema = z.object({
  agendaItemId: id,
  kind: z.enum(['normal', 'point_of_order']).optional(),
  note: z.string().trim().max(250).optional(),
}).strict();

/** The chair's controls over one item's list; `next` ends the current turn and starts the next in one step. */
export const speakerControlSchema = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['start', 'pause', 'resume', 'end', 'next', 'close', 'open', 'readd_last']), agendaItemId: id }).strict(),
  z.object({ action: z.literal('add_time'), agendaItemId: id, seconds: z.number().int().min(-3600).max(3600) }).strict(),
  z.object({ action: z.literal('remove'), agendaItemId: id, speakerId: id }).strict(),
  z.object({ action: z.literal('reorder'), agendaItemId: id, speakerIds: z.array(id).max(1000) }).strict(),
  z.object({ action: z.literal('add'), agendaItemId: id, userId: id, kind: z.enum(['normal', 'point_of_order']).optional() }).strict(),
]);
export type SpeakerControl = z.infer<typeof speakerControlSchema>;

/** One item's list when `agendaItemId` is given, else the meeting's defaults for every list without its own. */
export const speakerListSettingsSchema = z.object({
  agendaItemId: id.optional(),
  sortRule: z.enum(['fifo', 'first_time_first']).optional(),
  defaultTimeS: z.number().int().min(10).max(3600).optional(),
  warnAtS: z.number().int().min(0).max(600).optional(),
}).strict();

// ---- answers ---------------------------------------------------------------------------------
export const SPEAKER_DEFAULTS = { sortRule: 'fifo', defaultTimeS: 300, warnAtS: 60 } as const;

/** GET: every item's list that has one; a command answers with the list it changed. */
export const speakersViewSchema = z.object({ lists: z.array(speakerListSchema), serverTime: z.number() });
export const speakerListAnswerSchema = z.object({ list: speakerListSchema, serverTime: z.number() });
/** A request's answer: the new entry and where it stands (1 = next). */
export const floorRequestAnswerSchema = z.object({ speaker: speakerSchema, position: z.number().int().positive(), list: speakerListSchema, serverTime: z.number() });

const speakerFigures = z.object({
  userId: z.string(),
  name: z.string(),
  turns: z.number().int().nonnegative(),
  totalMs: z.number().nonnegative(),
});
const figures = {
  turns: z.number().int().nonnegative(),
  totalMs: z.number().nonnegative(),
  avgMs: z.number().nonnegative(),
  /** Members whose first turn of the meeting was here. */
  firstTimers: z.number().int().nonnegative(),
  speakers: z.array(speakerFigures),
};
export const speakerStatsSchema = z.object({
  items: z.array(z.object({ agendaItemId: z.string(), ...figures })),
  meeting: z.object({ ...figures, neverSpoke: z.array(z.object({ userId: z.string(), name: z.string() })) }),
  serverTime: z.number(),
});
export type SpeakerStats = z.infer<typeof speakerStatsSchema>;
