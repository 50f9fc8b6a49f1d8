// The renderer's REST data, through TanStack Query: one cache per signed-in session, each answer
// fetched once however many components show it, and fetched again when a screen showing it
// opens or a change signal says so — the meeting doc's live.papersRev bump and its details (the
// query keys carry them), the agent's status (meeting list), or the user's own change
// (refreshMeeting). Nothing is refetched on window focus, on reconnect or on a timer unless
// stated here (the meeting list is: useMeetings).
import { QueryCache, QueryClient, useQuery, type QueryClient as Client } from '@tanstack/react-query';
import type { AgentStatus, MeetingSummary, User } from '../../shared/api.ts';
import { pathFor, ROUTES } from '../../shared/routes.ts';
import { ApiError, apiUrl, type Api, type MeetingDetail, type MeetingPaper } from '../api.ts';

/**
 * A fresh cache for a signed-in session (sign-out drops it with every answer in it). An answer
 * that says the session is gone (401) signs out wherever it came from.
 */
export function createSessionQueryClient(onSessionGone: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err) => {
        if (err instanceof ApiError && err.status === 401) onSessionGone();
      },
    }),
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        // The server is often the tablet's own loopback agent: "the browser is offline" must
        // not hold requests back.
        networkMode: 'always',
      },
    },
  });
}

export const keys = {
  session: ['session'] as const,
  agentStatus: ['agent-status'] as const,
  health: ['health'] as const,
  meetings: (agentView: string) => ['meetings', agentView] as const,
  meeting: (meetingId: string) => ['meeting', meetingId] as const,
  /** `detailsRev`: the meeting doc's details as they are (a change there refetches the detail). */
  meetingDetail: (meetingId: string, detailsRev: string) => ['meeting', meetingId, 'detail', detailsRev] as const,
  /** `papersRev`: the hub's live.papersRev, bumped on every paper change. */
  papers: (meetingId: string, papersRev: unknown) => ['meeting', meetingId, 'papers', papersRev ?? null] as const,
  accounts: ['accounts'] as const,
};

/** The session is still good (a revoked or expired token signs out through the cache's onError). */
export function useSessionCheck(api: Api): void {
  useQuery({ queryKey: keys.session, queryFn: () => api.session() });
}

/** The agent's status, every 2 s; null on a hub, which has no such route (404 ends the polling). */
export function useAgentStatus(api: Api, intervalMs = 2000): AgentStatus | null {
  const q = useQuery({
    queryKey: keys.agentStatus,
    queryFn: async (): Promise<AgentStatus | null> => {
      try {
        return await api.agentStatus();
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        // Agent unreachable or failing: the last status stands; the sync status says the rest.
        throw err;
      }
    },
    refetchInterval: (query) => (query.state.data === null ? false : intervalMs),
    refetchIntervalInBackground: true,
  });
  return q.data ?? null;
}

/** The serving origin's /health while `active`, every 3 s; null until answered or when inactive. */
export function useServerReachable(active: boolean, intervalMs = 3000): boolean | null {
  const q = useQuery({
    queryKey: keys.health,
    queryFn: async (): Promise<boolean> => {
      try {
        // Any 2xx will do: the probe asks whether the server answers, not what it says.
        const res = await fetch(apiUrl(pathFor(ROUTES.health)), {
          method: ROUTES.health.method, cache: 'no-store', credentials: 'omit', signal: AbortSignal.timeout(intervalMs),
        });
        await res.body?.cancel();
        return res.ok;
      } catch {
        return false;
      }
    },
    enabled: active,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: true,
  });
  return active ? q.data ?? null : null;
}

/**
 * How often a shown meeting list asks again. No document can tell a participant about a meeting
 * before it is published (a draft's documents refuse delegates) or while they hold none of its
 * documents, so a list on screen follows publishing and closing by asking: the answer is small,
 * and an agent gives it from its cache.
 */
export const MEETINGS_REFRESH_MS = 4000;

/** The user's meetings; `agentView` changes when an agent's rounds bring others (see MeetingList). */
export function useMeetings(api: Api, agentView: string) {
  return useQuery<MeetingSummary[], ApiError>({
    queryKey: keys.meetings(agentView), queryFn: () => api.meetings(), placeholderData: (prev) => prev,
    // Only while shown and the window is visible (a hidden tab does not poll).
    refetchInterval: MEETINGS_REFRESH_MS, refetchOnWindowFocus: true,
  });
}

/** The meeting's detail (participants, my role), once its doc has synced (the key needs its details). */
export function useMeetingDetail(api: Api, meetingId: string, detailsRev: string, enabled: boolean) {
  return useQuery<MeetingDetail, ApiError>({
    queryKey: keys.meetingDetail(meetingId, detailsRev),
    queryFn: () => api.meeting(meetingId),
    enabled,
    placeholderData: (prev) => prev,
  });
}

/**
 * Every paper the user may read in the meeting — the one source of papers for the whole screen.
 * Keyed on live.papersRev. `behind(list)` tells when an answer is older than the meeting doc (a
 * tablet's agent answers from its cache while it is still fetching the hub's new list): such an
 * answer is asked again every `retryMs`, at most `retries` times per change.
 */
export function useMeetingPapers(api: Api, meetingId: string, papersRev: unknown, opts: { enabled: boolean; behind: (list: MeetingPaper[]) => boolean; retryMs?: number; retries?: number }) {
  const { retryMs = 500, retries = 20 } = opts;
  return useQuery<MeetingPaper[], ApiError>({
    queryKey: keys.papers(meetingId, papersRev),
    queryFn: () => api.papers(meetingId),
    enabled: opts.enabled,
    placeholderData: (prev) => prev,
    refetchInterval: (q) => (q.state.data && opts.behind(q.state.data) && q.state.dataUpdateCount <= retries ? retryMs : false),
  });
}

/** Every account (the console's participants picker). */
export function useAccounts(api: Api) {
  return useQuery<User[], ApiError>({ queryKey: keys.accounts, queryFn: () => api.accounts() });
}

/** After the user's own change to a meeting: its detail and papers are asked for again. */
export function refreshMeeting(client: Client, meetingId: string): Promise<void> {
  return client.invalidateQueries({ queryKey: keys.meeting(meetingId) });
}

/** A meeting whose access is gone: its answers leave memory with it. */
export function forgetMeeting(client: Client, meetingId: string): void {
  client.removeQueries({ queryKey: keys.meeting(meetingId) });
}
