// The always-visible connection state. In a browser on the hub it is the sync connections'
// state; on an agent it also folds in the agent's own link to the hub (GET /api/agent/status),
// because the renderer's socket to a loopback agent stays up while the hub is away.
import { useEffect, useState } from 'react';
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

/** Polls the agent's status while mounted; null on a hub (which has no such route). */
export function useAgentStatus(api: Api | null, intervalMs = 2000): AgentStatus | null {
  const [status, setStatus] = useState<AgentStatus | null>(null);
  useEffect(() => {
    if (!api) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      try {
        const s = await api.agentStatus();
        if (stopped) return;
        setStatus(s);
      } catch (err) {
        if (stopped) return;
        // 404: served by a hub, there is no agent to ask. Stop polling.
        if (err instanceof ApiError && err.status === 404) {
          setStatus(null);
          return;
        }
        // Agent unreachable or failing: the sync status says the rest.
      }
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [api, intervalMs]);
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
    if (!active) {
      setReachable(null);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const tick = async () => {
      let ok: boolean;
      try {
        const res = await fetch(apiUrl('/health'), { cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(intervalMs) });
        ok = res.ok;
        await res.body?.cancel();
      } catch {
        ok = false;
      }
      if (stopped) return;
      setReachable(ok);
      timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [active, intervalMs]);
  return reachable;
}

export function useConnectionState(agent: AgentStatus | null): { state: ConnectionState; hubOffline: boolean } {
  const docs = useAllDocStatuses();
  const online = useBrowserOnline();
  // Open replicas already tell connection state through their sockets; probe only without them.
  const reachable = useServerReachable(docs.length === 0);
  return combineState(docs, agent, online, reachable);
}
