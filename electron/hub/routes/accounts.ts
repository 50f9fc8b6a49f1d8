// Accounts: the directory managers pick participants from, and the admin's account management.
import { HttpError, notFound } from '../../core/http-common.ts';
import type { HubContext } from '../context.ts';
import { hashPassword } from '../passwords.ts';
import type { Router } from '../route.ts';
import { ROUTES } from '../../../shared/routes.ts';

export function accountRoutes(route: Router, hub: HubContext): void {
  const { db } = hub;
  const revokeUser = (userId: string): number => {
    const n = db.revokeUserSessions(userId);
    hub.connections.endUser(userId, 'session revoked');
    return n;
  };

  // Managers pick participants from the accounts; delegates see no directory.
  route(ROUTES.accounts, async () => db.listAccounts());

  route(ROUTES.createAccount, async ({ account: admin, body }) => {
    if (db.accountByLogin(body.login)) throw new HttpError(409, 'conflict', `login ${body.login} is taken`);
    const user = db.createAccount({ login: body.login, name: body.name, role: body.role, pwHash: await hashPassword(body.password) });
    db.audit('account-created', admin.id, user.id);
    return user;
  });

  route(ROUTES.updateAccount, async ({ account: admin, params: { id }, body }) => {
    if (!db.account(id)) throw notFound('no such account');
    const pwHash = body.password ? await hashPassword(body.password) : undefined;
    // Checked and written in one transaction, after the hashing's await: two admins demoting
    // each other at once cannot both pass the check.
    hub.sqlite.transaction(() => {
      const target = db.account(id);
      if (!target) throw notFound('no such account');
      const losesAdmin = target.role === 'admin' && !target.disabled && ((body.role !== undefined && body.role !== 'admin') || body.disabled === true);
      if (losesAdmin && db.enabledAdminCount() <= 1) {
        throw new HttpError(409, 'last_admin', 'this is the last enabled admin: make another account admin before demoting or disabling this one');
      }
      db.updateAccount(id, { name: body.name, role: body.role, disabled: body.disabled, pwHash });
    })();
    if (body.disabled || body.password) revokeUser(id);
    // A new account role changes what their open connections may do, at once.
    else await hub.connections.recheck((t) => t.userId === id);
    db.audit('account-updated', admin.id, id, { fields: Object.keys(body) });
    const row = db.account(id)!;
    return { id: row.id, login: row.login, name: row.name, role: row.role };
  });

  route(ROUTES.revokeSessions, async ({ account: admin, params: { id } }) => {
    const n = revokeUser(id);
    db.audit('sessions-revoked', admin.id, id, { count: n });
    return { revoked: n };
  });

  route(ROUTES.audit, async () => db.auditLog());
}
