// The agent's replicas: for each kept meeting, its meeting document and the user's notes document
// pinned in the local SyncCore, each with its own upstream link to the hub (upstream.ts). What a
// link learns that the hub loop should act on (back after an outage, refused, dropped, a new
// paper list) is handed to the rounds as a request for a round.
import type * as Y from 'yjs';
import type { BackoffOptions } from './backoff.ts';
import type { Log } from '../core/log.ts';
import type { SyncCore } from '../core/sync-core.ts';
import { parseDocName } from '../../shared/doc-names.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { Upstream } from './upstream.ts';

export interface ReplicationDeps {
  core: SyncCore;
  wsUrl: string;
  token: () => string | null;
  backoff: BackoffOptions;
  /** The documents replicated for a meeting (none while nobody is signed in). */
  docsOf: (meetingId: string) => string[];
  /** Whether the hub loop currently believes the hub is away. */
  offline: () => boolean;
  requestRound: () => void;
  /** A meeting's live document is replicated (recall.ts watches it for recalls). */
  onLiveDoc?: (meetingId: string, doc: Y.Doc) => void;
  /** A document link synced with the hub: a contact, which renews the offline clock (offline-expiry.ts). */
  onContact?: () => void;
  log: Log;
}

/** What the cache's purges need of the replicas. */
export interface Replicas {
  start(meetingId: string): void;
  stop(meetingId: string, purge: boolean): void;
  /** The documents replicated for a meeting for the current user. */
  docsOf(meetingId: string): string[];
}

export class Replication implements Replicas {
  private readonly upstreams = new Map<string, Upstream>();
  private readonly deps: ReplicationDeps;

  constructor(deps: ReplicationDeps) {
    this.deps = deps;
  }

  start(meetingId: string): void {
    const { core, log, requestRound } = this.deps;
    for (const name of this.deps.docsOf(meetingId)) {
      if (this.upstreams.has(name)) continue;
      const doc = core.pin(name);
      const up = new Upstream({
        name, doc, wsUrl: this.deps.wsUrl, token: this.deps.token, backoff: this.deps.backoff,
        events: {
          onSynced: () => {
            this.deps.onContact?.();
            // A document link came back while the HTTP loop still thinks the hub is away.
            if (this.deps.offline()) requestRound();
          },
          onRefused: (n, code, reason) => {
            log('hub refused a document link; checking access', { doc: n, code, reason });
            requestRound();
          },
          onDisconnected: (_n, wasConnected) => {
            if (wasConnected) requestRound();
          },
          onDenied: (n, reason) => {
            // The hub demoted the user while this link was open; a round learns the new role, and
            // local connections lose write access with it, rather than at the next periodic round.
            log('hub dropped a change as not permitted; checking access', { doc: n, reason });
            requestRound();
          },
        },
      });
      this.upstreams.set(name, up);
      // Optimistic: with a hub token the link is tried at once, in parallel with the first round.
      if (this.deps.token()) up.start();
      if (parseDocName(name)?.kind === 'live') this.deps.onLiveDoc?.(meetingId, doc);
      if (parseDocName(name)?.kind === 'meeting') {
        // The hub bumps papersRev on every upload or paper change: fetch the new list (and the
        // paper) now rather than at the next periodic round.
        meetingDoc.live(doc).observe((ev) => {
          if (ev.keysChanged.has('papersRev') && ev.transaction.origin === up.provider) requestRound();
        });
      }
    }
  }

  docsOf(meetingId: string): string[] {
    return this.deps.docsOf(meetingId);
  }

  stop(meetingId: string, purge: boolean): void {
    const { core } = this.deps;
    const names = new Set([...this.deps.docsOf(meetingId), ...[...this.upstreams.keys()].filter((n) => parseDocName(n)?.meetingId === meetingId)]);
    for (const name of names) {
      const up = this.upstreams.get(name);
      if (up) {
        up.stop();
        this.upstreams.delete(name);
        core.unpin(name);
      }
      // purge() closes local peers of the doc with 4410, so clients learn at once.
      if (purge) core.purge(name);
    }
  }

  /** Connects every idle link (after a round that reached the hub). */
  startAll(): void {
    for (const up of this.upstreams.values()) up.start();
  }

  /** Reconnects every link with the current hub token. */
  restartAll(): void {
    for (const up of this.upstreams.values()) up.restart();
  }

  /** Links waiting out a long backoff reconnect within a jittered window instead. */
  nudgeAll(windowMs: number): void {
    for (const up of this.upstreams.values()) up.nudge(windowMs);
  }

  get allSynced(): boolean {
    return [...this.upstreams.values()].every((u) => u.synced);
  }

  close(): void {
    for (const up of this.upstreams.values()) up.stop();
    this.upstreams.clear();
  }
}
