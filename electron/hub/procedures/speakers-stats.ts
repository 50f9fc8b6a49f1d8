// Speaking statistics, per item and for the whole meeting: turns, time spoken (total and
// average), first-timers (whose first turn of the meeting was on that item) and the members who
// never had the floor. A turn counts from the moment it was given; a running one counts to now.
import type { Database } from '../../core/store.ts';
import type { SpeakerStats } from '../../../shared/procedures/speakers.ts';
import { spokenMs, type SpeakerRow } from './speakers-store.ts';

type Turn = SpeakerRow & { agendaItemId: string };

interface Figures {
  turns: number;
  totalMs: number;
  avgMs: number;
  firstTimers: number;
  speakers: Array<{ userId: string; name: string; turns: number; totalMs: number }>;
}

function figuresOf(turns: readonly Turn[], firstTimers: number, now: number): Figures {
  const by = new Map<string, { userId: string; name: string; turns: number; totalMs: number }>();
  let totalMs = 0;
  for (const t of turns) {
    const ms = spokenMs(t, now);
    totalMs += ms;
    const s = by.get(t.userId) ?? { userId: t.userId, name: t.name, turns: 0, totalMs: 0 };
    s.turns++;
    s.totalMs += ms;
    by.set(t.userId, s);
  }
  const speakers = [...by.values()].sort((a, b) => b.totalMs - a.totalMs || a.name.localeCompare(b.name));
  return { turns: turns.length, totalMs, avgMs: turns.length ? Math.round(totalMs / turns.length) : 0, firstTimers, speakers };
}

export function speakerStats(db: Database, meetingId: string, now = Date.now()): SpeakerStats {
  const turns = db.prepare<[string], Turn>(`
    SELECT s.seq, s.id, s.agenda_item_id AS agendaItemId, s.user_id AS userId, COALESCE(a.name, s.user_id) AS name, s.kind, s.state,
      s.weight, s.requested_at AS requestedAt, s.begin_time AS beginTime, s.end_time AS endTime, s.pause_time AS pauseTime,
      s.total_pause_ms AS totalPauseMs, s.allotted_ms AS allottedMs, s.note
    FROM speakers s LEFT JOIN accounts a ON a.id = s.user_id
    WHERE s.meeting_id = ? AND s.begin_time IS NOT NULL ORDER BY s.begin_time, s.seq`).all(meetingId);
  const firstItemOf = new Map<string, string>();
  for (const t of turns) if (!firstItemOf.has(t.userId)) firstItemOf.set(t.userId, t.agendaItemId);
  const byItem = new Map<string, Turn[]>();
  for (const t of turns) byItem.set(t.agendaItemId, [...(byItem.get(t.agendaItemId) ?? []), t]);
  const items = [...byItem.entries()].map(([agendaItemId, ts]) => {
    const first = [...firstItemOf.values()].filter((i) => i === agendaItemId).length;
    return { agendaItemId, ...figuresOf(ts, first, now) };
  });
  const members = db.prepare<[string], { userId: string; name: string }>(`
    SELECT p.user_id AS userId, a.name FROM participants p JOIN accounts a ON a.id = p.user_id
    WHERE p.meeting_id = ? AND p.role IN ('delegate', 'chair', 'secretary') ORDER BY a.name COLLATE NOCASE`).all(meetingId);
  const neverSpoke = members.filter((m) => !firstItemOf.has(m.userId));
  return { items, meeting: { ...figuresOf(turns, firstItemOf.size, now), neverSpoke }, serverTime: now };
}
