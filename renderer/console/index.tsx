// The secretary's console (issue 5), mounted by the meeting view for those who may manage the
// meeting. Sections behind tabs — items, papers, live, the chair's attendance, speakers and votes
// (issue 14, renderer/procedures/chair/), meeting — over the same Y.Doc the
// delegate view shows, so every edit is seen here exactly as the room sees it. The papers and
// the meeting's detail come from the meeting view's queries (one fetch for the whole screen).
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

const TABS = ['items', 'papers', 'live', 'attendance', 'speakers', 'votes', 'meeting'] as const;
type Tab = (typeof TABS)[number];

export function ConsolePanel({ meetingId, doc, api, user, meeting, papers }: ConsolePanelProps) {
  const t = useT();
  const [tab, setTab] = useState<Tab>(() => takeRequestedTab(meetingId) ?? 'items');
  const [message, setMessage] = useState('');
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  const announce = useCallback((m: string) => setMessage(m), []);

  const onTabKey = (e: KeyboardEvent, i: number) => {
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const to = TABS[next]!;
    setTab(to);
    tabRefs.current.get(to)?.focus();
  };

  return (
    <section className="console" aria-labelledby="console-h">
      <h2 id="console-h">{t('console.title')}</h2>
      <div role="tablist" aria-label={t('console.tabs')} className="ce-tabs">
        {TABS.map((k, i) => (
          <button key={k} type="button" role="tab" id={`ce-tab-${k}`} aria-controls={`ce-panel-${k}`} aria-selected={tab === k} tabIndex={tab === k ? 0 : -1}
            ref={(el) => { if (el) tabRefs.current.set(k, el); }} onClick={() => setTab(k)} onKeyDown={(e) => onTabKey(e, i)}>
            {t(`console.tab.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`ce-panel-${tab}`} aria-labelledby={`ce-tab-${tab}`} className="ce-panel">
        {tab === 'items' && <AgendaEditor doc={doc} papers={papers ?? []} announce={announce} />}
        {tab === 'papers' && <PapersPanel api={api} meetingId={meetingId} papers={papers} meeting={meeting} announce={announce} />}
        {tab === 'live' && <LivePanel api={api} meetingId={meetingId} doc={doc} meeting={meeting} papers={papers} announce={announce} />}
        {tab === 'attendance' && <AttendanceControls api={api} meetingId={meetingId} announce={announce} />}
        {tab === 'speakers' && <SpeakerControls api={api} meetingId={meetingId} meetingDoc={doc} announce={announce} />}
        {tab === 'votes' && <VoteControls api={api} meetingId={meetingId} meetingDoc={doc} announce={announce} />}
        {tab === 'meeting' && <MeetingPanel api={api} meetingId={meetingId} me={user} meeting={meeting} announce={announce} />}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">{message}</p>
    </section>
  );
}
