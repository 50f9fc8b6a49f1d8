// The minutes (biên bản, ../shared/PROCEDURES.md §4): the fields the secretary edits, the flow
// draft → (read_out) → submitted → approved → issued, and the model the hub builds from the
// meeting — what the PDF, the DOCX and the console's preview all print (shared/minutes-layout.ts
// lays it out once for the three). The hub decides (electron/hub/minutes/); this is the vocabulary.
import { z } from 'zod';
import { DECISION_KINDS, ITEM_OUTCOME_STATUSES, ACTION_STATUSES, isoDaySchema } from './records.ts';
import { SPEAKER_KINDS } from './procedures/speakers.ts';

export const MINUTES_STATES = ['draft', 'read_out', 'submitted', 'approved', 'issued'] as const;
export type MinutesState = (typeof MINUTES_STATES)[number];
/** `party`: a Party body's minutes (HD 36-HD/VPTW layout); `state`: a state agency's (Nghị định 30/2020). */
export const MINUTES_VARIANTS = ['party', 'state'] as const;
export type MinutesVariant = (typeof MINUTES_VARIANTS)[number];
export const MINUTES_LANGS = ['vi', 'en'] as const;
export type MinutesLang = (typeof MINUTES_LANGS)[number];
export const MINUTES_FORMATS = ['pdf', 'docx'] as const;
export type MinutesFormat = (typeof MINUTES_FORMATS)[number];

/** The largest minutes document the hub will produce or serve (a meeting of hundreds fits in well under 1 MB). */
export const MAX_MINUTES_BYTES = 16 * 1024 * 1024;

/** True when `tz` names a time zone this runtime knows (Intl is part of the language, not of Node or the DOM). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const text = (max: number) => z.string().trim().max(max);
const hubMs = z.number().int().positive().max(8.64e15);

/** What the secretary may set while the minutes are a draft. An empty text falls back to the meeting's own. */
export const minutesFieldsSchema = z.object({
  variant: z.enum(MINUTES_VARIANTS),
  /** The body above the one meeting (cấp trên; for a state agency, its cơ quan chủ quản). */
  orgParent: text(200),
  /** The body that meets and issues the minutes. */
  orgName: text(200),
  /** What follows the number, as the office writes it: `BB/VPTW` gives "Số 12-BB/VPTW" (Party); `BB-VPCP` "Số: 12/BB-VPCP" (state). */
  numberSuffix: z.string().trim().min(1).max(40).regex(/^[\p{L}\p{N}][\p{L}\p{N}/.-]*$/u, 'letters, digits, "/", "." and "-" only'),
  /** A number the office's register already gave; null takes the next of the year at issue. */
  number: z.number().int().min(1).max(999_999).nullable(),
  /** The place name of the date line ("Hà Nội, ngày …"). */
  place: text(100),
  /** Where the meeting was held; empty: the meeting's room. */
  location: text(300),
  /** What the meeting was about; empty: the meeting's title. */
  content: text(5_000),
  /** Other matters, as the secretary writes them. */
  notes: text(20_000),
  guests: z.array(z.object({ name: text(200).min(1), position: text(200).default('') }).strict()).max(200),
  /** Hub-clock ms; null: the meeting's start, and for the close the last recorded event. */
  openedAt: hubMs.nullable(),
  closedAt: hubMs.nullable(),
  timeZone: z.string().max(64).refine(isTimeZone, 'an IANA time zone, e.g. Asia/Ho_Chi_Minh'),
});
export type MinutesFields = z.infer<typeof minutesFieldsSchema>;

export const DEFAULT_MINUTES_FIELDS: MinutesFields = {
  variant: 'party', orgParent: '', orgName: '', numberSuffix: 'BB', number: null, place: '', location: '', content: '', notes: '',
  guests: [], openedAt: null, closedAt: null, timeZone: 'Asia/Ho_Chi_Minh',
};

/** `PUT /api/meetings/:id/minutes`: the fields to change (a draft only). */
export const putMinutesSchema = minutesFieldsSchema.partial().strict();
export type PutMinutes = z.infer<typeof putMinutesSchema>;
/** `POST …/minutes/issue`: the language of the issued PDF (the paper and its sha256). */
export const issueMinutesSchema = z.object({ lang: z.enum(MINUTES_LANGS).default('vi') }).strict();
/** `POST …/minutes/reopen`: back to a draft, before issue only. */
export const reopenMinutesSchema = z.object({ reason: text(500).optional() }).strict();
/** `POST …/minutes/signature`: the sha256 of the file signed outside Chamber (ký số); recorded, not verified. */
export const minutesSignatureSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits') }).strict();
/** `GET …/minutes/document` */
export const minutesDocumentQuerySchema = z.object({
  format: z.enum(MINUTES_FORMATS).default('pdf'),
  lang: z.enum(MINUTES_LANGS).default('vi'),
}).strict();

// ---- the model -----------------------------------------------------------------------------------
/** A published vote as the minutes give it: "tán thành yes/base (…%), không tán thành no/base, không biểu quyết noVote/base". */
export const minutesVoteSchema = z.object({
  pollId: z.string(),
  title: z.string(),
  secret: z.boolean(),
  yes: z.number().int().nonnegative(),
  no: z.number().int().nonnegative(),
  /** Abstained, cast an invalid ballot or did not vote though entitled. */
  noVote: z.number().int().nonnegative(),
  /** Those entitled to vote when it opened. */
  base: z.number().int().nonnegative(),
  /** null: no quorum at the close, nothing decided. */
  passed: z.boolean().nullable(),
  /** A selection (election): each option's votes out of `base`. */
  options: z.array(z.object({ label: z.string(), votes: z.number().int().nonnegative(), elected: z.boolean().nullable() })).optional(),
});
export type MinutesVote = z.infer<typeof minutesVoteSchema>;

const named = z.object({ name: z.string() });
export const minutesModelSchema = z.object({
  meetingId: z.string(),
  meetingTitle: z.string(),
  variant: z.enum(MINUTES_VARIANTS),
  timeZone: z.string(),
  header: z.object({
    orgParent: z.string(),
    orgName: z.string(),
    /** "12-BB/VPTW" once issued; null before (printed as "…"). */
    number: z.string().nullable(),
    numberSuffix: z.string(),
    place: z.string(),
    /** The day the meeting was held (ms), for the date line. */
    date: z.number().nullable(),
  }),
  opening: z.object({
    startsAt: z.number().nullable(),
    location: z.string(),
    content: z.string(),
    chair: z.string().nullable(),
    secretary: z.string().nullable(),
    documents: z.array(z.object({ title: z.string(), pages: z.number().int().nonnegative() })),
  }),
  attendance: z.object({
    /** Members on the roll (delegates, the chair, the secretary). */
    members: z.number().int().nonnegative(),
    present: z.array(named.extend({ role: z.string(), remote: z.boolean(), late: z.boolean(), leftEarly: z.boolean() })),
    absent: z.array(named.extend({ role: z.string(), excused: z.boolean(), reason: z.string().nullable() })),
    guests: z.array(named.extend({ position: z.string() })),
  }),
  items: z.array(z.object({
    agendaItemId: z.string(),
    title: z.string(),
    presenter: z.string(),
    status: z.enum(ITEM_OUTCOME_STATUSES),
    speakers: z.array(named.extend({ kind: z.enum(SPEAKER_KINDS) })),
    summary: z.string(),
    conclusion: z.string(),
    /** Published votes on the item that no decision names (a decision carries its own). */
    votes: z.array(minutesVoteSchema),
    decisions: z.array(z.object({
      kind: z.enum(DECISION_KINDS),
      text: z.string(),
      vote: minutesVoteSchema.nullable(),
      dissents: z.array(named.extend({ text: z.string() })),
    })),
  })),
  /** Published votes on no agenda item (or one since removed). */
  otherVotes: z.array(minutesVoteSchema),
  actions: z.array(z.object({
    title: z.string(),
    owner: z.string(),
    coUnits: z.array(z.string()),
    dueDate: isoDaySchema.nullable(),
    status: z.enum(ACTION_STATUSES),
  })),
  notes: z.string(),
  closing: z.object({ closedAt: z.number().nullable(), readOut: z.boolean() }),
  signatures: z.object({ chair: z.string().nullable(), secretary: z.string().nullable() }),
});
export type MinutesModel = z.infer<typeof minutesModelSchema>;

// ---- the flow --------------------------------------------------------------------------------
const who = z.object({ at: z.number(), by: z.string().nullable() }).nullable();

/** `GET`/`PUT /api/meetings/:id/minutes` and every transition's answer. */
export const minutesViewSchema = z.object({
  meetingId: z.string(),
  state: z.enum(MINUTES_STATES),
  /** Bumped by every change: a client's view is stale when the live status names a newer one. */
  rev: z.number().int().nonnegative(),
  /** The fields as stored over the defaults (what the editor shows). */
  fields: minutesFieldsSchema,
  readOut: who,
  submitted: who,
  approved: who,
  issued: z.object({
    at: z.number(),
    by: z.string().nullable(),
    number: z.string(),
    lang: z.enum(MINUTES_LANGS),
    /** sha256 of the issued PDF: the bytes of the paper and of `GET …/minutes/document` in `lang`. */
    sha256: z.string(),
    size: z.number().int().nonnegative(),
    paperId: z.string(),
  }).nullable(),
  /** The signed file's sha256, recorded as given (ký số happens outside Chamber). */
  signed: z.object({ sha256: z.string(), at: z.number(), by: z.string().nullable() }).nullable(),
  /** As printed: built from the meeting now, or frozen at issue. */
  model: minutesModelSchema,
  serverTime: z.number(),
});
export type MinutesView = z.infer<typeof minutesViewSchema>;

/** What the hub mirrors into live/<meetingId> (map `minutes`, key `status`): enough to refetch and show the state. */
export const minutesStatusSchema = z.object({
  state: z.enum(MINUTES_STATES),
  rev: z.number().int().nonnegative(),
  number: z.string().nullable(),
  sha256: z.string().nullable(),
  paperId: z.string().nullable(),
});
export type MinutesStatus = z.infer<typeof minutesStatusSchema>;
export const MINUTES_LIVE_KEY = 'status';

/** The issued number as printed: Party style "12-BB/VPTW", state style (Nghị định 30) "12/BB-VPCP". */
export function formatMinutesNumber(variant: MinutesVariant, seq: number, suffix: string): string {
  return variant === 'party' ? `${seq}-${suffix}` : `${seq}/${suffix}`;
}

/** The figures of a vote as the minutes print them: counts over the base, and percentages of it. */
export function votePercent(n: number, base: number): number {
  return base > 0 ? Math.round((n / base) * 10_000) / 100 : 0;
}

/**
 * The file name a form of the minutes is saved under: "bien-ban-12-BB-VPTW.pdf",
 * "minutes-draft.docx" — ASCII, without the number's slashes. The hub sends it as
 * Content-Disposition; a client that did not get it (through an agent) makes the same one.
 */
export function minutesFileName(lang: MinutesLang, number: string | null, format: MinutesFormat): string {
  const n = number ? number.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^A-Za-z0-9.-]+/g, '-') : lang === 'vi' ? 'du-thao' : 'draft';
  return `${lang === 'vi' ? 'bien-ban' : 'minutes'}-${n}.${format}`;
}
