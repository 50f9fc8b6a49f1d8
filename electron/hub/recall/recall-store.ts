// The hub's record of recalls (schema.ts): issuing one names the devices that held the paper,
// devices confirm, and the status lists both. Each method is one statement or one transaction;
// the route (routes.ts) puts the issue in the same transaction as the paper's removal and audit.
import type { Database } from '../../core/store.ts';
import { isoTime } from '../hub-db.ts';
import { newId } from '../../../shared/ids.ts';
import type { PendingRecall, RecallDevice, RecallStatus } from '../../../shared/recall.ts';

interface RecallRow {
  id: string;
  paper_id: string;
  meeting_id: string;
  title: string;
  sha256s: string;
  reason: string;
  issued_by: string;
  created_at: number;
}

export interface NewRecall {
  paperId: string;
  meetingId: string;
  title: string;
  sha256s: string[];
  reason: string;
  issuedBy: string;
  /** Devices (id, user) that held the paper: every device the hub has seen for a user who could read it. */
  holders: Array<{ deviceId: string; userId: string }>;
}

export class RecallStore {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  /** The devices the hub has seen, with their users (wipe-orders.ts registers them). */
  knownDevices(): Array<{ deviceId: string; userId: string }> {
    return this.db.prepare<[], { deviceId: string; userId: string }>('SELECT device_id AS deviceId, user_id AS userId FROM devices').all();
  }

  issue(r: NewRecall, at = Date.now()): { id: string; at: number } {
    const id = newId();
    this.db.prepare('INSERT INTO paper_recalls (id, paper_id, meeting_id, title, sha256s, reason, issued_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, r.paperId, r.meetingId, r.title, JSON.stringify(r.sha256s), r.reason, r.issuedBy, at);
    const holder = this.db.prepare('INSERT OR IGNORE INTO paper_recall_devices (recall_id, device_id, user_id, confirmed_at) VALUES (?, ?, ?, NULL)');
    for (const h of r.holders) holder.run(id, h.deviceId, h.userId);
    return { id, at };
  }

  /**
   * Recalls this device (for this user) held the paper of and has not confirmed. Only holders are
   * told: a recall's files are not named to a user who could not read the paper.
   */
  pendingFor(deviceId: string, userId: string): PendingRecall[] {
    const rows = this.db.prepare<[string, string], RecallRow>(`
      SELECT r.* FROM paper_recalls r JOIN paper_recall_devices d ON d.recall_id = r.id
      WHERE d.device_id = ? AND d.user_id = ? AND d.confirmed_at IS NULL
      ORDER BY r.created_at, r.id`).all(deviceId, userId);
    return rows.map((r) => ({ id: r.id, paperId: r.paper_id, meetingId: r.meeting_id, at: r.created_at, sha256s: JSON.parse(r.sha256s) as string[] }));
  }

  meetingOf(recallId: string): string | null {
    return this.db.prepare<[string], { meeting_id: string }>('SELECT meeting_id FROM paper_recalls WHERE id = ?').get(recallId)?.meeting_id ?? null;
  }

  /**
   * Records a holder's confirmation; false when it had already confirmed or was not a holder (a
   * device that never held the paper may confirm from the live document: nothing to record).
   */
  confirm(recallId: string, deviceId: string, userId: string, at = Date.now()): boolean {
    return this.db.prepare('UPDATE paper_recall_devices SET confirmed_at = ? WHERE recall_id = ? AND device_id = ? AND user_id = ? AND confirmed_at IS NULL')
      .run(at, recallId, deviceId, userId).changes > 0;
  }

  /** The recalls of one paper, or of a whole meeting, newest first, with their devices. */
  status(where: { paperId: string } | { meetingId: string }): RecallStatus[] {
    const rows = 'paperId' in where
      ? this.db.prepare<[string], RecallRow>('SELECT * FROM paper_recalls WHERE paper_id = ? ORDER BY created_at DESC, id').all(where.paperId)
      : this.db.prepare<[string], RecallRow>('SELECT * FROM paper_recalls WHERE meeting_id = ? ORDER BY created_at DESC, id').all(where.meetingId);
    const devices = this.db.prepare<[string], { deviceId: string; userId: string; userName: string | null; confirmedAt: number | null; lastSeen: number | null }>(`
      SELECT d.device_id AS deviceId, d.user_id AS userId, a.name AS userName, d.confirmed_at AS confirmedAt, s.last_seen AS lastSeen
      FROM paper_recall_devices d LEFT JOIN accounts a ON a.id = d.user_id
      LEFT JOIN devices s ON s.device_id = d.device_id AND s.user_id = d.user_id
      WHERE d.recall_id = ? ORDER BY d.confirmed_at, d.device_id`);
    return rows.map((r) => {
      const all: Array<RecallDevice & { done: boolean }> = devices.all(r.id).map((d) => ({
        deviceId: d.deviceId, userId: d.userId, userName: d.userName ?? d.userId,
        confirmedAt: d.confirmedAt === null ? null : isoTime(d.confirmedAt),
        lastSeen: d.lastSeen === null ? null : isoTime(d.lastSeen),
        done: d.confirmedAt !== null,
      }));
      const strip = ({ done: _done, ...d }: RecallDevice & { done: boolean }): RecallDevice => d;
      return {
        id: r.id, paperId: r.paper_id, meetingId: r.meeting_id, title: r.title, reason: r.reason, issuedBy: r.issued_by,
        createdAt: isoTime(r.created_at),
        confirmed: all.filter((d) => d.done).map(strip),
        pending: all.filter((d) => !d.done).map(strip),
      };
    });
  }
}
