// GET /api/search: the service decides what the caller may read and answers from the index.
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function searchRoutes(route: Router, hub: HubContext): void {
  route(ROUTES.search, async ({ account, query: { q } }) => hub.search.search(account, q));
}
