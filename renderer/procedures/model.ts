// What the procedure screens derive from the live document, as plain functions (tested without a
// browser in test/unit/procedures-model.test.ts): the countdown's time and colour, a member's
// place in the queue, and which vote a screen shows.
import type { Countdown, Speaker, SpeakerList } from '../../shared/procedures/speakers.ts';
import type { PollPublic } from '../../shared/procedures/polls.ts';

export type CountdownPhase = 'normal' | 'warn' | 'over';

/** Time left on the hub's clock: negative once the speaker runs over. */
export function countdownRemaining(c: Pick<Countdown, 'running' | 'endsAt' | 'remainingMs'>, hubNow: number): number {
  return c.running && c.endsAt !== null ? c.endsAt - hubNow : c.remainingMs;
}

/** Amber from the warning mark, red from zero (the brief: "amber near the end, red and counting past it"). */
export function countdownPhase(remainingMs: number, warnAtMs: number): CountdownPhase {
  if (remainingMs <= 0) return 'over';
  return remainingMs <= warnAtMs ? 'warn' : 'normal';
}

/**
 * `4:05`, `1:02:03`, `−0:12`. Time left rounds up (a full 5:00 shows 5:00 for its first second,
 * and 0:00 only when it is up); overrun rounds down, so the minus appears a whole second past zero.
 */
export function formatClock(ms: number): string {
  const over = ms < 0;
  const total = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const body = h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
  return over && total > 0 ? `−${body}` : body;
}

/** The member's waiting request on this list, if any. */
export function myRequest(list: SpeakerList | null, userId: string): Speaker | null {
  return list?.waiting.find((s) => s.userId === userId) ?? null;
}

/** 1 for next, 2 for the one after…; null when not waiting. The hub's order is the list's order. */
export function queuePosition(list: SpeakerList | null, userId: string): number | null {
  const i = list ? list.waiting.findIndex((s) => s.userId === userId) : -1;
  return i < 0 ? null : i + 1;
}

const latest = (polls: readonly PollPublic[], state: PollPublic['state']): PollPublic | null =>
  polls.reduce<PollPublic | null>((best, p) => (p.state === state && (!best || p.at > best.at) ? p : best), null);

/** The vote a delegate can cast now: the open one (the latest opened, should two be open). */
export const openPoll = (polls: readonly PollPublic[]): PollPublic | null => latest(polls, 'started');

/**
 * What the room screen shows: the open vote, else the vote that ended last for the room — its
 * published result, or its annulment (an annulled vote's result decides nothing, and the room
 * must not keep showing it as if it did).
 */
export const shownPoll = (polls: readonly PollPublic[]): PollPublic | null => {
  const open = openPoll(polls);
  if (open) return open;
  const published = latest(polls, 'published');
  const annulled = latest(polls, 'annulled');
  return published && (!annulled || published.at > annulled.at) ? published : annulled;
};

/** Each option's share of the valid ballots (a ballot may choose several); 0 when none was valid. */
export function optionShare(votes: number, valid: number): number {
  return valid > 0 ? Math.min(1, votes / valid) : 0;
}

/** Each answer's share of the ballots counted, for the result bars; all 0 when nobody voted. */
export function resultShares(r: { yes: number; no: number; abstain: number }): { yes: number; no: number; abstain: number } {
  const total = r.yes + r.no + r.abstain;
  if (total === 0) return { yes: 0, no: 0, abstain: 0 };
  return { yes: r.yes / total, no: r.no / total, abstain: r.abstain / total };
}
