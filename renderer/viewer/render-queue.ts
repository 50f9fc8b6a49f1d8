// One page render at a time, most urgent first: pdf.js paints on the main thread, so running
// every page's render at once only delays the page the reader is looking at.
export interface QueuedTask {
  cancel(): void;
}

interface Item {
  priority: number;
  seq: number;
  run: () => Promise<void>;
  cancelled: boolean;
}

export class RenderQueue {
  private items: Item[] = [];
  private running = 0;
  private seq = 0;
  private readonly concurrency: number;
  constructor(concurrency = 1) {
    this.concurrency = concurrency;
  }

  /** Lower priority runs first (0 = visible page, 1 = neighbour, 2 = thumbnail). */
  push(priority: number, run: () => Promise<void>): QueuedTask {
    const item: Item = { priority, seq: this.seq++, run, cancelled: false };
    this.items.push(item);
    this.pump();
    return { cancel: () => { item.cancelled = true; } };
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      this.items = this.items.filter((i) => !i.cancelled);
      if (this.items.length === 0) return;
      let best = 0;
      for (let i = 1; i < this.items.length; i++) {
        const a = this.items[i]!;
        const b = this.items[best]!;
        if (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)) best = i;
      }
      const [item] = this.items.splice(best, 1);
      this.running++;
      void item!.run().catch(() => {}).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }
}
