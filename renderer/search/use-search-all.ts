// The answer to `GET /api/search` for one query, through the session's query cache (one request
// however many parts of the screen show it). While the answer says papers are still being indexed
// it is asked again every few seconds, so results that appear as the index fills are shown.
import { useQuery } from '@tanstack/react-query';
import type { SearchResponse } from '../../shared/search.ts';
import { ROUTES } from '../../shared/routes.ts';
import type { ApiError, Api } from '../api.ts';

const PENDING_REFRESH_MS = 3000;

export function searchAll(api: Api, q: string): Promise<SearchResponse> {
  return api.call(ROUTES.search, { query: { q } });
}

export function useSearchAll(api: Api, q: string) {
  const query = q.trim();
  return useQuery<SearchResponse, ApiError>({
    queryKey: ['search', query],
    queryFn: () => searchAll(api, query),
    enabled: query !== '',
    refetchInterval: (state) => ((state.state.data?.pendingPapers ?? 0) > 0 ? PENDING_REFRESH_MS : false),
  });
}
