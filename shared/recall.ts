// Recalls (issue 17): a paper pulled back from every device. The hub keeps each recall and which
// devices confirmed it (electron/hub/recall/); devices learn of it at once through the meeting's
// live document (map `recalls`, written only by the hub) and, whatever they missed, from their
// pending list at the next round with the hub (electron/agent/recall.ts). The request's body is
// `recallSchema` in shared/classification.ts.
import { z } from 'zod';
import { idSchema, sha256Schema } from './api.ts';

/** A recall as the live document carries it: enough for a device to find what it holds. */
export const liveRecallSchema = z.object({
  id: idSchema,
  paperId: idSchema,
  at: z.number().int().nonnegative(),
});
export type LiveRecall = z.infer<typeof liveRecallSchema>;

/** A recall a device still has to carry out (`GET /api/devices/recalls`): with the files it names. */
export const pendingRecallSchema = liveRecallSchema.extend({ meetingId: idSchema, sha256s: z.array(sha256Schema) });
export type PendingRecall = z.infer<typeof pendingRecallSchema>;

export const recallDeviceSchema = z.object({
  deviceId: z.string(),
  userId: z.string(),
  userName: z.string(),
  /** When the device confirmed the deletion (ISO); null while it has not. */
  confirmedAt: z.string().nullable(),
  /** When the hub last heard from the device (ISO). */
  lastSeen: z.string().nullable(),
});
export type RecallDevice = z.infer<typeof recallDeviceSchema>;

/** A recall with its devices: those that confirmed, and those that held the paper and have not yet. */
export const recallStatusSchema = z.object({
  id: idSchema,
  paperId: idSchema,
  meetingId: idSchema,
  title: z.string(),
  reason: z.string(),
  issuedBy: z.string(),
  createdAt: z.string(),
  confirmed: z.array(recallDeviceSchema),
  pending: z.array(recallDeviceSchema),
});
export type RecallStatus = z.infer<typeof recallStatusSchema>;

export const deviceRecallsQuerySchema = z.object({ deviceId: idSchema }).strict();
export const recallAckSchema = z.object({ deviceId: idSchema }).strict();

/** The agent's answer for a classified paper past its offline lifetime (HTTP 410). */
export const OFFLINE_EXPIRED = 'offline_expired';
