// An opt-in timing trace for finding where latency comes from (`CHAMBER_TRACE=1` or `=loop` in a
// hub's or agent's environment; the devices bench sets it with DEVICES_BENCH_VERBOSE=1). Each
// event is one line on standard error, `chamber-trace {"ev":...,"at":...}`, with `at` on the same
// clock as `performance.timeOrigin + performance.now()` in any other process of the machine, so a
// bench can line up a save with what the hub and the agents did meanwhile. Events: `commit` and
// `publish` (commit-path.ts), `wal-sync`, `checkpoint` and `wal-restart` (the WAL flusher's
// thread), `index-batch` (the hub's search indexer: one transaction of pages) and `loop-stall`
// (this module: the event loop was held past STALL_MS) and `gc` (a collection over GC_MS, with V8's
// kind: 1 scavenge, 4 mark-compact, 8 incremental marking). Off, a trace
// point costs one boolean test; the trace is for diagnosis, not for production logs.

export const TRACE_ON = process.env.CHAMBER_TRACE === '1' || process.env.CHAMBER_TRACE === 'loop';
/** `CHAMBER_TRACE=loop` also watches the event loop (a 10 ms timer: fine for one hub, noisy for fifty agents). */
const WATCH_LOOP = process.env.CHAMBER_TRACE === 'loop';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const traceClock = (): number => performance.timeOrigin + performance.now();

export type TraceFields = Record<string, number | string | boolean>;

export function trace(ev: string, at: number, fields: TraceFields = {}): void {
  if (!TRACE_ON) return;
  process.stderr.write(`chamber-trace ${JSON.stringify({ ev, at: Math.round(at * 10) / 10, ...fields })}\n`);
}

/** Parses trace lines out of a process's output (the bench reads the hub's and agents'). */
export function readTrace(output: string): Array<{ ev: string; at: number } & TraceFields> {
  const out: Array<{ ev: string; at: number } & TraceFields> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('chamber-trace ')) continue;
    try {
      out.push(JSON.parse(line.slice('chamber-trace '.length)) as { ev: string; at: number } & TraceFields);
    } catch {
      // A line cut by the process's exit.
    }
  }
  return out;
}

const TICK_MS = 10;
const STALL_MS = 20;
const GC_MS = 5;
let watching = false;

/**
 * With `CHAMBER_TRACE=loop`, notes every time this thread's event loop runs a 10 ms timer more than
 * 20 ms late (GC, a long synchronous call, a blocked write): the stall's start and length.
 */
export function watchEventLoop(): void {
  if (!WATCH_LOOP || watching) return;
  watching = true;
  // Garbage collections long enough to matter, to tell a stall the collector caused from others.
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.duration > GC_MS) trace('gc', performance.timeOrigin + e.startTime, { ms: Math.round(e.duration * 10) / 10, kind: (e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0 });
  }).observe({ entryTypes: ['gc'] });
  let last = traceClock();
  setInterval(() => {
    const now = traceClock();
    const late = now - last - TICK_MS;
    if (late > STALL_MS) trace('loop-stall', last + TICK_MS, { ms: Math.round(late * 10) / 10 });
    last = now;
  }, TICK_MS).unref();
}
