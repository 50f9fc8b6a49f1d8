// Classification levels of papers (issue 17): each level carries the rules every part enforces —
// the hub (export, print, reading records), the device agent (how long a paper stays readable
// offline) and the viewer (watermark, export and print buttons). The hub holds the configured
// levels; these are the defaults a new room starts with (the names are the offices' own: Thường,
// Mật, Tối mật).
import { z } from 'zod';

export const levelIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a level id: lower-case letters, digits and -');

export const classificationLevelSchema = z.object({
  id: levelIdSchema,
  /** Higher is more sensitive; the default level has rank 0. */
  rank: z.number().int().min(0).max(100),
  name: z.object({ en: z.string().min(1).max(60), vi: z.string().min(1).max(60) }),
  /** Every rendered page (and every export) carries the reader's name, account, device and time. */
  watermark: z.boolean(),
  /** Downloading the PDF (the API's export route, the viewer's export button). */
  exportAllowed: z.boolean(),
  printAllowed: z.boolean(),
  /**
   * How long a device keeps the paper readable without contact with the hub, in hours, counted
   * from its last contact by the hub's clock plus the device's monotonic time; null = no limit.
   */
  offlineHours: z.number().positive().max(24 * 365).nullable(),
  /** Who opened the paper, which pages and when, recorded in the audit trail (discoverable: docs). */
  recordReading: z.boolean(),
});
export type ClassificationLevel = z.infer<typeof classificationLevelSchema>;

export const DEFAULT_LEVEL_ID = 'normal';

export const DEFAULT_LEVELS: readonly ClassificationLevel[] = [
  { id: 'normal', rank: 0, name: { en: 'Normal', vi: 'Thường' }, watermark: false, exportAllowed: true, printAllowed: true, offlineHours: null, recordReading: false },
  { id: 'confidential', rank: 10, name: { en: 'Confidential', vi: 'Mật' }, watermark: true, exportAllowed: false, printAllowed: false, offlineHours: 72, recordReading: false },
  { id: 'secret', rank: 20, name: { en: 'Secret', vi: 'Tối mật' }, watermark: true, exportAllowed: false, printAllowed: false, offlineHours: 8, recordReading: true },
];

const levelList = <L extends z.ZodType<ClassificationLevel>>(level: L) => z.array(level).min(1).max(20)
  .refine((ls) => new Set(ls.map((l) => l.id)).size === ls.length, 'level ids must be unique')
  .refine((ls) => ls.some((l) => l.id === DEFAULT_LEVEL_ID), `the list must keep the level "${DEFAULT_LEVEL_ID}"`);

/** `GET /api/classification-levels` (signed in); `PUT` the whole list (admin). */
export const classificationLevelsSchema = levelList(classificationLevelSchema);

/**
 * The `PUT` body: the same list, with no field the hub does not know (a misspelt rule would
 * otherwise be dropped silently and the level stored without it). Answers and the meeting
 * document are read with the lenient schema above, so a later rule does not break an older reader.
 */
export const putClassificationLevelsSchema = levelList(classificationLevelSchema.extend({
  name: z.object({ en: z.string().min(1).max(60), vi: z.string().min(1).max(60) }).strict(),
}).strict());

/** `PATCH /api/papers/:id/classification` (the meeting's managers). */
export const setClassificationSchema = z.object({ level: levelIdSchema }).strict();

/** A recall: the paper leaves every device (online ones at once, offline ones at next contact). */
export const recallSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

/**
 * The rules a paper is held to when its level is not known here (a level removed since, a client
 * older than the hub's list): the strictest ones, so a gap in what a reader knows never loosens
 * what they may do with a paper.
 */
export const UNKNOWN_LEVEL_RULES: Omit<ClassificationLevel, 'id' | 'rank' | 'name'> = {
  watermark: true, exportAllowed: false, printAllowed: false, offlineHours: 8, recordReading: true,
};

/** The level `id` names in `levels`, or a stand-in with the strictest rules that shows the id. */
export function resolveLevel(levels: readonly ClassificationLevel[], id: string | null | undefined): ClassificationLevel {
  const want = id ?? DEFAULT_LEVEL_ID;
  return levels.find((l) => l.id === want) ?? { id: want, rank: 100, name: { en: want, vi: want }, ...UNKNOWN_LEVEL_RULES };
}

/** Who a watermark names: the reader, their device (null when read without an agent) and when. */
export interface WatermarkReader {
  name: string;
  login: string;
  deviceId: string | null;
  /** ms since the epoch. */
  at: number;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The watermark's lines, the same on a rendered page, a thumbnail and an exported PDF. The time is
 * local to whoever draws it (the reader's tablet, the hub for an export) with its UTC offset, so
 * a photographed page can be matched to the audit trail without guessing the zone.
 */
export function watermarkLines(r: WatermarkReader): [string, string] {
  const d = new Date(r.at);
  const off = -d.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}`;
  const when = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())} ${zone}`;
  return [`${r.name} (${r.login})`, `${r.deviceId ? `device ${r.deviceId}` : 'no device'} · ${when}`];
}
