// The signed-in session. The page's token is kept in sessionStorage: a reload keeps the user
// signed in, closing the tab forgets the token. Staying signed in on a device past that is the
// agent's business (electron/agent/device-session.ts): after a password sign-in the page may ask
// it to remember the device, and on a later load it resumes from the agent's HttpOnly cookie with
// a fresh local token. The page never holds the hub's token nor the device secret. Served straight
// by a hub there is no device session: resume answers `unsupported`, and closing the tab signs out.
import { z } from 'zod';
import { userSchema, type User } from '../shared/api.ts';
import { ROUTES } from '../shared/routes.ts';
import { ApiError, callRoute } from './api.ts';

const KEY = 'chamber.session';
const storedSchema = z.object({ token: z.string().min(1), user: userSchema, offline: z.boolean().optional() });
export type StoredSession = z.infer<typeof storedSchema>;

export function loadSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const parsed = storedSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveSession(s: { token: string; user: User; offline?: boolean }): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  } catch {
    /* private mode: the session lasts as long as the page */
  }
}

export function clearSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    /* nothing kept */
  }
}

/**
 * What a page load learns from the server about staying signed in: `resumed` (the device kept the
 * user signed in: a fresh session), `none` (an agent that offers it, with no device session for
 * this page), `unsupported` (a hub, or no answer: sign in as before).
 */
export type ResumeOutcome = { kind: 'resumed'; session: StoredSession } | { kind: 'none' } | { kind: 'unsupported' };

export async function resumeDeviceSession(): Promise<ResumeOutcome> {
  try {
    const res = await callRoute(ROUTES.resumeSession, { body: {} }, null, 'same-origin');
    const session: StoredSession = { token: res.token, user: res.user, ...(res.offline ? { offline: true } : {}) };
    saveSession(session);
    return { kind: 'resumed', session };
  } catch (err) {
    // Only an agent answers with this code; a hub knows no such route.
    if (err instanceof ApiError && err.code === 'no_device_session') return { kind: 'none' };
    return { kind: 'unsupported' };
  }
}

/** Asks the agent to keep this device signed in after a password sign-in; false if it would not. */
export async function rememberDevice(token: string): Promise<boolean> {
  try {
    await callRoute(ROUTES.rememberDevice, {}, token, 'same-origin');
    return true;
  } catch {
    return false;
  }
}
