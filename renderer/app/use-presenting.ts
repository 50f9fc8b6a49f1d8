// Presenting and following in a meeting, and the open paper's address. The presenter's settled
// page goes to the hub (120 ms after the last turn); a follower is taken to the presented
// paper, version and page and kept there; the address (`…?page=N`, for a reload) is written
// 300 ms after the reader settles — rewriting it on every page of a quick run through the paper
// costs a navigation and a render of the whole meeting view per page, on the main thread that
// is painting the next page.
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { latestVersion, type Presenting } from '../../shared/meeting-doc.ts';
import type { Api, MeetingPaper } from '../api.ts';
import { useT } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { navigate, type Route } from '../route.ts';

type MeetingRoute = Extract<Route, { name: 'meeting' }>;

export interface PresentingOptions {
  api: Api;
  route: MeetingRoute;
  userId: string;
  papers: MeetingPaper[] | null;
  presenting: Presenting | null;
  /** The version of the open paper being read (null: none open). */
  versionSha: string | null;
}

export function usePresenting({ api, route, userId, papers, presenting, versionSha }: PresentingOptions) {
  const t = useT();
  const { meetingId, paperId, sha256 } = route;
  const presentingMe = presenting?.userId === userId;
  const [following, setFollowing] = useState(false);
  // A "Go there" on the paper already open: the viewer goes to the page for each new seq.
  const [jump, setJump] = useState<{ page: number; seq: string; n: number } | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  // The page the reader is on, as the viewer last reported it (not state: a turn renders nothing here).
  const pageRef = useRef(route.page);

  const openPaper = useCallback((id: string, page = 1, sha: string | null = null, replace = false) => {
    pageRef.current = page;
    navigate({ name: 'meeting', meetingId, paperId: id, page, sha256: sha }, replace);
  }, [meetingId]);

  const present = useCallback((page: number) => {
    if (!paperId || !versionSha) return;
    api.present(meetingId, { paperId, sha256: versionSha, page }).then(() => setLiveError(null), (err: unknown) => setLiveError(t('error.presentOffline', { msg: errorText(t, err) })));
  }, [api, meetingId, paperId, versionSha, t]);

  const urlTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const presentTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (urlTimer.current) clearTimeout(urlTimer.current);
    urlTimer.current = null;
  }, [meetingId, paperId, sha256]);
  const onPageChange = useCallback((page: number) => {
    if (page === pageRef.current) return;
    pageRef.current = page;
    if (paperId) {
      if (urlTimer.current) clearTimeout(urlTimer.current);
      // Cleared when another paper opens (the effect above): its address stands.
      urlTimer.current = setTimeout(() => {
        urlTimer.current = null;
        navigate({ name: 'meeting', meetingId, paperId, page, sha256 }, true);
      }, 300);
    }
    if (presentingMe) {
      // Paging quickly through a paper sends one update per settle, not one per page.
      if (presentTimer.current) clearTimeout(presentTimer.current);
      presentTimer.current = setTimeout(() => present(page), 120);
    }
  }, [meetingId, paperId, sha256, presentingMe, present]);

  const togglePresent = () => {
    if (presentingMe) {
      api.stopPresenting(meetingId).then(() => setLiveError(null), (err: unknown) => setLiveError(t('error.presentOffline', { msg: errorText(t, err) })));
    } else present(pageRef.current);
  };

  // Presenting a different paper than the one now open hands the room to the open one.
  const presentedPaper = presenting?.paperId;
  const presentOpen = useEffectEvent(() => present(pageRef.current));
  useEffect(() => {
    if (presentingMe && paperId && presentedPaper && presentedPaper !== paperId) presentOpen();
  }, [presentingMe, paperId, presentedPaper]);

  // Someone else's presentation: where "Go there" and following lead.
  const target = presenting && presenting.userId !== userId ? presenting : null;
  const onTargetPaper = !!target && target.paperId === paperId && (!sha256 || target.sha256 === versionSha);
  /** Another paper (or version) than the one open: it opens at the presented page. */
  const openTarget = (to: Presenting) => {
    const p = papers?.find((x) => x.id === to.paperId);
    const isLatest = p ? latestVersion(p)?.sha256 === to.sha256 : true;
    openPaper(to.paperId, to.page, isLatest ? null : to.sha256);
  };
  const goToPresented = () => {
    if (!target) return;
    if (!onTargetPaper) return openTarget(target);
    pageRef.current = target.page;
    setJump((j) => ({ page: target.page, seq: `jump-${(j?.n ?? 0) + 1}`, n: (j?.n ?? 0) + 1 }));
  };
  // Following another paper: open it whenever the presenter moves to it. On the same paper the
  // viewer is sent to each presented page (navRequest below), with no state kept here.
  const followElsewhere = useEffectEvent(() => {
    if (target && !onTargetPaper) openTarget(target);
  });
  useEffect(() => {
    if (following) followElsewhere();
  }, [following, target?.at, target?.page, target?.paperId, target?.sha256]);

  // Turning it on goes there at once: the navRequest on this paper, the effect above for another.
  const toggleFollow = () => setFollowing((f) => !f);
  const navRequest = following && target && onTargetPaper ? { page: target.page, seq: `follow-${target.at}-${target.page}` } : jump;

  return { presentingMe, following, toggleFollow, target, goToPresented, navRequest, liveError, openPaper, onPageChange, togglePresent };
}
