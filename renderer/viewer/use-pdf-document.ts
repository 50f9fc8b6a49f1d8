// Document loading for the viewer: the paper from pdf.ts's small cache of open documents, its
// download progress, and the size of its first page (every page is assumed that size until it
// is loaded, as pdf.js's own viewer does).
import { useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { acquirePdf } from './pdf.ts';
import type { PageSize } from './layout.ts';
import { errorInfo, type ErrorInfo } from '../i18n/error-text.ts';

export interface PdfDocumentState {
  pdf: PDFDocumentProxy | null;
  /** Page 1 at scale 1, in points; null until the paper is open. */
  firstPage: PageSize | null;
  /** Download progress in percent while loading (0 before anything arrived), else null. */
  progress: number | null;
  /** Why the paper could not be opened, by code (the viewer words it in the reader's language). */
  error: ErrorInfo | null;
}

const LOADING: PdfDocumentState = { pdf: null, firstPage: null, progress: 0, error: null };

/**
 * The error to show, by code: pdf.js's response errors carry only the status (a device's agent
 * answers 410 `offline_expired` for a classified paper past its offline lifetime:
 * docs/recall-and-expiry.md), a broken file is pdf.js's InvalidPDFException.
 */
const loadError = (err: unknown): ErrorInfo => errorInfo(err);

export function usePdfDocument(url: string, token: string): PdfDocumentState {
  const source = `${token}\u0000${url}`;
  // Tagged with the source it belongs to: a new paper reads as loading at once, with no reset.
  const [state, setState] = useState<PdfDocumentState & { source: string }>({ ...LOADING, source });
  useEffect(() => {
    let current = true;
    const update = (patch: Partial<PdfDocumentState>) => {
      if (current) setState((s) => ({ ...(s.source === source ? s : LOADING), ...patch, source }));
    };
    const { promise, release } = acquirePdf({
      url, token,
      onProgress: (loaded, total) => {
        if (total > 0) update({ progress: Math.min(100, Math.round((loaded / total) * 100)) });
      },
    });
    promise.then(async (pdf) => {
      const vp = (await pdf.getPage(1)).getViewport({ scale: 1 });
      update({ pdf, firstPage: { w: vp.width, h: vp.height }, progress: null });
    }).catch((err: unknown) => update({ error: loadError(err) }));
    return () => {
      current = false;
      release();
    };
  }, [url, token, source]);
  return state.source === source ? state : LOADING;
}
