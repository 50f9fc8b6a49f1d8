// The agent's own tables, in the same SQLite file as the document store so a purge of a
// meeting (its cached API answers and its documents) can never be half done across two files.
// What is kept: the one user this device serves, a scrypt verifier of their password (never the
// password), the hub token (it never leaves the agent; kept only in an encrypted cache whose key
// is outside it), local session hashes, device session hashes (device-session.ts), and the last
// hub answers for each meeting so the API can be served offline.
import crypto from 'node:crypto';
import { docStoreSteps, type Database } from '../core/store.ts';
import { appId, migrate, type SchemaKind } from '../core/migrations.ts';
import { searchIndexTables } from '../core/search-index.ts';
import { sealedPaperTables } from './sealed-store.ts';
import type { MeetingSummary, PaperInfo, User } from '../../shared/api.ts';

export const LOCAL_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface CachedMeeting {
  id: string;
  summary: MeetingSummary;
  detail: unknown | null;
  papers: PaperInfo[] | null;
}

export interface HubCredentials {
  token: string;
  expiresAt: number;
}

export const tokenHash = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

/** The agent cache's schema steps, oldest first; a new step goes at the end with the next number. */
export const AGENT_SCHEMA: SchemaKind = {
  label: 'agent cache',
  applicationId: appId('CHMA'),
  migrations: [
    {
      version: 1,
      name: 'tables as before schema versions',
      up: (db) => {
        docStoreSteps.baseline(db);
        db.exec(`
          CREATE TABLE IF NOT EXISTS agent_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE IF NOT EXISTS agent_sessions (token_hash TEXT PRIMARY KEY, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
          CREATE TABLE IF NOT EXISTS agent_meetings (id TEXT PRIMARY KEY, summary TEXT NOT NULL, detail TEXT, papers TEXT, updated_at INTEGER NOT NULL);
        `);
      },
    },
    // The full-text index of the papers this device holds (agent/search.ts), the hub's tables.
    { version: 2, name: 'search index', up: (db) => searchIndexTables(db) },
    // Issue 17: each classified paper's own key, the offline clock, and recalls carried out
    // (electron/agent/sealed-store.ts, offline-clock.ts, recall.ts).
    { version: 3, name: 'paper keys, offline clock, recalls', up: sealedPaperTables },
    // Issue 16: a page may stay signed in on this device (device-session.ts). Only the secret's
    // hash is kept, bound to the user it was issued to.
    {
      version: 4,
      name: 'device sessions',
      up: (db) => db.exec('CREATE TABLE IF NOT EXISTS agent_device_sessions (secret_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL)'),
    },
  ],
};

export class AgentDb {
  readonly db: Database;
  constructor(db: Database) {
    this.db = db;
    // Every table of the cache (the document store's too) comes from one ordered list of steps.
    migrate(db, AGENT_SCHEMA);
  }

  private get(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM agent_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }
  private set(key: string, value: string | null): void {
    if (value === null) this.db.prepare('DELETE FROM agent_meta WHERE key = ?').run(key);
    else this.db.prepare('INSERT INTO agent_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The user this cache belongs to (parsed by the caller: the row may predate a schema change). */
  userJson(): string | null {
    return this.get('user');
  }
  passwordVerifier(): string | null {
    return this.get('password_verifier');
  }
  hubCredentials(): HubCredentials | null {
    const token = this.get('hub_token');
    const exp = Number(this.get('hub_expires_at'));
    return token ? { token, expiresAt: Number.isFinite(exp) ? exp : 0 } : null;
  }

  /** Records a successful sign-in with the hub, in one transaction; `creds` null: the hub token is not kept. */
  saveSignIn(user: User, verifier: string | null, creds: HubCredentials | null): void {
    this.db.transaction(() => {
      this.set('user', JSON.stringify(user));
      if (verifier !== null) this.set('password_verifier', verifier);
      this.set('hub_token', creds?.token ?? null);
      this.set('hub_expires_at', creds ? String(creds.expiresAt) : null);
    })();
  }

  /** The hub's current answer about the user (a new role, a new name), same id. */
  saveUser(user: User): void {
    this.set('user', JSON.stringify(user));
  }

  forgetHubToken(): void {
    this.db.transaction(() => {
      this.set('hub_token', null);
      this.set('hub_expires_at', null);
    })();
  }

  /** This device's random id (created once; it names the device in the hub's wipe orders). */
  deviceId(): string {
    let id = this.get('device_id');
    if (!id) {
      id = crypto.randomBytes(12).toString('hex');
      this.set('device_id', id);
    }
    return id;
  }

  /** Meetings wiped by a hub order and kept out of the cache until the user signs in again. */
  wipedMeetings(): string[] {
    const list = safeParse(this.get('wiped_meetings'));
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  }
  setWipedMeetings(ids: string[]): void {
    this.set('wiped_meetings', ids.length ? JSON.stringify(ids) : null);
  }

  /** Session revoked or user switched: nothing of the old user may stay usable (the device id stays). */
  forgetUser(): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM agent_meta WHERE key <> 'device_id'").run();
      this.db.prepare('DELETE FROM agent_sessions').run();
      this.db.prepare('DELETE FROM agent_device_sessions').run();
    })();
  }

  // ---- local sessions (tokens the agent hands to its own clients) --------------------------
  createSession(token: string, ttlMs = LOCAL_SESSION_TTL_MS): number {
    const now = Date.now();
    this.db.prepare('INSERT INTO agent_sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)').run(tokenHash(token), now, now + ttlMs);
    return now + ttlMs;
  }
  /** When a local session ends (ms since the epoch); null for an unknown or expired token. */
  sessionExpiry(token: string): number | null {
    const row = this.db.prepare('SELECT expires_at FROM agent_sessions WHERE token_hash = ?').get(tokenHash(token)) as { expires_at: number } | undefined;
    return row && row.expires_at > Date.now() ? row.expires_at : null;
  }
  deleteSession(token: string): void {
    this.db.prepare('DELETE FROM agent_sessions WHERE token_hash = ?').run(tokenHash(token));
  }

  // ---- device sessions (a page that stays signed in: device-session.ts) ---------------------
  /** `now` and the end are the agent's wall clock (offline-clock.ts TimeSource), in ms. */
  createDeviceSession(secret: string, userId: string, now: number, expiresAt: number): void {
    this.db.transaction(() => {
      // Ended ones are removed as new ones come, so the table never grows past a few rows.
      this.db.prepare('DELETE FROM agent_device_sessions WHERE expires_at <= ?').run(now);
      this.db.prepare('INSERT INTO agent_device_sessions (secret_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(tokenHash(secret), userId, now, expiresAt);
    })();
  }
  /** The user and end of a device session still running at `now`, or null. */
  deviceSession(secret: string, now: number): { userId: string; expiresAt: number } | null {
    const hash = tokenHash(secret);
    const row = this.db.prepare('SELECT user_id, expires_at FROM agent_device_sessions WHERE secret_hash = ?').get(hash) as { user_id: string; expires_at: number } | undefined;
    if (!row) return null;
    if (row.expires_at > now) return { userId: row.user_id, expiresAt: row.expires_at };
    // Found ended: gone for good, so setting the device's clock back afterwards revives nothing.
    this.db.prepare('DELETE FROM agent_device_sessions WHERE secret_hash = ?').run(hash);
    return null;
  }
  /** Ends every device session: sign-out, a wipe (the device stays signed in for nobody). */
  deleteDeviceSessions(): number {
    return this.db.prepare('DELETE FROM agent_device_sessions').run().changes;
  }

  // ---- cached meetings ---------------------------------------------------------------------
  meetings(): CachedMeeting[] {
    const rows = this.db.prepare('SELECT id, summary, detail, papers FROM agent_meetings ORDER BY id').all() as Array<{ id: string; summary: string; detail: string | null; papers: string | null }>;
    return rows.map((r) => ({
      id: r.id,
      summary: JSON.parse(r.summary) as MeetingSummary,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      papers: r.papers === null ? null : (JSON.parse(r.papers) as PaperInfo[]),
    }));
  }
  meeting(id: string): CachedMeeting | null {
    return this.meetings().find((m) => m.id === id) ?? null;
  }
  putSummary(s: MeetingSummary): void {
    this.db.prepare('INSERT INTO agent_meetings (id, summary, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET summary = excluded.summary, updated_at = excluded.updated_at')
      .run(s.id, JSON.stringify(s), Date.now());
  }
  /** A meeting's detail and papers in one commit; `undefined` leaves that column as it is. */
  putDetailAndPapers(id: string, detail: unknown, papers: PaperInfo[] | undefined): void {
    this.db.transaction(() => {
      if (detail !== undefined) this.db.prepare('UPDATE agent_meetings SET detail = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(detail), Date.now(), id);
      if (papers !== undefined) this.db.prepare('UPDATE agent_meetings SET papers = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(papers), Date.now(), id);
    })();
  }
  deleteMeeting(id: string): void {
    this.db.prepare('DELETE FROM agent_meetings WHERE id = ?').run(id);
  }
}

function safeParse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
