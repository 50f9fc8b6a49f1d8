// The secretary's console (issue 5), mounted by the meeting view for those who may manage the
// meeting. Sections behind tabs — items, papers, live, the chair's attendance, speakers and votes
// (issue 14, renderer/procedures/chair/), meeting — over the same Y.Doc the
// delegate view shows, so every edit is seen here exactly as the room sees it. The papers and
// the meeting's detail come from the meeting view's queries (one fetch for the whole screen).
// A closed meeting shows only the tabs of what may still change, and the Meeting tab with the
// package export (docs/archive.md). On a wide screen with no paper open it is the secretary's desk
// (issue 16): the same sections as columns and tabs filling the meeting's main area.
import { useCallback, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type * as Y from 'yjs';
import type { User } from '../../shared/api.ts';
import type { Api, MeetingDetail, MeetingPaper } from '../api.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { takeRequestedTab } from './CreateMeeting.tsx';
import { AgendaEditor } from './AgendaEditor.tsx';
import { LivePanel } from './LivePanel.tsx';
import { MeetingPanel } from './MeetingPanel.tsx';
import { PapersPanel } from './PapersPanel.tsx';
import { AttendanceControls } from '../procedures/chair/AttendanceControls.tsx';
import { SpeakerControls } from '../procedures/chair/SpeakerControls.tsx';
import { VoteControls } from '../procedures/chair/VoteControls.tsx';
import { RecordPanel } from '../records/chair/RecordPanel.tsx';
import { MinutesPanel } from '../minutes/MinutesPanel.tsx';
import { Icon, type IconName } from '../ui/icons.tsx';
import { LiveSummary } from './LiveSummary.tsx';
import './console.css';

export interface ConsolePanelProps {
  meetingId: string;
  /** The shared replica of meeting/<meetingId> (the same Y.Doc the delegate view shows). */
  doc: Y.Doc;
  api: Api;
  user: User;
  /** The meeting's detail and its papers as the meeting view fetched them (null: not yet). */
  meeting: MeetingDetail | null;
  papers: MeetingPaper[] | null;
  /**
   * `side`: tabs in the meeting's side column (tablets, narrow windows, or while a paper is open);
   * `desk`: the main area as the secretary's workspace (wide screens, no paper open).
   */
  layout?: 'side' | 'desk';
}

const TABS = ['items', 'papers', 'live', 'attendance', 'speakers', 'votes', 'record', 'minutes', 'meeting'] as const;
type Tab = (typeof TABS)[number];
/** On the desk, items, papers and live are columns always in view; the rest stay tabs. */
const DESK_TABS: readonly Tab[] = ['attendance', 'speakers', 'votes', 'record', 'minutes', 'meeting'];
/** A closed meeting is archived (docs/archive.md): only what may still change, and the export. */
const CLOSED_TABS: readonly Tab[] = ['record', 'minutes', 'meeting'];

export function ConsolePanel({ meetingId, doc, api, user, meeting, papers, layout = 'side' }: ConsolePanelProps) {
  const t = useT();
  const [tab, setTab] = useState<Tab>(() => takeRequestedTab(meetingId) ?? (layout === 'desk' ? 'attendance' : 'items'));
  const [message, setMessage] = useState('');
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const announce = useCallback((m: string) => setMessage(m), []);
  const closed = meeting?.status === 'closed';
  const desk = layout === 'desk';
  const tabs = closed ? CLOSED_TABS : desk ? DESK_TABS : TABS;
  const shown: Tab = tabs.includes(tab) ? tab : closed ? 'meeting' : tabs[0]!;

  const onTabKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i + tabs.length - 1) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const to = tabs[next]!;
    setTab(to);
    tabRefs.current.get(to)?.focus();
  };

  const section = (k: Tab) => {
    switch (k) {
      case 'items': return <AgendaEditor api={api} doc={doc} papers={papers ?? []} announce={announce} />;
      case 'papers': return <PapersPanel api={api} meetingId={meetingId} papers={papers} meeting={meeting} announce={announce} doc={doc} />;
      case 'live': return <LivePanel api={api} meetingId={meetingId} doc={doc} meeting={meeting} papers={papers} announce={announce} />;
      case 'attendance': return <AttendanceControls api={api} meetingId={meetingId} announce={announce} />;
      case 'speakers': return <SpeakerControls api={api} meetingId={meetingId} meetingDoc={doc} announce={announce} />;
      case 'votes': return <VoteControls api={api} meetingId={meetingId} meetingDoc={doc} announce={announce} />;
      case 'record': return <RecordPanel api={api} meetingId={meetingId} meetingDoc={doc} meeting={meeting} announce={announce} />;
      case 'minutes': return <MinutesPanel api={api} meetingId={meetingId} role={user.role === 'admin' ? 'admin' : meeting?.myRole ?? null} announce={announce} />;
      case 'meeting': return <MeetingPanel api={api} meetingId={meetingId} me={user} meeting={meeting} announce={announce} />;
    }
  };

  const tabbed = (
    <>
      <div role="tablist" aria-label={t('console.tabs')} className="ce-tabs">
        {tabs.map((k, i) => (
          <button key={k} type="button" role="tab" id={`ce-tab-${k}`} aria-controls={`ce-panel-${k}`} aria-selected={shown === k} tabIndex={shown === k ? 0 : -1}
            ref={(el) => { if (el) tabRefs.current.set(k, el); }} onClick={() => setTab(k)} onKeyDown={(e) => onTabKey(e, i)}>
            {t(`console.tab.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`ce-panel-${shown}`} aria-labelledby={`ce-tab-${shown}`} className="ce-panel">{section(shown)}</div>
    </>
  );
  const status = <p className="visually-hidden" role="status" aria-live="polite">{message}</p>;

  if (!desk) {
    return (
      <section className="console" aria-labelledby="console-h">
        <h2 id="console-h">{t('console.title')}</h2>
        {tabbed}
        {status}
      </section>
    );
  }
  // The desk: the agenda editor and the papers side by side (stacked on a narrower main area),
  // the live meeting as a column with the remaining sections as its tabs; each column scrolls
  // on its own, so the live column stays in view while a long agenda is edited.
  const card = (k: 'items' | 'papers' | 'live', icon: IconName, heading: MessageKey, body: ReactNode) => (
    <section className={`desk-card desk-${k}`} id={`desk-${k}`} aria-labelledby={`desk-${k}-h`}>
      <h3 id={`desk-${k}-h`} className="desk-card-h"><Icon name={icon} />{t(heading)}</h3>
      {body}
    </section>
  );
  return (
    <section className={`console desk${closed ? ' closed' : ''}`} aria-labelledby="console-h">
      <h2 id="console-h" className="desk-title">{t('desk.title')}</h2>
      <div className="desk-grid">
        {!closed && (
          <div className="desk-work">
            {card('items', 'agenda', 'desk.items', section('items'))}
            {card('papers', 'paper', 'desk.papers', section('papers'))}
          </div>
        )}
        <div className="desk-side">
          {!closed && card('live', 'present', 'desk.live', (
            <>
              <LiveSummary api={api} meetingId={meetingId} meetingDoc={doc} />
              {section('live')}
            </>
          ))}
          <section className="desk-card desk-more" aria-label={t('desk.more')}>{tabbed}</section>
        </div>
      </div>
      {status}
    </section>
  );
}

/** Above the open paper on the desk: the way back to the workspace the paper replaced. */
export function BackToDesk({ onBack }: { onBack: () => void }) {
  const t = useT();
  return (
    <div className="desk-back-bar">
      <button type="button" className="desk-back" onClick={onBack}><Icon name="back" />{t('desk.back')}</button>
    </div>
  );
}
