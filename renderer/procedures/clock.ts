// The hub's clock as this page estimates it. Deadlines (a speaker's turn, a vote's end) are hub
// times; a tablet's own clock may be minutes off, so every countdown is drawn against
// `Date.now() + offset`. Each sample is a hub time seen here at a local time: the hub stamped it
// before it arrived, so `hubTime - localTime` can only underestimate the offset (by the transit
// time, or by however old the stamp was — the live doc's `serverTime` at first sync may be
// minutes old). The largest recent sample is therefore the best estimate. Samples expire after
// ten minutes so a clock that was stepped back (NTP) is followed rather than kept at its peak.
import { useSyncExternalStore } from 'react';

const KEEP_MS = 10 * 60_000;
/** A countdown shows whole seconds: four updates a second put each change within a quarter second of its time. */
const TICK_MS = 250;

export interface ClockEstimate {
  offsetMs: number;
  /** Local time of the sample that set the offset. */
  at: number;
}

/** The next estimate after a sample: a later stamp wins, and so does any once the best one is stale. */
export function nextEstimate(best: ClockEstimate | null, hubTime: number, localTime: number): ClockEstimate {
  const offsetMs = hubTime - localTime;
  if (!best || offsetMs >= best.offsetMs || localTime - best.at > KEEP_MS) return { offsetMs, at: localTime };
  return best;
}

let estimate: ClockEstimate | null = null;

/** The hub's time now, as well as this page knows it (the local clock before any sample). */
export const hubNow = (): number => Date.now() + (estimate?.offsetMs ?? 0);

// One ticker for every countdown on the page, running only while one is on screen.
let tickNow = hubNow();
const tickers = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  tickNow = hubNow();
  for (const fn of tickers) fn();
}

function subscribeTicks(fn: () => void): () => void {
  tickers.add(fn);
  // React reads the snapshot right after subscribing: a countdown that appears shows the time now.
  tickNow = hubNow();
  timer ??= setInterval(tick, TICK_MS);
  return () => {
    tickers.delete(fn);
    if (tickers.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Records a hub time seen now (from the live doc's clock or an answer's `serverTime`). */
export function observeHubTime(hubTime: number, localTime = Date.now()): void {
  if (!Number.isFinite(hubTime)) return;
  const next = nextEstimate(estimate, hubTime, localTime);
  if (next === estimate) return;
  const moved = !estimate || next.offsetMs !== estimate.offsetMs;
  estimate = next;
  if (moved && tickers.size) tick();
}

const noSubscription = () => () => {};
const readTick = () => tickNow;

/**
 * The hub's time, refreshed four times a second while `active` (a countdown on screen) and
 * whenever the estimate moves; frozen while nothing on screen counts down, so an idle panel
 * costs nothing.
 */
export function useHubNow(active: boolean): number {
  return useSyncExternalStore(active ? subscribeTicks : noSubscription, readTick);
}
