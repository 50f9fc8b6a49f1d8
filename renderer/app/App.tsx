// The app shell: the session (kept in sessionStorage; a page without one first asks the agent
// whether this device stays signed in: session.ts), and the screens — sign-in, the user's
// meetings, a meeting — under a top bar that always shows connection state and paper downloads.
// Each signed-in session has its own query cache (data/queries.ts): signing out drops it whole.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import type { User } from '../../shared/api.ts';
import { Api } from '../api.ts';
import { clearSession, loadSession, resumeDeviceSession, type StoredSession } from '../session.ts';
import { closeAllDocs } from '../sync/docs.ts';
import { closeAllPdfs } from '../viewer/pdf.ts';
import { createSessionQueryClient, useAgentStatus, useSessionCheck } from '../data/queries.ts';
import { LocaleSwitch, useT } from '../i18n/index.tsx';
import { navigate, useRoute } from '../route.ts';
import { useShellSessionEnded } from '../desktop/shell-bridge.ts';
import { MeetingView } from './MeetingView.tsx';
import { MeetingList } from './MeetingList.tsx';
import { RoomScreen } from '../procedures/RoomScreen.tsx';
import { SearchView } from '../search/SearchView.tsx';
import { MyActionItems } from '../records/MyActionItems.tsx';
import { SessionContext, useSession, type Session } from './session-context.ts';
import { SignIn } from './SignIn.tsx';
import { TopBar } from './TopBar.tsx';

/** Whether the server keeps this device signed in: being asked, yes (an agent), or no (a hub). */
type DeviceOffer = 'checking' | 'offered' | 'none';

export function App() {
  const t = useT();
  const [stored, setStored] = useState<StoredSession | null>(() => loadSession());
  const [device, setDevice] = useState<DeviceOffer>(() => (stored ? 'none' : 'checking'));
  // Everything of the session leaves this page: token, replicas, open papers, cached answers.
  const endSession = useCallback(() => {
    clearSession();
    closeAllDocs();
    closeAllPdfs();
    setStored(null);
    // Asked again: the form learns whether it may offer to stay signed in (after a sign-out the
    // agent has ended every device session, so this never signs the user straight back in).
    setDevice('checking');
    navigate({ name: 'meetings' }, true);
  }, []);
  useEffect(() => {
    if (device !== 'checking') return;
    let live = true;
    void resumeDeviceSession().then((out) => {
      if (!live) return;
      if (out.kind === 'resumed') setStored(out.session);
      setDevice(out.kind === 'unsupported' ? 'none' : 'offered');
    });
    return () => {
      live = false;
    };
  }, [device]);
  return (
    <div className="app">
      {stored ? <SignedIn key={stored.token} stored={stored} onEnd={endSession} /> : (
        <>
          <header className="topbar"><span className="brand">Chamber</span><span className="spacer" /><LocaleSwitch /></header>
          <main id="main" className="app-main">
            {device === 'checking'
              ? <p className="signin-resuming" role="status">{t('device.resuming')}</p>
              : <SignIn offersDevice={device === 'offered'} onSignedIn={(s: { token: string; user: User; offline?: boolean }) => setStored(s)} />}
          </main>
        </>
      )}
    </div>
  );
}

/** How long a sign-out waits for the server before the page leaves the session anyway. */
const SIGN_OUT_WAIT_MS = 3000;

function SignedIn({ stored, onEnd }: { stored: StoredSession; onEnd: () => void }) {
  const api = useMemo(() => new Api(stored.token), [stored.token]);
  // A token the server no longer knows (revoked, expired, hub reset) ends the session from any answer.
  const client = useMemo(() => createSessionQueryClient(onEnd), [onEnd]);
  // The sign-out is sent before the page leaves the session: on an agent it also ends the device
  // session, which the sign-in screen that follows asks about.
  const signOut = useCallback(() => {
    const sent = api.signOut().catch(() => {});
    void Promise.race([sent, new Promise((r) => setTimeout(r, SIGN_OUT_WAIT_MS))]).then(onEnd);
  }, [api, onEnd]);
  // In the desktop app the shell ends the session after a wipe order: back to sign-in.
  useShellSessionEnded(signOut);
  return (
    <QueryClientProvider client={client}>
      <SessionScreens stored={stored} api={api} signOut={signOut} />
    </QueryClientProvider>
  );
}

function SessionScreens({ stored, api, signOut }: { stored: StoredSession; api: Api; signOut: () => void }) {
  useSessionCheck(api);
  const agent = useAgentStatus(api);
  const session = useMemo<Session>(() => ({ token: stored.token, user: stored.user, api, offline: !!stored.offline, agent, signOut }), [stored, api, agent, signOut]);
  const route = useRoute();
  // The projector's screen is the whole window: no top bar, nothing to read at arm's length.
  if (route.name === 'room') return <RoomScreen key={route.meetingId} meetingId={route.meetingId} api={api} />;
  return (
    <SessionContext.Provider value={session}>
      <TopBar />
      <main id="main" className="app-main">
        <Screens />
      </main>
    </SessionContext.Provider>
  );
}

function Screens() {
  const route = useRoute();
  const { api } = useSession();
  if (route.name === 'meeting') return <MeetingView key={route.meetingId} route={route} />;
  if (route.name === 'search') return <SearchView q={route.q} api={api} />;
  if (route.name === 'actions') return <MyActionItems api={api} />;
  return <MeetingList />;
}
