// The secretary's console (issue 5), mounted by the meeting view for those who may manage the
// meeting. Sections behind tabs — items, papers, live, the chair's attendance, speakers and votes
// (issue 14, renderer/procedures/chair/), meeting — over the same Y.Doc the
// delegate view shows, so every edit is seen here exactly as the room sees it. The papers and
// the meeting's detail come from the meeting view's queries (one fetch for the whole screen).
// A closed meeting shows only the tabs of what may still change, and the Meeting tab with the
// package export (docs/archive.md).
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
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
}

const TABS = ['items', 'papers', 'live', 'attendance', 'speakers', 'votes', 'record', 'minutes', 'meeting'] as const;
type Tab = (typeof TABS)[number];
/** A closed meeting is archived (docs/archive.md): only what may still change, and the export. */
const CLOSED_TABS: readonly Tab[] = ['record', 'minutes', 'meeting'];

export function ConsolePanel({ meetingId, doc, api, user, meeting, papers }: ConsolePanelProps) {
  const t = useT();
  const [tab, setTab] = useState<Tab>(() => takeRequestedTab(meetingId) ?? 'items');
  const [message, setMessage] = useState('');
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const announce = useCallback((m: string) => setMessage(m), []);
  const tabs = meeting?.status === 'closed' ? CLOSED_TABS : TABS;
  const shown: Tab = tabs.includes(tab) ? tab : 'meeting';

  const onTabKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i + tabs.length - 1) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const to = tabs[next]!;
    setTab(to);
    tabRefs.current.get(to)?.focus();
  };

  return (
    <section className="console" aria-labelledby="console-h">
      <h2 id="console-h">{t('console.title')}</h2>
      <div role="tablist" aria-label={t('console.tabs')} className="ce-tabs">
        {tabs.map((k, i) => (
          <button key={k} type="button" role="tab" id={`ce-tab-${k}`} aria-controls={`ce-panel-${k}`} aria-selected={shown === k} tabIndex={shown === k ? 0 : -1}
            ref={(el) => { if (el) tabRefs.current.set(k, el); }} onClick={() => setTab(k)} onKeyDown={(e) => onTabKey(e, i)}>
            {t(`console.tab.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`ce-panel-${shown}`} aria-labelledby={`ce-tab-${shown}`} className="ce-panel">
        {shown === 'items' && <AgendaEditor doc={doc} papers={papers ?? []} announce={announce} />}
        {shown === 'papers' && <PapersPanel api={api} meetingId={meetingId} papers={papers} meeting={meeting} announce={announce} />}
        {shown === 'live' && <LivePanel api={api} meetingId={meetingId} doc={doc} meeting={meeting} papers={papers} announce={announce} />}
        {shown === 'attendance' && <AttendanceControls api={api} meetingId={meetingId} announce={announce} />}
        {shown === 'speakers' && <SpeakerControls api={api} meetingId={meetingId} meetingDoc={doc} announce={announce} />}
        {shown === 'votes' && <VoteControls api={api} meetingId={meetingId} meetingDoc={doc} announce={announce} />}
        {shown === 'record' && <RecordPanel api={api} meetingId={meetingId} meetingDoc={doc} meeting={meeting} announce={announce} />}
        {shown === 'minutes' && <MinutesPanel api={api} meetingId={meetingId} role={user.role === 'admin' ? 'admin' : meeting?.myRole ?? null} announce={announce} />}
        {shown === 'meeting' && <MeetingPanel api={api} meetingId={meetingId} me={user} meeting={meeting} announce={announce} />}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">{message}</p>
    </section>
  );
}
