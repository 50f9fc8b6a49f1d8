// The always-visible connection state. In a browser on the hub it is the sync connections'
// state; on an agent it also folds in the agent's own link to the hub (its status, polled in
// data/queries.ts), because the renderer's socket to a loopback agent stays up while the hub is
// away. While no replica is open (the meeting list) a /health probe stands in for the sockets.
import { useEffect, useState } from 'react';
import type { AgentStatus } from '../../shared/api.ts';
import { useServerReachable } from '../data/queries.ts';
import { useAllDocStatuses } from '../sync/hooks.ts';
import type { DocStatus } from '../sync/docs.ts';

export type ConnectionState = 'online' | 'offline' | 'syncing';

export interface Connection {
  state: ConnectionState;
  /** On an agent: its link to the hub is down. */
  hubOffline: boolean;
  /**
   * Offline only from the hub, with the device's agent answering and every replica connected to
   * it: the tablet works normally from what it keeps (papers, notes, sign-in), so the top bar
   * shows a calm "On this device", not trouble. Red stays for the page's own server gone.
   */
  onDevice: boolean;
}

/**
 * `serverReachable` is the /health probe's last answer, used only while no replica is open (the
 * meeting list): without it that screen had no signal at all and said "online" with the server gone.
 */
export function combineState(docs: DocStatus[], agent: AgentStatus | null, browserOnline: boolean, serverReachable: boolean | null = null): Connection {
  const hubOffline = agent?.hub === 'offline';
  const off = (hub: boolean, onDevice = false): Connection => ({ state: 'offline', hubOffline: hub, onDevice });
  if (!browserOnline && agent === null) return off(false);
  if (docs.length === 0 && serverReachable === false) return off(false);
  if (docs.some((d) => d === 'offline' || d === 'refused')) return off(hubOffline);
  // Still 'offline' (the state other parts and tests read): the hub is not reachable.
  if (hubOffline) return off(true, true);
  if (docs.some((d) => d === 'connecting' || d === 'syncing') || agent?.hub === 'syncing') return { state: 'syncing', hubOffline, onDevice: false };
  return { state: 'online', hubOffline, onDevice: false };
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

export function useConnectionState(agent: AgentStatus | null): Connection {
  const docs = useAllDocStatuses();
  const online = useBrowserOnline();
  // Open replicas already tell connection state through their sockets; probe only without them.
  const reachable = useServerReachable(docs.length === 0);
  return combineState(docs, agent, online, reachable);
}
