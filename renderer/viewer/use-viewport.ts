// The viewer's viewport: the scroll box it watches, zoom (fit width or a number) and rotation,
// the page sizes as pages load, the virtual layout, which page is current and which pages are
// rendered, and moving the reader: to a page, or zooming around a point (pinch, ctrl+wheel) so
// the page point under the fingers stays under them. The maths is in layout.ts.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { clampPage, currentPage, fitScale, focusAt, layoutPages, PAGE_GAP, renderWindow, scrollForFocus, stepPage, stepZoom, type Layout, type PageSize, type ViewMode, type ZoomFocus } from './layout.ts';

export type { ViewMode } from './layout.ts';
/** A number, or the view's own fit (the page's width, the whole page, two whole pages). */
export type Zoom = number | 'fit';

const VIEW_KEY = 'chamber.viewer.view';
/** The view is the device's: a tablet kept in portrait reads one way, a desk screen another. */
function storedView(): ViewMode {
  try {
    const v = localStorage.getItem(VIEW_KEY);
    return v === 'page' || v === 'two' ? v : 'width';
  } catch {
    return 'width';
  }
}

export interface Viewport {
  /** The current page (1-based; 1 before the paper is open). */
  page: number;
  count: number;
  layout: Layout;
  /** Width of the pages' box: the pane, or the widest page and its margins when zoomed in. */
  innerWidth: number;
  zoom: Zoom;
  view: ViewMode;
  /** The zoom in force (the view's fit resolved). */
  scale: number;
  rotation: number;
  /** Page sizes with the reader's rotation applied (for thumbnails). */
  rotated: readonly PageSize[];
  /** Pages in the DOM (visible ±1) and pages on screen, as 0-based inclusive ranges. */
  window: [number, number];
  visible: [number, number];
  goTo(page: number): void;
  /** A page forward or back; a row of two in the two-page view. */
  step(dir: 1 | -1): void;
  setZoom(z: Zoom): void;
  /** Chooses a view (remembered on this device) at its own fit. */
  setView(v: ViewMode): void;
  /** One zoom step in (1) or out (-1) from the zoom in force. */
  stepZoom(dir: 1 | -1): void;
  rotate(): void;
  /** Zooms to `next` keeping the page point under (clientX, clientY) where it is. */
  zoomAround(next: number, clientX: number, clientY: number): void;
  /** A page reports its real size (scale 1, with its own and the reader's rotation). */
  onSize(page: number, w: number, h: number): void;
}

/** `scrollerRef` is the scroll box the viewer renders the pages into. */
export function useViewport(scrollerRef: RefObject<HTMLDivElement | null>, pdf: PDFDocumentProxy | null, firstPage: PageSize | null, initialPage: number): Viewport {
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [view, setViewState] = useState<ViewMode>(storedView);
  const [rotation, setRotation] = useState(0);
  const [box, setBox] = useState({ top: 0, height: 800, width: 800 });
  // Sizes learned from loaded pages, for the paper they belong to; the rest are page 1's size.
  const [learned, setLearned] = useState<{ pdf: PDFDocumentProxy | null; sizes: PageSize[] }>({ pdf: null, sizes: [] });
  // A page just jumped to stays the current page while the scroll position is the one the jump
  // set (the page above may still show a sliver of itself).
  const [forced, setForced] = useState<{ page: number; top: number } | null>(null);

  const count = pdf ? pdf.numPages : 0;
  const sizes = useMemo(() => {
    if (!pdf || !firstPage) return [];
    if (learned.pdf === pdf) return learned.sizes;
    return Array.from({ length: pdf.numPages }, () => firstPage);
  }, [pdf, firstPage, learned]);
  const rotated = useMemo(() => sizes.map((s) => (rotation % 180 === 0 ? s : { w: s.h, h: s.w })), [sizes, rotation]);
  const maxPtWidth = useMemo(() => rotated.reduce((m, s) => Math.max(m, s.w), 1), [rotated]);
  const maxPtHeight = useMemo(() => rotated.reduce((m, s) => Math.max(m, s.h), 1), [rotated]);
  const fitZoom = fitScale(view, box.width, box.height, maxPtWidth, maxPtHeight);
  const scale = zoom === 'fit' ? fitZoom : zoom;
  const perRow = view === 'two' ? 2 : 1;
  const layout = useMemo(() => layoutPages(rotated, scale, PAGE_GAP, perRow), [rotated, scale, perRow]);
  const innerWidth = Math.max(box.width, layout.maxWidth + 2 * PAGE_GAP);
  const computedPage = count ? currentPage(layout, box.top, box.height) : 1;
  const page = forced && Math.abs(forced.top - box.top) < 2 ? forced.page : computedPage;
  const windowRange: [number, number] = count ? renderWindow(layout, box.top, box.height, 1) : [0, -1];
  const visibleRange: [number, number] = count ? renderWindow(layout, box.top, box.height, 0) : [0, -1];

  // The box follows scrolling and resizing, once per frame.
  useEffect(() => {
    const el = scrollerRef.current;
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
  }, [pdf, scrollerRef]);

  const goTo = useCallback((n: number) => {
    const el = scrollerRef.current;
    if (!el || !count) return;
    const target = clampPage(n, count);
    el.scrollTop = Math.max(0, Math.min(layout.tops[target - 1]! - PAGE_GAP / 2, el.scrollHeight - el.clientHeight));
    // Read back: the browser clamps and rounds what it was given.
    const top = el.scrollTop;
    setForced({ page: target, top });
    setBox((b) => ({ ...b, top }));
  }, [count, layout, scrollerRef]);

  // Gesture handlers registered once read the latest geometry through this.
  const geometry = useRef({ layout, innerWidth, scale });
  useLayoutEffect(() => {
    geometry.current = { layout, innerWidth, scale };
  });
  const zoomFocus = useRef<ZoomFocus | null>(null);
  const zoomAround = useCallback((next: number, clientX: number, clientY: number) => {
    const el = scrollerRef.current;
    const g = geometry.current;
    if (next === g.scale) return;
    if (el) {
      const r = el.getBoundingClientRect();
      zoomFocus.current = focusAt(g.layout, g.innerWidth, el.scrollLeft, el.scrollTop, clientX - r.left, clientY - r.top);
    }
    setZoom(next);
  }, [scrollerRef]);

  // A pinch or ctrl+wheel: what was under the fingers (or the pointer) stays there. Done before
  // paint and before the next pointer event, so the gesture's next step measures from the
  // scroll position that matches the layout it sees.
  const focusApplied = useRef(false);
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    const f = zoomFocus.current;
    zoomFocus.current = null;
    if (!el || !f) return;
    const { left, top } = scrollForFocus(layout, innerWidth, f);
    el.scrollLeft = left;
    el.scrollTop = top;
    focusApplied.current = true;
    // The box mirrors the scroll position just set, before paint.
    setForced(null);
    setBox((b) => ({ ...b, top: el.scrollTop }));
  }, [scale]); // eslint-disable-line react-hooks/exhaustive-deps -- only a zoom change moves the focus; layout is that zoom's

  // First placement once the paper is open, and again when zoom or rotation change the layout:
  // the reader stays on the page they were reading.
  const placed = useRef(false);
  const anchor = useRef(initialPage);
  useEffect(() => {
    anchor.current = page;
  }, [page]);
  useEffect(() => {
    if (!pdf || !count) return;
    if (!placed.current) {
      placed.current = true;
      goTo(initialPage);
      return;
    }
    if (focusApplied.current) {
      focusApplied.current = false;
      return;
    }
    goTo(anchor.current);
  }, [pdf, count, scale, rotation, perRow]); // eslint-disable-line react-hooks/exhaustive-deps -- a new layout re-places; goTo changes with it

  const onSize = useCallback((n: number, w: number, h: number) => {
    if (!pdf || !firstPage) return;
    // The page reports its viewport with the rotation applied: keep sizes unrotated.
    const rw = rotation % 180 === 0 ? w : h;
    const rh = rotation % 180 === 0 ? h : w;
    setLearned((prev) => {
      const base = prev.pdf === pdf ? prev.sizes : Array.from({ length: pdf.numPages }, () => firstPage);
      const cur = base[n - 1];
      if (!cur || (Math.abs(cur.w - rw) < 0.5 && Math.abs(cur.h - rh) < 0.5)) return prev;
      const next = base.slice();
      next[n - 1] = { w: rw, h: rh };
      return { pdf, sizes: next };
    });
  }, [rotation, pdf, firstPage]);

  return {
    page, count, layout, innerWidth, zoom, view, scale, rotation, rotated,
    window: windowRange, visible: visibleRange, goTo, setZoom,
    step: (dir) => goTo(stepPage(layout, page, dir)),
    setView: (next) => {
      try {
        localStorage.setItem(VIEW_KEY, next);
      } catch {
        // Private mode: this screen only.
      }
      setViewState(next);
      setZoom('fit');
    },
    stepZoom: (dir) => setZoom((z) => stepZoom(z === 'fit' ? fitZoom : z, dir)),
    rotate: () => setRotation((r) => (r + 90) % 360),
    zoomAround, onSize,
  };
}
