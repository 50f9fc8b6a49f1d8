// Health and sessions: sign in, who am I, sign out.
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function sessionRoutes(route: Router, hub: HubContext): void {
  route(ROUTES.health, async () => ({ ok: true as const, service: 'chamber-hub', docsLoaded: hub.core.loadedDocs().length }));

  route(ROUTES.signIn, async ({ body, req }) => hub.sessions.signIn(body.login, body.password, req.ip));

  route(ROUTES.session, async ({ account: a }) => ({ user: { id: a.id, login: a.login, name: a.name, role: a.role } }));

  route(ROUTES.signOut, async ({ req }) => {
    const hash = req.sessionHash!;
    hub.db.revokeSession(hash);
    hub.connections.endSession(hash, 'signed out');
  });
}
