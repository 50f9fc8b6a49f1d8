// The top bar: home, back to the meetings, the meeting screen's panel button (layout.ts's slot),
// `Search all papers` (renderer/search/), the connection state, the paper downloads (on a
// tablet), who is signed in, the language and sign-out. It stays one row at 800 px: there the
// back link shows its icon only, and the user, language and sign-out fold into a menu.
import { useEffect, useRef, useState } from 'react';
import type { AgentStatus } from '../../shared/api.ts';
import { LocaleSwitch, useT } from '../i18n/index.tsx';
import { navigate, useRoute } from '../route.ts';
import { SearchField } from '../search/SearchField.tsx';
import { Icon } from '../ui/icons.tsx';
import { useConnectionState } from './connection.ts';
import { setTopBarSlot } from './layout.ts';
import { useSession } from './session-context.ts';

export function TopBar() {
  const t = useT();
  const { user, signOut, agent } = useSession();
  const route = useRoute();
  return (
    <header className="topbar">
      <a className="brand" href="#/" onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>Chamber</a>
      {route.name !== 'meetings' && (
        <a className="back" href="#/" title={t('meetings.back')} onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>
          <Icon name="back" /><span className="back-text">{t('meetings.back')}</span>
        </a>
      )}
      <span className="topbar-slot" ref={setTopBarSlot} />
      <SearchField />
      <span className="spacer" />
      <ConnectionIndicator agent={agent} />
      <DownloadIndicator agent={agent} meetingId={route.name === 'meeting' ? route.meetingId : null} />
      <UserMenu name={user.name} login={user.login} signOut={signOut} />
    </header>
  );
}

/** Wide: the user's name, the language and sign-out in the bar. Narrow: the same behind one button. */
function UserMenu({ name, login, signOut }: { name: string; login: string; signOut: () => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => { if (!ref.current?.contains(e.target as Node)) setOpen(false); };
    const esc = (e: KeyboardEvent) => { if (e.key === 'Escape') setOpen(false); };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);
  const label = t('layout.userMenu', { name });
  return (
    <div ref={ref} className={`user-menu${open ? ' open' : ''}`}>
      <button type="button" className="user-menu-toggle" aria-expanded={open} aria-controls="user-menu-items" aria-label={label} title={label} onClick={() => setOpen((o) => !o)}>
        <Icon name="menu" />
      </button>
      <div id="user-menu-items" className="user-menu-items">
        <span className="user" title={login}>{name}</span>
        <LocaleSwitch />
        <button type="button" className="with-label" onClick={signOut}><Icon name="signOut" /><span>{t('signout')}</span></button>
      </div>
    </div>
  );
}

export function ConnectionIndicator({ agent }: { agent: AgentStatus | null }) {
  const t = useT();
  const { state, hubOffline, onDevice } = useConnectionState(agent);
  const label = onDevice ? t('layout.onDevice') : state === 'online' ? t('conn.online') : state === 'syncing' ? t('conn.syncing') : t('conn.offline');
  return (
    <span className={`conn conn-${onDevice ? 'device' : state}`} role="status" aria-label={`${t('conn.label')}: ${label}`} data-state={state} data-on-device={onDevice || undefined} title={hubOffline ? t('conn.hubOffline') : label}>
      {onDevice ? <Icon name="device" size={16} /> : <span className="dot" aria-hidden="true" />}
      {label}
      {hubOffline && <span className="conn-detail"> · {t('conn.hubOffline')}</span>}
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
    <span className="downloads" role="status" aria-label={t('download.label')} title={complete ? t('download.complete') : lastError ?? undefined} data-complete={complete}>
      {complete ? <><Icon name="check" size={16} /><span className="dl-text">{t('download.complete')}</span></> : (
        <>
          <progress max={100} value={pct} aria-label={t('download.label')} />
          <span className="dl-text">{' '}{t('download.progress', { done, total, pct })}</span>
        </>
      )}
    </span>
  );
}
