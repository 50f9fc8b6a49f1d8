// The minutes as the console's Minutes tab reads them: the hub's view (state, fields, the model
// the documents print), fetched again whenever the status the hub mirrors into live/<meetingId>
// (map `minutes`) names a newer revision — a chair approving on their tablet shows here at once —
// and the documents, downloaded with the session's token and handed to the browser as a file.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type * as Y from 'yjs';
import { liveMap } from '../../shared/live-doc.ts';
import { MINUTES_LIVE_KEY, minutesFileName, minutesStatusSchema, type MinutesFormat, type MinutesLang, type MinutesStatus, type MinutesView } from '../../shared/minutes.ts';
import { pathFor, ROUTES } from '../../shared/routes.ts';
import { ApiError, apiUrl, readAnswer, type Api } from '../api.ts';
import { useYMap } from '../sync/hooks.ts';

const readStatus = (d: Y.Doc): MinutesStatus | null => minutesStatusSchema.safeParse(liveMap(d, 'minutes').get(MINUTES_LIVE_KEY)).data ?? null;

/** The status the hub mirrored (null before the minutes were first touched). */
export const useMinutesStatus = (liveDoc: Y.Doc | null): MinutesStatus | null => useYMap(liveDoc, 'minutes', readStatus, null);

const key = (meetingId: string) => ['minutes', meetingId] as const;

export function useMinutes(api: Api, meetingId: string, rev: number) {
  const q = useQuery<MinutesView, ApiError>({
    queryKey: [...key(meetingId), rev],
    queryFn: () => api.call(ROUTES.minutes, { params: { id: meetingId } }),
    placeholderData: (prev) => prev,
  });
  const client = useQueryClient();
  /** A command's answer is the new view: shown at once, under the revision it carries. */
  const accept = useCallback((view: MinutesView) => client.setQueryData([...key(meetingId), view.rev], view), [client, meetingId]);
  const rebuild = useCallback(() => void client.invalidateQueries({ queryKey: key(meetingId) }), [client, meetingId]);
  return { ...q, accept, rebuild };
}

/** The file name the hub gave (`filename*` when present), else one made here. */
function fileNameOf(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* a malformed name: the plain one below */
    }
  }
  return /filename="([^"]+)"/i.exec(disposition ?? '')?.[1] ?? fallback;
}

/** Fetches one form of the minutes and saves it through the browser (`number`: the issued one, for a name the agent did not pass on). */
export async function downloadMinutes(api: Api, meetingId: string, format: MinutesFormat, lang: MinutesLang, number: string | null): Promise<void> {
  const url = apiUrl(`${pathFor(ROUTES.minutesDocument, { id: meetingId })}?format=${format}&lang=${lang}`);
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${api.token}` }, credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'unreachable', err instanceof Error ? err.message : String(err));
  }
  // A refusal reads like any other route's (ApiError with the hub's code and words).
  if (!res.ok) readAnswer(ROUTES.minutesDocument, res.status, await res.text());
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileNameOf(res.headers.get('content-disposition'), minutesFileName(lang, number, format));
  document.body.append(a);
  a.click();
  a.remove();
  // Freed once the browser has surely read it (a revoke right after the click can cut a large
  // file short in some browsers); until then it only holds this one file's memory.
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
