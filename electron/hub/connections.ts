// The hub's hold on open sync connections, for the REST routes that change what a connection may
// do: end them (signed out, removed from a meeting) or have the endpoint authorise them again.
import { CLOSE, type SyncCore } from '../core/sync-core.ts';
import type { SyncEndpoint } from '../core/ws-endpoint.ts';
import { WsPeer } from '../core/ws-peer.ts';
import { parseDocName } from '../../shared/doc-names.ts';

/** What the hub tags each sync connection with when it authorises it. */
export interface SyncTag {
  userId?: string;
  hash?: string;
}

export interface Connections {
  /** Set once the server listens; rechecks before then have nothing to do. */
  attach(endpoint: SyncEndpoint): void;
  /** Authorise again the connections `match` picks (a role, a participation, a status changed). */
  recheck(match: (tag: SyncTag, doc: ReturnType<typeof parseDocName>) => boolean): Promise<void>;
  /** 4401: the session itself is gone (the client signs in again). */
  endSession(hash: string, reason: string): void;
  endUser(userId: string, reason: string): void;
  /** 4410 to this user's connections to this meeting's documents; their others stay. */
  leaveMeeting(userId: string, meetingId: string, reason: string): void;
}

const tagOf = (p: unknown): SyncTag => (p instanceof WsPeer ? ((p.tag ?? {}) as SyncTag) : {});

export function createConnections(core: SyncCore): Connections {
  let endpoint: SyncEndpoint | null = null;
  return {
    attach(e) {
      endpoint = e;
    },
    async recheck(match) {
      await endpoint?.recheck((p, docName) => match(tagOf(p), parseDocName(docName)));
    },
    endSession(hash, reason) {
      core.kickWhere((p) => p instanceof WsPeer && tagOf(p).hash === hash, CLOSE.unauthorized, reason);
    },
    endUser(userId, reason) {
      core.kickWhere((p) => p instanceof WsPeer && tagOf(p).userId === userId, CLOSE.unauthorized, reason);
    },
    leaveMeeting(userId, meetingId, reason) {
      core.kickWhere((p, doc) => p instanceof WsPeer && tagOf(p).userId === userId && parseDocName(doc)?.meetingId === meetingId, CLOSE.revoked, reason);
    },
  };
}
