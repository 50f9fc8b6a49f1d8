// Sign-in throttling, password length and the last admin, through the real hub process: guesses
// run into 429 with Retry-After per account and per address, a right password after the wait
// works (no lock-out), and the room always keeps an enabled admin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, signIn } from '../helpers/processes.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { SIGN_IN_THROTTLE } from '../../electron/hub/hub.ts';

let hub: HubUnderTest;
let admin: { token: string; user: { id: string } };
const accountFree = SIGN_IN_THROTTLE.policies!.login!.freeFailures!;
const addressFree = SIGN_IN_THROTTLE.policies!.address!.freeFailures!;
/** Failed sign-ins this test file has made from its one address (127.0.0.1), in order. */
let addressFailures = 0;

async function attempt(login: string, password: string): Promise<{ status: number; retryAfter: string | null; body: { error?: string; message?: string } }> {
  const res = await fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  if (res.status === 401) addressFailures++;
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { error?: string } };
}

/** Retries the right password until it is let through, honouring Retry-After; fails after a deadline. */
async function signInAfterWait(login: string, password = 'demo', deadlineMs = 20_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const r = await attempt(login, password);
    if (r.status !== 429) return r.status;
    expect(Date.now() - started, 'still refused after the deadline').toBeLessThan(deadlineMs);
    await new Promise((resolve) => setTimeout(resolve, Number(r.retryAfter) * 1000));
  }
}

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  admin = await signIn(hub.url, 'admin');
});
afterAll(async () => hub?.stop());

/**
 * Wrong guesses as `login()` names them, honouring each Retry-After, until one answer asks for a
 * wait of at least 2 s (so the next request, sent at once, surely falls inside it). Returns the
 * failures made from this address before the first 429.
 */
async function guessUntilHeld(login: (i: number) => string): Promise<number> {
  let failuresBeforeFirst429 = -1;
  for (let i = 0; i < 100; i++) {
    const r = await attempt(login(i), `wrong-${i}`);
    if (r.status === 401) continue;
    expect(r.status).toBe(429);
    expect(r.body.error).toBe('too_many_attempts');
    expect(r.body.message).toContain(`${r.retryAfter} s`);
    if (failuresBeforeFirst429 < 0) failuresBeforeFirst429 = addressFailures;
    if (Number(r.retryAfter) >= 2) return failuresBeforeFirst429;
    await new Promise((resolve) => setTimeout(resolve, Number(r.retryAfter) * 1000));
  }
  throw new Error('never held back');
}

describe('sign-in throttling', () => {
  it('per account: free failures, then 429 with Retry-After even for the right password, which works after the wait', async () => {
    const before = addressFailures;
    const failures = await guessUntilHeld(() => 'delegate1');
    expect(failures - before).toBeGreaterThan(accountFree);
    const held = await attempt('delegate1', 'demo');
    expect(held.status).toBe(429);
    // Other accounts from the same address are not held back by this one.
    expect((await attempt('delegate2', 'demo')).status).toBe(200);
    // No lock-out: after the wait the right password works, and the count starts over.
    expect(await signInAfterWait('delegate1')).toBe(200);
    expect((await attempt('delegate1', 'wrong-again')).status).toBe(401);
    expect((await attempt('delegate1', 'demo')).status).toBe(200);
  });

  it('parallel guesses get no more tries than sequential ones', async () => {
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt('chair', `parallel-${i}`)));
    const refusedAtOnce = burst.filter((r) => r.status === 429).length;
    const tried = burst.filter((r) => r.status === 401).length;
    // The free failures, at most one more that arrived after they had all failed, and 429 for the rest.
    expect(tried).toBeGreaterThanOrEqual(accountFree);
    expect(tried).toBeLessThanOrEqual(accountFree + 1);
    expect(refusedAtOnce).toBe(30 - tried);
    expect(await signInAfterWait('chair')).toBe(200);
  });

  it('per address: guesses sprayed over many logins run out, and a right password still works after the wait', async () => {
    expect(addressFailures).toBeLessThan(addressFree);
    // Unknown logins cost the same password work as known ones and each is a fresh account key:
    // only the address holds them back.
    const failures = await guessUntilHeld((i) => `nobody-${i}`);
    expect(failures).toBeGreaterThan(addressFree);
    // The address holds known accounts with the right password too, until the wait is over.
    expect((await attempt('delegate3', 'demo')).status).toBe(429);
    expect(await signInAfterWait('delegate3')).toBe(200);
  });
});

describe('passwords', () => {
  it('new and changed passwords have at least 8 characters', async () => {
    const post = (password: string, login: string) => api<{ id: string; message?: string }>(hub.url, admin.token, '/api/accounts', {
      method: 'POST', body: JSON.stringify({ login, name: login, role: 'delegate', password }),
    });
    const short = await post('seven77', 'shortpw');
    expect(short.status).toBe(400);
    expect(short.body.message).toMatch(/password: must be at least 8 characters/);
    expect((await api<Array<{ login: string }>>(hub.url, admin.token, '/api/accounts')).body.some((a) => a.login === 'shortpw')).toBe(false);
    const made = await post('eight888', 'longpw');
    expect(made.status).toBe(201);
    const change = await api<{ message?: string }>(hub.url, admin.token, `/api/accounts/${made.body.id}`, { method: 'PATCH', body: JSON.stringify({ password: 'demo' }) });
    expect(change.status).toBe(400);
    expect((await signIn(hub.url, 'longpw', 'eight888')).user.id).toBe(made.body.id);
  });
});

describe('the last admin', () => {
  const patch = (token: string, id: string, body: object) => api<{ error?: string; role?: string }>(hub.url, token, `/api/accounts/${id}`, { method: 'PATCH', body: JSON.stringify(body) });
  const role = async (id: string) => (await api<Array<{ id: string; role: string }>>(hub.url, admin.token, '/api/accounts')).body.find((a) => a.id === id)!.role;

  it('cannot demote or disable themselves, nor be demoted or disabled by anyone', async () => {
    for (const body of [{ role: 'secretary' }, { disabled: true }, { role: 'delegate', disabled: true, name: 'Still admin' }]) {
      const res = await patch(admin.token, admin.user.id, body);
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('last_admin');
    }
    expect(await role(admin.user.id)).toBe('admin');
    expect((await api(hub.url, admin.token, '/api/audit')).status).toBe(200);
    // Changes that keep them an enabled admin are fine.
    expect((await patch(admin.token, admin.user.id, { name: 'Room admin', role: 'admin' })).status).toBe(200);
  });

  it('a disabled admin does not count; with two enabled admins one may step down, and of two doing it at once only one does', async () => {
    const make = async (login: string) => (await api<{ id: string }>(hub.url, admin.token, '/api/accounts', {
      method: 'POST', body: JSON.stringify({ login, name: login, role: 'admin', password: `${login}-password` }),
    })).body.id;
    const spare = await make('spare-admin');
    expect((await patch(admin.token, spare, { disabled: true })).status).toBe(200);
    expect((await patch(admin.token, admin.user.id, { role: 'secretary' })).status).toBe(409);
    const second = await make('second-admin');
    const secondToken = (await signIn(hub.url, 'second-admin', 'second-admin-password')).token;
    // Both at once, each with a password change (hashed before the write): exactly one wins.
    const [a, b] = await Promise.all([
      patch(admin.token, second, { role: 'delegate', password: 'demoted-password-1' }),
      patch(secondToken, admin.user.id, { role: 'delegate', password: 'demoted-password-2' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    // Whoever lost was signed out by the password change: read the roles from the database.
    const db = openHubDb(hub.dataDir);
    const roles = db.prepare('SELECT role FROM accounts WHERE id IN (?, ?)').all(admin.user.id, second) as Array<{ role: string }>;
    db.close();
    expect(roles.map((r) => r.role).sort()).toEqual(['admin', 'delegate']);
  });
});
