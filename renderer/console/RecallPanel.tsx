// Recall (issue 17; docs/recall-and-expiry.md): the secretary pulls a paper back from every
// device, with a reason, from the paper's row; under the list, each recall of the meeting with
// the devices that confirmed the deletion and those that held the paper and have not yet. The
// list is asked for again every few seconds while a device is still to confirm.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ROUTES } from '../../shared/routes.ts';
import type { RecallStatus } from '../../shared/recall.ts';
import { ApiError, type Api, type MeetingPaper } from '../api.ts';
import { useI18n, useT } from '../i18n/index.tsx';
import { actionError } from './console-api.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';

const recallsKey = (meetingId: string) => ['recalls', meetingId] as const;

/** The paper row's "Recall" button and its confirmation with the reason. */
export function RecallButton(props: { api: Api; meetingId: string; paper: MeetingPaper; refresh: () => void; announce: (msg: string) => void }) {
  const { api, paper } = props;
  const t = useT();
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call(ROUTES.recallPaper, { params: { id: paper.id }, body: { reason: reason.trim() } });
      props.announce(t('recall.done', { title: paper.title }));
      setOpen(false);
      void queries.invalidateQueries({ queryKey: recallsKey(props.meetingId) });
      props.refresh();
    } catch (err) {
      setError(actionError(t, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="danger" aria-haspopup="dialog" onClick={() => { setError(null); setOpen(true); }}>{t('recall.button')}</button>
      {open && (
        <ConfirmDialog title={t('confirm.recall.title')} message={t('recall.explain', { title: paper.title })} confirmLabel={t('recall.confirm')}
          busy={busy} confirmDisabled={!reason.trim()} error={error} onCancel={() => setOpen(false)} onConfirm={() => void submit()}>
          <label>{t('recall.reason')}<input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} /></label>
        </ConfirmDialog>
      )}
    </>
  );
}

/** Every recall of the meeting, with its devices. */
export function RecallStatusList({ api, meetingId }: { api: Api; meetingId: string }) {
  const { t, locale } = useI18n();
  const q = useQuery<RecallStatus[], ApiError>({
    queryKey: recallsKey(meetingId),
    queryFn: () => api.call(ROUTES.meetingRecalls, { params: { id: meetingId } }),
    refetchInterval: (query) => (query.state.data?.some((r) => r.pending.length > 0) ? 2000 : false),
  });
  const list = q.data ?? [];
  if (list.length === 0) return null;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(locale);
  return (
    <section className="recall-status" aria-labelledby={`recalls-${meetingId}`}>
      <h3 id={`recalls-${meetingId}`}>{t('recall.heading')}</h3>
      <ul className="recall-list">
        {list.map((r) => (
          <li key={r.id} className="recall-item">
            <div><strong>{r.title}</strong> <span className="muted small">{t('recall.when', { time: time(r.createdAt), reason: r.reason })}</span></div>
            <p className="small" role="status">{t('recall.counts', { done: r.confirmed.length, all: r.confirmed.length + r.pending.length })}</p>
            <table className="recall-devices small">
              <caption className="visually-hidden">{t('recall.devicesOf', { title: r.title })}</caption>
              <thead><tr><th scope="col">{t('recall.device')}</th><th scope="col">{t('recall.user')}</th><th scope="col">{t('recall.state')}</th></tr></thead>
              <tbody>
                {r.confirmed.map((d) => (
                  <tr key={`c-${d.deviceId}-${d.userId}`} className="recall-confirmed">
                    <td><code>{d.deviceId.slice(0, 8)}</code></td><td>{d.userName}</td><td>{t('recall.confirmedAt', { time: time(d.confirmedAt!) })}</td>
                  </tr>
                ))}
                {r.pending.map((d) => (
                  <tr key={`p-${d.deviceId}-${d.userId}`} className="recall-pending">
                    <td><code>{d.deviceId.slice(0, 8)}</code></td><td>{d.userName}</td>
                    <td>{d.lastSeen ? t('recall.notYetSeen', { time: time(d.lastSeen) }) : t('recall.notYet')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </li>
        ))}
      </ul>
    </section>
  );
}
