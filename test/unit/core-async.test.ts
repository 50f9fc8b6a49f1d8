// The run-once helpers: never two runs at once, a request made during a run never lost, waiters
// told at shutdown. Runs are held open by gates the test releases, so order is decided by the test
// and not by timing; the repeating task's wait is driven by fake timers.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RepeatingTask, Throttler } from '../../electron/core/async.ts';

/** A promise the test settles by hand. */
function gate<T = void>() {
  let open!: (v: T) => void;
  let fail!: (err: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/** Lets every already-settled promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Throttler.queue', () => {
  it('runs at once when idle, then one more run (the latest task) for all calls made meanwhile', async () => {
    const t = new Throttler();
    const ran: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const g1 = gate();
    const job = (name: string, wait?: Promise<void>) => async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      ran.push(name);
      if (wait) await wait;
      concurrent--;
      return name;
    };
    const a = t.queue(job('a', g1.promise));
    await settle();
    expect(ran).toEqual(['a']);
    expect(t.busy).toBe(true);
    const b = t.queue(job('b'));
    const c = t.queue(job('c'));
    const d = t.queue(job('d'));
    expect(b).toBe(c);
    expect(c).toBe(d);
    await settle();
    expect(ran).toEqual(['a']); // nothing beside the active run
    g1.open();
    expect(await a).toBe('a');
    expect(await b).toBe('d'); // the latest task, once
    expect(ran).toEqual(['a', 'd']);
    expect(maxConcurrent).toBe(1);
    await t.whenIdle();
    expect(t.busy).toBe(false);
  });

  it('starts the queued run after a failed one, and stays usable after a task that throws at once', async () => {
    const t = new Throttler();
    const g = gate();
    const a = t.queue(() => g.promise);
    const b = t.queue(async () => 'after');
    g.fail(new Error('boom'));
    await expect(a).rejects.toThrow('boom');
    expect(await b).toBe('after');
    const sync = t.queue(() => {
      throw new Error('sync');
    });
    await expect(sync).rejects.toThrow('sync');
    expect(t.busy).toBe(false);
    expect(await t.queue(async () => 1)).toBe(1);
  });

  it('does not start a second run in the moment between a run ending and the queued one starting', async () => {
    const t = new Throttler();
    const g = gate();
    let concurrent = 0;
    let maxConcurrent = 0;
    const job = async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await settle();
      concurrent--;
    };
    const first = t.queue(() => g.promise);
    const queued = t.queue(job);
    // Called as soon as the first run settles, before the queued run's start callback runs.
    const late = first.then(() => t.queue(job));
    g.open();
    await Promise.all([queued, late]);
    await t.whenIdle();
    expect(maxConcurrent).toBe(1);
  });
});

describe('Throttler.join', () => {
  it('shares the run under way and runs nothing more', async () => {
    const t = new Throttler();
    let runs = 0;
    const g = gate<string>();
    const task = async () => {
      runs++;
      return g.promise;
    };
    const a = t.join(task);
    const b = t.join(task);
    expect(b).toBe(a);
    g.open('done');
    expect(await b).toBe('done');
    expect(runs).toBe(1);
    await t.whenIdle();
    expect(await t.join(async () => 'next')).toBe('next');
  });
});

describe('RepeatingTask', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs on start, then again after the delay the task returned', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const task = new RepeatingTask(async () => {
      runs++;
      return 1000;
    }, { delayMs: 60_000 });
    task.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    await task.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
  });

  it('falls back to delayMs after a run that throws, and reports the error', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let runs = 0;
    const task = new RepeatingTask(async () => {
      runs++;
      throw new Error(`fail ${runs}`);
    }, { delayMs: 500, onError: (err) => errors.push(err) });
    task.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(2);
    expect(errors.map(String)).toEqual(['Error: fail 1', 'Error: fail 2']);
    await task.stop();
  });

  it('a request during a run gets one run that begins after it; requests meanwhile share it', async () => {
    const gates = [gate(), gate(), gate()];
    const began: number[] = [];
    let runs = 0;
    const task = new RepeatingTask(async () => {
      const n = runs++;
      began.push(n);
      await gates[n]!.promise;
    }, { delayMs: 3_600_000 });
    task.start();
    await settle();
    expect(began).toEqual([0]);
    let r1Done = false;
    const r1 = task.request().then(() => (r1Done = true));
    const r2 = task.request();
    gates[0]!.open();
    await settle();
    expect(began).toEqual([0, 1]); // one more run, at once, not after the hour
    expect(r1Done).toBe(false); // run 0 began before the request: it does not count
    gates[1]!.open();
    await Promise.all([r1, r2]);
    expect(began).toEqual([0, 1]);
    // Idle (waiting out the hour): a request runs now.
    const r3 = task.request();
    await settle();
    expect(began).toEqual([0, 1, 2]);
    gates[2]!.open();
    await r3;
    await task.stop();
  });

  it('a request before start is served by the first run', async () => {
    let runs = 0;
    const task = new RepeatingTask(async () => {
      runs++;
    }, { delayMs: 3_600_000 });
    const r = task.request();
    await settle();
    expect(runs).toBe(0);
    task.start();
    await r;
    expect(runs).toBe(1);
    await task.stop();
  });

  it('stop lets the current run end, runs nothing more and resolves every open request', async () => {
    const g = gate();
    let runs = 0;
    const task = new RepeatingTask(async () => {
      runs++;
      await g.promise;
    }, { delayMs: 3_600_000 });
    task.start();
    await settle();
    const waiting = task.request();
    let stopped = false;
    const stop = task.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false); // the run under way is not cut
    expect(task.running).toBe(true);
    g.open();
    await stop;
    await waiting;
    expect(runs).toBe(1);
    expect(task.running).toBe(false);
    await task.request(); // after stop: resolves without a run
    expect(runs).toBe(1);
  });
});
