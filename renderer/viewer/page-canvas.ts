// A page's pixels: rendered by pdf.js off screen through the render queue, then shown as a
// `bitmaprenderer` canvas and released the moment the page leaves (not left to the GC).
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { PDFPageProxy, RenderTask } from 'pdfjs-dist';
import type { QueuedTask, RenderQueue } from './render-queue.ts';
import { drawWatermark } from './watermark.ts';

type RenderTarget = OffscreenCanvas | HTMLCanvasElement;

declare global {
  interface Window {
    /**
     * Set by the benchmark: the time (ms) from pdf.js's finished render to the page's bitmap in
     * its on-screen canvas, pushed per page: the watermark (when there is one) and the transfer,
     * which is where Chromium rasterises what was drawn on the canvas, the watermark's fill too.
     */
    __chamberPageFinish?: number[];
  }
}

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

/** Backing store cap: a 5x zoom on a large page must not allocate a huge canvas. */
const MAX_PIXELS = 16_000_000;

export interface PageCanvasOptions {
  page: PDFPageProxy | null;
  pageNumber: number;
  /** CSS pixels per PDF point. */
  cssScale: number;
  /** The page's own /Rotate plus the reader's. */
  rotation: number;
  queue: RenderQueue;
  /** 0 on screen, 1 next to it: read when the render is queued, and moved up when it changes. */
  priority: number;
  onPainted: (page: number) => void;
  /** A watermarked paper's watermark lines joined by newlines (watermark.ts), drawn into the pixels before they are shown. */
  watermark?: string;
}

/** Renders the page into `hostRef` whenever page, zoom or rotation change; `painted` once shown. */
export function usePageCanvas(hostRef: RefObject<HTMLDivElement | null>, o: PageCanvasOptions): { painted: boolean; priority: RefObject<number> } {
  const { page, pageNumber, cssScale, rotation, queue, onPainted } = o;
  // A string, so the same lines never render the page again.
  const watermarkKey = o.watermark ?? '';
  const [painted, setPainted] = useState(false);
  // A neighbour that becomes visible keeps its render (or its finished canvas) instead of
  // starting over: the render reads the priority when queued, and a queued one moves up.
  const priority = useRef(o.priority);
  const task = useRef<QueuedTask | null>(null);
  useEffect(() => {
    priority.current = o.priority;
    task.current?.setPriority(o.priority);
  }, [o.priority]);

  useEffect(() => {
    if (!page) return;
    let render: RenderTask | null = null;
    let cancelled = false;
    let target: RenderTarget | null = null;
    const queued = queue.push(priority.current, async () => {
      if (cancelled) return;
      const viewport = page.getViewport({ scale: cssScale, rotation });
      let ratio = Math.min(window.devicePixelRatio || 1, 3);
      if (viewport.width * viewport.height * ratio * ratio > MAX_PIXELS) ratio = Math.sqrt(MAX_PIXELS / (viewport.width * viewport.height));
      target = renderTarget(Math.floor(viewport.width * ratio), Math.floor(viewport.height * ratio));
      render = page.render({ canvas: target as HTMLCanvasElement, viewport, transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined, background: '#ffffff' });
      try {
        await render.promise;
      } catch {
        return;
      }
      if (cancelled || !hostRef.current) return;
      const t0 = performance.now();
      // Into the page's own pixels, before they reach the screen: a watermarked page is never shown without it.
      if (watermarkKey) drawWatermark(target.getContext('2d') as CanvasRenderingContext2D, target.width, target.height, watermarkKey.split('\n'));
      const shown = showRendered(target, viewport.width, viewport.height);
      window.__chamberPageFinish?.push(performance.now() - t0);
      target = null;
      const old = hostRef.current.querySelector('canvas');
      hostRef.current.replaceChildren(shown);
      if (old) releaseCanvas(old);
      setPainted(true);
      onPainted(pageNumber);
    });
    task.current = queued;
    return () => {
      cancelled = true;
      queued.cancel();
      render?.cancel();
      if (target) {
        target.width = 0;
        target.height = 0;
      }
    };
  }, [page, cssScale, rotation, queue, pageNumber, onPainted, hostRef, watermarkKey]);

  // Release the on-screen canvas's memory when the page unmounts.
  useEffect(() => {
    const el = hostRef.current;
    return () => {
      const c = el?.querySelector('canvas');
      if (c) releaseCanvas(c);
    };
  }, [hostRef]);

  return { painted, priority };
}
