// A meeting: the procedures panel (quorum, check-in, the open vote, the list of speakers: issue
// 14, renderer/procedures/), the live agenda, every paper the user may read, the viewer,
// presenting and following, and the console for those who may manage the meeting. The papers and the meeting's detail are
// fetched once here (data/queries.ts) and handed to everything on the screen that shows them.
import { useCallback, useEffect, useEffectEvent, useMemo } from 'react';
import type * as Y from 'yjs';
import { useQueryClient } from '@tanstack/react-query';
import { latestVersion, readDetails, readLive, readPapers } from '../../shared/meeting-doc.ts';
import { meetingDocName, notesDocName } from '../../shared/doc-names.ts';
import { canManageMeeting, canPresent as mayPresent } from '../../shared/roles.ts';
import type { MeetingPaper } from '../api.ts';
import { useDocStatus, useSyncedDoc, useYMap } from '../sync/hooks.ts';
import { discardDoc } from '../sync/docs.ts';
import { forgetMeeting, useMeetingDetail, useMeetingPapers } from '../data/queries.ts';
import { useT } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { Viewer } from '../viewer/Viewer.tsx';
import { ReplacedNotice } from '../viewer/ReplacedNotice.tsx';
import { paperLevel } from '../viewer/classification.tsx';
import { closeAllPdfs, warmUpPdf } from '../viewer/pdf.ts';
import { BackToDesk, ConsolePanel } from '../console/index.tsx';
import { useDeskLayout } from '../console/desk-layout.ts';
import { ProceduresPanel } from '../procedures/ProceduresPanel.tsx';
import { RecordScope } from '../records/use-record.tsx';
import { useCarryAnnotationsToNewVersions } from '../annotations/carry-to-new-versions.ts';
import { useMeetingLiveReport } from '../desktop/shell-bridge.ts';
import { navigate, type Route } from '../route.ts';
import { leaveNotice } from './notice.ts';
import { AgendaSection, MeetingHead, PapersSection } from './meeting-sections.tsx';
import { useSession } from './session-context.ts';
import { usePresenting } from './use-presenting.ts';
import { useMeetingPanel } from './meeting-panel.tsx';
import { markOpened } from './opened-papers.ts';
import { MyNotesButton } from '../notes/MyNotes.tsx';

type MeetingRoute = Extract<Route, { name: 'meeting' }>;

const NO_PRESENTING = { presenterId: null, presenting: null };
const readTitle = (d: Y.Doc) => readDetails(d).title;
const readClosed = (d: Y.Doc) => readDetails(d).status === 'closed';
const readPresenting = (d: Y.Doc) => {
  const l = readLive(d);
  return { presenterId: l.presenterId, presenting: l.presenting };
};
const readPapersRev = (d: Y.Doc): unknown => d.getMap('live').get('papersRev');
const readDetailsRev = (d: Y.Doc) => JSON.stringify(d.getMap('details').toJSON());
/** The papers as the meeting doc lists them (those open to everyone): id, title, latest file. */
const papersDigest = (list: ReadonlyArray<{ id: string; title: string; versions: Array<{ sha256: string; version: number }> }>): string =>
  list.map((p) => `${p.id}\u0000${p.title}\u0000${p.versions.reduce((m, v) => (v.version > m.version ? v : m), { version: -1, sha256: '' }).sha256}`).sort().join('\u0001');
const readDocPapers = (d: Y.Doc) => papersDigest(readPapers(d));
const byTitle = (a: MeetingPaper, b: MeetingPaper) => a.title.localeCompare(b.title);

export function MeetingView({ route }: { route: MeetingRoute }) {
  const t = useT();
  const { api, user, token, signOut, agent } = useSession();
  const queries = useQueryClient();
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
  const leave = useEffectEvent((code: number) => {
    for (const d of [meeting, notes]) if (d) discardDoc(d);
    closeAllPdfs();
    forgetMeeting(queries, meetingId);
    if (code === 4401) return signOut();
    leaveNotice(t('meeting.accessLost'));
    navigate({ name: 'meetings' }, true);
  });
  useEffect(() => {
    if (refusalCode !== null) leave(refusalCode);
  }, [refusalCode]);

  // Each read subscribes to the one shared type it shows: an agenda edit (the common live update)
  // re-renders the agenda list and nothing up here; see meeting-sections.tsx.
  const detailsTitle = useYMap(doc, 'details', readTitle, '');
  // Closed: archived, read-only for everyone (docs/archive.md); nothing left to check in to or vote on.
  const closed = useYMap(doc, 'details', readClosed, false);
  const detailsRev = useYMap(doc, 'details', readDetailsRev, '');
  const docPapers = useYMap(doc, 'papers', readDocPapers, '');
  const live = useYMap(doc, 'live', readPresenting, NO_PRESENTING);
  const papersRev = useYMap(doc, 'live', readPapersRev, undefined);
  // The desktop shell keeps the display awake while this meeting is live.
  useMeetingLiveReport(refusalCode === null ? doc : null);

  // Papers open faster when pdf.js's worker is already up by the time one is chosen.
  useEffect(() => warmUpPdf(), []);

  // Both wait for the doc's first sync: their keys carry what it says (no fetch for a key that
  // is about to change). The papers list is asked again while it lags behind the doc.
  const detail = useMeetingDetail(api, meetingId, detailsRev, everSynced);
  const papersQuery = useMeetingPapers(api, meetingId, papersRev, {
    enabled: everSynced,
    behind: (list) => papersDigest(list.filter((p) => !p.restricted)) !== docPapers,
  });
  const papers = useMemo(() => (papersQuery.data ? [...papersQuery.data].sort(byTitle) : null), [papersQuery.data]);
  const info = detail.data ?? null;
  const error = detail.error && detail.error.status !== 401 && !detail.error.unreachable ? errorText(t, detail.error) : null;

  // Replaced papers: this user's annotations on unchanged pages follow to the new version.
  useCarryAnnotationsToNewVersions(notes?.doc ?? null, papers ?? [], notesSynced);
  const caller = { userId: user.id, accountRole: user.role, meetingRole: info?.myRole ?? null };
  const canPresent = mayPresent(caller, live.presenterId);
  const canManage = canManageMeeting(user.role, info?.myRole ?? null);
  // Wide screens: with no paper open, the console fills the main area as the secretary's desk.
  const wide = useDeskLayout();
  const desk = wide && canManage && !!doc;
  const deskShown = desk && !route.paperId;
  const nameOf = (userId: string) => info?.participants.find((p) => p.userId === userId)?.name ?? userId;

  // ---- the open paper ------------------------------------------------------------------------
  const open = route.paperId ? papers?.find((p) => p.id === route.paperId) ?? null : null;
  const version = open ? (route.sha256 ? open.versions.find((v) => v.sha256 === route.sha256) : null) ?? latestVersion(open) : null;
  const latest = open ? latestVersion(open) : null;
  const p = usePresenting({ api, route, userId: user.id, papers, presenting: live.presenting, versionSha: version?.sha256 ?? null });
  const { openPaper } = p;
  const title = detailsTitle || info?.title || '';
  // Beside the paper, hideable; or, on a narrow screen, a drawer over it (meeting-panel.tsx).
  const panel = useMeetingPanel(!!open, title);
  const { closeDrawer } = panel;
  // The papers' "New" / "Updated" badges count a version as read once it is on screen.
  const shownId = open && version ? open.id : null;
  const shownVersion = version?.version ?? 0;
  useEffect(() => {
    if (shownId) markOpened(user.id, shownId, shownVersion);
  }, [user.id, shownId, shownVersion]);
  const onOpen = useCallback((paperId: string) => {
    closeDrawer();
    openPaper(paperId);
  }, [openPaper, closeDrawer]);

  if (refusalCode !== null) return <p className="placeholder muted" role="status">{t('meeting.accessLost')}</p>;
  return (
    <div className={`meeting${open ? ' with-paper' : ''}${panel.className}`}>
      {panel.outside}
      <aside className="meeting-side" {...panel.asideProps}>
        {panel.closeButton}
        <MeetingHead doc={doc} fallbackTitle={info?.title ?? ''} error={error} />

        {!closed && <ProceduresPanel meetingId={meetingId} meetingDoc={doc} api={api} userId={user.id} hubOffline={agent?.hub === 'offline'} />}

        <div className="live-box">
          <button type="button" className="follow" aria-pressed={p.following} onClick={p.toggleFollow}>{t('live.follow')}</button>
          <p className="small" role="status">
            {live.presenting ? (p.presentingMe ? t('live.presenting', { n: live.presenting.page }) : t('live.someonePresents', {
              name: nameOf(live.presenting.userId),
              title: papers?.find((x) => x.id === live.presenting!.paperId)?.title ?? '',
              n: live.presenting.page,
            })) : t('live.nobody')}
            {p.target && !p.following && <> <button type="button" className="link" onClick={() => { closeDrawer(); p.goToPresented(); }}>{t('live.jump')}</button></>}
          </p>
          {p.liveError && <p className="error small" role="alert">{p.liveError}</p>}
        </div>
        <MyNotesButton meetingId={meetingId} notesDoc={notes?.doc ?? null} papers={papers} token={token} onNavigate={closeDrawer} />

        {/* Each agenda item shows its conclusion, decisions and action items (renderer/records/). */}
        <RecordScope meetingId={meetingId} api={api} userId={user.id}><AgendaSection doc={doc} everSynced={everSynced} papers={papers} /></RecordScope>
        <PapersSection doc={doc} papers={papers} meetingId={meetingId} openId={route.paperId} onOpen={onOpen} />

        {canManage && doc && !deskShown && <ConsolePanel meetingId={meetingId} doc={doc} api={api} user={user} meeting={info} papers={papers} />}
      </aside>

      <div className="meeting-main">
        <ReplacedNotice meetingId={meetingId} userId={user.id} papers={papers} notes={notes?.doc ?? null} openId={route.paperId} openSha={version?.sha256 ?? null} />
        {open && version ? (
          <>
            {desk && <BackToDesk onBack={() => navigate({ name: 'meeting', meetingId, paperId: null, page: 1, sha256: null })} />}
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
              initialSearch={route.find}
              level={paperLevel(open)}
              reader={{ name: user.name, login: user.login, deviceId: agent?.deviceId ?? null }}
              navRequest={p.navRequest}
              onPageChange={p.onPageChange}
              canPresent={canPresent}
              presenting={p.presentingMe && live.presenting?.paperId === open.id}
              onTogglePresent={p.togglePresent}
              onClose={() => navigate({ name: 'meeting', meetingId, paperId: null, page: 1, sha256: null })}
            />
          </>
        ) : deskShown && doc ? (
          <ConsolePanel layout="desk" meetingId={meetingId} doc={doc} api={api} user={user} meeting={info} papers={papers} />
        ) : (
          <p className="placeholder muted">{route.paperId && papers?.length ? t('viewer.error', { msg: t('err.not_found') }) : t('papers.choose')}</p>
        )}
      </div>
    </div>
  );
}
