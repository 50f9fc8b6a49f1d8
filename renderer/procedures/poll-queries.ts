// What the live doc does not say about a poll, asked of the hub: the caller's own standing
// (entitled? voted?), who has not voted (managers only), and whether a receipt code is in the
// count. TanStack Query (one cache per session, renderer/data/queries.ts); the keys carry the
// live figures they depend on, so a new ballot refreshes the chair's "not voted" list and
// nothing polls on a timer.
import { useQuery } from '@tanstack/react-query';
import { ROUTES } from '../../shared/routes.ts';
import type { PollDetail } from '../../shared/procedures/polls.ts';
import type { Api } from '../api.ts';
import { procedureCall } from './procedure-api.ts';

/** The poll as the hub answers it to this caller. */
export async function fetchPollDetail(api: Api, pollId: string): Promise<PollDetail> {
  return (await procedureCall(api, ROUTES.poll, { params: { id: pollId } })).answer;
}

/** Is this receipt code in the hub's count? */
export async function checkTracker(api: Api, pollId: string, tracker: string): Promise<boolean> {
  return (await procedureCall(api, ROUTES.tracker, { params: { id: pollId, tracker } })).answer.received;
}

/**
 * The caller's standing in the open poll: entitled (snapshotted at the start) and whether a
 * ballot of theirs is in. Asked whenever a vote opens on this screen (a reset and restarted vote
 * asks again); null until answered, or when the hub is away — the ballot form then still shows,
 * and its send says what is wrong.
 */
export function useMyPollStanding(api: Api, pollId: string | null): PollDetail['me'] | null {
  const q = useQuery({
    queryKey: ['poll', pollId, 'me'],
    queryFn: async () => (await fetchPollDetail(api, pollId!)).me,
    enabled: pollId !== null,
    refetchOnMount: 'always',
  });
  return q.data ?? null;
}

/** The chair's view of a poll, asked again whenever its state or its count of ballots moves. */
export function usePollDetail(api: Api, pollId: string, state: string, voted: number, enabled = true): PollDetail | null {
  const q = useQuery({
    queryKey: ['poll', pollId, 'detail', state, voted],
    queryFn: () => fetchPollDetail(api, pollId),
    enabled,
    // The last answer stays on screen while the next one is on its way.
    placeholderData: (prev) => prev,
  });
  return q.data ?? null;
}
