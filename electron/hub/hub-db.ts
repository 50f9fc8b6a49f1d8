// The hub's authority tables beside the document store: accounts, sessions, meetings and
// their participants, papers and their versions, and the audit log. Every access decision
// the hub makes reads these tables; Yjs documents only mirror what delegates need to see.
import type { Database } from '../core/store.ts';
import type { Log } from '../core/log.ts';
import { migrate } from '../core/migrations.ts';
import { statementCache, type Prepare } from '../core/statements.ts';
import { HUB_SCHEMA } from './hub-schema.ts';
import { AuditTrail } from './audit/chain.ts';
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
  /** Uploaded but not released yet: only the meeting's managers see it (docs/api.md, staging). */
  staged: number;
  /** A staged new version of this (released) paper: released, it becomes that paper's next version. */
  replaces: string | null;
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

/** A stored time (INTEGER ms) as the ISO text the API answers with. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/** A version as stored: its time in ms (PaperVersionRow carries it as ISO text). */
type StoredPaperVersion = Omit<PaperVersionRow, 'created_at'> & { created_at: number };

export interface AuditEntry {
  id: number;
  at: string;
  user_id: string | null;
  action: string;
  target: string | null;
  detail: string | null;
}

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export class HubDb {
  readonly db: Database;
  /** Every query below is prepared once and reused (core/statements.ts). */
  private readonly sql: Prepare;
  /** The audit trail's hash chain and signed checkpoints; the hub attaches its key once it has it. */
  readonly trail: AuditTrail;
  constructor(db: Database, log?: Log) {
    this.db = db;
    // Every table of the file (the document store's too) comes from one ordered list of steps.
    migrate(db, HUB_SCHEMA, log);
    this.sql = statementCache(db);
    this.trail = new AuditTrail(db);
  }

  // ---- meta ------------------------------------------------------------------------------
  getMeta(key: string): string | null {
    const row = this.sql<unknown[], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
    return row?.value ?? null;
  }
  setMeta(key: string, value: string): void {
    this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  // ---- accounts --------------------------------------------------------------------------
  countAccounts(): number {
    return (this.sql<unknown[], { n: number }>('SELECT COUNT(*) AS n FROM accounts').get()!).n; // COUNT(*) always yields one row
  }
  createAccount(a: { login: string; name: string; role: AccountRole; pwHash: string; id?: string }): User {
    const id = a.id ?? newId();
    this.sql('INSERT INTO accounts (id, login, name, role, pw_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, a.login, a.name, a.role, a.pwHash, Date.now());
    return { id, login: a.login, name: a.name, role: a.role };
  }
  accountByLogin(login: string): AccountRow | null {
    return (this.sql<unknown[], AccountRow>('SELECT * FROM accounts WHERE login = ?').get(login)) ?? null;
  }
  account(id: string): AccountRow | null {
    return (this.sql<unknown[], AccountRow>('SELECT * FROM accounts WHERE id = ?').get(id)) ?? null;
  }
  listAccounts(): User[] {
    return (this.sql<unknown[], User>('SELECT id, login, name, role FROM accounts ORDER BY name').all());
  }
  /** Admin accounts that can still sign in: the hub keeps at least one. */
  enabledAdminCount(): number {
    return (this.sql<unknown[], { n: number }>("SELECT COUNT(*) AS n FROM accounts WHERE role = 'admin' AND disabled = 0").get()!).n; // COUNT(*) always yields one row
  }
  updateAccount(id: string, fields: { name?: string; role?: AccountRole; pwHash?: string; disabled?: boolean }): void {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (fields.name !== undefined) { sets.push('name = ?'); args.push(fields.name); }
    if (fields.role !== undefined) { sets.push('role = ?'); args.push(fields.role); }
    if (fields.pwHash !== undefined) { sets.push('pw_hash = ?'); args.push(fields.pwHash); }
    if (fields.disabled !== undefined) { sets.push('disabled = ?'); args.push(fields.disabled ? 1 : 0); }
    if (sets.length === 0) return;
    this.sql(`UPDATE accounts SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  // ---- sessions --------------------------------------------------------------------------
  createSession(tokenHash: string, userId: string, ttlMs = SESSION_TTL_MS): number {
    const now = Date.now();
    this.sql('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(tokenHash, userId, now, now + ttlMs);
    return now + ttlMs;
  }
  /** The account behind a live session, or null (unknown, expired, revoked or disabled). */
  sessionUser(tokenHash: string): (AccountRow & { expires_at: number }) | null {
    const row = this.sql<unknown[], AccountRow & { expires_at: number }>(`
      SELECT a.*, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.user_id
      WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.disabled = 0
    `).get(tokenHash, Date.now());
    return row ?? null;
  }
  revokeSession(tokenHash: string): void {
    this.sql('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL').run(Date.now(), tokenHash);
  }
  revokeUserSessions(userId: string): number {
    return this.sql('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(Date.now(), userId).changes;
  }

  // ---- meetings --------------------------------------------------------------------------
  createMeeting(m: { title: string; startsAt?: string | null; room?: string | null; status?: MeetingStatus; id?: string }): MeetingRow {
    const id = m.id ?? newId();
    const row: MeetingRow = { id, title: m.title, starts_at: m.startsAt ?? null, room: m.room ?? null, status: m.status ?? 'draft' };
    this.sql('INSERT INTO meetings (id, title, starts_at, room, status, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, row.title, row.starts_at, row.room, row.status, Date.now());
    return row;
  }
  meeting(id: string): MeetingRow | null {
    return (this.sql<unknown[], MeetingRow>('SELECT id, title, starts_at, room, status FROM meetings WHERE id = ?').get(id)) ?? null;
  }
  allMeetings(): MeetingRow[] {
    return this.sql<unknown[], MeetingRow>('SELECT id, title, starts_at, room, status FROM meetings ORDER BY starts_at, title').all();
  }
  updateMeeting(id: string, f: { title?: string; startsAt?: string | null; room?: string | null; status?: MeetingStatus }): void {
    const cur = this.meeting(id);
    if (!cur) return;
    this.sql('UPDATE meetings SET title = ?, starts_at = ?, room = ?, status = ? WHERE id = ?').run(
      f.title ?? cur.title,
      f.startsAt === undefined ? cur.starts_at : f.startsAt,
      f.room === undefined ? cur.room : f.room,
      f.status ?? cur.status,
      id,
    );
  }
  /** Meetings the user takes part in, with their role. */
  meetingsOf(userId: string): Array<MeetingRow & { role: MeetingRole }> {
    return this.sql<unknown[], MeetingRow & { role: MeetingRole }>(`
      SELECT m.id, m.title, m.starts_at, m.room, m.status, p.role FROM meetings m
      JOIN participants p ON p.meeting_id = m.id WHERE p.user_id = ? ORDER BY m.starts_at, m.title
    `).all(userId);
  }
  participantRole(meetingId: string, userId: string): MeetingRole | null {
    const row = this.sql<unknown[], { role: MeetingRole }>('SELECT role FROM participants WHERE meeting_id = ? AND user_id = ?').get(meetingId, userId);
    return row?.role ?? null;
  }
  setParticipant(meetingId: string, userId: string, role: MeetingRole): void {
    this.sql('INSERT INTO participants (meeting_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT(meeting_id, user_id) DO UPDATE SET role = excluded.role')
      .run(meetingId, userId, role);
  }
  removeParticipant(meetingId: string, userId: string): boolean {
    return this.sql('DELETE FROM participants WHERE meeting_id = ? AND user_id = ?').run(meetingId, userId).changes > 0;
  }
  participants(meetingId: string): Array<{ userId: string; role: MeetingRole; name: string; login: string }> {
    return this.sql<unknown[], { userId: string; role: MeetingRole; name: string; login: string }>(`
      SELECT p.user_id AS userId, p.role, a.name, a.login FROM participants p JOIN accounts a ON a.id = p.user_id
      WHERE p.meeting_id = ? ORDER BY a.name
    `).all(meetingId);
  }

  // ---- papers ----------------------------------------------------------------------------
  createPaper(p: { meetingId: string; title: string; restrictTo?: string[] | null; id?: string; staged?: boolean; replaces?: string }): PaperRow {
    const id = p.id ?? newId();
    const restricted = p.restrictTo ? 1 : 0;
    const staged = p.staged || p.replaces ? 1 : 0;
    const replaces = p.replaces ?? null;
    this.db.transaction(() => {
      this.sql('INSERT INTO papers (id, meeting_id, title, restricted, staged, replaces, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, p.meetingId, p.title, restricted, staged, replaces, Date.now());
      for (const u of p.restrictTo ?? []) this.sql('INSERT OR IGNORE INTO paper_access (paper_id, user_id) VALUES (?, ?)').run(id, u);
    })();
    return { id, meeting_id: p.meetingId, title: p.title, restricted, staged, replaces };
  }
  paper(id: string): PaperRow | null {
    return (this.sql<unknown[], PaperRow>('SELECT id, meeting_id, title, restricted, staged, replaces FROM papers WHERE id = ? AND removed = 0').get(id)) ?? null;
  }
  papersOf(meetingId: string): PaperRow[] {
    return this.sql<unknown[], PaperRow>('SELECT id, meeting_id, title, restricted, staged, replaces FROM papers WHERE meeting_id = ? AND removed = 0 ORDER BY title').all(meetingId);
  }
  setPaperTitle(id: string, title: string): void {
    this.sql('UPDATE papers SET title = ? WHERE id = ?').run(title, id);
  }
  setPaperRestriction(id: string, restrictTo: string[] | null): void {
    this.db.transaction(() => {
      this.sql('UPDATE papers SET restricted = ? WHERE id = ?').run(restrictTo ? 1 : 0, id);
      this.sql('DELETE FROM paper_access WHERE paper_id = ?').run(id);
      for (const u of restrictTo ?? []) this.sql('INSERT OR IGNORE INTO paper_access (paper_id, user_id) VALUES (?, ?)').run(id, u);
    })();
  }
  removePaper(id: string): void {
    this.sql('UPDATE papers SET removed = 1 WHERE id = ?').run(id);
  }
  releasePaper(id: string): void {
    this.sql('UPDATE papers SET staged = 0 WHERE id = ?').run(id);
  }
  /**
   * Deletes a staged paper outright (it never was a paper of the meeting; a released one is only
   * marked removed) and answers the files no paper version holds any more.
   */
  discardPaper(id: string): string[] {
    const shas = [...new Set(this.paperVersions(id).map((v) => v.sha256))];
    this.db.transaction(() => {
      // paper_versions and paper_access go with the row (ON DELETE CASCADE); these have no key.
      this.sql('DELETE FROM restricted_paper_items WHERE paper_id = ?').run(id);
      this.sql('DELETE FROM paper_carry WHERE paper_id = ?').run(id);
      this.sql('DELETE FROM papers WHERE id = ?').run(id);
    })();
    return shas.filter((sha) => !this.sql<[string], { n: number }>('SELECT 1 AS n FROM paper_versions WHERE sha256 = ? LIMIT 1').get(sha));
  }
  /** The agenda items a restricted paper sits on (the meeting document cannot name it to all). */
  restrictedPaperItems(paperId: string): string[] {
    return (this.sql<unknown[], { item_id: string }>('SELECT item_id FROM restricted_paper_items WHERE paper_id = ? ORDER BY rowid').all(paperId)).map((r) => r.item_id);
  }
  keepRestrictedPaperItems(paperId: string, itemIds: readonly string[]): void {
    this.db.transaction(() => {
      for (const item of itemIds) this.sql('INSERT OR IGNORE INTO restricted_paper_items (paper_id, item_id) VALUES (?, ?)').run(paperId, item);
    })();
  }
  /** Puts a hidden paper on `add` and takes it off `remove`, in one transaction. */
  relinkRestrictedPaperItems(paperId: string, add: readonly string[], remove: readonly string[]): void {
    this.db.transaction(() => {
      this.keepRestrictedPaperItems(paperId, add);
      for (const item of remove) this.sql('DELETE FROM restricted_paper_items WHERE paper_id = ? AND item_id = ?').run(paperId, item);
    })();
  }
  dropRestrictedPaperItems(paperId: string): void {
    this.sql('DELETE FROM restricted_paper_items WHERE paper_id = ?').run(paperId);
  }
  paperAllowedUsers(id: string): string[] {
    return (this.sql<unknown[], { user_id: string }>('SELECT user_id FROM paper_access WHERE paper_id = ?').all(id)).map((r) => r.user_id);
  }
  addPaperVersion(v: Omit<PaperVersionRow, 'version' | 'created_at'>): PaperVersionRow {
    const next = (this.sql<[string], { v: number | null }>('SELECT MAX(version) AS v FROM paper_versions WHERE paper_id = ?').get(v.paper_id)?.v ?? 0) + 1;
    const at = Date.now();
    this.sql('INSERT INTO paper_versions (paper_id, version, sha256, pages, size, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(v.paper_id, next, v.sha256, v.pages, v.size, v.file_name, at);
    return { ...v, version: next, created_at: isoTime(at) };
  }
  paperVersions(paperId: string): PaperVersionRow[] {
    return this.sql<[string], StoredPaperVersion>('SELECT * FROM paper_versions WHERE paper_id = ? ORDER BY version').all(paperId)
      .map((r) => ({ ...r, created_at: isoTime(r.created_at) }));
  }
  /** Papers (live ones) holding a blob, with their meeting: the basis of blob access checks. */
  papersWithBlob(sha256: string): PaperRow[] {
    return this.sql<unknown[], PaperRow>(`
      SELECT DISTINCT p.id, p.meeting_id, p.title, p.restricted, p.staged, p.replaces FROM paper_versions v JOIN papers p ON p.id = v.paper_id
      WHERE v.sha256 = ? AND p.removed = 0
    `).all(sha256);
  }

  // ---- audit -----------------------------------------------------------------------------
  /** Appends to the hash chain (audit/chain.ts) inside the caller's transaction, if any: the only way an audit row is written. */
  audit(action: string, userId: string | null, target: string | null, detail?: Record<string, unknown>): void {
    this.trail.append(action, userId, target, detail ? JSON.stringify(detail) : null);
  }
  auditLog(limit = 200): AuditEntry[] {
    return this.sql<[number], Omit<AuditEntry, 'at'> & { at: number }>('SELECT * FROM audit ORDER BY id DESC LIMIT ?').all(limit)
      .map((r) => ({ ...r, at: isoTime(r.at) }));
  }
}
