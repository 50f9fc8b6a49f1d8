// The archive (issue 15, part 4): a closed meeting only reads, and its package — every paper's
// every version, attendance, published votes, the record, the agenda and an audit extract — is
// exported as a ZIP whose manifest lists each file's size and sha256 and is signed with the hub's
// Ed25519 key, so an archive can later prove nothing changed (`npm run archive -- verify`).
// Isomorphic (zod only): the hub writes these, the verifier and the renderer read them.
import { z } from 'zod';
import { MEETING_STATUSES } from './api.ts';

/** Names the manifest's layout; a verifier refuses a format it does not know. */
export const PACKAGE_FORMAT = 'chamber-meeting-package/1';
/** The manifest, byte for byte what the signature covers. */
export const MANIFEST_PATH = 'manifest.json';
/** The signature over manifest.json's exact bytes (a JSON `packageSignatureSchema`). */
export const SIGNATURE_PATH = 'manifest.sig';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/** What each file of the package holds (papers are PDFs, the rest JSON or CSV). */
export const PACKAGE_FILE_KINDS = ['paper', 'agenda', 'attendance', 'polls', 'record', 'audit', 'meeting'] as const;

export const packageFileSchema = z.object({
  /** The entry's name in the ZIP (forward slashes, ASCII). */
  path: z.string().min(1).max(400),
  size: z.number().int().nonnegative(),
  sha256,
  kind: z.enum(PACKAGE_FILE_KINDS),
});
export type PackageFile = z.infer<typeof packageFileSchema>;

export const packagePaperSchema = z.object({
  id: z.string(),
  title: z.string(),
  restricted: z.boolean(),
  /** Who a restricted paper was limited to (user ids), beside the meeting's managers. */
  restrictTo: z.array(z.string()).optional(),
  versions: z.array(z.object({
    version: z.number().int().positive(),
    sha256,
    size: z.number().int().nonnegative(),
    pages: z.number().int().nonnegative(),
    fileName: z.string(),
    createdAt: z.string(),
    /** Its file in the package. */
    path: z.string(),
  })),
});

export const packageManifestSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  /** false for a `?draft=1` export: the meeting may still change after it. */
  final: z.boolean(),
  meeting: z.object({
    id: z.string(),
    title: z.string(),
    status: z.enum(MEETING_STATUSES),
    startsAt: z.string().nullable(),
    room: z.string().nullable(),
    createdAt: z.string().nullable(),
    /** When it was last closed (ISO), or null. */
    closedAt: z.string().nullable(),
  }),
  hub: z.object({
    /** The room the hub's data folder holds (its marker file and database agree on it). */
    roomId: z.string().nullable(),
    /** Ed25519, SPKI DER in base64: the key the signature is checked with. */
    publicKey: z.string(),
    /** sha256 of the key's DER bytes, hex: what to compare by eye or pass to `--key`. */
    keyFingerprint: sha256,
  }),
  exportedAt: z.string(),
  exportedBy: z.object({ id: z.string(), name: z.string() }),
  /** Every file of the package but manifest.json and manifest.sig, in the order written. */
  files: z.array(packageFileSchema),
  papers: z.array(packagePaperSchema),
  /** Parts the hub could not provide when exporting (e.g. the meeting record before it existed). */
  missing: z.array(z.string()),
});
export type PackageManifest = z.infer<typeof packageManifestSchema>;

export const packageSignatureSchema = z.object({
  algorithm: z.literal('Ed25519'),
  /** The file the signature covers, byte for byte. */
  signed: z.literal(MANIFEST_PATH),
  publicKey: z.string(),
  /** base64. */
  signature: z.string(),
});
export type PackageSignature = z.infer<typeof packageSignatureSchema>;

// ---- the routes' schemas ------------------------------------------------------------------------
/** `GET /api/meetings/:id/export?draft=1`: a meeting not yet closed, exported as not final. */
export const exportQuerySchema = z.object({ draft: z.enum(['0', '1']).optional() }).strict();

/** `POST /api/meetings/:id/reopen` (admin): why a closed meeting is opened again, kept in the audit. */
export const reopenMeetingSchema = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();

/** `GET /api/hub/key`: the key packages and poll results are signed with. */
export const hubKeySchema = z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string(), fingerprint: sha256 });
export type HubKey = z.infer<typeof hubKeySchema>;

/** The error code of every write refused because the meeting is closed (HTTP 409). */
export const MEETING_CLOSED = 'meeting_closed';

/** ASCII for a file name: Vietnamese letters lose their marks (đ → d), the rest becomes `-`. */
export function fileSlug(text: string, max = 60): string {
  const ascii = text.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  const slug = ascii.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return slug || 'untitled';
}
