// The hub's authority tables beside the document store: accounts, sessions, meetings and
// their participants, papers and their versions, and the audit log. Every access decision
// the hub makes reads these tables; Yjs documents only mirror what delegates need to see.
import type { Database } from '../core/store.ts';
import { newId } from '../../shared/ids.ts';
import type { AccountRole, MeetingRole } from '../../shared/roles.ts';
import type { MeetingStatus, User } from '../../shared/api.ts';

export interface AccountRow {
  id: string;
  login: string;
  name: string;
  role: AccountRole;
  pw_hash: string;
  disabled: number;
}

export interface MeetingRow {
  id: string;
  title: string;
  starts_at: string | null;
  room: string | null;
  status: MeetingStatus;
}

export interface PaperRow {
  id: string;
  meeting_id: string;
  title: string;
  restricted: number;
}

export interface PaperVersionRow {
  paper_id: string;
  version: number;
  sha256: string;
  pages: number;
  size: number;
  file_name: string;
  created_at: string;
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export class HubDb {
  readonly db: Database;
  constructor(db: Database) {
    this.db = db;
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS accounts (
        id TEXT PRIMARY KEY,
        login TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        pw_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);
      CREATE TABLE IF NOT EXISTS meetings (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        starts_at TEXT,
        room TEXT,
        status TEXT NOT NULL DEFAULT 'draft',
        created_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS participants (
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (meeting_id, user_id)
      );
      CREATE INDEX IF NOT EXISTS participants_user ON participants(user_id);
      CREATE TABLE IF NOT EXISTS papers (
        id TEXT PRIMARY KEY,
        meeting_id TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        restricted INTEGER NOT NULL DEFAULT 0,
        removed INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS papers_meeting ON papers(meeting_id);
      CREATE TABLE IF NOT EXISTS paper_access (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        PRIMARY KEY (paper_id, user_id)
      );
      CREATE TABLE IF NOT EXISTS paper_versions (
        paper_id TEXT NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        pages INTEGER NOT NULL,
        size INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (paper_id, version)
      );
      CREATE INDEX IF NOT EXISTS paper_versions_sha ON paper_versions(sha256);
      CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user_id TEXT,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
      );
    `);
  }

  // ---- meta ------------------------------------------------------------------------------
  getMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- accounts --------------------------------------------------------------------------
  countAccounts(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  }
  createAccount(a: { login: string; name: string; role: AccountRole; pwHash: string; id?: string }): User {
    const id = a.id ?? newId();
    this.db.prepare('INSERT INTO accounts (id, login, name, role, pw_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, a.login, a.name, a.role, a.pwHash, new Date().toISOString());
    return { id, login: a.login, name: a.name, role: a.role };
  }
  accountByLogin(login: string): AccountRow | null {
    return (this.db.prepare('SELECT * FROM accounts WHERE login = ?').get(login) as AccountRow | undefined) ?? null;
  }
  account(id: string): AccountRow | null {
    return (this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined) ?? null;
  }
  listAccounts(): User[] {
    return (this.db.prepare('SELECT id, login, name, role FROM accounts ORDER BY name').all() as User[]);
  }
  /** Admin accounts that can still sign in: the hub keeps at least one. */
  enabledAdminCount(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0").get() as { n: number }).n;
  }
  updateAccount(id: string, fields: { name?: string; role?: AccountRole; pwHash?: string; disabled?: boolean }): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (fields.name !== undefined) { sets.push('name = ?'); args.push(fields.name); }
    if (fields.role !== undefined) { sets.push('role = ?'); args.push(fields.role); }
    if (fields.pwHash !== undefined) { sets.push('pw_hash = ?'); args.push(fields.pwHash); }
    if (fields.disabled !== undefined) { sets.push('disabled = ?'); args.push(fields.disabled ? 1 : 0); }
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE accounts SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  // ---- sessions --------------------------------------------------------------------------
  createSession(tokenHash: string, userId: string, ttlMs = SESSION_TTL_MS): number {
    const now = Date.now();
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, now, now + ttlMs);
    return now + ttlMs;
  }
  /** The account behind a live session, or null (unknown, expired, revoked or disabled). */
  sessionUser(tokenHash: string): (AccountRow & { expires_at: number }) | null {
    const row = this.db.prepare(`
      SELECT a.*, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.user_id
      WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.disabled = 0
    `).get(tokenHash, Date.now()) as (AccountRow & { expires_at: number }) | undefined;
    return row ?? null;
  }
  revokeSession(tokenHash: string): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(Date.now(), tokenHash);
  }
  revokeUserSessions(userId: string): number {
    return this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(Date.now(), userId).changes;
  }

  // ---- meetings --------------------------------------------------------------------------
  createMeeting(m: { title: string; startsAt?: string | null; room?: string | null; status?: MeetingStatus; id?: string }): MeetingRow {
    const id = m.id ?? newId();
    const row: MeetingRow = { id, title: m.title, starts_at: m.startsAt ?? null, room: m.room ?? null, status: m.status ?? 'draft' };
    this.db.prepare('INSERT INTO meetings (id, title, starts_at, room, status, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, row.title, row.starts_at, row.room, row.status, new Date().toISOString());
    return row;
  }
  meeting(id: string): MeetingRow | null {
    return (this.db.prepare('SELECT id, title, starts_at, room, status FROM meetings WHERE id = ?').get(id) as MeetingRow | undefined) ?? null;
  }
  allMeetings(): MeetingRow[] {
    return this.db.prepare('SELECT id, title, starts_at, room, status FROM meetings ORDER BY starts_at, title').all() as MeetingRow[];
  }
  updateMeeting(id: string, f: { title?: string; startsAt?: string | null; room?: string | null; status?: MeetingStatus }): void {
    const cur = this.meeting(id);
    if (!cur) return;
    this.db.prepare('UPDATE meetings SET title = ?, starts_at = ?, room = ?, status = ? WHERE id = ?').run(
      f.title ?? cur.title,
      f.startsAt === undefined ? cur.starts_at : f.startsAt,
      f.room === undefined ? cur.room : f.room,
      f.status ?? cur.status,
      id,
    );
  }
  /** Meetings the user takes part in, with their role. */
  meetingsOf(userId: string): Array<MeetingRow & { role: MeetingRole }> {
    return this.db.prepare(`
      SELECT m.id, m.title, m.starts_at, m.room, m.status, p.role FROM meetings m
      JOIN participants p ON p.meeting_id = m.id WHERE p.user_id = ? ORDER BY m.starts_at, m.title
    `).all(userId) as Array<MeetingRow & { role: MeetingRole }>;
  }
  participantRole(meetingId: string, userId: string): MeetingRole | null {
    const row = this.db.prepare('SELECT role FROM participants WHERE meeting_id = ? AND user_id = ?').get(meetingId, userId) as { role: MeetingRole } | undefined;
    return row?.role ?? null;
  }
  setParticipant(meetingId: string, userId: string, role: MeetingRole): void {
    this.db.prepare('INSERT INTO participants (meeting_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT(meeting_id, user_id) DO UPDATE SET role = excluded.role')
      .run(meetingId, userId, role);
  }
  removeParticipant(meetingId: string, userId: string): boolean {
    return this.db.prepare('DELETE FROM participants WHERE meeting_id = ? AND user_id = ?').run(meetingId, userId).changes > 0;
  }
  participants(meetingId: string): Array<{ userId: string; role: MeetingRole; name: string; login: string }> {
    return this.db.prepare(`
      SELECT p.user_id AS userId, p.role, a.name, a.login FROM participants p JOIN accounts a ON a.id = p.user_id
      WHERE p.meeting_id = ? ORDER BY a.name
    `).all(meetingId) as Array<{ userId: string; role: MeetingRole; name: string; login: string }>;
  }

  // ---- papers ----------------------------------------------------------------------------
  createPaper(p: { meetingId: string; title: string; restrictTo?: string[] | null; id?: string }): PaperRow {
    const id = p.id ?? newId();
    const restricted = p.restrictTo ? 1 : 0;
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO papers (id, meeting_id, title, restricted, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, p.meetingId, p.title, restricted, new Date().toISOString());
      for (const u of p.restrictTo ?? []) this.db.prepare('INSERT OR IGNORE INTO paper_access (paper_id, user_id) VALUES (?, ?)').run(id, u);
    })();
    return { id, meeting_id: p.meetingId, title: p.title, restricted };
  }
  paper(id: string): PaperRow | null {
    return (this.db.prepare('SELECT id, meeting_id, title, restricted FROM papers WHERE id = ? AND removed = 0').get(id) as PaperRow | undefined) ?? null;
  }
  papersOf(meetingId: string): PaperRow[] {
    return this.db.prepare('SELECT id, meeting_id, title, restricted FROM papers WHERE meeting_id = ? AND removed = 0 ORDER BY title').all(meetingId) as PaperRow[];
  }
  setPaperTitle(id: string, title: string): void {
    this.db.prepare('UPDATE papers SET title = ? WHERE id = ?').run(title, id);
  }
  setPaperRestriction(id: string, restrictTo: string[] | null): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE papers SET restricted = ? WHERE id = ?').run(restrictTo ? 1 : 0, id);
      this.db.prepare('DELETE FROM paper_access WHERE paper_id = ?').run(id);
      for (const u of restrictTo ?? []) this.db.prepare('INSERT OR IGNORE INTO paper_access (paper_id, user_id) VALUES (?, ?)').run(id, u);
    })();
  }
  removePaper(id: string): void {
    this.db.prepare('UPDATE papers SET removed = 1 WHERE id = ?').run(id);
  }
  paperAllowedUsers(id: string): string[] {
    return (this.db.prepare('SELECT user_id FROM paper_access WHERE paper_id = ?').all(id) as Array<{ user_id: string }>).map((r) => r.user_id);
  }
  addPaperVersion(v: Omit<PaperVersionRow, 'version' | 'created_at'>): PaperVersionRow {
    const next = ((this.db.prepare('SELECT MAX(version) AS v FROM paper_versions WHERE paper_id = ?').get(v.paper_id) as { v: number | null }).v ?? 0) + 1;
    const row: PaperVersionRow = { ...v, version: next, created_at: new Date().toISOString() };
    this.db.prepare('INSERT INTO paper_versions (paper_id, version, sha256, pages, size, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(row.paper_id, row.version, row.sha256, row.pages, row.size, row.file_name, row.created_at);
    return row;
  }
  paperVersions(paperId: string): PaperVersionRow[] {
    return this.db.prepare('SELECT * FROM paper_versions WHERE paper_id = ? ORDER BY version').all(paperId) as PaperVersionRow[];
  }
  /** Papers (live ones) holding a blob, with their meeting: the basis of blob access checks. */
  papersWithBlob(sha256: string): PaperRow[] {
    return this.db.prepare(`
      SELECT DISTINCT p.id, p.meeting_id, p.title, p.restricted FROM paper_versions v JOIN papers p ON p.id = v.paper_id
      WHERE v.sha256 = ? AND p.removed = 0
    `).all(sha256) as PaperRow[];
  }

  // ---- audit -----------------------------------------------------------------------------
  audit(action: string, userId: string | null, target: string | null, detail?: Record<string, unknown>): void {
    this.db.prepare('INSERT INTO audit (at, user_id, action, target, detail) VALUES (?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), userId, action, target, detail ? JSON.stringify(detail) : null);
  }
  auditLog(limit = 200): Array<{ id: number; at: string; user_id: string | null; action: string; target: string | null; detail: string | null }> {
    return this.db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit) as Array<{ id: number; at: string; user_id: string | null; action: string; target: string | null; detail: string | null }>;
  }
}
