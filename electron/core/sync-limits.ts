// What one sync connection and one document may cost the hub (and an agent), in one place.
// The figures are chosen so that a real meeting never meets them (docs/operations.md, "Limits"):
// the heaviest notes measured (every page of a 350-page paper annotated: five ink strokes, a
// highlight and a note per page) come to 4.9 MiB.
import { LIMITS } from '../../shared/api.ts';

export interface SyncLimits {
  /** One update (a ws frame is already capped at this size; a MessagePort is not). */
  maxUpdateBytes: number;
  /** Stored size of one document; writes past it are refused. */
  maxDocBytes: number;
  /**
   * The largest message sent to a peer (a whole document for a new replica). y-websocket clients
   * on ws refuse frames over 100 MiB; a document that would need more is refused instead.
   */
  maxOutboundBytes: number;
  /** Nested shared types (Chamber itself nests 2 deep). */
  maxTypeDepth: number;
  /** Nested JSON inside one value (an annotation is 2 deep). */
  maxValueDepth: number;
  /** One presence (awareness) state, as JSON. */
  maxPresenceBytes: number;
  /** Presence client ids one connection may claim. */
  maxPresenceIds: number;
}

export const SYNC_LIMITS: SyncLimits = {
  maxUpdateBytes: LIMITS.maxWsFrameBytes,
  maxDocBytes: 32 * 1024 * 1024,
  maxOutboundBytes: 64 * 1024 * 1024,
  maxTypeDepth: 16,
  maxValueDepth: 32,
  maxPresenceBytes: 8 * 1024,
  maxPresenceIds: 8,
};

/**
 * Per connection, token buckets for what it sends: bytes, messages, and presence changes (each
 * of which the hub relays to every other peer of the document). y-websocket's provider echoes
 * every presence change it receives, so in a room of N clients each one sends N messages when
 * everyone (re)connects at once: the message burst leaves room for that. A connection that runs a bucket
 * dry is not closed but paused (its socket is not read) until the bucket has refilled, so a real
 * client that catches up after an offline spell only slows down, while a flood is held to the
 * refill rate without taking event-loop time from everyone else.
 *
 * Measured on the development VM: checking and applying ink strokes costs about 60-90 ms of
 * event-loop time per MiB, so 256 KiB/s holds one writer to a few percent of a core; a delegate
 * drawing writes about 3 KB per stroke, and a whole annotated 350-page paper (4.9 MB) fits in
 * the burst, which is one maximal frame.
 */
export interface RateLimits {
  bytesPerSecond: number;
  burstBytes: number;
  messagesPerSecond: number;
  burstMessages: number;
  presencePerSecond: number;
  burstPresence: number;
}

export const RATE_LIMITS: RateLimits = {
  bytesPerSecond: 256 * 1024,
  burstBytes: LIMITS.maxWsFrameBytes,
  messagesPerSecond: 200,
  burstMessages: 2000,
  presencePerSecond: 20,
  burstPresence: 100,
};
