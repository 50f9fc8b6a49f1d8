// The meeting itself: details (name, start, room), status (draft → published → closed; a draft
// is invisible to delegates), participants picked from the accounts with their roles, and a new
// meeting. Everything goes through the hub's API; the hub mirrors details into the meeting doc.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { User } from '../../shared/api.ts';
import { MEETING_ROLES, type MeetingRole } from '../../shared/roles.ts';
import type { Api, MeetingDetail } from '../api.ts';
import { refreshMeeting, useAccounts } from '../data/queries.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { CreateMeetingForm } from './CreateMeeting.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Icon } from '../ui/icons.tsx';
import { ArchivePanel } from '../archive/ArchivePanel.tsx';
import { actionError, errorText, removeParticipant, setParticipant, updateMeeting } from './console-api.ts';

/** ISO instant → the value a datetime-local field shows (the device's local time). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fromLocalInput(v: string): string | null {
  if (!v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function MeetingPanel(props: { api: Api; meetingId: string; me: User; meeting: MeetingDetail | null; announce: (m: string) => void }) {
  const { api, meetingId, me, meeting, announce } = props;
  const t = useT();
  const queries = useQueryClient();
  const { data: accounts, error: accountsError } = useAccounts(api);
  const [pick, setPick] = useState('');
  const [role, setRole] = useState<MeetingRole>('delegate');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      if (done) announce(done);
      void refreshMeeting(queries, meetingId);
    } catch (err) {
      setError(actionError(t, err));
    } finally {
      setBusy(false);
    }
  };

  const [recallOnClose, setRecallOnClose] = useState(false);
  // Closing the meeting and removing someone wait for a confirmation (issue 16).
  const [asking, setAsking] = useState<{ kind: 'close' } | { kind: 'remove'; userId: string; name: string } | null>(null);
  const status = meeting?.status ?? 'draft';
  // Archived: its details and participants are shown as they were, not edited.
  const locked = busy || status === 'closed';
  const roleLabel = (r: MeetingRole) => t(`console.meeting.role.${r}` as MessageKey);
  const participants = meeting?.participants ?? [];
  const addable = (accounts ?? []).filter((a) => !participants.some((p) => p.userId === a.id));

  return (
    <div className="meeting-panel">
      {/* Keyed on what the hub holds: a change from anywhere starts the form from it again. */}
      <DetailsForm key={meeting ? `${meeting.title}\u0000${meeting.startsAt}\u0000${meeting.room}` : ''} meeting={meeting} busy={locked}
        onSave={(fields) => void run(() => updateMeeting(api, meetingId, fields), t('console.meeting.updated'))} />

      <p className="small" data-testid="ce-status">{t('console.meeting.status', { status: t(`console.meeting.status.${status}` as MessageKey) })}</p>
      <div className="ce-buttons">
        {status === 'draft' && <button type="button" className="primary" disabled={busy} onClick={() => void run(() => updateMeeting(api, meetingId, { status: 'published' }))}>{t('console.meeting.publish')}</button>}
        {status === 'published' && <button type="button" disabled={busy} onClick={() => void run(() => updateMeeting(api, meetingId, { status: 'draft' }))}>{t('console.meeting.unpublish')}</button>}
        {status === 'published' && <button type="button" className="danger" disabled={busy} onClick={() => setAsking({ kind: 'close' })}>{t('console.meeting.close')}</button>}
        {/* Issue 17: the papers leave every device in the same step (docs/recall-and-expiry.md). */}
        {status === 'published' && <label className="check small"><input type="checkbox" checked={recallOnClose} onChange={(e) => setRecallOnClose(e.target.checked)} />{t('recall.onClose')}</label>}
      </div>
      {/* Export, and (an admin) reopening: a closed meeting takes no other change (docs/archive.md). */}
      <ArchivePanel api={api} meetingId={meetingId} meeting={meeting} me={me} announce={announce} />

      <h4>{t('console.meeting.participants')}</h4>
      {/* A table: on the desk there is room to read name, role and the way out in columns. */}
      <table className="ce-participants">
        <thead>
          <tr><th scope="col">{t('console.meeting.pName')}</th><th scope="col">{t('console.meeting.role')}</th><th scope="col"><span className="visually-hidden">{t('console.meeting.pActions')}</span></th></tr>
        </thead>
        <tbody>
          {participants.map((p) => (
            <tr key={p.userId}>
              <th scope="row">{p.name} {p.userId === me.id && <span className="muted small">{t('console.meeting.you')}</span>}</th>
              <td>
                <select aria-label={t('console.meeting.roleOf', { name: p.name })} value={p.role} disabled={locked || p.userId === me.id}
                  onChange={(e) => void run(() => setParticipant(api, meetingId, p.userId, e.target.value as MeetingRole))}>
                  {MEETING_ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
                </select>
              </td>
              <td>
                <button type="button" className="icon danger" aria-label={t('console.meeting.removeP', { name: p.name })} title={t('console.meeting.removeP', { name: p.name })}
                  disabled={locked || p.userId === me.id} onClick={() => setAsking({ kind: 'remove', userId: p.userId, name: p.name })}><Icon name="close" size={18} /></button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="ce-inline" onSubmit={(e) => {
        e.preventDefault();
        if (!pick) return;
        void run(async () => {
          await setParticipant(api, meetingId, pick, role);
          setPick('');
        });
      }}>
        <label>{t('console.meeting.account')}
          <select aria-label={t('console.meeting.account')} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('console.meeting.pickAccount')}</option>
            {addable.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.login})</option>)}
          </select>
        </label>
        <label>{t('console.meeting.role')}
          <select aria-label={t('console.meeting.role')} value={role} onChange={(e) => setRole(e.target.value as MeetingRole)}>
            {MEETING_ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
          </select>
        </label>
        <button type="submit" disabled={locked || !pick}>{t('console.meeting.addP')}</button>
      </form>

      {asking?.kind === 'close' && (
        <ConfirmDialog title={t('confirm.close.title')} confirmLabel={t('confirm.close.action')} busy={busy}
          message={<><p>{t('confirm.close.message')}</p>{recallOnClose && <p>{t('confirm.close.recall')}</p>}</>}
          onCancel={() => setAsking(null)}
          onConfirm={() => { setAsking(null); void run(() => updateMeeting(api, meetingId, { status: 'closed', ...(recallOnClose ? { recallPapers: true } : {}) })); }} />
      )}
      {asking?.kind === 'remove' && (
        <ConfirmDialog title={t('confirm.participant.title', { name: asking.name })} message={t('confirm.participant.message', { name: asking.name })}
          confirmLabel={t('confirm.participant.action')} busy={busy} onCancel={() => setAsking(null)}
          onConfirm={() => { const { userId } = asking; setAsking(null); void run(() => removeParticipant(api, meetingId, userId)); }} />
      )}

      <h4>{t('console.meeting.create')}</h4>
      <CreateMeetingForm api={api} />
      {(error || accountsError) && <p className="error small" role="alert">{error ?? t('console.error.generic', { msg: errorText(t, accountsError) })}</p>}
    </div>
  );
}

function DetailsForm({ meeting, busy, onSave }: { meeting: MeetingDetail | null; busy: boolean; onSave: (fields: { title: string; startsAt: string | null; room: string | null }) => void }) {
  const t = useT();
  const [name, setName] = useState(meeting?.title ?? '');
  const [startsAt, setStartsAt] = useState(toLocalInput(meeting?.startsAt ?? null));
  const [room, setRoom] = useState(meeting?.room ?? '');
  return (
    <form className="ce-form" onSubmit={(e) => {
      e.preventDefault();
      if (!name.trim()) return;
      onSave({ title: name.trim(), startsAt: fromLocalInput(startsAt), room: room.trim() || null });
    }}>
      <label>{t('console.meeting.name')}<input value={name} maxLength={300} required onChange={(e) => setName(e.target.value)} /></label>
      <div className="ce-form-row">
        <label className="grow">{t('console.meeting.startsAt')}<input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} /></label>
        <label className="grow">{t('console.meeting.room')}<input value={room} maxLength={200} onChange={(e) => setRoom(e.target.value)} /></label>
      </div>
      <div className="ce-form-actions"><button type="submit" disabled={busy || !meeting}>{t('console.meeting.update')}</button></div>
    </form>
  );
}
