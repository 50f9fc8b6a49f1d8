// How long this device has been without its hub, for the offline lifetime of classified papers
// (issue 17). The device's own clock cannot be trusted to measure it: whoever holds the tablet
// can set it back. So the elapsed time since the last contact is the larger of
//   - the monotonic time since that contact, added up across agent restarts (the count is saved
//     every SAVE_EVERY_MS and on close, so a restart loses at most that much of it), and
//   - the wall-clock difference since that contact (a restart with the clock moved forward),
// and it never goes down: setting the clock back leaves the monotonic count running. The hub's
// own time at the contact is kept beside it for the status and the docs' figures. Every contact
// (a round that reached the hub, a document link that synced) starts the count again.
import fs from 'node:fs';
import type { Database } from '../core/store.ts';

/** Where the clock reads time; tests pass offsets through a file instead of waiting. */
export interface TimeSource {
  monotonicMs(): number;
  wallMs(): number;
}

export const systemTime: TimeSource = {
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
};

/**
 * A time source shifted by the offsets in a JSON file `{monotonicOffsetMs?, wallOffsetMs?}`, read
 * on every call (the headless agent's CHAMBER_TEST_CLOCK_FILE, for the test harness; the desktop
 * app never reads it). A missing or malformed file shifts nothing, and the monotonic offset is
 * never negative: whoever can write the file can move time forward, never hold it back.
 */
export function fileShiftedTime(file: string, base: TimeSource = systemTime): TimeSource {
  const offsets = (): { mono: number; wall: number } => {
    try {
      const o = JSON.parse(fs.readFileSync(file, 'utf8')) as { monotonicOffsetMs?: unknown; wallOffsetMs?: unknown };
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
      return { mono: Math.max(0, num(o.monotonicOffsetMs)), wall: num(o.wallOffsetMs) };
    } catch {
      return { mono: 0, wall: 0 };
    }
  };
  return {
    monotonicMs: () => base.monotonicMs() + offsets().mono,
    wallMs: () => base.wallMs() + offsets().wall,
  };
}

const SAVE_EVERY_MS = 15_000;

interface ClockRow {
  hub_time: number | null;
  wall_at_contact: number | null;
  elapsed_ms: number;
}

export class OfflineClock {
  private readonly db: Database;
  private readonly time: TimeSource;
  /** Elapsed at `monoBase` (what earlier runs counted, or 0 at a contact). */
  private elapsedBase: number;
  private monoBase: number;
  private wallAtContact: number | null;
  private hubTime: number | null;
  /** The most this run has reported: elapsed never goes down. */
  private highest: number;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(db: Database, time: TimeSource = systemTime) {
    this.db = db;
    this.time = time;
    const row = db.prepare('SELECT hub_time, wall_at_contact, elapsed_ms FROM offline_clock WHERE id = 1').get() as ClockRow | undefined;
    this.elapsedBase = row?.elapsed_ms ?? 0;
    this.wallAtContact = row?.wall_at_contact ?? null;
    this.hubTime = row?.hub_time ?? null;
    this.monoBase = time.monotonicMs();
    this.highest = this.elapsedBase;
    this.timer = setInterval(() => this.save(), SAVE_EVERY_MS);
    this.timer.unref();
  }

  /** Milliseconds since the last contact with the hub; Infinity if this device never had one. */
  elapsedMs(): number {
    if (this.wallAtContact === null) return Infinity;
    const mono = this.elapsedBase + Math.max(0, this.time.monotonicMs() - this.monoBase);
    const wall = this.time.wallMs() - this.wallAtContact;
    this.highest = Math.max(this.highest, mono, wall);
    return this.highest;
  }

  /** The hub's clock at the last contact (ms since the epoch), if any. */
  lastContactHubTime(): number | null {
    return this.hubTime;
  }

  /** A contact with the hub: the count starts again. `hubTime` is the hub's clock, when known. */
  renew(hubTime: number | null): void {
    this.hubTime = hubTime ?? this.time.wallMs();
    this.wallAtContact = this.time.wallMs();
    this.monoBase = this.time.monotonicMs();
    this.elapsedBase = 0;
    this.highest = 0;
    this.write(0);
  }

  /** Saves the count so a restart (which resets the monotonic clock) continues from it. */
  save(): void {
    if (this.wallAtContact === null) return;
    this.write(this.elapsedMs());
  }

  close(): void {
    clearInterval(this.timer);
    try {
      this.save();
    } catch {
      /* the database is closing: at most SAVE_EVERY_MS of the count is lost */
    }
    this.closed = true;
  }

  private write(elapsed: number): void {
    // A sync link may still report a contact while the agent shuts down, after the database closed.
    if (this.closed) return;
    this.db.prepare(`INSERT INTO offline_clock (id, hub_time, wall_at_contact, elapsed_ms) VALUES (1, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET hub_time = excluded.hub_time, wall_at_contact = excluded.wall_at_contact, elapsed_ms = excluded.elapsed_ms`)
      .run(this.hubTime, this.wallAtContact, Math.round(elapsed));
  }
}
