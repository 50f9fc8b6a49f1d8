// The render queue: visible pages first, work ahead of need only when they are done.
import { describe, expect, it } from 'vitest';
import { RenderQueue } from '../../renderer/viewer/render-queue.ts';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
// Lets every promise the queue chained settle (a macrotask boundary), without waiting on time.
const tick = () => new Promise((r) => setImmediate(r));

describe('RenderQueue', () => {
  it('runs visible pages before neighbours, and neighbours only once visible pages are done', async () => {
    const q = new RenderQueue(2);
    const started: string[] = [];
    const gates = new Map<string, ReturnType<typeof deferred>>();
    const task = (name: string) => () => {
      started.push(name);
      const d = deferred();
      gates.set(name, d);
      return d.promise;
    };
    q.push(0, task('visible'));
    q.push(1, task('neighbour'));
    q.push(0, task('visible2'));
    await tick();
    expect(started).toEqual(['visible', 'visible2']);
    gates.get('visible')!.resolve();
    await tick();
    // visible2 is still painting: the neighbour waits.
    expect(started).toEqual(['visible', 'visible2']);
    gates.get('visible2')!.resolve();
    await tick();
    expect(started).toEqual(['visible', 'visible2', 'neighbour']);
  });

  it('moves a queued task up when its page becomes visible, and skips cancelled ones', async () => {
    const q = new RenderQueue(1);
    const started: string[] = [];
    const first = deferred();
    q.push(0, () => {
      started.push('a');
      return first.promise;
    });
    const b = q.push(1, async () => void started.push('b'));
    const c = q.push(1, async () => void started.push('c'));
    q.push(2, async () => void started.push('text'));
    c.setPriority(0);
    b.cancel();
    first.resolve();
    await tick();
    await tick();
    expect(started).toEqual(['a', 'c', 'text']);
  });

  it('keeps going after a failed render', async () => {
    const q = new RenderQueue(1);
    const started: string[] = [];
    q.push(0, () => Promise.reject(new Error('broken page')));
    q.push(0, async () => void started.push('next'));
    await tick();
    await tick();
    expect(started).toEqual(['next']);
  });
});
