// Downloading a meeting package. The API takes a bearer token, never a cookie, so a plain link
// cannot fetch it: the page fetches it with the token and hands the bytes to the browser as a
// file (Chromium keeps a large Blob on disk, not in the page's memory). The file name is the
// hub's (Content-Disposition) or, where an agent relayed the answer without it, made the same way.
import { ROUTES } from '../../shared/routes.ts';
import { fileSlug } from '../../shared/archive.ts';
import { ApiError, prepareRequest, readAnswer, type Api } from '../api.ts';

function nameFrom(disposition: string | null): string | null {
  const m = disposition ? /filename="([A-Za-z0-9._-]+)"/.exec(disposition) : null;
  return m ? m[1]! : null;
}

/** Fetches the package and saves it; resolves with the file's name. */
export async function downloadPackage(api: Api, meetingId: string, title: string, draft: boolean): Promise<string> {
  const req = prepareRequest(ROUTES.exportMeeting, { params: { id: meetingId }, query: draft ? { draft: '1' } : {} });
  let res: Response;
  try {
    res = await fetch(req.url, { headers: { Authorization: `Bearer ${api.token}` }, credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'unreachable', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) readAnswer(ROUTES.exportMeeting, res.status, await res.text());
  const blob = await res.blob();
  const name = nameFrom(res.headers.get('content-disposition')) ?? `${fileSlug(title)}-${meetingId}${draft ? '-draft' : ''}.zip`;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click is handled; the URL is let go a little later.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
