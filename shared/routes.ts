// The HTTP API as one table: each route's method, path, who may call it, its schemas and what
// body it takes. The hub registers its routes from it (electron/hub/route.ts), the agent derives
// its forward allow-list and its hub client's types from it, and a test checks docs/api.md
// against it. Isomorphic (zod only), so the renderer can import it as it is.
// Long because it is the one table: split by resource it would no longer be read, or checked
// against docs/api.md, in one place. The schemas themselves live in shared/api.ts and
// shared/procedures/; what stays here is one entry per route.
import { z } from 'zod';
import type { AccountRole } from './roles.ts';
import * as api from './api.ts';
import * as archive from './archive.ts';
import * as audit from './audit.ts';
import * as classification from './classification.ts';
import { presentingSchema } from './meeting-doc.ts';
import * as minutes from './minutes.ts';
import * as notesExport from './notes-export.ts';
import * as attendance from './procedures/attendance.ts';
import * as polls from './procedures/polls.ts';
import * as speakers from './procedures/speakers.ts';
import * as recall from './recall.ts';
import * as records from './records.ts';
import * as search from './search.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Rules that need the meeting, paper or file the request names; the hub decides them
 * (electron/hub/rules.ts). Outsiders get 404 rather than 403, so nothing's existence leaks.
 */
export const PARTICIPANT_RULES = {
  'meeting-participant': 'takes part in the meeting `:id` (admins take part in every meeting)',
  'meeting-manager': 'the secretary or chair of the meeting `:id`, or an admin',
  presenter: 'takes part in the meeting `:id`; presenting itself needs a manager or the participant handed the presenter role',
  'paper-manager': 'a manager of the meeting that holds the paper `:id`',
  'blob-reader': 'may see a paper that holds the file `:sha`',
  'order-manager': 'a manager of the meeting the wipe order names',
} as const;
export type ParticipantRule = keyof typeof PARTICIPANT_RULES;

/** `anyone`: no session needed; `signed-in`: any session; a role list: those account roles. */
export type Who = 'anyone' | 'signed-in' | readonly AccountRole[] | ParticipantRule;

/**
 * What a route reads as its body. `none` ignores a body (a JSON one is still accepted, as it
 * always was); `json` parses it with `schema`; `paper` takes a PDF or an office file, raw.
 */
export type BodyDef =
  | { kind: 'none' }
  | { kind: 'json'; schema: z.ZodType; /** Names the body in error messages. */ what: string; limit?: number }
  | { kind: 'paper' };

/**
 * Who answers a route on a device's agent: `own` it answers itself (from its cache or its own
 * session), `forward` it passes to the hub with the hub token, `forward-else-own` it passes to
 * the hub while the hub answers and answers itself from its cache when it does not (search),
 * `hub-only` it answers 404.
 */
export type AgentHandling = 'own' | 'forward' | 'forward-else-own' | 'hub-only';

export interface RouteDef {
  method: Method;
  /** Fastify's syntax: `:name` is a path parameter with a schema in `params`; `*` a wildcard. */
  path: string;
  who: Who;
  /** The 403 message when `who` refuses a caller that is signed in. */
  deny?: string;
  /** One schema per path parameter; `.describe()` names it in error messages. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body: BodyDef;
  /** A JSON answer's schema, `bytes` for a file, absent for an empty answer. */
  response?: z.ZodType | 'bytes' | 'html';
  /** The success status when not 200. */
  status?: 201 | 204;
  /** `hub` serves it today; `agent` only the agent; `planned` is in the brief's contract, not built yet. */
  servedBy: 'hub' | 'agent' | 'planned';
  /** Registered by a static-files plugin rather than a handler. */
  plugin?: true;
  agent: AgentHandling;
}

const def = <const D extends RouteDef>(d: D): D => d;

/** Media types of a paper upload besides PDF: Word and OpenDocument, converted by the hub. */
export const OFFICE_MEDIA_TYPES = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.oasis.opendocument.text',
] as const;
export const PAPER_MEDIA_TYPES: readonly string[] = ['application/pdf', 'application/octet-stream', ...OFFICE_MEDIA_TYPES];
export const JSON_MEDIA_TYPES: readonly string[] = ['application/json'];

/** The media types a route's body may have (the first is named in a 415). */
export const mediaTypesOf = (r: Pick<RouteDef, 'body'>): readonly string[] => (r.body.kind === 'paper' ? PAPER_MEDIA_TYPES : JSON_MEDIA_TYPES);

/** The most bytes of body a route reads. */
export const bodyLimitOf = (r: Pick<RouteDef, 'body'>): number =>
  r.body.kind === 'paper' ? api.LIMITS.maxPaperBytes : (r.body.kind === 'json' ? r.body.limit : undefined) ?? api.LIMITS.maxJsonBytes;

const meetingId = z.object({ id: api.idSchema.describe('meeting id') }).strict();
const accountId = z.object({ id: api.idSchema.describe('account id') }).strict();
const paperId = z.object({ id: api.idSchema.describe('paper id') }).strict();
const pollId = z.object({ id: api.idSchema.describe('poll id') }).strict();
const none = { kind: 'none' } as const;
const json = <S extends z.ZodType>(schema: S, what: string, limit?: number) => ({ kind: 'json', schema, what, ...(limit ? { limit } : {}) }) as const;
const MANAGERS = ['admin', 'secretary', 'chair'] as const;
const ADMIN = ['admin'] as const;
const ok204 = { status: 204 } as const;

export const ROUTES = {
  // ---- health and sessions ----------------------------------------------------------------
  health: def({ method: 'GET', path: '/health', who: 'anyone', body: none, response: api.healthSchema, servedBy: 'hub', agent: 'own' }),
  signIn: def({
    method: 'POST', path: '/api/session', who: 'anyone', body: json(api.sessionRequestSchema, 'sign-in request', api.LIMITS.maxSignInBytes),
    response: api.sessionResponseSchema, servedBy: 'hub', agent: 'own',
  }),
  session: def({ method: 'GET', path: '/api/session', who: 'signed-in', body: none, response: z.object({ user: api.userSchema }), servedBy: 'hub', agent: 'own' }),
  signOut: def({ method: 'DELETE', path: '/api/session', who: 'signed-in', body: none, ...ok204, servedBy: 'hub', agent: 'own' }),
  // A device session (the agent's own: docs/api.md, Agent): kept on the device by a password
  // sign-in, resumed by a page without the password. A hub answers neither (404).
  rememberDevice: def({ method: 'POST', path: '/api/session/device', who: 'signed-in', body: none, ...ok204, servedBy: 'agent', agent: 'own' }),
  resumeSession: def({
    method: 'POST', path: '/api/session/resume', who: 'anyone', body: json(api.deviceResumeSchema, 'resume request', api.LIMITS.maxSignInBytes),
    response: api.sessionResponseSchema, servedBy: 'agent', agent: 'own',
  }),

  // ---- accounts ------------------------------------------------------------------------------
  accounts: def({ method: 'GET', path: '/api/accounts', who: MANAGERS, body: none, response: z.array(api.userSchema), servedBy: 'hub', agent: 'forward' }),
  createAccount: def({
    method: 'POST', path: '/api/accounts', who: ADMIN, deny: 'only an admin may do this', body: json(api.createAccountSchema, 'account'),
    response: api.userSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  updateAccount: def({
    method: 'PATCH', path: '/api/accounts/:id', who: ADMIN, deny: 'only an admin may do this', params: accountId,
    body: json(api.updateAccountSchema, 'account'), response: api.userSchema, servedBy: 'hub', agent: 'forward',
  }),
  revokeSessions: def({
    method: 'POST', path: '/api/accounts/:id/revoke-sessions', who: ADMIN, deny: 'only an admin may do this', params: accountId,
    body: none, response: z.object({ revoked: z.number().int().nonnegative() }), servedBy: 'hub', agent: 'forward',
  }),

  // ---- meetings and participants ----------------------------------------------------------
  meetings: def({ method: 'GET', path: '/api/meetings', who: 'signed-in', body: none, response: z.array(api.meetingSummarySchema), servedBy: 'hub', agent: 'own' }),
  createMeeting: def({
    method: 'POST', path: '/api/meetings', who: MANAGERS, deny: 'only a secretary, chair or admin may create meetings',
    body: json(api.createMeetingSchema, 'meeting'), response: api.meetingSummarySchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  meeting: def({
    method: 'GET', path: '/api/meetings/:id', who: 'meeting-participant', params: meetingId, body: none,
    response: api.meetingDetailSchema, servedBy: 'hub', agent: 'own',
  }),
  updateMeeting: def({
    method: 'PATCH', path: '/api/meetings/:id', who: 'meeting-manager', deny: 'only the meeting\'s secretary, chair or an admin may edit it',
    params: meetingId, body: json(api.updateMeetingSchema, 'meeting'), response: api.meetingSummarySchema, servedBy: 'hub', agent: 'forward',
  }),
  setParticipant: def({
    method: 'PUT', path: '/api/meetings/:id/participants/:userId', who: 'meeting-manager',
    deny: 'only the meeting\'s secretary, chair or an admin may change participants',
    params: z.object({ id: api.idSchema.describe('meeting id'), userId: api.idSchema.describe('user id') }).strict(),
    body: json(api.setParticipantBodySchema, 'participant'), response: z.array(api.participantInfoSchema), servedBy: 'hub', agent: 'forward',
  }),
  removeParticipant: def({
    method: 'DELETE', path: '/api/meetings/:id/participants/:userId', who: 'meeting-manager',
    params: z.object({ id: api.idSchema.describe('meeting id'), userId: api.idSchema.describe('user id') }).strict(),
    body: none, ...ok204, servedBy: 'hub', agent: 'forward',
  }),

  // ---- papers and their files ---------------------------------------------------------------
  papers: def({
    method: 'GET', path: '/api/meetings/:id/papers', who: 'meeting-participant', params: meetingId, body: none,
    response: z.array(api.paperListItemSchema), servedBy: 'hub', agent: 'own',
  }),
  upload: def({
    method: 'POST', path: '/api/meetings/:id/documents', who: 'meeting-manager',
    deny: 'only the meeting\'s secretary, chair or an admin may upload papers', params: meetingId,
    query: api.uploadQuerySchema.describe('upload parameters'), body: { kind: 'paper' }, response: api.uploadResponseSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  updatePaper: def({
    method: 'PATCH', path: '/api/papers/:id', who: 'paper-manager', params: paperId, body: json(api.updatePaperSchema, 'paper'),
    response: api.paperSchema, servedBy: 'hub', agent: 'forward',
  }),
  removePaper: def({ method: 'DELETE', path: '/api/papers/:id', who: 'paper-manager', params: paperId, body: none, ...ok204, servedBy: 'hub', agent: 'forward' }),
  // Staging (issue 16): an upload with `stage=1` waits for the managers' release; the staged
  // papers are theirs alone, so they come from the hub, never from an agent's cache.
  stagedPapers: def({
    method: 'GET', path: '/api/meetings/:id/staged-papers', who: 'meeting-manager', deny: 'only the meeting\'s secretary, chair or an admin may see staged papers',
    params: meetingId, body: none, response: z.array(api.paperListItemSchema), servedBy: 'hub', agent: 'forward',
  }),
  releasePaper: def({
    method: 'POST', path: '/api/papers/:id/release', who: 'paper-manager', deny: 'only the meeting\'s secretary, chair or an admin may release its papers',
    params: paperId, body: json(api.releasePaperSchema, 'release'), response: api.paperSchema, servedBy: 'hub', agent: 'forward',
  }),
  blob: def({
    method: 'GET', path: '/api/blobs/:sha', who: 'blob-reader', params: z.object({ sha: api.sha256Schema.describe('sha256') }).strict(),
    body: none, response: 'bytes', servedBy: 'hub', agent: 'own',
  }),

  // ---- live: presenting ---------------------------------------------------------------------
  present: def({
    method: 'POST', path: '/api/meetings/:id/present', who: 'presenter', params: meetingId, body: json(api.presentSchema, 'presentation'),
    response: presentingSchema, servedBy: 'hub', agent: 'forward',
  }),
  stopPresenting: def({ method: 'DELETE', path: '/api/meetings/:id/present', who: 'presenter', params: meetingId, body: none, ...ok204, servedBy: 'hub', agent: 'forward' }),
  handPresenter: def({
    method: 'PUT', path: '/api/meetings/:id/presenter', who: 'meeting-manager', deny: 'only the secretary or chair hands over presenting',
    params: meetingId, body: json(api.handPresenterSchema, 'presenter'), response: z.object({ presenterId: api.idSchema.nullable() }), servedBy: 'hub', agent: 'forward',
  }),

  // ---- audit, devices, updates ----------------------------------------------------------------
  audit: def({ method: 'GET', path: '/api/audit', who: ADMIN, deny: 'only an admin may do this', body: none, response: z.array(api.auditRowSchema), servedBy: 'hub', agent: 'forward' }),
  orderWipe: def({
    method: 'POST', path: '/api/devices/wipe', who: 'order-manager', deny: 'only the meeting\'s secretary, chair or an admin may order a wipe',
    body: json(api.wipeRequestSchema, 'wipe order'), response: api.deviceOrderSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  wipeOrders: def({
    method: 'GET', path: '/api/devices/wipe', who: 'order-manager', deny: 'only the meeting\'s secretary, chair or an admin may order a wipe',
    query: api.wipeListQuerySchema, body: none, response: z.array(api.orderWithAcksSchema), servedBy: 'hub', agent: 'forward',
  }),
  // The device's own business with the hub: never reachable through an agent.
  deviceOrders: def({
    method: 'GET', path: '/api/devices/orders', who: 'signed-in', query: api.deviceOrdersQuerySchema, body: none,
    response: z.array(api.deviceOrderSchema), servedBy: 'hub', agent: 'hub-only',
  }),
  ackOrder: def({
    method: 'POST', path: '/api/devices/orders/:id/ack', who: 'signed-in',
    params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).describe('order id') }).strict(),
    body: json(api.deviceAckSchema, 'acknowledgement'), ...ok204, servedBy: 'hub', agent: 'hub-only',
  }),
  updates: def({ method: 'GET', path: '/updates/*', who: 'anyone', body: none, response: 'bytes', servedBy: 'hub', plugin: true, agent: 'hub-only' }),
  renderer: def({ method: 'GET', path: '/', who: 'anyone', body: none, response: 'html', servedBy: 'hub', plugin: true, agent: 'own' }),

  // ---- the agent's own ----------------------------------------------------------------------
  agentStatus: def({ method: 'GET', path: '/api/agent/status', who: 'signed-in', body: none, response: api.agentStatusSchema, servedBy: 'agent', agent: 'own' }),

  // ---- meeting procedures (../shared/PROCEDURES.md): the hub decides; an agent forwards them and
  // answers 503 without its hub, never queueing one. `planned` until the hub serves it.
  // Attendance and quorum (shared/procedures/attendance.ts):
  attendance: def({
    method: 'GET', path: '/api/meetings/:id/attendance', who: 'meeting-participant', params: meetingId, body: none,
    response: attendance.attendanceViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  checkIn: def({
    method: 'POST', path: '/api/meetings/:id/attendance', who: 'meeting-participant', params: meetingId,
    body: json(attendance.setAttendanceSchema, 'attendance'), response: attendance.checkInAnswerSchema, servedBy: 'hub', agent: 'forward',
  }),
  bulkAttendance: def({
    method: 'POST', path: '/api/meetings/:id/attendance/bulk', who: 'meeting-manager', deny: 'only the meeting\'s secretary or chair may mark attendance',
    params: meetingId, body: json(attendance.bulkAttendanceSchema, 'attendance'), response: attendance.attendanceViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  attendanceSettings: def({
    method: 'PATCH', path: '/api/meetings/:id/attendance/settings', who: 'meeting-manager', deny: 'only the meeting\'s secretary or chair may change this',
    params: meetingId, body: json(attendance.attendanceSettingsSchema, 'attendance settings'), response: attendance.attendanceViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  seating: def({
    method: 'PUT', path: '/api/meetings/:id/attendance/seating', who: 'meeting-manager', deny: 'only the meeting\'s secretary or chair may seat members',
    params: meetingId, body: json(attendance.seatingSchema, 'seating plan'), response: attendance.attendanceViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  /** The room's seats and the device bound to each (seats belong to the room, not a meeting). */
  seats: def({ method: 'GET', path: '/api/seats', who: MANAGERS, body: none, response: z.array(attendance.seatSchema), servedBy: 'hub', agent: 'forward' }),
  putSeat: def({
    method: 'PUT', path: '/api/seats/:seatId', who: ['admin', 'secretary'], deny: 'only an admin or a secretary may arrange the room\'s seats',
    params: z.object({ seatId: attendance.seatIdSchema.describe('seat id') }).strict(), body: json(attendance.putSeatSchema, 'seat'),
    response: z.array(attendance.seatSchema), servedBy: 'hub', agent: 'forward',
  }),
  // The list of speakers (shared/procedures/speakers.ts):
  speakers: def({
    method: 'GET', path: '/api/meetings/:id/speakers', who: 'meeting-participant', params: meetingId, body: none,
    response: speakers.speakersViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  requestFloor: def({
    method: 'POST', path: '/api/meetings/:id/speakers', who: 'meeting-participant', params: meetingId,
    body: json(speakers.requestFloorSchema, 'request to speak'), response: speakers.floorRequestAnswerSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  withdrawFloor: def({
    method: 'DELETE', path: '/api/meetings/:id/speakers/:speakerId', who: 'meeting-participant',
    params: z.object({ id: api.idSchema.describe('meeting id'), speakerId: api.idSchema.describe('speaker id') }).strict(), body: none, ...ok204, servedBy: 'hub', agent: 'forward',
  }),
  speakerControl: def({
    method: 'POST', path: '/api/meetings/:id/speakers/control', who: 'meeting-manager', deny: 'only the meeting\'s chair or secretary may run the list of speakers',
    params: meetingId, body: json(speakers.speakerControlSchema, 'speaker list command'), response: speakers.speakerListAnswerSchema, servedBy: 'hub', agent: 'forward',
  }),
  speakerSettings: def({
    method: 'PATCH', path: '/api/meetings/:id/speakers/settings', who: 'meeting-manager', deny: 'only the meeting\'s chair or secretary may change this',
    params: meetingId, body: json(speakers.speakerListSettingsSchema, 'speaker list settings'), response: speakers.speakersViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  speakerStats: def({
    method: 'GET', path: '/api/meetings/:id/speakers/stats', who: 'meeting-participant', params: meetingId, body: none,
    response: speakers.speakerStatsSchema, servedBy: 'hub', agent: 'forward',
  }),
  // Votes (shared/procedures/polls.ts). Under /api/polls/:id the hub applies the poll's meeting's
  // rules itself (electron/hub/routes/polls.ts): outsiders 404, participants who do not run it 403.
  polls: def({ method: 'GET', path: '/api/meetings/:id/polls', who: 'meeting-participant', params: meetingId, body: none, response: polls.pollListSchema, servedBy: 'hub', agent: 'forward' }),
  createPoll: def({
    method: 'POST', path: '/api/meetings/:id/polls', who: 'meeting-manager', deny: 'only the meeting\'s chair or secretary may create a vote', params: meetingId,
    body: json(polls.createPollSchema, 'poll'), response: polls.createdPollSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  poll: def({ method: 'GET', path: '/api/polls/:id', who: 'signed-in', params: pollId, body: none, response: polls.pollDetailSchema, servedBy: 'hub', agent: 'forward' }),
  startPoll: def({ method: 'POST', path: '/api/polls/:id/start', who: 'signed-in', params: pollId, body: none, response: polls.pollDetailSchema, servedBy: 'hub', agent: 'forward' }),
  stopPoll: def({ method: 'POST', path: '/api/polls/:id/stop', who: 'signed-in', params: pollId, body: none, response: polls.pollDetailSchema, servedBy: 'hub', agent: 'forward' }),
  publishPoll: def({ method: 'POST', path: '/api/polls/:id/publish', who: 'signed-in', params: pollId, body: none, response: polls.pollDetailSchema, servedBy: 'hub', agent: 'forward' }),
  resetPoll: def({ method: 'POST', path: '/api/polls/:id/reset', who: 'signed-in', params: pollId, body: none, response: polls.pollDetailSchema, servedBy: 'hub', agent: 'forward' }),
  annulPoll: def({
    method: 'POST', path: '/api/polls/:id/annul', who: 'signed-in', params: pollId, body: json(polls.annulSchema, 'annulment'),
    response: polls.pollDetailSchema, servedBy: 'hub', agent: 'forward',
  }),
  ballot: def({
    method: 'POST', path: '/api/polls/:id/ballots', who: 'signed-in', params: pollId,
    body: json(polls.ballotSchema, 'ballot'), response: polls.ballotReceiptSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  /** After publication: the sorted trackers of a poll, as many as voted. */
  trackers: def({ method: 'GET', path: '/api/polls/:id/trackers', who: 'signed-in', params: pollId, body: none, response: polls.trackerListSchema, servedBy: 'hub', agent: 'forward' }),
  /** Was my ballot counted? The tracker a voter was given, looked up. */
  tracker: def({
    method: 'GET', path: '/api/polls/:id/trackers/:tracker', who: 'signed-in',
    params: z.object({ id: api.idSchema.describe('poll id'), tracker: z.string().regex(/^[0-9a-f]{64}$/).describe('tracker') }).strict(),
    body: none, response: polls.trackerStatusSchema, servedBy: 'hub', agent: 'forward',
  }),
  // ---- meeting record (shared/records.ts; ../shared/PROCEDURES.md §4): outcomes, decisions,
  // reserved opinions, action items. Under /api/decisions/:id and /api/action-items/:id the hub
  // applies the meeting's rules itself (electron/hub/routes/records.ts), as for polls.
  record: def({
    method: 'GET', path: '/api/meetings/:id/record', who: 'meeting-participant', params: meetingId, body: none,
    response: records.meetingRecordSchema, servedBy: 'hub', agent: 'forward',
  }),
  putOutcome: def({
    method: 'PUT', path: '/api/meetings/:id/items/:itemId/outcome', who: 'meeting-manager', deny: 'only the meeting\'s chair or secretary may record an item\'s outcome',
    params: z.object({ id: api.idSchema.describe('meeting id'), itemId: records.agendaItemIdSchema.describe('agenda item id') }).strict(),
    body: json(records.putItemOutcomeSchema, 'item outcome', 256 * 1024), response: records.itemOutcomeSchema, servedBy: 'hub', agent: 'forward',
  }),
  createDecision: def({
    method: 'POST', path: '/api/meetings/:id/decisions', who: 'meeting-manager', deny: 'only the meeting\'s chair or secretary may record a decision', params: meetingId,
    body: json(records.createDecisionSchema, 'decision', 128 * 1024), response: records.decisionSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  updateDecision: def({
    method: 'PATCH', path: '/api/decisions/:id', who: 'signed-in', params: z.object({ id: api.idSchema.describe('decision id') }).strict(),
    body: json(records.patchDecisionSchema, 'decision', 128 * 1024), response: records.decisionSchema, servedBy: 'hub', agent: 'forward',
  }),
  deleteDecision: def({
    method: 'DELETE', path: '/api/decisions/:id', who: 'signed-in', params: z.object({ id: api.idSchema.describe('decision id') }).strict(),
    body: none, ...ok204, servedBy: 'hub', agent: 'forward',
  }),
  putDissent: def({
    method: 'POST', path: '/api/decisions/:id/dissents', who: 'signed-in', params: z.object({ id: api.idSchema.describe('decision id') }).strict(),
    body: json(records.createDissentSchema, 'reserved opinion'), response: records.decisionSchema, servedBy: 'hub', agent: 'forward',
  }),
  deleteDissent: def({
    method: 'DELETE', path: '/api/decisions/:id/dissents/:userId', who: 'signed-in',
    params: z.object({ id: api.idSchema.describe('decision id'), userId: api.idSchema.describe('user id') }).strict(), body: none, ...ok204, servedBy: 'hub', agent: 'forward',
  }),
  createActionItem: def({
    method: 'POST', path: '/api/meetings/:id/action-items', who: 'meeting-manager', deny: 'only the meeting\'s chair or secretary may assign an action item', params: meetingId,
    body: json(records.createActionItemSchema, 'action item'), response: records.actionItemSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  updateActionItem: def({
    method: 'PATCH', path: '/api/action-items/:id', who: 'signed-in', params: z.object({ id: api.idSchema.describe('action item id') }).strict(),
    body: json(records.patchActionItemSchema, 'action item'), response: records.actionItemSchema, servedBy: 'hub', agent: 'forward',
  }),
  deleteActionItem: def({
    method: 'DELETE', path: '/api/action-items/:id', who: 'signed-in', params: z.object({ id: api.idSchema.describe('action item id') }).strict(),
    body: none, ...ok204, servedBy: 'hub', agent: 'forward',
  }),
  /** Across every meeting the caller may see (and their own items anywhere). */
  actionItems: def({
    method: 'GET', path: '/api/action-items', who: 'signed-in', query: records.actionItemQuerySchema.describe('action item filter'), body: none,
    response: records.actionItemListSchema, servedBy: 'hub', agent: 'forward',
  }),
  // ---- the minutes (shared/minutes.ts, electron/hub/routes/minutes.ts, docs/minutes.md): the
  // secretary drafts, reads out and submits, the chair approves, either issues; the hub decides.
  minutes: def({
    method: 'GET', path: '/api/meetings/:id/minutes', who: 'meeting-participant', params: meetingId, body: none,
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  putMinutes: def({
    method: 'PUT', path: '/api/meetings/:id/minutes', who: 'meeting-manager', deny: 'only the meeting\'s secretary drafts the minutes', params: meetingId,
    body: json(minutes.putMinutesSchema, 'minutes', 256 * 1024), response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  readOutMinutes: def({
    method: 'POST', path: '/api/meetings/:id/minutes/read-out', who: 'meeting-manager', params: meetingId, body: none,
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  submitMinutes: def({
    method: 'POST', path: '/api/meetings/:id/minutes/submit', who: 'meeting-manager', params: meetingId, body: none,
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  approveMinutes: def({
    method: 'POST', path: '/api/meetings/:id/minutes/approve', who: 'meeting-manager', params: meetingId, body: none,
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  reopenMinutes: def({
    method: 'POST', path: '/api/meetings/:id/minutes/reopen', who: 'meeting-manager', params: meetingId, body: json(minutes.reopenMinutesSchema, 'reopening'),
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  issueMinutes: def({
    method: 'POST', path: '/api/meetings/:id/minutes/issue', who: 'meeting-manager', params: meetingId, body: json(minutes.issueMinutesSchema, 'issue'),
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  signMinutes: def({
    method: 'POST', path: '/api/meetings/:id/minutes/signature', who: 'meeting-manager', params: meetingId, body: json(minutes.minutesSignatureSchema, 'signed file'),
    response: minutes.minutesViewSchema, servedBy: 'hub', agent: 'forward',
  }),
  minutesDocument: def({
    method: 'GET', path: '/api/meetings/:id/minutes/document', who: 'meeting-participant', params: meetingId,
    query: minutes.minutesDocumentQuerySchema.describe('document options'), body: none, response: 'bytes', servedBy: 'hub', agent: 'forward',
  }),
  // ---- search (shared/search.ts): every paper the caller may read, and the meetings' record.
  search: def({ method: 'GET', path: '/api/search', who: 'signed-in', query: search.searchQuerySchema, body: none, response: search.searchResponseSchema, servedBy: 'hub', agent: 'forward-else-own' }),
  // ---- the archive (shared/archive.ts, electron/hub/routes/archive.ts, docs/archive.md): a closed
  // meeting's signed package, reopening one (admin, with a reason), and the key packages are signed with.
  exportMeeting: def({
    method: 'GET', path: '/api/meetings/:id/export', who: 'meeting-manager', deny: 'only the meeting\'s secretary, chair or an admin may export it', params: meetingId,
    query: archive.exportQuerySchema.describe('export options'), body: none, response: 'bytes', servedBy: 'hub', agent: 'forward',
  }),
  reopenMeeting: def({
    method: 'POST', path: '/api/meetings/:id/reopen', who: ADMIN, deny: 'only an admin may reopen a closed meeting', params: meetingId,
    body: json(archive.reopenMeetingSchema, 'reopening'), response: api.meetingSummarySchema, servedBy: 'hub', agent: 'forward',
  }),
  hubKey: def({ method: 'GET', path: '/api/hub/key', who: 'signed-in', body: none, response: archive.hubKeySchema, servedBy: 'hub', agent: 'forward' }),
  // ---- classification (shared/classification.ts, electron/hub/classification/, docs/classification.md;
  // issue 17): the room's levels, a paper's level, and the export the level allows or refuses. The
  // export checks the paper itself (outsiders 404, like a paper's other routes).
  classificationLevels: def({
    method: 'GET', path: '/api/classification-levels', who: 'signed-in', body: none, response: classification.classificationLevelsSchema, servedBy: 'hub', agent: 'forward',
  }),
  putClassificationLevels: def({
    method: 'PUT', path: '/api/classification-levels', who: ADMIN, deny: 'only an admin may change the classification levels',
    body: json(classification.putClassificationLevelsSchema, 'classification levels'), response: classification.classificationLevelsSchema, servedBy: 'hub', agent: 'forward',
  }),
  setPaperClassification: def({
    method: 'PATCH', path: '/api/papers/:id/classification', who: 'paper-manager', deny: 'only the meeting\'s secretary, chair or an admin may classify its papers',
    params: paperId, body: json(classification.setClassificationSchema, 'classification'), response: api.paperSchema, servedBy: 'hub', agent: 'forward',
  }),
  exportPaper: def({
    method: 'GET', path: '/api/papers/:id/export', who: 'signed-in', params: paperId, body: none, response: 'bytes', servedBy: 'hub', agent: 'forward',
  }),
  // ---- my notes (shared/notes-export.ts, electron/hub/notes-export/; issue 16): a paper with the
  // caller's own annotations as real PDF annotations, held to the paper's level like the export above.
  exportPaperWithNotes: def({
    method: 'GET', path: '/api/papers/:id/export-with-notes', who: 'signed-in', params: paperId,
    query: notesExport.notesExportQuerySchema.describe('export options'), body: none, response: 'bytes', servedBy: 'hub', agent: 'forward',
  }),
  // ---- recall (shared/recall.ts, electron/hub/recall/, docs/recall-and-expiry.md; issue 17): a
  // paper pulled back from every device, its status per device, and the devices' own confirmations.
  recallPaper: def({
    method: 'POST', path: '/api/papers/:id/recall', who: 'paper-manager', deny: 'only the meeting\'s secretary, chair or an admin may recall its papers',
    params: paperId, body: json(classification.recallSchema, 'recall'), response: recall.recallStatusSchema, status: 201, servedBy: 'hub', agent: 'forward',
  }),
  // Signed in, checked by the handler: a recalled paper has left the lists the paper rules read.
  paperRecalls: def({
    method: 'GET', path: '/api/papers/:id/recall', who: 'signed-in', params: paperId, body: none, response: z.array(recall.recallStatusSchema), servedBy: 'hub', agent: 'forward',
  }),
  meetingRecalls: def({
    method: 'GET', path: '/api/meetings/:id/recalls', who: 'meeting-manager', deny: 'only the meeting\'s secretary, chair or an admin may see its recalls',
    params: meetingId, body: none, response: z.array(recall.recallStatusSchema), servedBy: 'hub', agent: 'forward',
  }),
  deviceRecalls: def({
    method: 'GET', path: '/api/devices/recalls', who: 'signed-in', query: recall.deviceRecallsQuerySchema, body: none,
    response: z.array(recall.pendingRecallSchema), servedBy: 'hub', agent: 'hub-only',
  }),
  ackRecall: def({
    method: 'POST', path: '/api/devices/recalls/:id/ack', who: 'signed-in', params: z.object({ id: api.idSchema.describe('recall id') }).strict(),
    body: json(recall.recallAckSchema, 'acknowledgement'), ...ok204, servedBy: 'hub', agent: 'hub-only',
  }),
  // ---- the audit trail (shared/audit.ts, electron/hub/audit/, docs/audit.md; issue 17): the
  // inspector's export of the chained trail, and the viewer's reading records (only for levels
  // that record reading; the handler checks the paper: outsiders 404).
  auditExport: def({
    method: 'GET', path: '/api/audit/export', who: ADMIN, deny: 'only an admin may export the audit trail', body: none,
    response: 'bytes', servedBy: 'hub', agent: 'forward',
  }),
  paperReading: def({
    method: 'POST', path: '/api/papers/:id/reading', who: 'signed-in', params: paperId, body: json(audit.readingReportSchema, 'reading report'),
    response: audit.readingAnswerSchema, servedBy: 'hub', agent: 'forward',
  }),
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof ROUTES;
export const ROUTE_LIST: readonly RouteDef[] = Object.values(ROUTES);

// ---- types a client reads off a route ---------------------------------------------------------
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
export type ParamsOf<D extends RouteDef> = Parsed<D['params']>;
export type QueryOf<D extends RouteDef> = Parsed<D['query']>;
export type BodyOf<D extends RouteDef> = D['body'] extends { kind: 'json'; schema: infer S } ? z.output<S> : D['body'] extends { kind: 'paper' } ? Uint8Array : undefined;
/** What a route answers (as the handler may build it: zod's input type). */
export type ResponseOf<D extends RouteDef> = D['response'] extends z.ZodType ? z.input<D['response']> : void;

/** `/api/meetings/:id` with `{id: 'm 1'}` → `/api/meetings/m%201`: the path a client requests. */
export function pathFor(r: Pick<RouteDef, 'path'>, params: Record<string, string | number> = {}): string {
  return r.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`${r.path}: no value for :${name}`);
    return encodeURIComponent(String(v));
  });
}

/**
 * The route a method and a decoded path match, checked segment by segment against the route's
 * parameter schemas (a malformed id matches nothing). Query strings are not part of `segments`.
 */
export function matchRoute(method: string, segments: readonly string[], routes: readonly RouteDef[] = ROUTE_LIST): RouteDef | null {
  for (const r of routes) {
    if (r.method !== method) continue;
    const tpl = r.path.split('/').slice(1);
    if (tpl.length !== segments.length) continue;
    const shape = (r.params?.shape ?? {}) as Record<string, z.ZodType>;
    const fits = tpl.every((t, i) => {
      if (t === '*') return true;
      if (!t.startsWith(':')) return t === segments[i];
      const schema = shape[t.slice(1)];
      return schema !== undefined && schema.safeParse(segments[i]).success;
    });
    if (fits) return r;
  }
  return null;
}
