// The app shell: session, top bar (always showing connection state and paper downloads), and
// the three screens — sign-in, the user's meetings, a meeting.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AgentStatus, MeetingSummary, User } from '../../shared/api.ts';
import { Api, ApiError, signIn } from '../api.ts';
import { clearSession, loadSession, saveSession } from '../session.ts';
import { closeAllDocs } from '../sync/docs.ts';
import { closeAllPdfs } from '../viewer/pdf.ts';
import { useAgentStatus, useConnectionState } from '../sync/connection.ts';
import { LocaleSwitch, useT, type MessageKey } from '../i18n/index.tsx';
import { navigate, useRoute } from './route.ts';
import { takeNotice } from './notice.ts';
import { MeetingView } from './MeetingView.tsx';
import { CreateMeetingForm, mayCreateMeetings } from '../console/CreateMeeting.tsx';
import { useConsoleT } from '../console/strings.ts';

export interface Session {
  token: string;
  user: User;
  api: Api;
  offline: boolean;
  agent: AgentStatus | null;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);
export const useSession = (): Session => {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in tree');
  return s;
};

export function App() {
  const [stored, setStored] = useState(() => loadSession());
  const api = useMemo(() => (stored ? new Api(stored.token) : null), [stored]);
  const agent = useAgentStatus(api);
  const signOut = useCallback(() => {
    const a = api;
    clearSession();
    closeAllDocs();
    closeAllPdfs();
    setStored(null);
    if (a) void a.signOut().catch(() => {});
    navigate({ name: 'meetings' }, true);
  }, [api]);

  // A token the server no longer knows (revoked, expired, hub reset) ends the session here too.
  useEffect(() => {
    if (!api) return;
    api.session().catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 401) signOut();
    });
  }, [api, signOut]);

  const session = useMemo<Session | null>(() => (stored && api ? { token: stored.token, user: stored.user, api, offline: !!stored.offline, agent, signOut } : null), [stored, api, agent, signOut]);

  return (
    <div className="app">
      {session ? (
        <SessionContext.Provider value={session}>
          <TopBar />
          <main id="main" className="app-main">
            <Screens />
          </main>
        </SessionContext.Provider>
      ) : (
        <>
          <header className="topbar"><span className="brand">Chamber</span><span className="spacer" /><LocaleSwitch /></header>
          <main id="main" className="app-main"><SignIn onSignedIn={(s) => setStored(s)} /></main>
        </>
      )}
    </div>
  );
}

function Screens() {
  const route = useRoute();
  if (route.name === 'meeting') return <MeetingView key={route.meetingId} route={route} />;
  return <MeetingList />;
}

function TopBar() {
  const t = useT();
  const { user, signOut, agent } = useSession();
  const route = useRoute();
  return (
    <header className="topbar">
      <a className="brand" href="#/" onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>Chamber</a>
      {route.name === 'meeting' && <a className="back" href="#/" onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>← {t('meetings.back')}</a>}
      <span className="spacer" />
      <ConnectionIndicator agent={agent} />
      <DownloadIndicator agent={agent} meetingId={route.name === 'meeting' ? route.meetingId : null} />
      <span className="user" title={user.login}>{user.name}</span>
      <LocaleSwitch />
      <button type="button" onClick={signOut}>{t('signout')}</button>
    </header>
  );
}

export function ConnectionIndicator({ agent }: { agent: AgentStatus | null }) {
  const t = useT();
  const { state, hubOffline } = useConnectionState(agent);
  const label = state === 'online' ? t('conn.online') : state === 'syncing' ? t('conn.syncing') : t('conn.offline');
  return (
    <span className={`conn conn-${state}`} role="status" aria-label={`${t('conn.label')}: ${label}`} data-state={state} title={hubOffline ? t('conn.hubOffline') : label}>
      <span className="dot" aria-hidden="true" />
      {label}
      {hubOffline && <span className="muted small"> · {t('conn.hubOffline')}</span>}
    </span>
  );
}

function DownloadIndicator({ agent, meetingId }: { agent: AgentStatus | null; meetingId: string | null }) {
  const t = useT();
  if (!agent) return null;
  const rows = meetingId ? agent.prefetch.filter((p) => p.meetingId === meetingId) : agent.prefetch;
  if (rows.length === 0) return null;
  const done = rows.reduce((s, r) => s + r.papersDone, 0);
  const total = rows.reduce((s, r) => s + r.papersTotal, 0);
  const bytesDone = rows.reduce((s, r) => s + r.bytesDone, 0);
  const bytesTotal = rows.reduce((s, r) => s + r.bytesTotal, 0);
  const pct = bytesTotal > 0 ? Math.floor((bytesDone / bytesTotal) * 100) : 100;
  const complete = total > 0 && done >= total;
  // A stalled download (hub gone, bad blob) says why on hover rather than sitting silently.
  const lastError = rows.find((r) => r.lastError)?.lastError;
  return (
    <span className="downloads" role="status" aria-label={t('download.label')} title={!complete && lastError ? lastError : undefined} data-complete={complete}>
      {complete ? t('download.complete') : (
        <>
          <progress max={100} value={pct} aria-label={t('download.label')} />
          {' '}{t('download.progress', { done, total, pct })}
        </>
      )}
    </span>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: { token: string; user: User; offline?: boolean }) => void }) {
  const t = useT();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await signIn(login.trim(), password);
      const s = { token: res.token, user: res.user, offline: res.offline };
      saveSession(s);
      onSignedIn(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('error.signin'));
      else if (err instanceof ApiError && err.unreachable) setError(t('error.network'));
      else setError(t('error.generic', { msg: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="signin card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signin.title')}</h1>
      <label>
        {t('signin.login')}
        <input name="login" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={login} onChange={(e) => setLogin(e.target.value)} autoFocus />
      </label>
      <label>
        {t('signin.password')}
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" className="primary" disabled={busy}>{busy ? t('signin.busy') : t('signin.submit')}</button>
    </form>
  );
}

/** "New meeting": the console's create form, opened from the list (the only way in for a secretary with no meeting yet). */
function NewMeeting() {
  const ct = useConsoleT();
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <div className="new-meeting">
      <button type="button" aria-expanded={open} aria-controls="new-meeting-form" onClick={() => setOpen((o) => !o)}>{ct('meeting.new')}</button>
      {open && <div id="new-meeting-form"><CreateMeetingForm api={api} t={ct} openConsole /></div>}
    </div>
  );
}

function MeetingList() {
  const t = useT();
  const { api, signOut, user } = useSession();
  const [meetings, setMeetings] = useState<MeetingSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice] = useState(takeNotice);
  useEffect(() => {
    let alive = true;
    api.meetings().then((m) => alive && setMeetings(m), (err: unknown) => {
      if (!alive) return;
      if (err instanceof ApiError && err.status === 401) signOut();
      else setError(err instanceof ApiError && err.unreachable ? t('error.network') : t('error.generic', { msg: String((err as Error).message) }));
    });
    return () => {
      alive = false;
    };
  }, [api, signOut, t]);
  return (
    <section className="meetings card">
      <h1>{t('meetings.title')}</h1>
      {notice && <p className="notice" role="alert">{notice}</p>}
      {mayCreateMeetings(user.role) && <NewMeeting />}
      {error && <p className="error" role="alert">{error}</p>}
      {!meetings && !error && <p className="muted" role="status">{t('meetings.loading')}</p>}
      {meetings && meetings.length === 0 && <p className="muted">{t('meetings.empty')}</p>}
      {meetings && meetings.length > 0 && (
        <ul className="meeting-list">
          {meetings.map((m) => (
            <li key={m.id}>
              <a href={`#/m/${m.id}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'meeting', meetingId: m.id, paperId: null, page: 1, sha256: null }); }}>
                <span className="meeting-title">{m.title}</span>
              </a>
              <span className="muted small">
                {[m.startsAt ? formatDate(m.startsAt) : null, m.room, t(`meeting.status.${m.status}` as MessageKey)].filter(Boolean).join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
