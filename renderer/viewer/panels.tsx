// The viewer's side panels: thumbnails (virtualised, painted at low priority) and the paper's
// outline.
import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { useT } from '../i18n/index.tsx';
import type { RenderQueue } from './render-queue.ts';
import type { PageSize } from './layout.ts';
import { drawWatermark } from './watermark.ts';

const THUMB_W = 112;
const THUMB_GAP = 28;

export function Thumbnails({ pdf, sizes, current, onGo, queue, watermark }: {
  pdf: PDFDocumentProxy; sizes: readonly PageSize[]; current: number; onGo: (n: number) => void; queue: RenderQueue;
  /** A watermarked paper's thumbnails carry the reader's watermark in their pixels too (watermark.ts). */
  watermark?: string;
}) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 600 });
  const first = sizes[0] ?? { w: 612, h: 792 };
  const itemH = Math.round((THUMB_W * first.h) / first.w) + THUMB_GAP;
  const count = sizes.length;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setScroll({ top: el.scrollTop, height: el.clientHeight });
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // Keep the current page's thumbnail in view as the reader pages.
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const y = (current - 1) * itemH;
    if (y < el.scrollTop || y + itemH > el.scrollTop + el.clientHeight) el.scrollTop = y - el.clientHeight / 2 + itemH / 2;
  }, [current, itemH]);
  const from = Math.max(0, Math.floor(scroll.top / itemH) - 2);
  const to = Math.min(count - 1, Math.ceil((scroll.top + scroll.height) / itemH) + 2);
  const items = [];
  for (let i = from; i <= to; i++) items.push(i + 1);
  return (
    <nav className="panel thumbnails" aria-label={t('viewer.thumbnails')} ref={ref} onScroll={(e) => setScroll({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}>
      <ol style={{ height: count * itemH }}>
        {items.map((n) => (
          <li key={n} style={{ top: (n - 1) * itemH, height: itemH }}>
            <button type="button" className={n === current ? 'thumb current' : 'thumb'} aria-current={n === current ? 'page' : undefined} onClick={() => onGo(n)} aria-label={t('viewer.pageLabel', { n })}>
              <Thumb pdf={pdf} n={n} queue={queue} height={itemH - THUMB_GAP} watermark={watermark ?? ''} />
              <span aria-hidden="true">{n}</span>
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}

function Thumb({ pdf, n, queue, height, watermark }: { pdf: PDFDocumentProxy; n: number; queue: RenderQueue; height: number; watermark: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    let task: RenderTask | null = null;
    const canvas = document.createElement('canvas');
    const queued = queue.push(2, async () => {
      if (cancelled) return;
      const page = await pdf.getPage(n);
      if (cancelled) return;
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: THUMB_W / base.width });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      task = page.render({ canvas, viewport, background: '#ffffff' });
      try {
        await task.promise;
      } catch {
        return;
      }
      if (cancelled) return;
      if (watermark) drawWatermark(canvas.getContext('2d')!, canvas.width, canvas.height, watermark.split('\n'));
      host.current?.replaceChildren(canvas);
    });
    return () => {
      cancelled = true;
      queued.cancel();
      task?.cancel();
      canvas.width = 0;
      canvas.height = 0;
    };
  }, [pdf, n, queue, watermark]);
  return <div ref={host} className="thumb-canvas" style={{ width: THUMB_W, height }} />;
}

interface OutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items: OutlineNode[];
}

export function Outline({ pdf, onGo }: { pdf: PDFDocumentProxy; onGo: (n: number) => void }) {
  const t = useT();
  const [outline, setOutline] = useState<OutlineNode[] | null>(null);
  useEffect(() => {
    let alive = true;
    pdf.getOutline().then((o) => alive && setOutline((o ?? []) as OutlineNode[]), () => alive && setOutline([]));
    return () => {
      alive = false;
    };
  }, [pdf]);
  const go = async (dest: OutlineNode['dest']) => {
    try {
      const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : dest;
      if (!Array.isArray(explicit) || explicit.length === 0) return;
      const ref = explicit[0];
      const index = typeof ref === 'number' ? ref : await pdf.getPageIndex(ref as Parameters<PDFDocumentProxy['getPageIndex']>[0]);
      onGo(index + 1);
    } catch {
      /* a broken destination goes nowhere */
    }
  };
  const render = (nodes: OutlineNode[]) => (
    <ul>
      {nodes.map((node, i) => (
        <li key={i}>
          <button type="button" onClick={() => void go(node.dest)}>{node.title || '—'}</button>
          {node.items?.length ? render(node.items) : null}
        </li>
      ))}
    </ul>
  );
  return (
    <nav className="panel outline" aria-label={t('viewer.outline')}>
      {outline === null ? null : outline.length === 0 ? <p className="muted">{t('viewer.outlineEmpty')}</p> : render(outline)}
    </nav>
  );
}
