// The narrow view of the device agent the shell depends on. The agent (electron/agent) is
// written separately; the shell needs only where it listens, how to stop it, and, when it
// offers one, a per-meeting purge for wipe orders.
import type { Database } from '../core/store.ts';

export interface AgentHandle {
  readonly url: string;
  close(): Promise<void>;
  wipeMeeting?(meetingId: string): Promise<void>;
}

/** A wipe order from the hub that the agent carried out and acknowledged. */
export interface CarriedOutWipe {
  meetingId: string;
  /** The hub asked for the meeting to be downloaded again at once. */
  refetch: boolean;
}

export interface AgentStartOptions {
  hubUrl: string;
  dataDir: string;
  /** 0: any free loopback port; the page never sees it. */
  port: number;
  host: string;
  openDatabase: (file: string) => Database;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** Told after each wipe order from the hub was carried out. */
  onWipeOrder?: (order: CarriedOutWipe) => void;
  /** How often the agent asks the hub for news (tests shorten it; the agent's default otherwise). */
  refreshMs?: number;
  backoff?: { baseMs: number; maxMs: number };
}

export type StartAgent = (options: AgentStartOptions) => Promise<AgentHandle>;
