// The secretary's console (issue 5), mounted by the meeting view for those who may manage the
// meeting. Four sections behind tabs — items, papers, live, meeting — over the same Y.Doc the
// delegate view shows, so every edit is seen here exactly as the room sees it.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type * as Y from 'yjs';
import type { User } from '../../shared/api.ts';
import { ApiError, type Api, type MeetingDetail } from '../api.ts';
import { useYMap } from '../sync/hooks.ts';
import { takeRequestedTab } from './CreateMeeting.tsx';
import { AgendaEditor } from './AgendaEditor.tsx';
import { LivePanel } from './LivePanel.tsx';
import { MeetingPanel } from './MeetingPanel.tsx';
import { PapersPanel, type ConsolePaper } from './PapersPanel.tsx';
import { listConsolePapers } from './console-api.ts';
import { useConsoleT, type ConsoleKey } from './strings.ts';
import './console.css';

export interface ConsolePanelProps {
  meetingId: string;
  /** The shared replica of meeting/<meetingId> (the same Y.Doc the delegate view shows). */
  doc: Y.Doc;
  api: Api;
  user: User;
}

const readPapersRev = (d: Y.Doc): unknown => d.getMap('live').get('papersRev');
const readDetailsKey = (d: Y.Doc) => JSON.stringify(d.getMap('details').toJSON());

const TABS = ['items', 'papers', 'live', 'meeting'] as const;
type Tab = (typeof TABS)[number];

export function ConsolePanel({ meetingId, doc, api, user }: ConsolePanelProps) {
  const t = useConsoleT();
  const [tab, setTab] = useState<Tab>(() => takeRequestedTab(meetingId) ?? 'items');
  const [papers, setPapers] = useState<ConsolePaper[] | null>(null);
  const [meeting, setMeeting] = useState<MeetingDetail | null>(null);
  const [message, setMessage] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  // The hub bumps live.papersRev on every paper change, so each console refetches the list.
  const papersRev = useYMap(doc, 'live', readPapersRev, undefined);
  const detailsKey = useYMap(doc, 'details', readDetailsKey, '');
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let alive = true;
    listConsolePapers(api, meetingId).then((p) => alive && setPapers(p), (err: unknown) => {
      if (alive && !(err instanceof ApiError && err.unreachable)) setLoadError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      alive = false;
    };
  }, [api, meetingId, papersRev, reloads]);
  useEffect(() => {
    let alive = true;
    api.meeting(meetingId).then((m) => alive && setMeeting(m), () => {});
    return () => {
      alive = false;
    };
  }, [api, meetingId, detailsKey, reloads]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);
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
            {t(`console.tab.${k}` as ConsoleKey)}
          </button>
        ))}
      </div>
      {loadError && <p className="error small" role="alert">{loadError}</p>}
      <div role="tabpanel" id={`ce-panel-${tab}`} aria-labelledby={`ce-tab-${tab}`} className="ce-panel">
        {tab === 'items' && <AgendaEditor doc={doc} papers={papers ?? []} t={t} announce={announce} />}
        {tab === 'papers' && <PapersPanel api={api} meetingId={meetingId} papers={papers} meeting={meeting} refresh={reload} t={t} announce={announce} />}
        {tab === 'live' && <LivePanel api={api} meetingId={meetingId} doc={doc} meeting={meeting} papers={papers} t={t} announce={announce} />}
        {tab === 'meeting' && <MeetingPanel api={api} meetingId={meetingId} me={user} meeting={meeting} reload={reload} t={t} announce={announce} />}
      </div>
      <p className="visually-hidden" role="status" aria-live="polite">{message}</p>
    </section>
  );
}
