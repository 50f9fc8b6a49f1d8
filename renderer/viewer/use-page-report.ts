// The meeting view hears of a new page (the address, presenting) only once that page is on
// screen: in the frame after its paint, or after 500 ms if it cannot be painted. None of the
// meeting view's work then runs alongside the page's own paint. (Reporting at once, now that the
// meeting view defers the address, measured slightly worse: whole-book p95 behind the anchor in
// 3 of 4 runs, against ahead in 4 of 5; BENCHMARKS.md.)
import { useEffect, type RefObject } from 'react';

declare global {
  interface WindowEventMap {
    'chamber:page-painted': CustomEvent<{ paperId: string; page: number }>;
  }
}

/** Tells the window a page was painted (the report below, the tests and the bench listen). */
export function announcePainted(paperId: string, page: number): void {
  window.dispatchEvent(new CustomEvent('chamber:page-painted', { detail: { paperId, page } }));
}

export function usePageReport(opts: { open: boolean; page: number; paperId: string; scroller: RefObject<HTMLElement | null>; onPageChange: (page: number) => void }): void {
  const { open, page, paperId, scroller, onPageChange } = opts;
  useEffect(() => {
    if (!open) return;
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
  }, [open, page, paperId, scroller, onPageChange]);
}
