// Wiping cached meeting data on a device. An order names one meeting or the whole device; it
// may come from IT at the machine (command line) or from the hub through the agent. Orders are
// untrusted input and validated before anything is deleted.
//
// A whole-device wipe is crypto-shredding plus deletion: the cache key is removed from
// safeStorage first, so even a copy of the file taken earlier stays unreadable.
import { z } from 'zod';
import { ID_PATTERN } from '../../shared/ids.ts';

export const wipeOrderSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('wipe-meeting'), meetingId: z.string().regex(ID_PATTERN) }),
  z.strictObject({ kind: z.literal('wipe-device') }),
]);
export type WipeOrder = z.infer<typeof wipeOrderSchema>;

export interface WipeDeps {
  /** The agent's own per-meeting purge, when it offers one (drops docs and papers of that meeting). */
  wipeMeeting?: (meetingId: string) => Promise<void>;
  /** Stops the agent, so its database file can be removed. */
  stopAgent: () => Promise<void>;
  startAgent: () => Promise<void>;
  /** Removes the cache key from safeStorage. */
  forgetCacheKey: () => void;
  /** Removes the cache files. */
  deleteCache: () => void;
  /** Clears the renderer session's storage (sessionStorage, caches). */
  clearRendererStorage: () => Promise<void>;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export type WipeOutcome = { ok: true; did: string } | { ok: false; reason: string };

export async function executeWipe(raw: unknown, deps: WipeDeps): Promise<WipeOutcome> {
  const parsed = wipeOrderSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `not a wipe order: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  const order = parsed.data;
  const log = deps.log ?? (() => {});
  if (order.kind === 'wipe-meeting' && deps.wipeMeeting) {
    await deps.wipeMeeting(order.meetingId);
    await deps.clearRendererStorage();
    log('wiped one meeting from the cache', { meetingId: order.meetingId });
    return { ok: true, did: `wiped meeting ${order.meetingId}` };
  }
  // Without a per-meeting purge the only safe way to remove one meeting is to remove them all;
  // the agent refetches the meetings the user may still see from the hub.
  await deps.stopAgent();
  deps.forgetCacheKey();
  deps.deleteCache();
  await deps.clearRendererStorage();
  log('wiped the device cache', { order: order.kind });
  if (order.kind === 'wipe-meeting') {
    await deps.startAgent();
    return { ok: true, did: `wiped the whole cache (for meeting ${order.meetingId}) and restarted the agent` };
  }
  return { ok: true, did: 'wiped the device cache and its key' };
}
