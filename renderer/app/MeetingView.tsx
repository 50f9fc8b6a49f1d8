// A meeting: the live agenda, every paper the user may read, the viewer, and the live
// presenting state (Present for those who may, Follow for everyone).
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PaperInfo } from '../../shared/api.ts';
import type * as Y from 'yjs';
import { latestVersion, readAgenda, readDetails, readLive, readPapers, type AgendaItem, type PaperMeta, type Presenting } from '../../shared/meeting-doc.ts';
import { meetingDocName, notesDocName } from '../../shared/doc-names.ts';
import { canManageMeeting, canPresent as mayPresent } from '../../shared/roles.ts';
import { ApiError, type MeetingDetail } from '../api.ts';
import { useDocStatus, useSyncedDoc, useYMap } from '../sync/hooks.ts';
import { discardDoc } from '../sync/docs.ts';
import { useT } from '../i18n/index.tsx';
import { Viewer } from '../viewer/Viewer.tsx';
import { closeAllPdfs, warmUpPdf } from '../viewer/pdf.ts';
import { ConsolePanel } from '../console/index.tsx';
import { useCarryForward } from '../console/carry-forward.ts';
import { navigate, type Route } from './route.ts';
import { leaveNotice } from './notice.ts';
import { formatDate, useSession } from './App.tsx';

type MeetingRoute = Extract<Route, { name: 'meeting' }>;

interface PaperEntry {
  id: string;
  title: string;
  restricted: boolean;
  versions: PaperMeta['versions'];
}

/** Papers from the meeting document, plus restricted ones the API shows this user. */
function mergePapers(fromDoc: PaperMeta[], fromApi: PaperInfo[] | null): PaperEntry[] {
  const byId = new Map<string, PaperEntry>();
  for (const p of fromDoc) byId.set(p.id, { id: p.id, title: p.title, restricted: false, versions: p.versions });
  for (const p of fromApi ?? []) {
    if (!byId.has(p.id)) byId.set(p.id, { id: p.id, title: p.title, restricted: p.restricted, versions: p.versions });
  }
  return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title));
}

const NO_PAPERS: PaperMeta[] = [];
const NO_ITEMS: AgendaItem[] = [];
const NO_PRESENTING: { presenterId: string | null; presenting: Presenting | null } = { presenterId: null, presenting: null };
const readTitle = (d: Y.Doc) => readDetails(d).title;
const readPresenting = (d: Y.Doc) => {
  const l = readLive(d);
  return { presenterId: l.presenterId, presenting: l.presenting };
};
const readPapersRev = (d: Y.Doc): unknown => d.getMap('live').get('papersRev');
const readCurrentId = (d: Y.Doc) => readLive(d).currentItemId;

/** Agenda items, reusing the previous object of every item that did not change (memoised rows). */
function shareItems(prev: AgendaItem[], next: AgendaItem[]): AgendaItem[] {
  const byId = new Map(prev.map((i) => [i.id, i]));
  let same = prev.length === next.length;
  const out = next.map((n, k) => {
    const p = byId.get(n.id);
    const keep = p && sameItem(p, n) ? p : n;
    if (keep !== prev[k]) same = false;
    return keep;
  });
  return same ? prev : out;
}
const sameItem = (a: AgendaItem, b: AgendaItem) => a.title === b.title && a.presenter === b.presenter && a.durationMin === b.durationMin
  && a.status === b.status && a.order === b.order && a.paperIds.length === b.paperIds.length && a.paperIds.every((id, i) => id === b.paperIds[i]);

function useAgenda(doc: Y.Doc | null): AgendaItem[] {
  const last = useRef(NO_ITEMS);
  // shareItems keeps unchanged items (and an unchanged list) identical, so the equality check is `===`.
  return useYMap(doc, 'agenda', (d) => (last.current = shareItems(last.current, readAgenda(d))), NO_ITEMS, (a, b) => a === b);
}

function MeetingHead({ doc, fallbackTitle, error }: { doc: Y.Doc | null; fallbackTitle: string; error: string | null }) {
  const t = useT();
  const details = useYMap(doc, 'details', readDetails, { title: '', startsAt: null, room: null, status: 'draft' });
  const title = details.title || fallbackTitle;
  return (
    <header className="meeting-head">
      <h1>{title || t('meeting.loading')}</h1>
      <p className="muted small">{[details.startsAt ? formatDate(details.startsAt) : null, details.room].filter(Boolean).join(' · ')}</p>
      {error && <p className="error" role="alert">{error}</p>}
    </header>
  );
}

const AgendaRow = memo(function AgendaRow({ item, isCurrent }: { item: AgendaItem; isCurrent: boolean }) {
  const t = useT();
  return (
    <li className={`agenda-item status-${item.status}${isCurrent ? ' current' : ''}`} aria-current={isCurrent ? 'step' : undefined}>
      <span className="agenda-title">{item.title}</span>
      <span className="muted small">
        {[item.presenter, item.durationMin ? t('agenda.minutes', { n: item.durationMin }) : null].filter(Boolean).join(' · ')}
      </span>
      {isCurrent && <span className="badge">{t('agenda.current')}</span>}
      {item.status === 'done' && !isCurrent && <span className="badge muted">{t('agenda.done')}</span>}
    </li>
  );
});

const AgendaSection = memo(function AgendaSection({ doc, everSynced }: { doc: Y.Doc | null; everSynced: boolean }) {
  const t = useT();
  const agenda = useAgenda(doc);
  const currentItemId = useYMap(doc, 'live', readCurrentId, null);
  const current = agenda.find((i) => i.status === 'current' || i.id === currentItemId) ?? null;
  return (
    <section aria-labelledby="agenda-h">
      <h2 id="agenda-h">{t('agenda.title')}</h2>
      {agenda.length === 0 ? <p className="muted small">{everSynced ? t('agenda.empty') : t('meeting.loading')}</p> : (
        <ol className="agenda" aria-label={t('agenda.title')}>
          {agenda.map((item) => <AgendaRow key={item.id} item={item} isCurrent={current?.id === item.id} />)}
        </ol>
      )}
    </section>
  );
});

/** What the papers list needs of the agenda: group titles and attached papers, in order. */
const readGroups = (d: Y.Doc) => readAgenda(d).map((i) => ({ id: i.id, title: i.title, paperIds: i.paperIds }));

interface PapersSectionProps {
  doc: Y.Doc | null;
  papers: PaperEntry[];
  meetingId: string;
  openId: string | null;
  everSynced: boolean;
  onOpen: (paperId: string) => void;
}

const PapersSection = memo(function PapersSection({ doc, papers, meetingId, openId, everSynced, onOpen }: PapersSectionProps) {
  const t = useT();
  const agenda = useYMap(doc, 'agenda', readGroups, []);
  const grouped = useMemo(() => {
    const seen = new Set<string>();
    const groups: Array<{ item: { id: string; title: string } | null; papers: PaperEntry[] }> = [];
    for (const item of agenda) {
      const list = item.paperIds.map((id) => papers.find((p) => p.id === id)).filter((p): p is PaperEntry => !!p && !seen.has(p.id));
      list.forEach((p) => seen.add(p.id));
      if (list.length) groups.push({ item, papers: list });
    }
    const rest = papers.filter((p) => !seen.has(p.id));
    if (rest.length) groups.push({ item: null, papers: rest });
    return groups;
  }, [agenda, papers]);
  return (
    <section aria-labelledby="papers-h">
      <h2 id="papers-h">{t('papers.title')}</h2>
      {papers.length === 0 ? <p className="muted small">{everSynced ? t('papers.empty') : t('meeting.loading')}</p> : grouped.map((g) => (
        <div key={g.item?.id ?? 'other'} className="paper-group">
          <h3 className="small muted">{g.item ? g.item.title : t('papers.other')}</h3>
          <ul className="papers">
            {g.papers.map((p) => {
              const v = latestVersion(p);
              return (
                <li key={p.id}>
                  <a href={`#/m/${meetingId}/p/${p.id}?page=1`} aria-current={openId === p.id ? 'page' : undefined}
                    onClick={(e) => { e.preventDefault(); onOpen(p.id); }}>{p.title}</a>
                  <span className="muted small">{v ? ` ${v.pages === 1 ? t('papers.onePage') : t('papers.pages', { n: v.pages })}` : ''}{p.restricted ? ` · ${t('papers.restricted')}` : ''}</span>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
});

export function MeetingView({ route }: { route: MeetingRoute }) {
  const t = useT();
  const { api, user, token, signOut } = useSession();
  const { meetingId } = route;
  const meeting = useSyncedDoc(meetingDocName(meetingId), token);
  const notes = useSyncedDoc(notesDocName(meetingId, user.id), token);
  const { everSynced, status: meetingStatus } = useDocStatus(meeting);
  const { everSynced: notesSynced, status: notesStatus } = useDocStatus(notes);
  const doc = meeting?.doc ?? null;

  // Access gone (removed from the meeting, the meeting wiped from this device, the session
  // revoked): what the meeting showed leaves the screen and memory now, not at the next visit.
  const refused = meetingStatus === 'refused' ? meeting : notesStatus === 'refused' ? notes : null;
  const refusalCode = refused?.refusalCode ?? null;
  useEffect(() => {
    if (refusalCode === null) return;
    for (const d of [meeting, notes]) if (d) discardDoc(d);
    closeAllPdfs();
    if (refusalCode === 4401) {
      signOut();
      return;
    }
    leaveNotice(t('meeting.accessLost'));
    navigate({ name: 'meetings' }, true);
    // Runs once per refusal; the docs and callbacks it uses are those of that moment.
  }, [refusalCode]);

  // Each read subscribes to the one shared type it shows: an agenda edit (the common live update)
  // re-renders the agenda list and nothing up here; see AgendaSection and PapersSection.
  const detailsTitle = useYMap(doc, 'details', readTitle, '');
  const docPapers = useYMap(doc, 'papers', readPapers, NO_PAPERS);
  const live = useYMap(doc, 'live', readPresenting, NO_PRESENTING);
  const papersRev = useYMap(doc, 'live', readPapersRev, undefined);

  // Papers open faster when pdf.js's worker is already up by the time one is chosen.
  useEffect(() => warmUpPdf(), []);

  const [info, setInfo] = useState<MeetingDetail | null>(null);
  const [apiPapers, setApiPapers] = useState<PaperInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    api.meeting(meetingId).then((m) => alive && setInfo(m), (err: unknown) => {
      if (!alive) return;
      if (err instanceof ApiError && err.status === 401) signOut();
      else if (!(err instanceof ApiError && err.unreachable)) setError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      alive = false;
    };
  }, [api, meetingId, signOut]);
  useEffect(() => {
    let alive = true;
    api.papers(meetingId).then((p) => alive && setApiPapers(p), () => {});
    return () => {
      alive = false;
    };
  }, [api, meetingId, papersRev]);

  const papers = useMemo(() => mergePapers(docPapers, apiPapers), [docPapers, apiPapers]);
  // Replaced papers: this user's annotations on unchanged pages follow to the new version.
  useCarryForward(notes?.doc ?? null, papers, notesSynced);
  const caller = { userId: user.id, accountRole: user.role, meetingRole: info?.myRole ?? null };
  const canPresent = mayPresent(caller, live.presenterId);
  const canManage = canManageMeeting(user.role, info?.myRole ?? null);
  const nameOf = (userId: string) => info?.participants.find((p) => p.userId === userId)?.name ?? userId;

  // ---- the open paper ------------------------------------------------------------------------
  const open = route.paperId ? papers.find((p) => p.id === route.paperId) ?? null : null;
  const version = open ? (route.sha256 ? open.versions.find((v) => v.sha256 === route.sha256) : null) ?? latestVersion(open) : null;
  const latest = open ? latestVersion(open) : null;
  const pageRef = useRef(route.page);
  const openPaper = useCallback((paperId: string, page = 1, sha256: string | null = null, replace = false) => {
    pageRef.current = page;
    navigate({ name: 'meeting', meetingId, paperId, page, sha256 }, replace);
  }, [meetingId]);

  // ---- presenting and following --------------------------------------------------------------
  const presentingMe = live.presenting?.userId === user.id;
  const [following, setFollowing] = useState(false);
  const [navRequest, setNavRequest] = useState<{ page: number; seq: number } | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const presentTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const present = useCallback((page: number) => {
    if (!route.paperId || !version) return;
    api.present(meetingId, { paperId: route.paperId, sha256: version.sha256, page }).then(() => setLiveError(null), (err: unknown) => setLiveError(t('error.presentOffline', { msg: err instanceof Error ? err.message : String(err) })));
  }, [api, meetingId, route.paperId, version, t]);

  // The address keeps the page for a reload. Written once the reader settles: rewriting it on
  // every page of a quick run through the paper costs a navigation and a render of this whole
  // view per page, on the main thread that is painting the next page.
  const urlTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const openPaperRef = useRef(route.paperId);
  openPaperRef.current = route.paperId;
  useEffect(() => () => {
    if (urlTimer.current) clearTimeout(urlTimer.current);
    urlTimer.current = null;
  }, [meetingId, route.paperId, route.sha256]);
  const onPageChange = useCallback((page: number) => {
    if (page === pageRef.current) return;
    pageRef.current = page;
    if (route.paperId) {
      const paperId = route.paperId;
      if (urlTimer.current) clearTimeout(urlTimer.current);
      urlTimer.current = setTimeout(() => {
        urlTimer.current = null;
        // Another paper opened meanwhile: its address stands.
        if (openPaperRef.current !== paperId) return;
        navigate({ name: 'meeting', meetingId, paperId, page, sha256: route.sha256 }, true);
      }, 300);
    }
    if (presentingMe) {
      // Paging quickly through a paper sends one update per settle, not one per page.
      if (presentTimer.current) clearTimeout(presentTimer.current);
      presentTimer.current = setTimeout(() => present(page), 120);
    }
  }, [meetingId, route.paperId, route.sha256, presentingMe, present]);

  const togglePresent = () => {
    if (presentingMe) {
      api.stopPresenting(meetingId).then(() => setLiveError(null), (err: unknown) => setLiveError(t('error.presentOffline', { msg: err instanceof Error ? err.message : String(err) })));
    } else present(pageRef.current);
  };

  // Presenting a different paper than the one now open hands the room to the open one.
  useEffect(() => {
    if (presentingMe && route.paperId && live.presenting && live.presenting.paperId !== route.paperId) present(pageRef.current);
  }, [presentingMe, route.paperId, live.presenting, present]);

  const target = live.presenting && live.presenting.userId !== user.id ? live.presenting : null;
  const goToPresented = useCallback(() => {
    if (!target) return;
    if (target.paperId === route.paperId && (!route.sha256 || target.sha256 === version?.sha256)) {
      pageRef.current = target.page;
      setNavRequest((r) => ({ page: target.page, seq: (r?.seq ?? 0) + 1 }));
    } else {
      const p = papers.find((x) => x.id === target.paperId);
      const isLatest = p ? latestVersion(p)?.sha256 === target.sha256 : true;
      openPaper(target.paperId, target.page, isLatest ? null : target.sha256);
    }
     
  }, [target?.paperId, target?.page, target?.sha256, target?.at, route.paperId, route.sha256, version?.sha256, papers]);
  useEffect(() => {
    if (following && target) goToPresented();
  }, [following, target?.at, target?.page, target?.paperId]);  

  const title = detailsTitle || info?.title || '';
  if (refusalCode !== null) return <p className="placeholder muted" role="status">{t('meeting.accessLost')}</p>;
  return (
    <div className={`meeting${open ? ' with-paper' : ''}`}>
      <aside className="meeting-side" aria-label={title}>
        <MeetingHead doc={doc} fallbackTitle={info?.title ?? ''} error={error} />

        <div className="live-box">
          <button type="button" className="follow" aria-pressed={following} onClick={() => {
            const next = !following;
            setFollowing(next);
            if (next) goToPresented();
          }}>{t('live.follow')}</button>
          <p className="small" role="status">
            {live.presenting ? (presentingMe ? t('live.presenting', { n: live.presenting.page }) : t('live.someonePresents', {
              name: nameOf(live.presenting.userId),
              title: papers.find((p) => p.id === live.presenting!.paperId)?.title ?? '',
              n: live.presenting.page,
            })) : t('live.nobody')}
            {target && !following && <> <button type="button" className="link" onClick={goToPresented}>{t('live.jump')}</button></>}
          </p>
          {liveError && <p className="error small" role="alert">{liveError}</p>}
        </div>

        <AgendaSection doc={doc} everSynced={everSynced} />
        <PapersSection doc={doc} papers={papers} meetingId={meetingId} openId={route.paperId} everSynced={everSynced} onOpen={openPaper} />

        {canManage && doc && <ConsolePanel meetingId={meetingId} doc={doc} api={api} user={user} />}
      </aside>

      <div className="meeting-main">
        {open && version ? (
          <>
            {latest && latest.sha256 !== version.sha256 && (
              <p className="notice" role="status">
                {t('viewer.oldVersion', { v: version.version })}{' '}
                <button type="button" className="link" onClick={() => openPaper(open.id, 1)}>{t('viewer.openLatest')}</button>
              </p>
            )}
            <Viewer
              key={`${open.id}:${version.sha256}`}
              paperId={open.id}
              title={open.title}
              sha256={version.sha256}
              blobUrl={api.blobUrl(version.sha256)}
              token={token}
              notesDoc={notes?.doc ?? null}
              initialPage={route.page}
              navRequest={navRequest}
              onPageChange={onPageChange}
              canPresent={canPresent}
              presenting={presentingMe && live.presenting?.paperId === open.id}
              onTogglePresent={togglePresent}
              onClose={() => navigate({ name: 'meeting', meetingId, paperId: null, page: 1, sha256: null })}
            />
          </>
        ) : (
          <p className="placeholder muted">{route.paperId && papers.length ? t('viewer.error', { msg: '404' }) : t('papers.choose')}</p>
        )}
      </div>
    </div>
  );
}
