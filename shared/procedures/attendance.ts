// Attendance and quorum as every side sees them: the statuses, the quorum rule and the figures the
// hub mirrors into live/<meetingId> (shared/live-doc.ts). The hub decides; this is the vocabulary.
import { z } from 'zod';

/**
 * The header a device's agent names its device by on what it forwards to the hub (the id the hub
 * knows it by in wipe orders): a check-in from a tablet is then bound to that tablet's seat. The
 * agent sets it itself; a client's own value never passes through.
 */
export const DEVICE_HEADER = 'x-chamber-device';

export const ATTENDANCE_STATUSES = ['not_checked_in', 'present', 'present_remote', 'absent_excused', 'absent', 'left'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** One member as the room sees them (no device or seat details: those are the secretary's). */
export const memberAttendanceSchema = z.object({
  userId: z.string(),
  name: z.string(),
  status: z.enum(ATTENDANCE_STATUSES),
  votingRight: z.boolean(),
  late: z.boolean(),
  firstInAt: z.number().nullable(),
  reason: z.string().nullable(),
});
export type MemberAttendance = z.infer<typeof memberAttendanceSchema>;

/** The live quorum banner: "Quorum: 15 of 21, 14 needed". */
export const attendanceSummarySchema = z.object({
  present: z.number().int().nonnegative(),
  /** The quorum's base as configured (members, summoned or entitled). */
  base: z.number().int().nonnegative(),
  entitled: z.number().int().nonnegative(),
  quorum: z.object({ met: z.boolean(), needed: z.number().int().nonnegative() }),
  checkInOpen: z.boolean(),
  /** Hub clock, ms. */
  at: z.number(),
});
export type AttendanceSummary = z.infer<typeof attendanceSummarySchema>;

// ---- commands (bodies of the attendance routes in shared/routes.ts) ----------------------------
const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
/**
 * When a manager records an arrival after the fact (retroactive check-in), the moment it happened:
 * hub-clock ms, not in the future. Late is judged by it.
 */
const at = z.number().int().positive();
/** Check in (the caller), or, for a manager, set someone's status (with a reason for an excuse). */
export const setAttendanceSchema = z.object({
  status: z.enum(['present', 'present_remote', 'absent', 'absent_excused', 'left']),
  userId: userId.optional(),
  reason: z.string().trim().min(1).max(250).optional(),
  at: at.optional(),
}).strict();
/** The secretary marks many at once (bulk present, or retroactive check-in after the window). */
export const bulkAttendanceSchema = z.object({
  userIds: z.array(userId).min(1).max(1000),
  status: z.enum(['present', 'present_remote', 'absent', 'absent_excused', 'left']),
  reason: z.string().trim().min(1).max(250).optional(),
  at: at.optional(),
}).strict();

export const QUORUM_BASES = ['members_total', 'summoned', 'entitled'] as const;
/** present·den ≥ num·base (> when strict): integers, so no rounding decides a quorum. */
export const quorumRuleSchema = z.object({
  base: z.enum(QUORUM_BASES),
  num: z.number().int().min(0).max(1000),
  den: z.number().int().min(1).max(1000),
  strict: z.boolean(),
  countRemote: z.boolean(),
}).strict().refine((r) => r.num <= r.den, 'the quorum fraction must be at most 1');
export type QuorumRule = z.infer<typeof quorumRuleSchema>;
export const DEFAULT_QUORUM: QuorumRule = { base: 'entitled', num: 1, den: 2, strict: true, countRemote: true };

export const attendanceSettingsSchema = z.object({
  checkInOpen: z.boolean().optional(),
  quorum: quorumRuleSchema.optional(),
  lateAfterMinutes: z.number().int().min(0).max(24 * 60).optional(),
}).strict();

// ---- answers ---------------------------------------------------------------------------------
/** A member in the attendance answer: the room's view, plus device and seat for managers only. */
export const memberViewSchema = memberAttendanceSchema.extend({
  role: z.enum(['secretary', 'chair', 'delegate']),
  seatId: z.string().nullable().optional(),
  votingDeviceId: z.string().nullable().optional(),
  seatMismatch: z.boolean().optional(),
  method: z.string().nullable().optional(),
});
export type MemberView = z.infer<typeof memberViewSchema>;

/** GET (and every command's answer): the contract's members, present, entitled and quorum, and more. */
export const attendanceViewSchema = z.object({
  members: z.array(memberViewSchema),
  present: z.number().int().nonnegative(),
  entitled: z.number().int().nonnegative(),
  base: z.number().int().nonnegative(),
  quorum: z.object({ met: z.boolean(), needed: z.number().int().nonnegative(), rule: quorumRuleSchema }),
  checkInOpen: z.boolean(),
  lateAfterMinutes: z.number().int().nonnegative(),
  serverTime: z.number(),
});
export type AttendanceView = z.infer<typeof attendanceViewSchema>;
/**
 * A check-in's answer: the figures and the member whose status was set, not the whole roll (a
 * room of hundreds checking in at once would otherwise get hundreds of rolls back).
 */
export const checkInAnswerSchema = attendanceViewSchema.omit({ members: true }).extend({ member: memberViewSchema });
export type CheckInAnswer = z.infer<typeof checkInAnswerSchema>;

// ---- seats: the room's seating, and which device sits at which seat --------------------------
const seatId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const seatSchema = z.object({ id: z.string(), label: z.string(), x: z.number().nullable(), y: z.number().nullable(), deviceId: z.string().nullable() });
export type Seat = z.infer<typeof seatSchema>;
/** Creates or changes a seat; `deviceId` binds a device to it (null unbinds, absent keeps). */
export const putSeatSchema = z.object({
  label: z.string().trim().min(1).max(60),
  x: z.number().finite().nullable().optional(),
  y: z.number().finite().nullable().optional(),
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).nullable().optional(),
}).strict();
/** A meeting's seating plan: who sits where (null clears a member's seat). */
export const seatingSchema = z.object({
  seats: z.array(z.object({ userId, seatId: seatId.nullable() }).strict()).min(1).max(1000),
}).strict();
export const seatIdSchema = seatId;

// ---- the quorum test (pure: the hub decides with it, a client may explain it) -------------------
/** Is `present` enough by `rule` over `base`? Integers only: present·den ≥ num·base (> when strict). */
export function quorumMet(rule: Pick<QuorumRule, 'num' | 'den' | 'strict'>, present: number, base: number): boolean {
  const lhs = present * rule.den;
  const rhs = rule.num * base;
  return rule.strict ? lhs > rhs : lhs >= rhs;
}

/** The fewest present that meet the rule: the "14 needed" of the banner. */
export function quorumNeeded(rule: Pick<QuorumRule, 'num' | 'den' | 'strict'>, base: number): number {
  const product = rule.num * base;
  return rule.strict ? Math.floor(product / rule.den) + 1 : Math.ceil(product / rule.den);
}
