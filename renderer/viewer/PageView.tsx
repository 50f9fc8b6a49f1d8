// One page of the virtualised viewer: its canvas, its text layer (selection, search marks,
// highlighter) and the user's annotations over it. It exists only while the page is on screen
// or next to it; unmounting drops the canvas and lets pdf.js free the page's resources.
import { memo, useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { TextLayer, type PDFDocumentProxy, type PDFPageProxy, type PageViewport, type RenderTask } from 'pdfjs-dist';
import type { Annotation } from '../../shared/notes-doc.ts';
import { strokePath, rectFromCorners, mergeLineRects, pageToScreen, screenToPage, type PagePlacement } from '../annotations/geometry.ts';
import { newId, type Tool } from '../annotations/store.ts';
import { useT } from '../i18n/index.tsx';
import type { QueuedTask, RenderQueue } from './render-queue.ts';
import { findAll, foldItems, foldedQueryLength, matchSpans } from './search.ts';
import './viewer.css';

export interface PageViewProps {
  pdf: PDFDocumentProxy;
  pageNumber: number;
  /** CSS pixels per PDF point. */
  cssScale: number;
  rotation: number;
  top: number;
  width: number;
  height: number;
  priority: number;
  queue: RenderQueue;
  paperId: string;
  sha256: string;
  annotations: readonly Annotation[];
  tool: Tool;
  color: string;
  strokeWidth: number;
  searchQuery: string;
  /** Which match on this page is the current one (-1: none here). */
  currentMatch: number;
  openNoteId: string | null;
  onAdd: (a: Annotation) => void;
  onErase: (id: string) => void;
  onOpenNote: (id: string | null) => void;
  onNoteText: (a: Annotation & { kind: 'note' }, text: string) => void;
  onPainted: (page: number) => void;
  onSize: (page: number, w: number, h: number) => void;
  /** Set by the viewer while it unmounts. */
  keepResources: { readonly current: boolean };
}

declare global {
  interface Window {
    /** Set by the benchmark: work time (ms) of each ink pointer event is pushed here. */
    __chamberInk?: number[];
  }
}

type RenderTarget = OffscreenCanvas | HTMLCanvasElement;

/** Where pdf.js paints a page: off the DOM, and an OffscreenCanvas where there is one. */
function renderTarget(width: number, height: number): RenderTarget {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

/**
 * The finished page as an on-screen canvas. An OffscreenCanvas's pixels move into a
 * `bitmaprenderer` canvas without a copy, and such a canvas hands the compositor the same
 * bitmap on every frame. A 2D canvas on screen is copied again at every commit while the page
 * scrolls when Chromium composites in software (measured: ~3 copies of 5 MB per page turn, a
 * fifth of the main thread's time).
 */
function showRendered(target: RenderTarget, cssWidth: number, cssHeight: number): HTMLCanvasElement {
  let shown: HTMLCanvasElement;
  if (target instanceof HTMLCanvasElement) shown = target;
  else {
    shown = document.createElement('canvas');
    shown.width = target.width;
    shown.height = target.height;
    const bitmap = target.transferToImageBitmap();
    // The render task may keep the OffscreenCanvas alive a while: it must not hold a new page-sized bitmap.
    target.width = 0;
    target.height = 0;
    const ctx = shown.getContext('bitmaprenderer');
    if (ctx) ctx.transferFromImageBitmap(bitmap);
    else {
      shown.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
    }
  }
  shown.style.width = `${Math.floor(cssWidth)}px`;
  shown.style.height = `${Math.floor(cssHeight)}px`;
  shown.setAttribute('aria-hidden', 'true');
  return shown;
}

/** Frees a page canvas's pixels now rather than at the next GC. */
function releaseCanvas(c: HTMLCanvasElement): void {
  // Shrunk first: letting go of the bitmap leaves a transparent one of the canvas's size, and
  // at full size that is a 5 MB allocation and clear on every page turn (measured 3.7 ms).
  c.width = 0;
  c.height = 0;
  c.getContext('bitmaprenderer')?.transferFromImageBitmap(null);
}

function PageViewImpl(p: PageViewProps) {
  const t = useT();
  const canvasHost = useRef<HTMLDivElement>(null);
  const textHost = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const liveRef = useRef<SVGPathElement>(null);
  const [page, setPage] = useState<PDFPageProxy | null>(null);
  const [painted, setPainted] = useState(false);
  const [textLayer, setTextLayer] = useState<TextLayer | null>(null);
  const { onSize, onPainted } = p;
  // Read when the render is queued: a neighbour that becomes visible keeps its render (or its
  // finished canvas) instead of starting over.
  const priority = useRef(p.priority);
  priority.current = p.priority;
  const canvasTask = useRef<QueuedTask | null>(null);
  const textTask = useRef<QueuedTask | null>(null);
  // A neighbour still waiting in the queue when the reader turns to it jumps ahead of the
  // neighbours the turn just added.
  useEffect(() => {
    canvasTask.current?.setPriority(p.priority);
    textTask.current?.setPriority(2 + p.priority);
  }, [p.priority]);

  useEffect(() => {
    let alive = true;
    p.pdf.getPage(p.pageNumber).then((pg) => {
      if (!alive) return;
      setPage(pg);
      const vp = pg.getViewport({ scale: 1, rotation: (pg.rotate + p.rotation) % 360 });
      onSize(p.pageNumber, vp.width, vp.height);
    }, () => {});
    return () => {
      alive = false;
    };
  }, [p.pdf, p.pageNumber, p.rotation, onSize]);

  // Free pdf.js's per-page caches once the page leaves the render window — but not when the
  // whole viewer closes: the paper stays open in pdf.ts's small cache, and reopening it then
  // repaints from the parsed page instead of parsing and decoding it again.
  const { keepResources } = p;
  useEffect(() => () => {
    if (page && !keepResources.current) page.cleanup();
  }, [page, keepResources]);

  // The reader's rotation adds to the page's own /Rotate, as in pdf.js's viewer.
  const rotation = page ? (page.rotate + p.rotation) % 360 : p.rotation;
  const vp1: PageViewport | null = useMemo(() => (page ? page.getViewport({ scale: 1, rotation }) : null), [page, rotation]);
  const placement1: PagePlacement | null = useMemo(() => (page ? { viewBox: page.view as [number, number, number, number], rotation, scale: 1 } : null), [page, rotation]);

  // Canvas: rendered off-screen and swapped in when complete, so zooming never flashes white.
  useEffect(() => {
    if (!page) return;
    let task: RenderTask | null = null;
    let cancelled = false;
    let target: RenderTarget | null = null;
    const queued = p.queue.push(priority.current, async () => {
      if (cancelled) return;
      const viewport = page.getViewport({ scale: p.cssScale, rotation });
      const dpr = Math.min(window.devicePixelRatio || 1, 3);
      // Cap the backing store: a 5x zoom on a large page must not allocate a huge canvas.
      const maxPixels = 16_000_000;
      let ratio = dpr;
      if (viewport.width * viewport.height * ratio * ratio > maxPixels) ratio = Math.sqrt(maxPixels / (viewport.width * viewport.height));
      target = renderTarget(Math.floor(viewport.width * ratio), Math.floor(viewport.height * ratio));
      task = page.render({ canvas: target as HTMLCanvasElement, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined, background: '#ffffff' });
      try {
        await task.promise;
      } catch {
        return;
      }
      if (cancelled || !canvasHost.current) return;
      const shown = showRendered(target, viewport.width, viewport.height);
      target = null;
      const old = canvasHost.current.querySelector('canvas');
      canvasHost.current.replaceChildren(shown);
      if (old) releaseCanvas(old);
      setPainted(true);
      onPainted(p.pageNumber);
    });
    canvasTask.current = queued;
    return () => {
      cancelled = true;
      queued.cancel();
      task?.cancel();
      if (target) {
        target.width = 0;
        target.height = 0;
      }
    };
  }, [page, p.cssScale, rotation, p.queue, p.pageNumber, onPainted]);

  // Release the on-screen canvas's memory when the page unmounts (not left to the GC).
  useEffect(() => {
    const host = canvasHost.current;
    return () => {
      const c = host?.querySelector('canvas');
      if (c) releaseCanvas(c);
    };
  }, []);

  // Text layer: after the canvas, at lower priority; rebuilt on rotation, rescaled by CSS on zoom.
  useEffect(() => {
    if (!page || !painted) return;
    let layer: TextLayer | null = null;
    let cancelled = false;
    // After every canvas in the render window: a page turn waits for pixels, not for text.
    const queued = p.queue.push(2 + priority.current, async () => {
      if (cancelled || !textHost.current) return;
      const div = document.createElement('div');
      div.className = 'textLayer';
      layer = new TextLayer({ textContentSource: page.streamTextContent(), container: div, viewport: page.getViewport({ scale: 1, rotation }) });
      try {
        await layer.render();
      } catch {
        return;
      }
      if (cancelled || !textHost.current) return;
      textHost.current.replaceChildren(div);
      setTextLayer(layer);
    });
    textTask.current = queued;
    return () => {
      cancelled = true;
      queued.cancel();
      layer?.cancel();
    };
     
  }, [page, painted, rotation, p.queue]);

  // Search marks: only the matched characters, wrapped in <mark> inside the text layer's spans
  // (a whole span is often a whole line, which would hide where the match is).
  useEffect(() => {
    if (!textLayer) return;
    const divs = textLayer.textDivs;
    const items = textLayer.textContentItemsStr;
    const restore = () => {
      for (const d of textHost.current?.querySelectorAll('span[data-marked]') ?? []) {
        const i = Number((d as HTMLElement).dataset.marked);
        d.textContent = items[i] ?? d.textContent;
        d.removeAttribute('data-marked');
      }
    };
    restore();
    if (!p.searchQuery) return;
    const folded = foldItems(items);
    const len = foldedQueryLength(p.searchQuery);
    const byItem = new Map<number, Array<{ from: number; to: number; current: boolean }>>();
    findAll(folded.text, p.searchQuery).forEach((start, m) => {
      for (const { item, from, to } of matchSpans(folded, items, start, len)) {
        let list = byItem.get(item);
        if (!list) byItem.set(item, (list = []));
        list.push({ from, to, current: m === p.currentMatch });
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
      div.dataset.marked = String(i);
    }
    const cur = textHost.current?.querySelector('.match-current');
    if (cur) cur.scrollIntoView({ block: 'center', inline: 'nearest' });
    return restore;
  }, [textLayer, p.searchQuery, p.currentMatch]);

  // ---- input: pen, eraser, note, highlighter ----------------------------------------------
  const stroke = useRef<{ id: number; points: number[]; rect: DOMRect; simulate: boolean } | null>(null);

  const toPdf = (clientX: number, clientY: number, rect: DOMRect): [number, number] => {
    // Measured against the element's on-screen box, so CSS scaling between renders is allowed for.
    const vx = ((clientX - rect.left) / rect.width) * vp1!.width;
    const vy = ((clientY - rect.top) / rect.height) * vp1!.height;
    return screenToPage(vx, vy, placement1!);
  };

  const eraseAt = (clientX: number, clientY: number) => {
    for (const el of document.elementsFromPoint(clientX, clientY)) {
      const id = (el as HTMLElement).dataset?.annId ?? el.getAttribute('data-ann-id');
      if (id) p.onErase(id);
    }
  };

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    // Touch never draws: it pans and pinches (handled by the viewer), and a resting palm must
    // not leave marks while a pen writes.
    if (e.pointerType === 'touch' || !vp1) return;
    if (e.button !== 0) return;
    const rect = e.currentTarget.getBoundingClientRect();
    if (p.tool === 'pen') {
      e.preventDefault();
      e.currentTarget.setPointerCapture(e.pointerId);
      const [x, y] = toPdf(e.clientX, e.clientY, rect);
      stroke.current = { id: e.pointerId, points: [x, y, e.pointerType === 'pen' ? e.pressure || 0.5 : 0.5], rect, simulate: e.pointerType !== 'pen' };
      liveRef.current?.setAttribute('d', strokePath(stroke.current.points, p.strokeWidth, { simulatePressure: stroke.current.simulate, last: false }));
    } else if (p.tool === 'eraser') {
      e.preventDefault();
      e.currentTarget.setPointerCapture(e.pointerId);
      stroke.current = { id: e.pointerId, points: [], rect, simulate: false };
      eraseAt(e.clientX, e.clientY);
    } else if (p.tool === 'note') {
      e.preventDefault();
      const [x, y] = toPdf(e.clientX, e.clientY, rect);
      const id = newId();
      p.onAdd({ id, kind: 'note', paperId: p.paperId, sha256: p.sha256, page: p.pageNumber, createdAt: Date.now(), x, y, text: '', color: p.color });
      p.onOpenNote(id);
    }
  };

  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const s = stroke.current;
    if (!s || s.id !== e.pointerId) return;
    if (p.tool === 'eraser') {
      eraseAt(e.clientX, e.clientY);
      return;
    }
    const t0 = performance.now();
    // Every sample the hardware gave us since the last frame, not just the last one.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    const list = events.length ? events : [e.nativeEvent];
    for (const ev of list) {
      const [x, y] = toPdf(ev.clientX, ev.clientY, s.rect);
      s.points.push(x, y, e.pointerType === 'pen' ? ev.pressure || 0.5 : 0.5);
    }
    liveRef.current?.setAttribute('d', strokePath(s.points, p.strokeWidth, { simulatePressure: s.simulate, last: false }));
    window.__chamberInk?.push(performance.now() - t0);
  };

  const onPointerUp = (e: ReactPointerEvent<SVGSVGElement>) => {
    const s = stroke.current;
    if (!s || s.id !== e.pointerId) return;
    stroke.current = null;
    if (p.tool !== 'pen') return;
    liveRef.current?.setAttribute('d', '');
    if (s.points.length < 3) return;
    // Keep stored strokes compact: two decimals of a point is far below what anyone can see.
    const points = s.points.map((v) => Math.round(v * 100) / 100);
    p.onAdd({ id: newId(), kind: 'ink', tool: 'pen', paperId: p.paperId, sha256: p.sha256, page: p.pageNumber, createdAt: Date.now(), color: p.color, width: p.strokeWidth, points });
  };

  // Highlighter: the text selection the reader made on this page becomes a highlight.
  const onTextPointerUp = () => {
    if (p.tool !== 'highlighter' || !vp1 || !textHost.current) return;
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return;
    const range = sel.getRangeAt(0);
    if (!textHost.current.contains(range.commonAncestorContainer) && !textHost.current.contains(range.startContainer)) return;
    const rect = textHost.current.getBoundingClientRect();
    const rects: Array<[number, number, number, number]> = [];
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      const [ax, ay] = toPdf(Math.max(r.left, rect.left), Math.max(r.top, rect.top), rect);
      const [bx, by] = toPdf(Math.min(r.right, rect.right), Math.min(r.bottom, rect.bottom), rect);
      rects.push(rectFromCorners(ax, ay, bx, by));
    }
    const merged = mergeLineRects(rects);
    if (merged.length === 0) return;
    p.onAdd({ id: newId(), kind: 'highlight', paperId: p.paperId, sha256: p.sha256, page: p.pageNumber, createdAt: Date.now(), color: p.color, rects: merged.flat().map((v) => Math.round(v * 100) / 100), text: sel.toString().slice(0, 10000) });
    sel.removeAllRanges();
  };

  const inkPaths = useMemo(() => p.annotations.map((a) => (a.kind === 'ink' ? { a, d: strokePath(a.points, a.width, { simulatePressure: true }) } : null)), [p.annotations]);

  const drawing = p.tool === 'pen' || p.tool === 'eraser' || p.tool === 'note';
  return (
    <div
      className={`page${painted ? ' painted' : ''}`}
      data-page-number={p.pageNumber}
      data-painted={painted ? 'true' : 'false'}
      role="group"
      aria-label={t('viewer.pageLabel', { n: p.pageNumber })}
      style={{ top: p.top, width: p.width, height: p.height, ['--total-scale-factor' as string]: p.cssScale }}
    >
      <div ref={canvasHost} className="page-canvas" />
      <div ref={textHost} className={`page-text tool-${p.tool}`} onPointerUp={onTextPointerUp} />
      {vp1 && (
        <svg
          ref={svgRef}
          className={`ann-layer${drawing ? ' drawing' : ''} tool-${p.tool}`}
          viewBox={`0 0 ${vp1.width} ${vp1.height}`}
          preserveAspectRatio="none"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
          data-testid={`ann-layer-${p.pageNumber}`}
        >
          <g transform={`matrix(${vp1.transform.join(' ')})`}>
            {p.annotations.map((a) => a.kind === 'highlight' ? (
              <g key={a.id} data-ann-id={a.id} className="ann ann-highlight">
                {chunk4(a.rects).map(([x, y, w, h], i) => <rect key={i} x={x} y={y} width={w} height={h} fill={a.color} />)}
              </g>
            ) : null)}
            {inkPaths.map((ip) => ip && (
              <path key={ip.a.id} data-ann-id={ip.a.id} className={`ann ann-ink${ip.a.kind === 'ink' && ip.a.tool === 'highlighter' ? ' ann-ink-highlighter' : ''}`} d={ip.d} fill={ip.a.kind === 'ink' ? ip.a.color : undefined} />
            ))}
            <path ref={liveRef} className="ann-live" fill={p.color} d="" />
          </g>
        </svg>
      )}
      {vp1 && p.annotations.map((a) => a.kind === 'note' ? (
        <NoteMarker key={a.id} note={a} placement={{ ...placement1!, scale: p.cssScale }} open={p.openNoteId === a.id} tool={p.tool}
          onOpen={p.onOpenNote} onErase={p.onErase} onText={p.onNoteText} />
      ) : null)}
    </div>
  );
}

function chunk4(v: readonly number[]): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i + 3 < v.length; i += 4) out.push([v[i]!, v[i + 1]!, v[i + 2]!, v[i + 3]!]);
  return out;
}

function NoteMarker({ note, placement, open, tool, onOpen, onErase, onText }: {
  note: Annotation & { kind: 'note' }; placement: PagePlacement; open: boolean; tool: Tool;
  onOpen: (id: string | null) => void; onErase: (id: string) => void; onText: (a: Annotation & { kind: 'note' }, text: string) => void;
}) {
  const t = useT();
  const [left, top] = pageToScreen(note.x, note.y, placement);
  const [draft, setDraft] = useState(note.text);
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (open) {
      setDraft(note.text);
      area.current?.focus();
    }
  }, [open, note.text]);
  const close = () => {
    if (draft.trim() === '') onErase(note.id);
    else if (draft !== note.text) onText(note, draft);
    onOpen(null);
  };
  return (
    <div className="note-anchor" style={{ left, top }}>
      <button
        type="button"
        className="note-marker"
        data-ann-id={note.id}
        aria-label={t('note.label', { text: note.text || '…' })}
        aria-expanded={open}
        style={{ background: note.color ?? '#ffd43b' }}
        onClick={(e) => {
          e.stopPropagation();
          if (tool === 'eraser') onErase(note.id);
          else onOpen(open ? null : note.id);
        }}
      >✎</button>
      {open && (
        <div className="note-editor" role="dialog" aria-label={t('tools.note')} onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            close();
          }
        }}>
          <textarea ref={area} value={draft} placeholder={t('note.placeholder')} aria-label={t('tools.note')} onChange={(e) => setDraft(e.target.value.slice(0, 20000))} rows={4} />
          <div className="note-actions">
            <button type="button" onClick={close}>{t('note.save')}</button>
            <button type="button" onClick={() => { onErase(note.id); onOpen(null); }}>{t('note.delete')}</button>
          </div>
        </div>
      )}
    </div>
  );
}

export const PageView = memo(PageViewImpl);
