// The archive in the console's Meeting tab (docs/archive.md): the meeting package — final once the
// meeting is closed, a draft before — downloaded through the same client as every call, and, for
// an admin, reopening a closed meeting with the reason the hub keeps in its audit log. The hub's
// key fingerprint is shown so whoever files the package can note it for `archive verify --key`.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '../../shared/api.ts';
import { ROUTES } from '../../shared/routes.ts';
import { ApiError, type Api, type MeetingDetail } from '../api.ts';
import { refreshMeeting } from '../data/queries.ts';
import { errorText } from '../console/console-api.ts';
import { useT } from '../i18n/index.tsx';
import { downloadPackage } from './archive-api.ts';
import './archive.css';

export function ArchivePanel(props: { api: Api; meetingId: string; meeting: MeetingDetail | null; me: User; announce: (m: string) => void }) {
  const { api, meetingId, meeting, me, announce } = props;
  const t = useT();
  const queries = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const key = useQuery({ queryKey: ['hub-key'], queryFn: () => api.call(ROUTES.hubKey), staleTime: Infinity });
  const closed = meeting?.status === 'closed';

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      announce(await fn());
    } catch (err) {
      setError(err instanceof ApiError && err.unreachable ? t('console.error.offline') : t('archive.error', { msg: errorText(t, err) }));
    } finally {
      setBusy(false);
    }
  };

  const exportIt = () => run(async () => {
    announce(t('archive.exporting'));
    const name = await downloadPackage(api, meetingId, meeting?.title ?? meetingId, !closed);
    return t('archive.exported', { name });
  });

  const reopen = () => run(async () => {
    await api.call(ROUTES.reopenMeeting, { params: { id: meetingId }, body: { reason } });
    setReason('');
    void refreshMeeting(queries, meetingId);
    return t('archive.reopened');
  });

  return (
    <section className="ce-form" aria-labelledby="archive-h">
      <h4 id="archive-h">{t('archive.heading')}</h4>
      <p className="small muted">{t('archive.exportHelp')}{!closed && <> {t('archive.draftHelp')}</>}</p>
      <div className="ce-buttons">
        <button type="button" className={closed ? 'primary' : undefined} disabled={busy || !meeting} onClick={() => void exportIt()}>
          {closed ? t('archive.export') : t('archive.exportDraft')}
        </button>
      </div>
      {key.data && <p className="small muted archive-key" data-testid="archive-key">{t('archive.keyFingerprint', { fp: key.data.fingerprint })}</p>}
      {closed && me.role === 'admin' && (
        <form className="archive-reopen" onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim().length >= 3) void reopen();
        }}>
          <label>{t('archive.reopenReason')}
            <input value={reason} minLength={3} maxLength={2000} required onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="submit" disabled={busy || reason.trim().length < 3}>{t('archive.reopen')}</button>
          <p className="small muted">{t('archive.reopenHelp')}</p>
        </form>
      )}
      {error && <p className="error small" role="alert">{error}</p>}
    </section>
  );
}
