// A page that stays signed in on this device (issue 16), without ever holding the hub's token or
// a long-lived secret it could read. After a password sign-in the page asks to be remembered
// (POST /api/session/device); the agent answers with a cookie holding a random secret:
//   - HttpOnly: no script in the page can read it, so a script injected into the page cannot
//     carry it away (it can only use it while it runs there, as it could the page's own token);
//   - SameSite=Strict, Path=/: no other site's page makes the browser send it;
//   - Max-Age: the session's end, also kept beside the secret's hash in the encrypted cache.
// The page then resumes on load (POST /api/session/resume, a JSON body, so the loopback guard's
// Origin, Host and content-type checks apply) and gets a fresh local token, as a sign-in gives.
// Only the hash is stored; the secret exists in the browser's cookie jar (or, in the desktop
// app, the shell's: electron/shell/device-jar.ts) and nowhere else.
import crypto from 'node:crypto';
import type { AgentDb } from './agent-db.ts';

export const DEVICE_COOKIE = 'chamber_device';
const ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Strict';
/** 32 random bytes, base64url: what issue() makes, and the only shape read back. */
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Set-Cookie for a new device session lasting `maxAgeSec`. */
export const deviceCookie = (secret: string, maxAgeSec: number): string => `${DEVICE_COOKIE}=${secret}; Max-Age=${maxAgeSec}; ${ATTRIBUTES}`;
/** Set-Cookie that makes the browser forget the device session (sign-out, a refused resume). */
export const CLEAR_DEVICE_COOKIE = `${DEVICE_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;

/** The device secret a request's Cookie header carries, or null (absent, or not one we made). */
export function deviceSecretOf(cookieHeader: string | undefined): string | null {
  if (typeof cookieHeader !== 'string') return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== DEVICE_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (SECRET_SHAPE.test(value)) return value;
  }
  return null;
}

export interface DeviceSessionDeps {
  db: AgentDb;
  /** The agent's wall clock (TimeSource.wallMs): the test harness moves it to reach an expiry. */
  now: () => number;
  ttlMs: number;
}

export class DeviceSessions {
  private readonly deps: DeviceSessionDeps;
  constructor(deps: DeviceSessionDeps) {
    this.deps = deps;
  }

  /** A new device session for `userId`: the secret for the cookie, and its lifetime in seconds. */
  issue(userId: string): { secret: string; maxAgeSec: number } {
    const secret = crypto.randomBytes(32).toString('base64url');
    const now = this.deps.now();
    this.deps.db.createDeviceSession(secret, userId, now, now + this.deps.ttlMs);
    return { secret, maxAgeSec: Math.max(1, Math.floor(this.deps.ttlMs / 1000)) };
  }

  /** The user a device secret was issued to, while its session runs; null otherwise. */
  userOf(secret: string | null): string | null {
    if (!secret) return null;
    return this.deps.db.deviceSession(secret, this.deps.now())?.userId ?? null;
  }

  /** Ends every device session of this device. */
  endAll(): number {
    return this.deps.db.deleteDeviceSessions();
  }
}

/**
 * What a response's Set-Cookie lines say of the device session: a new secret, `null` when they
 * clear it, `undefined` when they do not name it. For a client keeping the cookie itself (the
 * desktop shell's forwarder: electron/shell/device-jar.ts).
 */
export function deviceSetCookie(lines: readonly string[]): string | null | undefined {
  let out: string | null | undefined;
  for (const line of lines) {
    const first = line.split(';')[0]!;
    const eq = first.indexOf('=');
    if (eq < 0 || first.slice(0, eq).trim() !== DEVICE_COOKIE) continue;
    const value = first.slice(eq + 1).trim();
    out = SECRET_SHAPE.test(value) && !/;\s*max-age=0\s*(;|$)/i.test(line) ? value : null;
  }
  return out;
}
