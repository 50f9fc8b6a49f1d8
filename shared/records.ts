// The meeting's record (../shared/PROCEDURES.md §4): what each agenda item came to, the decisions
// with the votes that carried them and the reserved opinions of those who dissent, and the action
// items that follow. The hub keeps it in SQLite (electron/hub/records/) and mirrors it into the
// live document; the minutes (shared/minutes.ts) and search read it from there.
import { z } from 'zod';
import { pollResultSchema } from './procedures/polls.ts';

// Agenda item ids come from the meeting document (the demo's `item-budget`, the console's new
// ids): the same pattern the polls take for them.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id (letters, digits, - and _)');
/** An agenda item's id (a path parameter of the outcome route). */
export const agendaItemIdSchema = id;
const text = (max: number) => z.string().trim().max(max);
/** A calendar day, as the secretary means it (no time zone): YYYY-MM-DD. */
export const isoDaySchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a day as YYYY-MM-DD')
  .refine((d) => {
    // Date rolls 2026-02-30 over into March: a real day is one that reads back the same.
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
  }, 'no such day');

/** The error code of every write refused because the record is locked (meeting closed, minutes issued). */
export const RECORD_LOCKED = 'record_locked';

/** The calendar day of `ms` where the clock runs (the hub's day on the hub), as YYYY-MM-DD. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** Open or in progress, and its due day has passed (a task due today is not overdue yet). */
export const isOverdue = (item: { status: string; dueDate: string | null }, today: string): boolean =>
  (item.status === 'open' || item.status === 'in_progress') && item.dueDate !== null && item.dueDate < today;

// ---- item outcomes -----------------------------------------------------------------------------
export const ITEM_OUTCOME_STATUSES = ['pending', 'concluded', 'deferred', 'withdrawn'] as const;
export type ItemOutcomeStatus = (typeof ITEM_OUTCOME_STATUSES)[number];

/** One agenda item's outcome: the chair's conclusion and the secretary's summary of the debate. */
export const itemOutcomeSchema = z.object({
  agendaItemId: id,
  status: z.enum(ITEM_OUTCOME_STATUSES),
  /** The chair's conclusion (kết luận), as it goes into the minutes. */
  conclusion: z.string(),
  /** The secretary's summary of the proceedings on this item (diễn biến). */
  summary: z.string(),
  updatedAt: z.number().int(),
});
export type ItemOutcome = z.infer<typeof itemOutcomeSchema>;

/** `PUT /api/meetings/:id/items/:itemId/outcome` */
export const putItemOutcomeSchema = z.object({
  status: z.enum(ITEM_OUTCOME_STATUSES),
  conclusion: text(20_000).default(''),
  summary: text(50_000).default(''),
}).strict();
export type PutItemOutcome = z.infer<typeof putItemOutcomeSchema>;

// ---- decisions ---------------------------------------------------------------------------------
export const DECISION_KINDS = ['resolution', 'conclusion', 'approval'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** A reserved opinion (bảo lưu ý kiến): a participant who dissents and wants it on record. */
export const dissentSchema = z.object({ userId: id, name: z.string(), text: z.string(), at: z.number().int() });
export type Dissent = z.infer<typeof dissentSchema>;

export const decisionSchema = z.object({
  id,
  meetingId: id,
  agendaItemId: id,
  kind: z.enum(DECISION_KINDS),
  text: z.string(),
  /** The vote that carried it, if any. */
  pollId: id.nullable(),
  /** The poll's result as published, copied when the decision was linked: it never changes after. */
  result: pollResultSchema.nullable(),
  dissents: z.array(dissentSchema),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** `POST /api/meetings/:id/decisions` (a linked poll must be published and of this meeting). */
export const createDecisionSchema = z.object({
  agendaItemId: id,
  kind: z.enum(DECISION_KINDS),
  text: text(20_000).min(1),
  pollId: id.nullable().default(null),
}).strict();
/** `PATCH /api/decisions/:id` */
export const patchDecisionSchema = z.object({
  kind: z.enum(DECISION_KINDS).optional(),
  text: text(20_000).min(1).optional(),
  pollId: id.nullable().optional(),
}).strict();
/** `POST /api/decisions/:id/dissents`: the caller's own reserved opinion (a manager may name `userId`). */
export const createDissentSchema = z.object({ text: text(5_000).min(1), userId: id.optional() }).strict();

// ---- action items ------------------------------------------------------------------------------
/** `overdue` is never stored: it is an open or in-progress item whose due day has passed. */
export const ACTION_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const actionItemSchema = z.object({
  id,
  meetingId: id,
  /** The decision it follows from, if any. */
  decisionId: id.nullable(),
  agendaItemId: id.nullable(),
  title: z.string(),
  ownerUserId: id.nullable(),
  ownerName: z.string().nullable(),
  ownerUnit: z.string(),
  coUnits: z.array(z.string()),
  dueDate: isoDaySchema.nullable(),
  status: z.enum(ACTION_STATUSES),
  /** Derived at read time against the hub's day. */
  overdue: z.boolean(),
  /** Where the result can be found (a document number, a link): free text. */
  evidence: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type ActionItem = z.infer<typeof actionItemSchema>;
/** An action item as the cross-meeting list shows it. */
export const listedActionItemSchema = actionItemSchema.extend({ meetingTitle: z.string() });
export type ListedActionItem = z.infer<typeof listedActionItemSchema>;
/** What the owner of an action item may change (managers change anything). */
export const OWNER_FIELDS = ['status', 'evidence'] as const;

export const createActionItemSchema = z.object({
  decisionId: id.nullable().default(null),
  agendaItemId: id.nullable().default(null),
  title: text(2_000).min(1),
  ownerUserId: id.nullable().default(null),
  ownerUnit: text(500).default(''),
  coUnits: z.array(text(500).min(1)).max(50).default([]),
  dueDate: isoDaySchema.nullable().default(null),
}).strict();
/** `PATCH /api/action-items/:id`: managers change anything; the owner only status and evidence. */
export const patchActionItemSchema = z.object({
  title: text(2_000).min(1).optional(),
  ownerUserId: id.nullable().optional(),
  ownerUnit: text(500).optional(),
  coUnits: z.array(text(500).min(1)).max(50).optional(),
  dueDate: isoDaySchema.nullable().optional(),
  status: z.enum(ACTION_STATUSES).optional(),
  evidence: text(2_000).optional(),
}).strict();

/** `GET /api/action-items?mine=1&overdue=1`: across every meeting the caller may see. */
export const actionItemQuerySchema = z.object({
  mine: z.enum(['0', '1']).optional(),
  overdue: z.enum(['0', '1']).optional(),
  meetingId: id.optional(),
}).strict();
export const actionItemListSchema = z.object({
  /** Overdue first (longest overdue first), then by due day (none last), then newest. */
  items: z.array(listedActionItemSchema),
  /** The hub's day the `overdue` flags were judged against. */
  today: isoDaySchema,
});

// ---- the whole record of one meeting -----------------------------------------------------------
/** `GET /api/meetings/:id/record` */
export const meetingRecordSchema = z.object({
  meetingId: id,
  outcomes: z.array(itemOutcomeSchema),
  decisions: z.array(decisionSchema),
  actionItems: z.array(actionItemSchema),
  /** true once the meeting is closed or its minutes are issued: the record then only reads. */
  locked: z.boolean(),
});
export type MeetingRecord = z.infer<typeof meetingRecordSchema>;

// ---- the record in live/<meetingId> (shared/live-doc.ts, map `record`) ---------------------------
/** Keys of the live document's `record` map: one whole entry per outcome, decision and action item. */
export const RECORD_KEYS = {
  locked: 'locked',
  outcome: (agendaItemId: string) => `outcome:${agendaItemId}`,
  decision: (decisionId: string) => `decision:${decisionId}`,
  action: (actionItemId: string) => `action:${actionItemId}`,
} as const;
