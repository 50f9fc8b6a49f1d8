// The audit trail's outside shapes (docs/audit.md): what the viewer sends when a paper whose level
// records reading was read, and the lines of an inspector's export. Isomorphic (zod only).
import { z } from 'zod';

/** The most pages one report names: a batch covers ~30 s of reading, so this is generous. */
export const MAX_READ_PAGES = 500;

/**
 * `POST /api/papers/:id/reading`: the pages a reader looked at since the last report and when
 * the paper was opened. The viewer batches (every 30 s and on close); the hub stamps its own time.
 */
export const readingReportSchema = z.object({
  pages: z.array(z.number().int().min(1).max(100_000)).min(1).max(MAX_READ_PAGES),
  openedAt: z.iso.datetime({ offset: true }),
}).strict();
export type ReadingReport = z.infer<typeof readingReportSchema>;

/** The answer: whether the paper's level records reading (false: nothing was stored). */
export const readingAnswerSchema = z.object({ recorded: z.boolean() });

/** The media type of `GET /api/audit/export`: one JSON value per line. */
export const AUDIT_EXPORT_TYPE = 'application/x-ndjson';

// ---- the inspector's export: a header line, then every entry, then every checkpoint ---------
export const AUDIT_EXPORT_FORMAT = 'chamber-audit-export';

export const auditExportHeaderSchema = z.object({
  type: z.literal('header'),
  format: z.literal(AUDIT_EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string(),
  /** The hub's Ed25519 key, SPKI DER base64, and its sha256 fingerprint (hex). */
  publicKey: z.string().min(1),
  fingerprint: z.string(),
});

export const auditExportEntrySchema = z.object({
  type: z.literal('entry'),
  id: z.number().int(),
  at: z.number(),
  user_id: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string().nullable(),
  prev_hash: z.string().nullable(),
  hash: z.string().nullable(),
});

export const auditExportCheckpointSchema = z.object({
  type: z.literal('checkpoint'),
  id: z.number().int(),
  last_id: z.number().int(),
  last_hash: z.string(),
  count: z.number().int(),
  at: z.number(),
  reason: z.string(),
  prev: z.string(),
  signature: z.string(),
});
