// Hash routes, so a reload (or the agent's index.html fallback) lands on the same screen:
//   #/                          the user's meetings
//   #/m/<meetingId>             a meeting
//   #/m/<meetingId>/p/<paperId>?page=N[&v=<sha256>]   a paper open at a page (and version)
//   #/room/<meetingId>          the room screen for the projector (renderer/procedures/RoomScreen.tsx)
//   #/search?q=TEXT             search across every paper (renderer/search/)
//   #/actions                   the user's action items across meetings (renderer/records/)
//   …/p/<paperId>?page=N&find=TEXT   a paper opened from a search hit: its in-paper search pre-filled
//   #/m/<meetingId>[/p/…]?…&notes=1  the same with "My notes" open over it (renderer/notes/)
import { useEffect, useState } from 'react';
import { isId, isSha256 } from '../shared/ids.ts';

export type Route =
  | { name: 'meetings' }
  | { name: 'meeting'; meetingId: string; paperId: string | null; page: number; sha256: string | null; find?: string; notes?: true }
  | { name: 'room'; meetingId: string }
  | { name: 'search'; q: string }
  | { name: 'actions' };

/** As long as a search query may be (shared/search.ts's searchQuerySchema). */
const MAX_QUERY = 500;

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'room' && isId(parts[1]) && parts.length === 2) return { name: 'room', meetingId: parts[1]! };
  if (parts[0] === 'actions' && parts.length === 1) return { name: 'actions' };
  if (parts[0] === 'search' && parts.length === 1) return { name: 'search', q: (new URLSearchParams(query).get('q') ?? '').slice(0, MAX_QUERY) };
  if (parts[0] === 'm' && isId(parts[1])) {
    const params = new URLSearchParams(query);
    const page = Number.parseInt(params.get('page') ?? '1', 10);
    const v = params.get('v');
    const paperId = parts[2] === 'p' && isId(parts[3]) ? parts[3]! : null;
    const find = params.get('find')?.trim().slice(0, MAX_QUERY);
    return {
      name: 'meeting',
      meetingId: parts[1]!,
      paperId,
      page: Number.isFinite(page) && page > 0 ? page : 1,
      sha256: isSha256(v) ? v : null,
      ...(paperId && find ? { find } : {}),
      ...(params.get('notes') === '1' ? { notes: true as const } : {}),
    };
  }
  return { name: 'meetings' };
}

export function formatRoute(r: Route): string {
  if (r.name === 'meetings') return '#/';
  if (r.name === 'room') return `#/room/${r.meetingId}`;
  if (r.name === 'actions') return '#/actions';
  if (r.name === 'search') return `#/search?${new URLSearchParams({ q: r.q })}`;
  let s = `#/m/${r.meetingId}`;
  if (r.paperId) {
    s += `/p/${r.paperId}?page=${r.page}`;
    if (r.sha256) s += `&v=${r.sha256}`;
    if (r.find) s += `&${new URLSearchParams({ find: r.find })}`;
  }
  if (r.notes) s += r.paperId ? '&notes=1' : '?notes=1';
  return s;
}

/** Pushes a history entry (opening things) or replaces it (paging within a paper). */
export function navigate(r: Route, replace = false): void {
  const hash = formatRoute(r);
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
  window.dispatchEvent(new Event('chamber:route'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    window.addEventListener('chamber:route', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
      window.removeEventListener('chamber:route', update);
    };
  }, []);
  return route;
}
