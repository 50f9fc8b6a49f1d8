// A page's text layer (selection, the highlighter, search marks): built after the canvas at lower
// priority, rebuilt on rotation, rescaled by CSS on zoom. Search marks wrap only the matched
// characters in <mark> inside the text layer's spans (a whole span is often a whole line, which
// would hide where the match is).
import { useEffect, useRef, useState, type RefObject } from 'react';
import { TextLayer, type PDFPageProxy } from 'pdfjs-dist';
import type { QueuedTask, RenderQueue } from './render-queue.ts';
import { findAll, foldItems, foldedQueryLength, matchSpans } from './search.ts';

export function useTextLayer(hostRef: RefObject<HTMLDivElement | null>, o: { page: PDFPageProxy | null; painted: boolean; rotation: number; queue: RenderQueue; priority: RefObject<number>; visiblePriority: number }): TextLayer | null {
  const { page, painted, rotation, queue, priority } = o;
  const [layer, setLayer] = useState<TextLayer | null>(null);
  const task = useRef<QueuedTask | null>(null);
  useEffect(() => {
    task.current?.setPriority(2 + o.visiblePriority);
  }, [o.visiblePriority]);
  useEffect(() => {
    if (!page || !painted) return;
    let built: TextLayer | null = null;
    let cancelled = false;
    // After every canvas in the render window: a page turn waits for pixels, not for text.
    const queued = queue.push(2 + priority.current, async () => {
      if (cancelled || !hostRef.current) return;
      const div = document.createElement('div');
      div.className = 'textLayer';
      built = new TextLayer({ textContentSource: page.streamTextContent(), container: div, viewport: page.getViewport({ scale: 1, rotation }) });
      try {
        await built.render();
      } catch {
        return;
      }
      if (cancelled || !hostRef.current) return;
      hostRef.current.replaceChildren(div);
      setLayer(built);
    });
    task.current = queued;
    return () => {
      cancelled = true;
      queued.cancel();
      built?.cancel();
    };
  }, [page, painted, rotation, queue, hostRef, priority]);
  return layer;
}

/** Marks `query`'s matches in the text layer; `current` (the index on this page, -1 none) is scrolled to. */
export function useSearchMarks(hostRef: RefObject<HTMLDivElement | null>, layer: TextLayer | null, query: string, current: number): void {
  useEffect(() => {
    if (!layer) return;
    const divs = layer.textDivs;
    const items = layer.textContentItemsStr;
    const restore = () => {
      for (const d of hostRef.current?.querySelectorAll('span[data-marked]') ?? []) {
        const i = Number((d as HTMLElement).dataset.marked);
        d.textContent = items[i] ?? d.textContent;
        d.removeAttribute('data-marked');
      }
    };
    restore();
    if (!query) return;
    const folded = foldItems(items);
    const len = foldedQueryLength(query);
    const byItem = new Map<number, Array<{ from: number; to: number; current: boolean }>>();
    findAll(folded.text, query).forEach((start, m) => {
      for (const { item, from, to } of matchSpans(folded, items, start, len)) {
        let list = byItem.get(item);
        if (!list) byItem.set(item, (list = []));
        list.push({ from, to, current: m === current });
      }
    });
    for (const [i, parts] of byItem) {
      const div = divs[i];
      const str = items[i];
      if (!div || str === undefined) continue;
      parts.sort((a, b) => a.from - b.from);
      const nodes: Node[] = [];
      let at = 0;
      for (const part of parts) {
        if (part.from < at) continue;
        if (part.from > at) nodes.push(document.createTextNode(str.slice(at, part.from)));
        const mark = document.createElement('mark');
        mark.className = part.current ? 'match-current' : 'match';
        mark.textContent = str.slice(part.from, part.to);
        nodes.push(mark);
        at = part.to;
      }
      if (at < str.length) nodes.push(document.createTextNode(str.slice(at)));
      div.replaceChildren(...nodes);
      div.setAttribute('data-marked', String(i));
    }
    hostRef.current?.querySelector('.match-current')?.scrollIntoView({ block: 'center', inline: 'nearest' });
    return restore;
  }, [layer, query, current, hostRef]);
}
