// Small building blocks for "run this async job, but never two at once" (after VS Code's
// base/common/async.ts Throttler and RunOnceScheduler). Before these, each caller wrote its own
// `running`/`again`/`pending` flags, and each copy had its own edge cases (a request lost when it
// arrived just as a run ended, waiters never told at shutdown).

/**
 * Runs one async task at a time.
 *
 * `queue(task)`: idle → runs now. Busy → one more run after the current one, with the task of the
 * latest call (earlier queued tasks are dropped: they would do the same work on older input), and
 * every call queued meanwhile resolves with that one run. Use it when the input may have changed
 * during the run (a new plan of papers to fetch).
 *
 * `join(task)`: idle → runs now. Busy → shares the run under way and runs nothing more. Use it
 * when a second run right after the first would only repeat it (an update check, a start).
 */
export class Throttler {
  private active: Promise<unknown> | null = null;
  private queued: { task: () => Promise<unknown>; promise: Promise<unknown> } | null = null;

  /** True while a run is under way or queued. */
  get busy(): boolean {
    return this.active !== null || this.queued !== null;
  }

  queue<T>(task: () => Promise<T>): Promise<T> {
    // The queued entry is checked first: between the active run settling and the queued one
    // starting, `active` is already null, and a call then must not start a second run beside it.
    if (this.queued) {
      this.queued.task = task;
      return this.queued.promise as Promise<T>;
    }
    if (!this.active) return this.start(task);
    const entry = { task: task as () => Promise<unknown>, promise: null as unknown as Promise<unknown> };
    // The queued run starts when the active one settles, whichever way it settles.
    entry.promise = this.active.then(noop, noop).then(() => {
      this.queued = null;
      return this.start(entry.task);
    });
    this.queued = entry;
    return entry.promise as Promise<T>;
  }

  join<T>(task: () => Promise<T>): Promise<T> {
    if (this.queued) return this.queued.promise as Promise<T>;
    if (this.active) return this.active as Promise<T>;
    return this.start(task);
  }

  /** Resolves once nothing runs and nothing is queued (never rejects). */
  async whenIdle(): Promise<void> {
    for (;;) {
      const next = this.queued?.promise ?? this.active;
      if (!next) return;
      await next.then(noop, noop);
    }
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    // Called synchronously (never inside an already-settled chain), so a task that throws
    // before its first await still leaves the throttler usable.
    const run = Promise.resolve().then(task);
    this.active = run;
    const clear = () => {
      if (this.active === run) this.active = null;
    };
    run.then(clear, clear);
    return run;
  }
}

export interface RepeatingTaskOptions {
  /** Wait after a run when the task returns no delay of its own. */
  delayMs: number;
  /** Told of a run that threw; the next run comes after `delayMs`. */
  onError?: (err: unknown) => void;
}

/**
 * A task that repeats: the first run on `start()`, then each run `delay` ms after the previous one
 * ended (the delay the task returned, or `delayMs`), never two at once. `request()` asks for a run
 * now and resolves when a run that began after the request has ended, so the caller sees the
 * effects of whatever it did before asking; requests made during a run share one run right after
 * it. `stop()` lets the current run end, runs nothing more, and resolves every open request.
 */
export class RepeatingTask {
  private readonly task: () => Promise<number | void>;
  private readonly opts: RepeatingTaskOptions;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private current: Promise<void> | null = null;
  private waiters: Array<() => void> = [];
  private started = false;
  private stopped = false;

  constructor(task: () => Promise<number | void>, opts: RepeatingTaskOptions) {
    this.task = task;
    this.opts = opts;
  }

  /** True while a run is under way. */
  get running(): boolean {
    return this.current !== null;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.runNow();
  }

  /** A run as soon as the current one (if any) ends; before `start()`, the first run serves it. */
  request(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.started && !this.current) this.runNow();
    return done;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.current) await this.current;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private runNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const served = this.waiters.splice(0);
    const run = (async () => {
      let delay = this.opts.delayMs;
      try {
        const next = await this.task();
        if (typeof next === 'number') delay = next;
      } catch (err) {
        this.opts.onError?.(err);
      }
      for (const resolve of served) resolve();
      this.current = null;
      if (this.stopped) return;
      if (this.waiters.length > 0) this.runNow();
      else this.timer = setTimeout(() => this.runNow(), delay);
    })();
    this.current = run;
  }
}

function noop(): void {}
