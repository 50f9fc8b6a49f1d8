// The top bar: home, back to the meetings, `Search all papers` (renderer/search/), the connection
// state, the paper downloads (on a tablet), who is signed in, the language and sign-out.
import type { AgentStatus } from '../../shared/api.ts';
import { LocaleSwitch, useT } from '../i18n/index.tsx';
import { navigate, useRoute } from '../route.ts';
import { SearchField } from '../search/SearchField.tsx';
import { useConnectionState } from './connection.ts';
import { useSession } from './session-context.ts';

export function TopBar() {
  const t = useT();
  const { user, signOut, agent } = useSession();
  const route = useRoute();
  return (
    <header className="topbar">
      <a className="brand" href="#/" onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>Chamber</a>
      {route.name !== 'meetings' && <a className="back" href="#/" onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>← {t('meetings.back')}</a>}
      <SearchField />
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

/** The agent's prefetch of the open meeting's papers (all meetings' on the list). */
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
