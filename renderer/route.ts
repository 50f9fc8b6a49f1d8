// Hash routes, so a reload (or the agent's index.html fallback) lands on the same screen:
//   #/                          the user's meetings
//   #/m/<meetingId>             a meeting
//   #/m/<meetingId>/p/<paperId>?page=N[&v=<sha256>]   a paper open at a page (and version)
//   #/room/<meetingId>          the room screen for the projector (renderer/procedures/RoomScreen.tsx)
import { useEffect, useState } from 'react';
import { isId, isSha256 } from '../shared/ids.ts';

export type Route =
  | { name: 'meetings' }
  | { name: 'meeting'; meetingId: string; paperId: string | null; page: number; sha256: string | null }
  | { name: 'room'; meetingId: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'room' && isId(parts[1]) && parts.length === 2) return { name: 'room', meetingId: parts[1]! };
  if (parts[0] === 'm' && isId(parts[1])) {
    const params = new URLSearchParams(query);
    const page = Number.parseInt(params.get('page') ?? '1', 10);
    const v = params.get('v');
    return {
      name: 'meeting',
      meetingId: parts[1]!,
      paperId: parts[2] === 'p' && isId(parts[3]) ? parts[3]! : null,
      page: Number.isFinite(page) && page > 0 ? page : 1,
      sha256: isSha256(v) ? v : null,
    };
  }
  return { name: 'meetings' };
}

export function formatRoute(r: Route): string {
  if (r.name === 'meetings') return '#/';
  if (r.name === 'room') return `#/room/${r.meetingId}`;
  let s = `#/m/${r.meetingId}`;
  if (r.paperId) {
    s += `/p/${r.paperId}?page=${r.page}`;
    if (r.sha256) s += `&v=${r.sha256}`;
  }
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
