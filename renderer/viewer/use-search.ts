// In-paper search, page by page in the background over pdf.js's text content, folded for case and
// accents (search.ts); results grow as pages are read. The page views mark the matches.
// pdf.js's own find controller was evaluated and not used: see docs/renderer.md, "Search".
import { useEffect, useMemo, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { findAll, foldItems } from './search.ts';

export interface SearchHit {
  page: number;
  /** Index of the match on its page. */
  index: number;
}

export interface SearchState {
  hits: SearchHit[];
  /** The page being read, while the search runs; null when done. */
  scanning: number | null;
}

const IDLE: SearchState = { hits: [], scanning: null };
const STARTING: SearchState = { hits: [], scanning: 1 };

export function useSearch(pdf: PDFDocumentProxy | null, query: string): SearchState {
  const active = !!pdf && query.trim() !== '';
  // Each page's folded text, read once per paper.
  const cache = useMemo(() => (pdf ? new Map<number, string>() : null), [pdf]);
  const [state, setState] = useState<SearchState & { pdf: PDFDocumentProxy | null; query: string }>({ ...IDLE, pdf: null, query: '' });
  useEffect(() => {
    if (!pdf || !cache || !query.trim()) return;
    let cancelled = false;
    const hits: SearchHit[] = [];
    const publish = (scanning: number | null) => {
      if (!cancelled) setState({ hits: [...hits], scanning, pdf, query });
    };
    const run = async () => {
      let lastPush = performance.now();
      for (let n = 1; n <= pdf.numPages && !cancelled; n++) {
        let text = cache.get(n);
        if (text === undefined) {
          const content = await (await pdf.getPage(n)).getTextContent();
          text = foldItems(content.items.map((it) => ('str' in it ? it.str : ''))).text;
          cache.set(n, text);
        }
        findAll(text, query).forEach((_, index) => hits.push({ page: n, index }));
        if (performance.now() - lastPush > 150) {
          lastPush = performance.now();
          publish(n);
        }
      }
      publish(null);
    };
    // Typing: wait for a pause before reading the paper.
    const timer = setTimeout(() => void run(), 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [pdf, query, cache]);
  if (!active) return IDLE;
  return state.pdf === pdf && state.query === query ? state : STARTING;
}
