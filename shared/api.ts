// Types and validators for everything that crosses the HTTP API, shared by hub, agent and
// renderer. Request bodies are parsed with these schemas at the boundary; responses are typed
// with them so the three sides cannot drift apart.
import { z } from 'zod';
import { ACCOUNT_ROLES, MEETING_ROLES } from './roles.ts';
import { ID_PATTERN, SHA256_PATTERN } from './ids.ts';
import { classificationLevelSchema, levelIdSchema } from './classification.ts';

export const idSchema = z.string().regex(ID_PATTERN, 'must be an id (a-z, 0-9, - and _)');
export const sha256Schema = z.string().regex(SHA256_PATTERN, 'must be a lower-case hex sha256');
const text = (max: number) => z.string().trim().min(1).max(max);

/** Limits that hold on every side of the API. */
export const LIMITS = {
  maxPaperBytes: 200 * 1024 * 1024,
  maxJsonBytes: 64 * 1024,
  maxWsFrameBytes: 8 * 1024 * 1024,
  maxTitle: 300,
  /** POST /api/session: a login and a password fit easily; nothing larger is read. */
  maxSignInBytes: 8 * 1024,
  /** New and changed passwords (the demo seed's `demo` predates this and is not checked). */
  minPasswordLength: 8,
  maxPasswordLength: 1000,
} as const;

// ---- sessions ----------------------------------------------------------------------------
export const sessionRequestSchema = z.object({
  login: text(100),
  password: z.string().min(1).max(LIMITS.maxPasswordLength),
}).strict();
export type SessionRequest = z.infer<typeof sessionRequestSchema>;

export const userSchema = z.object({
  id: idSchema,
  login: z.string(),
  name: z.string(),
  role: z.enum(ACCOUNT_ROLES),
});
export type User = z.infer<typeof userSchema>;

export const sessionResponseSchema = z.object({
  token: z.string(),
  user: userSchema,
  expiresAt: z.string(),
  /** Set by an agent that signed the user in from its cache because the hub was unreachable. */
  offline: z.boolean().optional(),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/**
 * Resuming a device session on an agent (`POST /api/session/resume`): the secret travels in the
 * agent's HttpOnly cookie, never in the body, so the body is an empty JSON object. It is JSON at
 * all so that the loopback guard's content-type rule applies: a cross-site form cannot send it.
 */
export const deviceResumeSchema = z.object({}).strict();

// ---- accounts (admin) --------------------------------------------------------------------
const newPassword = z.string()
  .min(LIMITS.minPasswordLength, `must be at least ${LIMITS.minPasswordLength} characters`)
  .max(LIMITS.maxPasswordLength);

export const createAccountSchema = z.object({
  login: z.string().trim().regex(/^[a-z0-9._-]{2,64}$/i, 'login: 2-64 letters, digits, . _ -'),
  name: text(200),
  role: z.enum(ACCOUNT_ROLES),
  password: newPassword,
}).strict();
export type CreateAccount = z.infer<typeof createAccountSchema>;

export const updateAccountSchema = z.object({
  name: text(200).optional(),
  role: z.enum(ACCOUNT_ROLES).optional(),
  password: newPassword.optional(),
  disabled: z.boolean().optional(),
}).strict();

// ---- meetings ----------------------------------------------------------------------------
export const MEETING_STATUSES = ['draft', 'published', 'closed'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const meetingSummarySchema = z.object({
  id: idSchema,
  title: z.string(),
  startsAt: z.string().nullable(),
  room: z.string().nullable(),
  status: z.enum(MEETING_STATUSES),
  /** The caller's role in this meeting (admins who are not participants see null). */
  myRole: z.enum(MEETING_ROLES).nullable(),
});
export type MeetingSummary = z.infer<typeof meetingSummarySchema>;

export const createMeetingSchema = z.object({
  title: text(LIMITS.maxTitle),
  startsAt: z.string().max(40).nullable().optional(),
  room: z.string().max(200).nullable().optional(),
}).strict();

export const updateMeetingSchema = z.object({
  title: text(LIMITS.maxTitle).optional(),
  startsAt: z.string().max(40).nullable().optional(),
  room: z.string().max(200).nullable().optional(),
  status: z.enum(MEETING_STATUSES).optional(),
  /** With `status: "closed"`: every paper of the meeting is recalled from the devices (shared/recall.ts). */
  recallPapers: z.boolean().optional(),
}).strict();

export const participantSchema = z.object({
  userId: idSchema,
  role: z.enum(MEETING_ROLES),
});
export const setParticipantSchema = participantSchema.strict();
/** `PUT /api/meetings/:id/participants/:userId`: the path names the user (a `userId` here is overridden). */
export const setParticipantBodySchema = participantSchema.partial({ userId: true }).strict();
export const participantInfoSchema = participantSchema.extend({ name: z.string(), login: z.string() });
export type Participant = z.infer<typeof participantInfoSchema>;

/** `GET /api/meetings/:id`: the summary and who takes part (also the agent's cached answer). */
export const meetingDetailSchema = meetingSummarySchema.extend({ participants: z.array(participantInfoSchema) });
export type MeetingDetail = z.infer<typeof meetingDetailSchema>;

// ---- papers ------------------------------------------------------------------------------
export const uploadQuerySchema = z.object({
  title: text(LIMITS.maxTitle).optional(),
  fileName: z.string().max(300).optional(),
  /** Replace this paper: the upload becomes its next version. */
  replace: idSchema.optional(),
  /** Comma-separated user ids: only they (and the meeting's managers) may see the paper. */
  restrictTo: z.string().max(5000).optional(),
  /** The paper's classification level (shared/classification.ts); a new paper is `normal` without it. */
  level: levelIdSchema.optional(),
  /**
   * `1`: the new paper is staged: only the meeting's managers see it until it is released
   * (`POST /api/papers/:id/release`). Without it the paper is in the meeting at once, as always.
   */
  stage: z.enum(['0', '1']).optional(),
}).strict();

export const uploadResponseSchema = z.object({
  id: idSchema,
  sha256: sha256Schema,
  pages: z.number().int().positive(),
  version: z.number().int().positive(),
});
export type UploadResponse = z.infer<typeof uploadResponseSchema>;

export const paperVersionSchema = z.object({
  version: z.number().int().positive(),
  sha256: sha256Schema,
  pages: z.number().int().positive(),
  size: z.number().int().nonnegative(),
  fileName: z.string(),
  createdAt: z.string(),
  /** Pages of the previous version that reappear unchanged in this one ([old, new], 1-based). */
  carriedFrom: z.object({ sha256: sha256Schema, pages: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])) }).nullable().optional(),
});
export type PaperVersionInfo = z.infer<typeof paperVersionSchema>;

export const paperSchema = z.object({
  id: idSchema,
  meetingId: idSchema,
  title: z.string(),
  restricted: z.boolean(),
  /** Uploaded but not released: only its meeting's managers ever see such a paper (absent: released). */
  staged: z.boolean().optional(),
  /** A staged new version of this paper: released, it becomes that paper's next version. */
  replaces: idSchema.optional(),
  versions: z.array(paperVersionSchema),
  /**
   * The paper's classification level and that level's rules as the hub holds them now (issue 17;
   * optional: an agent's cache from an older hub lacks them, and a reader then knows no level).
   */
  level: levelIdSchema.optional(),
  classification: classificationLevelSchema.optional(),
});
export type PaperInfo = z.infer<typeof paperSchema>;
/**
 * A meeting's managers also learn who a restricted paper is limited to; whoever may read a
 * restricted paper learns its agenda items here (the meeting document, read by all, cannot say).
 */
export const paperListItemSchema = paperSchema.extend({
  restrictTo: z.array(idSchema).optional(),
  agendaItemIds: z.array(idSchema).optional(),
});

export const updatePaperSchema = z.object({
  title: text(LIMITS.maxTitle).optional(),
  restrictTo: z.array(idSchema).nullable().optional(),
  /**
   * Puts a restricted or staged paper on agenda items, or takes it off them. Such a paper's items
   * are the hub's to keep (the meeting document, read by all, may not name it); an open paper's
   * are in the document, where the agenda editor writes them. Additions and removals rather than
   * a list, so two managers ticking different items at once both count.
   */
  agendaItems: z.object({
    add: z.array(idSchema).max(200).optional(),
    remove: z.array(idSchema).max(200).optional(),
  }).strict().optional(),
}).strict();

/**
 * `POST /api/papers/:id/release`: what the secretary settled while the paper was staged, applied
 * in the same step as the release (each optional: absent keeps what the paper has).
 */
export const releasePaperSchema = z.object({
  title: text(LIMITS.maxTitle).optional(),
  /** The agenda item the paper goes onto (null: none). */
  agendaItemId: idSchema.nullable().optional(),
  restrictTo: z.array(idSchema).max(1000).nullable().optional(),
  level: levelIdSchema.optional(),
}).strict();
export type ReleasePaperRequest = z.infer<typeof releasePaperSchema>;

// ---- live: presenting --------------------------------------------------------------------
export const presentSchema = z.object({
  paperId: idSchema,
  sha256: sha256Schema.optional(),
  page: z.number().int().positive().max(100000),
}).strict();
export type PresentRequest = z.infer<typeof presentSchema>;

export const handPresenterSchema = z.object({ userId: idSchema.nullable() }).strict();

// ---- device orders (wipe a meeting's cache on devices) -------------------------------------
/** `POST /api/devices/wipe`: wipe this meeting's cache on every device (of one user, if named). */
export const wipeRequestSchema = z.object({
  meetingId: idSchema,
  userId: idSchema.optional(),
  /** true: the meeting comes back on the next refresh; false (default): kept out until the user signs in again. */
  refetch: z.boolean().optional(),
}).strict();
export type WipeRequest = z.infer<typeof wipeRequestSchema>;

export const deviceOrderSchema = z.object({
  id: z.number().int().positive(),
  kind: z.literal('wipe-meeting'),
  meetingId: idSchema,
  userId: idSchema.nullable(),
  refetch: z.boolean(),
  createdAt: z.string(),
});
export type DeviceOrder = z.infer<typeof deviceOrderSchema>;

/** A device's own random id, kept in its cache; names the device in orders and acknowledgements. */
export const deviceOrdersQuerySchema = z.object({ deviceId: idSchema }).strict();
export const deviceAckSchema = z.object({ deviceId: idSchema }).strict();
export const wipeListQuerySchema = z.object({ meetingId: idSchema }).strict();
export const orderWithAcksSchema = deviceOrderSchema.extend({
  issuedBy: z.string(),
  acks: z.array(z.object({ deviceId: z.string(), userId: z.string(), at: z.string() })),
});

// ---- health and audit ----------------------------------------------------------------------
export const healthSchema = z.object({ ok: z.literal(true), service: z.string(), docsLoaded: z.number().int().nonnegative() });

export const auditRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  user_id: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string().nullable(),
});

// ---- errors ------------------------------------------------------------------------------
export const errorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

// ---- agent status (agent only) -------------------------------------------------------------
export const prefetchProgressSchema = z.object({
  meetingId: idSchema,
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  papersDone: z.number().int().nonnegative(),
  papersTotal: z.number().int().nonnegative(),
  /** Why the last attempt at one of this meeting's papers failed (hub gone, sha256 mismatch). */
  lastError: z.string().optional(),
});
export type PrefetchProgress = z.infer<typeof prefetchProgressSchema>;

export const agentStatusSchema = z.object({
  hub: z.enum(['online', 'offline', 'syncing']),
  prefetch: z.array(prefetchProgressSchema),
  /** This device's own id (its cache's), which a watermarked page names. */
  deviceId: idSchema.optional(),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;
