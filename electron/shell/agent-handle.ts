// The narrow view of the device agent the shell depends on. The agent (electron/agent) is
// written separately; the shell needs only where it listens, how to stop it, and, when it
// offers one, a per-meeting purge for wipe orders.
import type { Database } from '../core/store.ts';

export interface AgentHandle {
  readonly url: string;
  close(): Promise<void>;
  wipeMeeting?(meetingId: string): Promise<void>;
}

export interface AgentStartOptions {
  hubUrl: string;
  dataDir: string;
  /** 0: any free loopback port; the page never sees it. */
  port: number;
  host: string;
  openDatabase: (file: string) => Database;
}

export type StartAgent = (options: AgentStartOptions) => Promise<AgentHandle>;
