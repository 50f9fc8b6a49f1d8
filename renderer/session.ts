// The signed-in session, kept in sessionStorage: a reload keeps the user signed in, closing the
// tab forgets the token (a shared tablet should not stay signed in by accident).
import { z } from 'zod';
import { userSchema, type User } from '../shared/api.ts';

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
