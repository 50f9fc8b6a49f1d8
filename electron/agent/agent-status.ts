// What the agent tells its clients about itself: whether the hub is reachable, and whether
// everything the user may open is here (every document link synced, every paper downloaded).
import type { AgentStatus } from '../../shared/api.ts';
import type { MeetingPapers, Prefetcher } from './prefetch.ts';

export interface StatusSources {
  link: () => 'online' | 'offline';
  linksSynced: () => boolean;
  plan: () => MeetingPapers[];
  prefetcher: Pick<Prefetcher, 'busy' | 'complete' | 'progress'>;
}

export function agentStatus(s: StatusSources): AgentStatus {
  const plan = s.plan();
  const prefetch = s.prefetcher.progress(plan);
  if (s.link() === 'offline') return { hub: 'offline', prefetch };
  const papersDone = !s.prefetcher.busy && s.prefetcher.complete(plan);
  return { hub: s.linksSynced() && papersDone ? 'online' : 'syncing', prefetch };
}
