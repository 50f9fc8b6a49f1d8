// The meeting itself: details (name, start, room), status (draft → published → closed; a draft
// is invisible to delegates), participants picked from the accounts with their roles, and a new
// meeting. Everything goes through the hub's API; the hub mirrors details into the meeting doc.
import { useEffect, useState } from 'react';
import type { User } from '../../shared/api.ts';
import { MEETING_ROLES, type MeetingRole } from '../../shared/roles.ts';
import { ApiError, type Api, type MeetingDetail } from '../api.ts';
import { CreateMeetingForm } from './CreateMeeting.tsx';
import { errorText, listAccounts, removeParticipant, setParticipant, updateMeeting } from './console-api.ts';
import type { ConsoleKey, ConsoleT } from './strings.ts';

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

export function MeetingPanel(props: { api: Api; meetingId: string; me: User; meeting: MeetingDetail | null; reload: () => void; t: ConsoleT; announce: (m: string) => void }) {
  const { api, meetingId, me, meeting, reload, t, announce } = props;
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [room, setRoom] = useState('');
  const [accounts, setAccounts] = useState<User[] | null>(null);
  const [pick, setPick] = useState('');
  const [role, setRole] = useState<MeetingRole>('delegate');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!meeting) return;
    setName(meeting.title);
    setStartsAt(toLocalInput(meeting.startsAt));
    setRoom(meeting.room ?? '');
  }, [meeting?.title, meeting?.startsAt, meeting?.room]);  

  useEffect(() => {
    let alive = true;
    listAccounts(api).then((a) => alive && setAccounts(a), (err: unknown) => alive && setError(t('error.generic', { msg: errorText(err) })));
    return () => {
      alive = false;
    };
  }, [api, t]);

  const run = async (fn: () => Promise<unknown>, done?: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      if (done) announce(done);
      reload();
    } catch (err) {
      setError(err instanceof ApiError && err.unreachable ? t('error.offline') : t('error.generic', { msg: errorText(err) }));
    } finally {
      setBusy(false);
    }
  };

  const status = meeting?.status ?? 'draft';
  const roleLabel = (r: MeetingRole) => t(`meeting.role.${r}` as ConsoleKey);
  const participants = meeting?.participants ?? [];
  const addable = (accounts ?? []).filter((a) => !participants.some((p) => p.userId === a.id));

  return (
    <div className="meeting-panel">
      <form className="ce-form" onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) return;
        void run(() => updateMeeting(api, meetingId, { title: name.trim(), startsAt: fromLocalInput(startsAt), room: room.trim() || null }), t('meeting.updated'));
      }}>
        <label>{t('meeting.name')}<input value={name} maxLength={300} required onChange={(e) => setName(e.target.value)} /></label>
        <div className="ce-form-row">
          <label className="grow">{t('meeting.startsAt')}<input type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} /></label>
          <label className="grow">{t('meeting.room')}<input value={room} maxLength={200} onChange={(e) => setRoom(e.target.value)} /></label>
        </div>
        <div className="ce-form-actions"><button type="submit" disabled={busy || !meeting}>{t('meeting.update')}</button></div>
      </form>

      <p className="small" data-testid="ce-status">{t('meeting.status', { status: t(`meeting.status.${status}` as ConsoleKey) })}</p>
      <div className="ce-buttons">
        {status === 'draft' && <button type="button" className="primary" disabled={busy} onClick={() => void run(() => updateMeeting(api, meetingId, { status: 'published' }))}>{t('meeting.publish')}</button>}
        {status === 'published' && <button type="button" disabled={busy} onClick={() => void run(() => updateMeeting(api, meetingId, { status: 'draft' }))}>{t('meeting.unpublish')}</button>}
        {status === 'published' && <button type="button" className="danger" disabled={busy} onClick={() => void run(() => updateMeeting(api, meetingId, { status: 'closed' }))}>{t('meeting.close')}</button>}
        {status === 'closed' && <button type="button" disabled={busy} onClick={() => void run(() => updateMeeting(api, meetingId, { status: 'published' }))}>{t('meeting.reopen')}</button>}
      </div>

      <h4>{t('meeting.participants')}</h4>
      <ul className="ce-participants">
        {participants.map((p) => (
          <li key={p.userId}>
            <span className="grow">{p.name} {p.userId === me.id && <span className="muted small">{t('meeting.you')}</span>}</span>
            <select aria-label={t('meeting.roleOf', { name: p.name })} value={p.role} disabled={busy || p.userId === me.id}
              onChange={(e) => void run(() => setParticipant(api, meetingId, p.userId, e.target.value as MeetingRole))}>
              {MEETING_ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
            </select>
            <button type="button" className="icon danger" aria-label={t('meeting.removeP', { name: p.name })} disabled={busy || p.userId === me.id}
              onClick={() => void run(() => removeParticipant(api, meetingId, p.userId))}>✕</button>
          </li>
        ))}
      </ul>
      <form className="ce-inline" onSubmit={(e) => {
        e.preventDefault();
        if (!pick) return;
        void run(async () => {
          await setParticipant(api, meetingId, pick, role);
          setPick('');
        });
      }}>
        <label>{t('meeting.account')}
          <select aria-label={t('meeting.account')} value={pick} onChange={(e) => setPick(e.target.value)}>
            <option value="">{t('meeting.pickAccount')}</option>
            {addable.map((a) => <option key={a.id} value={a.id}>{a.name} ({a.login})</option>)}
          </select>
        </label>
        <label>{t('meeting.role')}
          <select aria-label={t('meeting.role')} value={role} onChange={(e) => setRole(e.target.value as MeetingRole)}>
            {MEETING_ROLES.map((r) => <option key={r} value={r}>{roleLabel(r)}</option>)}
          </select>
        </label>
        <button type="submit" disabled={busy || !pick}>{t('meeting.addP')}</button>
      </form>

      <h4>{t('meeting.create')}</h4>
      <CreateMeetingForm api={api} t={t} />
      {error && <p className="error small" role="alert">{error}</p>}
    </div>
  );
}
