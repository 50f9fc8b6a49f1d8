// The paper viewer: a virtualised column of pages (only the visible pages and their neighbours
// exist in the DOM, so a 352-page book costs what three pages cost), with zoom and pinch, page
// navigation, thumbnails, outline, search, and the annotation tools.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type * as Y from 'yjs';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { Annotation } from '../../shared/notes-doc.ts';
import { addAnnotation, annotationsByPage, removeAnnotation, undoManagerFor, type Tool } from '../annotations/store.ts';
import { HIGHLIGHT_COLORS, PEN_COLORS, PEN_WIDTHS } from '../annotations/geometry.ts';
import { useT } from '../i18n/index.tsx';
import { useYValue } from '../sync/hooks.ts';
import { acquirePdf } from './pdf.ts';
import { PageView } from './PageView.tsx';
import { Outline, Thumbnails, useSearch } from './panels.tsx';
import { RenderQueue } from './render-queue.ts';
import { clampPage, clampZoom, CSS_PER_PT, currentPage, focusAt, layoutPages, PAGE_GAP, renderWindow, scrollForFocus, stepZoom, type PageSize, type ZoomFocus } from './layout.ts';

export interface ViewerProps {
  paperId: string;
  title: string;
  sha256: string;
  blobUrl: string;
  token: string;
  notesDoc: Y.Doc | null;
  initialPage: number;
  /** A navigation from outside (follow mode): go to this page whenever `seq` changes. */
  navRequest: { page: number; seq: number } | null;
  onPageChange: (page: number) => void;
  canPresent: boolean;
  presenting: boolean;
  onTogglePresent: () => void;
  onClose: () => void;
}

type Panel = 'none' | 'thumbnails' | 'outline' | 'search';

declare global {
  interface WindowEventMap {
    'chamber:page-painted': CustomEvent<{ paperId: string; page: number }>;
  }
}

const isEditable = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export function Viewer(props: ViewerProps) {
  const t = useT();
  const { paperId, sha256, blobUrl, token, notesDoc, onPageChange } = props;
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sizes, setSizes] = useState<PageSize[]>([]);
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [rotation, setRotation] = useState(0);
  const [box, setBox] = useState({ top: 0, height: 800, width: 800 });
  const [panel, setPanel] = useState<Panel>('none');
  const [tool, setTool] = useState<Tool>('none');
  const [penColor, setPenColor] = useState<string>(PEN_COLORS[0]);
  const [hlColor, setHlColor] = useState<string>(HIGHLIGHT_COLORS[0]);
  const [width, setWidth] = useState<number>(PEN_WIDTHS[1]);
  const [openNoteId, setOpenNoteId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  // What the reader is typing into the page field; null shows the current page. Kept apart so a
  // page turn is one render of the viewer, not two.
  const [pageDraft, setPageDraft] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const forced = useRef<{ page: number; top: number } | null>(null);
  // Two at a time: the worker parses the next page while the main thread paints this one.
  const queue = useMemo(() => new RenderQueue(2), []);
  // Layout-effect cleanups run before the pages' passive ones: they see the viewer is closing.
  const closing = useRef(false);
  useLayoutEffect(() => {
    closing.current = false;
    return () => {
      closing.current = true;
    };
  }, []);

  // ---- open the paper --------------------------------------------------------------------
  useEffect(() => {
    let alive = true;
    setPdf(null);
    setError(null);
    setProgress(0);
    const { promise, release } = acquirePdf({ url: blobUrl, token, onProgress: (loaded, total) => alive && total > 0 && setProgress(Math.min(100, Math.round((loaded / total) * 100))) });
    promise.then(async (d) => {
      if (!alive) return;
      const first = await d.getPage(1);
      const vp = first.getViewport({ scale: 1 });
      if (!alive) return;
      setSizes(Array.from({ length: d.numPages }, () => ({ w: vp.width, h: vp.height })));
      setPdf(d);
      setProgress(null);
    }, (err: unknown) => {
      if (alive) setError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      alive = false;
      release();
    };
  }, [blobUrl, token]);

  // ---- geometry ----------------------------------------------------------------------------
  const count = sizes.length;
  const rotated = useMemo(() => sizes.map((s) => (rotation % 180 === 0 ? s : { w: s.h, h: s.w })), [sizes, rotation]);
  const maxPtWidth = useMemo(() => rotated.reduce((m, s) => Math.max(m, s.w), 1), [rotated]);
  const fitZoom = clampZoom((box.width - 2 * PAGE_GAP) / (maxPtWidth * CSS_PER_PT));
  const scale = zoom === 'fit' ? fitZoom : zoom;
  const cssScale = scale * CSS_PER_PT;
  const layout = useMemo(() => layoutPages(rotated, scale), [rotated, scale]);
  const innerWidth = Math.max(box.width, layout.maxWidth + 2 * PAGE_GAP);
  const computedPage = count ? currentPage(layout, box.top, box.height) : 1;
  const page = forced.current && Math.abs(forced.current.top - box.top) < 2 ? forced.current.page : computedPage;
  const [winFrom, winTo] = count ? renderWindow(layout, box.top, box.height, 1) : [0, -1];
  const [visFrom, visTo] = count ? renderWindow(layout, box.top, box.height, 0) : [0, -1];

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let frame = 0;
    const update = () => {
      frame = 0;
      setBox((b) => (b.top === el.scrollTop && b.height === el.clientHeight && b.width === el.clientWidth ? b : { top: el.scrollTop, height: el.clientHeight, width: el.clientWidth }));
    };
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    el.addEventListener('scroll', onScroll, { passive: true });
    const ro = new ResizeObserver(onScroll);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [pdf]);

  const goTo = useCallback((n: number) => {
    const el = scroller.current;
    if (!el || !count) return;
    const target = clampPage(n, count);
    const top = Math.max(0, Math.min(layout.tops[target - 1]! - PAGE_GAP / 2, el.scrollHeight - el.clientHeight));
    forced.current = { page: target, top };
    el.scrollTop = top;
    setBox((b) => ({ ...b, top: el.scrollTop }));
    forced.current = { page: target, top: el.scrollTop };
  }, [count, layout]);

  // First placement once the paper is open, and again when zoom or rotation change the layout:
  // the reader stays on the page they were reading.
  const zoomFocus = useRef<ZoomFocus | null>(null);
  // Gesture handlers registered once read the geometry of the latest render through this.
  const geometry = useRef({ layout, innerWidth, scale });
  geometry.current = { layout, innerWidth, scale };
  /** Zooms to `next` around a point on screen (client coordinates). */
  const zoomAround = useCallback((next: number, clientX: number, clientY: number) => {
    const el = scroller.current;
    const g = geometry.current;
    if (next === g.scale) return;
    if (el) {
      const r = el.getBoundingClientRect();
      zoomFocus.current = focusAt(g.layout, g.innerWidth, el.scrollLeft, el.scrollTop, clientX - r.left, clientY - r.top);
    }
    setZoom(next);
  }, []);
  // A pinch or ctrl+wheel: what was under the fingers (or the pointer) stays there. Done before
  // paint and before the next pointer event, so the next step of the gesture measures from the
  // scroll position that matches the layout it sees.
  const focusApplied = useRef(false);
  useLayoutEffect(() => {
    const el = scroller.current;
    const f = zoomFocus.current;
    zoomFocus.current = null;
    if (!el || !f) return;
    const { left, top } = scrollForFocus(layout, innerWidth, f);
    el.scrollLeft = left;
    el.scrollTop = top;
    forced.current = null;
    focusApplied.current = true;
    setBox((b) => ({ ...b, top: el.scrollTop }));
  }, [scale]);
  const placed = useRef(false);
  const anchor = useRef(props.initialPage);
  useEffect(() => {
    if (!pdf || !count) return;
    if (!placed.current) {
      placed.current = true;
      goTo(props.initialPage);
      return;
    }
    if (focusApplied.current) {
      focusApplied.current = false;
      return;
    }
    goTo(anchor.current);
     
  }, [pdf, count, scale, rotation]);
  useEffect(() => {
    anchor.current = page;
  }, [page]);

  useEffect(() => {
    if (props.navRequest && pdf) goTo(props.navRequest.page);
     
  }, [props.navRequest?.seq, pdf]);

  // The meeting view hears of a new page (URL, presenting) once that page is on screen, so none
  // of its work runs alongside the page's own paint. (Reporting at once, now that the meeting
  // view defers the address, measured slightly worse: whole-book p95 behind the anchor in 3 of 4
  // runs, against ahead in 4 of 5.)
  useEffect(() => {
    if (!pdf) return;
    let done = false;
    let frame = 0;
    let soon = 0;
    const report = () => {
      if (done) return;
      done = true;
      onPageChange(page);
    };
    const afterFrame = () => {
      frame = requestAnimationFrame(() => {
        soon = window.setTimeout(report, 0);
      });
    };
    const onPaint = (e: WindowEventMap['chamber:page-painted']) => {
      if (e.detail.page === page && e.detail.paperId === paperId) afterFrame();
    };
    if (scroller.current?.querySelector(`.page[data-page-number="${page}"][data-painted="true"]`)) afterFrame();
    else window.addEventListener('chamber:page-painted', onPaint);
    // A page that cannot be painted is still where the reader is.
    const fallback = window.setTimeout(report, 500);
    return () => {
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(soon);
      clearTimeout(fallback);
      window.removeEventListener('chamber:page-painted', onPaint);
    };
  }, [page, pdf, paperId, onPageChange]);

  const onSize = useCallback((n: number, w: number, h: number) => {
    // Sizes arrive unrotated-by-us (viewport already applies rotation): store unrotated sizes.
    setSizes((prev) => {
      const cur = prev[n - 1];
      const rw = rotation % 180 === 0 ? w : h;
      const rh = rotation % 180 === 0 ? h : w;
      if (!cur || (Math.abs(cur.w - rw) < 0.5 && Math.abs(cur.h - rh) < 0.5)) return prev;
      const next = prev.slice();
      next[n - 1] = { w: rw, h: rh };
      return next;
    });
  }, [rotation]);

  const onPainted = useCallback((n: number) => {
    window.dispatchEvent(new CustomEvent('chamber:page-painted', { detail: { paperId, page: n } }));
  }, [paperId]);

  // ---- annotations ---------------------------------------------------------------------------
  const byPage = useYValue(notesDoc, (d) => annotationsByPage(d, paperId, sha256), new Map<number, Annotation[]>(), (a, b) => a === b);
  const undo = useMemo(() => (notesDoc ? undoManagerFor(notesDoc) : null), [notesDoc]);
  const [undoState, setUndoState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    if (!undo) return;
    const update = () => setUndoState({ canUndo: undo.canUndo(), canRedo: undo.canRedo() });
    undo.on('stack-item-added', update);
    undo.on('stack-item-popped', update);
    update();
    return () => undo.destroy();
  }, [undo]);
  const onAdd = useCallback((a: Annotation) => {
    if (!notesDoc) return;
    addAnnotation(notesDoc, a);
    undo?.stopCapturing();
  }, [notesDoc, undo]);
  const onErase = useCallback((id: string) => {
    if (notesDoc) removeAnnotation(notesDoc, id);
  }, [notesDoc]);
  const onNoteText = useCallback((a: Annotation & { kind: 'note' }, text: string) => {
    if (!notesDoc) return;
    addAnnotation(notesDoc, { ...a, text });
    undo?.stopCapturing();
  }, [notesDoc, undo]);
  const chooseTool = (next: Tool) => {
    setTool((cur) => (cur === next ? 'none' : next));
    setOpenNoteId(null);
    window.getSelection()?.removeAllRanges();
  };
  const color = tool === 'highlighter' ? hlColor : penColor;
  const setColor = tool === 'highlighter' ? setHlColor : setPenColor;

  // ---- search --------------------------------------------------------------------------------
  const { hits, scanning } = useSearch(pdf, panel === 'search' ? query : '');
  useEffect(() => setMatchIndex(0), [query]);
  const currentHit = hits[matchIndex] ?? null;
  const goToMatch = (i: number) => {
    if (!hits.length) return;
    const next = ((i % hits.length) + hits.length) % hits.length;
    setMatchIndex(next);
    goTo(hits[next]!.page);
  };
  const firstHitPage = hits[0]?.page;
  useEffect(() => {
    if (firstHitPage !== undefined && matchIndex === 0) goTo(firstHitPage);
     
  }, [firstHitPage]);

  // ---- touch: pan and pinch ourselves while a drawing tool owns single-pointer input -----------
  const touches = useRef(new Map<number, { x: number; y: number }>());
  const pinch = useRef<{ dist: number; zoom: number } | null>(null);
  const penDown = useRef(false);
  const drawingTool = tool === 'pen' || tool === 'eraser' || tool === 'note';
  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'pen') penDown.current = true;
    if (e.pointerType !== 'touch' || penDown.current) return;
    touches.current.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (touches.current.size === 2) {
      const [a, b] = [...touches.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      pinch.current = { dist: Math.hypot(a.x - b.x, a.y - b.y), zoom: scale };
    }
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>) => {
    const prev = touches.current.get(e.pointerId);
    if (!prev || penDown.current) return;
    const cur = { x: e.clientX, y: e.clientY };
    touches.current.set(e.pointerId, cur);
    const el = scroller.current!;
    if (touches.current.size >= 2 && pinch.current) {
      const [a, b] = [...touches.current.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const next = clampZoom(pinch.current.zoom * (Math.hypot(a.x - b.x, a.y - b.y) / Math.max(1, pinch.current.dist)));
      if (Math.abs(next - scale) / scale > 0.04) zoomAround(next, (a.x + b.x) / 2, (a.y + b.y) / 2);
    } else if (drawingTool) {
      el.scrollLeft -= cur.x - prev.x;
      el.scrollTop -= cur.y - prev.y;
    }
  };
  const onPointerEnd = (e: React.PointerEvent<HTMLDivElement>) => {
    if (e.pointerType === 'pen') penDown.current = false;
    touches.current.delete(e.pointerId);
    if (touches.current.size < 2) pinch.current = null;
  };
  // Trackpad pinch arrives as ctrl+wheel; it must not zoom the whole page.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      zoomAround(clampZoom(geometry.current.scale * Math.exp(-e.deltaY / 300)), e.clientX, e.clientY);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [zoomAround, pdf]);

  // ---- keyboard ------------------------------------------------------------------------------
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isEditable(e.target) || e.altKey) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) undo?.redo();
        else undo?.undo();
        return;
      }
      if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        undo?.redo();
        return;
      }
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setPanel('search');
        return;
      }
      if (mod) return;
      switch (e.key) {
        case 'ArrowRight': case 'PageDown': case 'n':
          e.preventDefault();
          goTo(page + 1);
          break;
        case 'ArrowLeft': case 'PageUp': case 'p':
          e.preventDefault();
          goTo(page - 1);
          break;
        case 'Home':
          e.preventDefault();
          goTo(1);
          break;
        case 'End':
          e.preventDefault();
          goTo(count);
          break;
        case '+': case '=':
          setZoom((z) => stepZoom(z === 'fit' ? fitZoom : z, 1));
          break;
        case '-':
          setZoom((z) => stepZoom(z === 'fit' ? fitZoom : z, -1));
          break;
        case 'Escape':
          if (openNoteId) setOpenNoteId(null);
          else if (tool !== 'none') setTool('none');
          else if (panel !== 'none') setPanel('none');
          break;
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [goTo, page, count, undo, fitZoom, openNoteId, tool, panel]);

  const submitPageField = () => {
    if (pageDraft === null) return;
    const n = Number.parseInt(pageDraft, 10);
    setPageDraft(null);
    if (Number.isFinite(n)) goTo(n);
  };

  const pages = [];
  for (let i = winFrom; i <= winTo; i++) {
    const n = i + 1;
    const hitIndexOnPage = currentHit && currentHit.page === n ? currentHit.index : -1;
    pages.push(
      <PageView
        key={n}
        pdf={pdf!}
        pageNumber={n}
        cssScale={cssScale}
        rotation={rotation}
        top={layout.tops[i]!}
        width={layout.widths[i]!}
        height={layout.heights[i]!}
        priority={i >= visFrom && i <= visTo ? 0 : 1}
        queue={queue}
        paperId={paperId}
        sha256={sha256}
        annotations={byPage.get(n) ?? EMPTY}
        tool={tool}
        color={color}
        strokeWidth={tool === 'highlighter' ? width * 4 : width}
        searchQuery={panel === 'search' ? query : ''}
        currentMatch={hitIndexOnPage}
        openNoteId={openNoteId}
        onAdd={onAdd}
        onErase={onErase}
        onOpenNote={setOpenNoteId}
        onNoteText={onNoteText}
        onPainted={onPainted}
        onSize={onSize}
        keepResources={closing}
      />,
    );
  }

  const onRegionKey = (e: ReactKeyboardEvent) => {
    if (e.key === ' ' && !isEditable(e.target)) {
      // Space pages down like a book, not a half-screen scroll.
      e.preventDefault();
      goTo(page + (e.shiftKey ? -1 : 1));
    }
  };

  return (
    <section className="viewer" aria-label={props.title}>
      <div className="viewer-toolbar" role="toolbar" aria-label={props.title}>
        <div className="tb-group">
          <button type="button" onClick={props.onClose} aria-label={t('viewer.close')} title={t('viewer.close')}>✕</button>
          <h2 className="viewer-title" title={props.title}>{props.title}</h2>
        </div>
        <div className="tb-group">
          <button type="button" onClick={() => goTo(page - 1)} disabled={!pdf || page <= 1} aria-label={t('viewer.prev')} title={t('viewer.prev')}>‹</button>
          <div className="page-field">
            <span aria-hidden="true">{t('viewer.page')}</span>
            <input
              aria-label={t('viewer.page')}
              inputMode="numeric"
              value={pageDraft ?? (pdf ? String(page) : String(props.initialPage))}
              size={3}
              onChange={(e) => setPageDraft(e.target.value.replace(/[^0-9]/g, '').slice(0, 6))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') submitPageField();
                if (e.key === 'Escape') setPageDraft(null);
              }}
              onBlur={submitPageField}
            />
            <span aria-hidden="true">{t('viewer.of', { m: count || '…' })}</span>
          </div>
          <button type="button" onClick={() => goTo(page + 1)} disabled={!pdf || page >= count} aria-label={t('viewer.next')} title={t('viewer.next')}>›</button>
        </div>
        <div className="tb-group">
          <button type="button" onClick={() => setZoom((z) => stepZoom(z === 'fit' ? fitZoom : z, -1))} aria-label={t('viewer.zoomOut')} title={t('viewer.zoomOut')}>−</button>
          <button type="button" onClick={() => setZoom('fit')} aria-pressed={zoom === 'fit'} title={t('viewer.fitWidth')} aria-label={`${t('viewer.fitWidth')} (${Math.round(scale * 100)}%)`}>{Math.round(scale * 100)}%</button>
          <button type="button" onClick={() => setZoom((z) => stepZoom(z === 'fit' ? fitZoom : z, 1))} aria-label={t('viewer.zoomIn')} title={t('viewer.zoomIn')}>+</button>
          <button type="button" onClick={() => setRotation((r) => (r + 90) % 360)} aria-label={t('viewer.rotate')} title={t('viewer.rotate')}>⟳</button>
        </div>
        <div className="tb-group">
          <button type="button" aria-pressed={panel === 'thumbnails'} onClick={() => setPanel((p) => (p === 'thumbnails' ? 'none' : 'thumbnails'))}>{t('viewer.thumbnails')}</button>
          <button type="button" aria-pressed={panel === 'outline'} onClick={() => setPanel((p) => (p === 'outline' ? 'none' : 'outline'))}>{t('viewer.outline')}</button>
          <button type="button" aria-pressed={panel === 'search'} onClick={() => setPanel((p) => (p === 'search' ? 'none' : 'search'))}>{t('viewer.search')}</button>
        </div>
        <div className="tb-group tools" role="group" aria-label={t('tools.label')}>
          <button type="button" aria-pressed={tool === 'pen'} onClick={() => chooseTool('pen')}>{t('tools.pen')}</button>
          <button type="button" aria-pressed={tool === 'highlighter'} onClick={() => chooseTool('highlighter')}>{t('tools.highlighter')}</button>
          <button type="button" aria-pressed={tool === 'note'} onClick={() => chooseTool('note')}>{t('tools.note')}</button>
          <button type="button" aria-pressed={tool === 'eraser'} onClick={() => chooseTool('eraser')}>{t('tools.eraser')}</button>
          <button type="button" onClick={() => undo?.undo()} disabled={!undoState.canUndo}>{t('tools.undo')}</button>
          <button type="button" onClick={() => undo?.redo()} disabled={!undoState.canRedo}>{t('tools.redo')}</button>
        </div>
        {(tool === 'pen' || tool === 'highlighter' || tool === 'note') && (
          <div className="tb-group swatches">
            <div role="radiogroup" aria-label={t('tools.color')}>
              {(tool === 'highlighter' ? HIGHLIGHT_COLORS : PEN_COLORS).map((c) => (
                <button key={c} type="button" role="radio" aria-checked={color === c} aria-label={c} className="swatch" style={{ background: c }} onClick={() => setColor(c)} />
              ))}
            </div>
            {tool === 'pen' && (
              <div role="radiogroup" aria-label={t('tools.width')}>
                {PEN_WIDTHS.map((w) => (
                  <button key={w} type="button" role="radio" aria-checked={width === w} aria-label={`${t('tools.width')} ${w}`} className="width-choice" onClick={() => setWidth(w)}>
                    <span style={{ height: Math.max(2, w * 2), background: color }} />
                  </button>
                ))}
              </div>
            )}
          </div>
        )}
        {props.canPresent && (
          <div className="tb-group">
            <button type="button" className="present" aria-pressed={props.presenting} onClick={props.onTogglePresent}>{t('live.present')}</button>
          </div>
        )}
      </div>

      {panel === 'search' && (
        <div className="search-bar" role="search">
          <input
            type="search"
            autoFocus
            aria-label={t('viewer.searchField')}
            placeholder={t('viewer.searchField')}
            value={query}
            onChange={(e) => setQuery(e.target.value.slice(0, 200))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') goToMatch(matchIndex + (e.shiftKey ? -1 : 1));
              if (e.key === 'Escape') setPanel('none');
            }}
          />
          <button type="button" onClick={() => goToMatch(matchIndex - 1)} disabled={!hits.length} aria-label={t('viewer.searchPrev')}>↑</button>
          <button type="button" onClick={() => goToMatch(matchIndex + 1)} disabled={!hits.length} aria-label={t('viewer.searchNext')}>↓</button>
          <span role="status" className="muted">
            {scanning ? t('viewer.searching', { n: scanning }) : query.trim() ? (hits.length ? t('viewer.searchCount', { i: matchIndex + 1, n: hits.length }) : t('viewer.searchNone')) : ''}
          </span>
        </div>
      )}

      <div className="viewer-body">
        {pdf && panel === 'thumbnails' && <Thumbnails pdf={pdf} sizes={rotated} current={page} onGo={goTo} queue={queue} />}
        {pdf && panel === 'outline' && <Outline pdf={pdf} onGo={goTo} />}
        <div
          ref={scroller}
          className={`viewer-scroll${drawingTool ? ' drawing' : ''}`}
          tabIndex={0}
          role="region"
          aria-label={t('viewer.pages', { title: props.title })}
          onKeyDown={onRegionKey}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerEnd}
          onPointerCancel={onPointerEnd}
        >
          {error ? (
            <p className="viewer-message error" role="alert">{t('viewer.error', { msg: error })}</p>
          ) : !pdf ? (
            <p className="viewer-message" role="status">{progress ? t('download.paper', { pct: progress }) : t('viewer.loading')}</p>
          ) : (
            <div className="pages" style={{ height: layout.total, width: innerWidth }}>
              {pages.map((el) => {
                const i = (el.props as { pageNumber: number }).pageNumber - 1;
                return <div key={el.key} className="page-slot" style={{ left: (innerWidth - layout.widths[i]!) / 2 }}>{el}</div>;
              })}
            </div>
          )}
        </div>
      </div>
      <div className="viewer-status" aria-live="polite">
        {pdf ? t('viewer.pageOf', { n: page, m: count }) : ''}
      </div>
    </section>
  );
}

const EMPTY: Annotation[] = [];
