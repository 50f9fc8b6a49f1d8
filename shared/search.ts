// `GET /api/search?q=TEXT`: the contract's answer (../shared/ARCHITECTURE.md) over every paper the
// caller may read, in every meeting, and beside it the record entries that matched (agenda titles,
// conclusions, decisions). The hub answers from its index and the agent from the index of the
// papers it holds, in the same shape.
import { z } from 'zod';

/** [from, to) UTF-16 offsets in `snippet` of each stretch the query matched. */
const marksSchema = z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]));

export const paperHitSchema = z.object({
  paperId: z.string(),
  meetingId: z.string(),
  /** 1-based. */
  page: z.number().int().positive(),
  /** The page's text around the hit, as printed (accents kept), at most ~200 characters. */
  snippet: z.string(),
  marks: marksSchema,
  paperTitle: z.string(),
  meetingTitle: z.string(),
  /** The paper version the page belongs to. */
  version: z.number().int().positive(),
});
export type PaperHit = z.infer<typeof paperHitSchema>;

export const RECORD_HIT_KINDS = ['agenda', 'conclusion', 'decision'] as const;
export const recordHitSchema = z.object({
  kind: z.enum(RECORD_HIT_KINDS),
  meetingId: z.string(),
  meetingTitle: z.string(),
  agendaItemId: z.string(),
  /** The decision's id for `decision`, else the agenda item's. */
  refId: z.string(),
  snippet: z.string(),
  marks: marksSchema,
});
export type RecordHit = z.infer<typeof recordHitSchema>;

export const searchResponseSchema = z.object({
  hits: z.array(paperHitSchema),
  records: z.array(recordHitSchema),
  /** Papers the caller may read that have no text layer (scanned): found by title only. */
  untextedPapers: z.number().int().nonnegative(),
  /** Papers still waiting to be indexed: results may grow. */
  pendingPapers: z.number().int().nonnegative(),
  /** `agent` when a device answered from its own cache without its hub. */
  source: z.enum(['hub', 'agent']),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;

export const searchQuerySchema = z.object({ q: z.string().min(1).max(500) }).strict();
