// Reading records for a level that records reading (issue 17; the hub's side is the audit trail,
// docs/audit.md): the pages this reader looked at, reported in batches to
// `POST /api/papers/:id/reading` every 30 s and when the paper closes. A batch that could not be
// sent (the hub out of reach) is kept and sent with the next one; the hub stamps its own time.
import { useEffect, useRef } from 'react';
import { MAX_READ_PAGES } from '../../shared/audit.ts';
import { ROUTES } from '../../shared/routes.ts';
import { sendRoute } from '../api.ts';

const REPORT_EVERY_MS = 30_000;

export function useReadingRecords(o: { paperId: string; record: boolean; open: boolean; page: number; token: string }): void {
  const { paperId, record, open, page, token } = o;
  const pages = useRef(new Set<number>());
  const openedAt = useRef(new Date().toISOString());

  useEffect(() => {
    if (record && open && page >= 1 && pages.current.size < MAX_READ_PAGES) pages.current.add(page);
  }, [record, open, page]);

  useEffect(() => {
    if (!record) return;
    const held = pages.current;
    const flush = () => {
      if (!held.size) return;
      const batch = [...held].sort((a, b) => a - b);
      held.clear();
      sendRoute(ROUTES.paperReading, { params: { id: paperId }, body: { pages: batch, openedAt: openedAt.current } }, token).then((res) => {
        // Refused for good (the paper gone, no longer readable): dropped; unanswered: sent with the next batch.
        if (res.status >= 500) for (const p of batch) if (held.size < MAX_READ_PAGES) held.add(p);
      }, () => {
        for (const p of batch) if (held.size < MAX_READ_PAGES) held.add(p);
      });
    };
    const timer = setInterval(flush, REPORT_EVERY_MS);
    return () => {
      clearInterval(timer);
      flush();
    };
  }, [record, paperId, token]);
}
