// Downloads a paper with the reader's own annotations (GET /api/papers/:id/export-with-notes,
// shared/notes-export.ts): the hub writes them as real PDF annotations and holds the paper to its
// classification level; this only fetches the file and hands it to the browser as a download.
import { notesExportFileName } from '../../shared/notes-export.ts';
import { ROUTES } from '../../shared/routes.ts';
import { ApiError, prepareRequest, readAnswer } from '../api.ts';

/** The file name the hub gave (its RFC 5987 `filename*`), else the same rule applied here. */
export function downloadName(disposition: string | null, title: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '')?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      /* a malformed escape: fall back to our own name */
    }
  }
  return notesExportFileName(title);
}

/** Fetches the export and saves it; resolves with the file's name. Refusals are ApiError with the hub's code. */
export async function exportWithNotes(paperId: string, sha256: string, title: string, token: string): Promise<string> {
  const req = prepareRequest(ROUTES.exportPaperWithNotes, { params: { id: paperId }, query: { v: sha256 } });
  let res: Response;
  try {
    res = await fetch(req.url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store', credentials: 'omit' });
  } catch (err) {
    throw new ApiError(0, 'unreachable', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) readAnswer(ROUTES.exportPaperWithNotes, res.status, await res.text());
  const name = downloadName(res.headers.get('content-disposition'), title);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has its own copy once started; the URL is freed after a generous delay.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}
