// The always-visible connection state. In a browser on the hub it is the sync connections'
// state; on an agent it also folds in the agent's own link to the hub (GET /api/agent/status),
// because the renderer's socket to a loopback agent stays up while the hub is away.
import { useEffect, useRef, useState } from 'react';
import type { AgentStatus } from '../../shared/api.ts';
import { ApiError, apiUrl, type Api } from '../api.ts';
import { useAllDocStatuses } from './hooks.ts';
import type { DocStatus } from './docs.ts';

export type ConnectionState = 'online' | 'offline' | 'syncing';

/**
 * `serverReachable` is the /health probe's last answer, used only while no replica is open (the
 * meeting list): without it that screen had no signal at all and said "online" with the server gone.
 */
export function combineState(docs: DocStatus[], agent: AgentStatus | null, browserOnline: boolean, serverReachable: boolean | null = null): { state: ConnectionState; hubOffline: boolean } {
  const hubOffline = agent?.hub === 'offline';
  if (!browserOnline && agent === null) return { state: 'offline', hubOffline: false };
  if (docs.length === 0 && serverReachable === false) return { state: 'offline', hubOffline: false };
  if (docs.some((d) => d === 'offline' || d === 'refused')) return { state: 'offline', hubOffline };
  if (hubOffline) return { state: 'offline', hubOffline };
  if (docs.some((d) => d === 'connecting' || d === 'syncing') || agent?.hub === 'syncing') return { state: 'syncing', hubOffline };
  return { state: 'online', hubOffline };
}

/**
 * Runs `tick` now and then every `intervalMs` while `subject` is not null, starting over when it
 * changes (one tick at a time: the next starts after the last has finished). `tick` returns false
 * to stop; what it learns after the subject changed or the component unmounted is dropped by
 * the `alive()` it is given.
 */
function usePoll(subject: unknown, intervalMs: number, tick: (alive: () => boolean) => Promise<boolean>): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  useEffect(() => {
    if (subject === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const alive = () => !stopped;
    const run = async () => {
      const again = await tickRef.current(alive);
      if (!stopped && again) timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [subject, intervalMs]);
}

/** Polls the agent's status while mounted; null on a hub (which has no such route). */
export function useAgentStatus(api: Api | null, intervalMs = 2000): AgentStatus | null {
  const [status, setStatus] = useState<AgentStatus | null>(null);
  usePoll(api, intervalMs, async (alive) => {
    try {
      const s = await api!.agentStatus();
      if (alive()) setStatus(s);
    } catch (err) {
      // 404: served by a hub, there is no agent to ask. Stop polling.
      if (err instanceof ApiError && err.status === 404) {
        if (alive()) setStatus(null);
        return false;
      }
      // Agent unreachable or failing: the sync status says the rest.
    }
    return true;
  });
  return status;
}

function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** Polls the serving origin's /health while `active`; null until the first answer or when inactive. */
export function useServerReachable(active: boolean, intervalMs = 3000): boolean | null {
  const [reachable, setReachable] = useState<boolean | null>(null);
  useEffect(() => {
    if (!active) setReachable(null);
  }, [active]);
  usePoll(active ? 'health' : null, intervalMs, async (alive) => {
    let ok: boolean;
    try {
      const res = await fetch(apiUrl('/health'), { cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(intervalMs) });
      ok = res.ok;
      await res.body?.cancel();
    } catch {
      ok = false;
    }
    if (alive()) setReachable(ok);
    return true;
  });
  return reachable;
}

export function useConnectionState(agent: AgentStatus | null): { state: ConnectionState; hubOffline: boolean } {
  const docs = useAllDocStatuses();
  const online = useBrowserOnline();
  // Open replicas already tell connection state through their sockets; probe only without them.
  const reachable = useServerReachable(docs.length === 0);
  return combineState(docs, agent, online, reachable);
}
