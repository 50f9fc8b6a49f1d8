// Page renders, most urgent first: pdf.js paints on the main thread, so running every page's
// render at once only delays the page the reader is looking at.
export interface QueuedTask {
  cancel(): void;
  /** A neighbour that became the visible page moves up; once running, it then holds back work ahead of need. */
  setPriority(priority: number): void;
}

interface Item {
  priority: number;
  seq: number;
  run: () => Promise<void>;
  cancelled: boolean;
}

/** Priorities below this are the pages on screen; the rest is work ahead of need. */
const VISIBLE = 1;

export class RenderQueue {
  private items: Item[] = [];
  private running: Item[] = [];
  private seq = 0;
  private readonly concurrency: number;
  constructor(concurrency = 1) {
    this.concurrency = concurrency;
  }

  /** Lower priority runs first (0 = visible page, 1 = neighbour, 2+ = text layers, thumbnails). */
  push(priority: number, run: () => Promise<void>): QueuedTask {
    const item: Item = { priority, seq: this.seq++, run, cancelled: false };
    this.items.push(item);
    this.pump();
    return {
      cancel: () => {
        item.cancelled = true;
      },
      setPriority: (p: number) => {
        if (item.priority === p) return;
        item.priority = p;
        this.pump();
      },
    };
  }

  private pump(): void {
    while (this.running.length < this.concurrency) {
      this.items = this.items.filter((i) => !i.cancelled);
      if (this.items.length === 0) return;
      let best = 0;
      for (let i = 1; i < this.items.length; i++) {
        const a = this.items[i]!;
        const b = this.items[best]!;
        if (a.priority < b.priority || (a.priority === b.priority && a.seq < b.seq)) best = i;
      }
      const next = this.items[best]!;
      // Work ahead of need waits while a page on screen is rendering: on two cores a
      // neighbour painting alongside slows the page the reader turned to (the page turn is
      // measured to that page's paint). Pages on screen still render two at a time.
      if (next.priority >= VISIBLE && this.running.some((r) => r.priority < VISIBLE)) return;
      this.items.splice(best, 1);
      this.running.push(next);
      void next.run().catch(() => {}).finally(() => {
        this.running = this.running.filter((r) => r !== next);
        this.pump();
      });
    }
  }
}
