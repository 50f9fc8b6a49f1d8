// The user's meetings as cards (date, title, time and place, status), each opening by its title;
// `New meeting` for those the hub lets create one (a secretary with no meeting yet has no console
// to start from).
import { useState } from 'react';
import { CreateMeetingForm, mayCreateMeetings } from '../console/CreateMeeting.tsx';
import { useMeetings } from '../data/queries.ts';
import { formatDate, useI18n, type MessageKey } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { navigate } from '../route.ts';
import { MyActionItemsLink } from '../records/MyActionItems.tsx';
import { Icon } from '../ui/icons.tsx';
import { takeNotice } from './notice.ts';
import { useSession } from './session-context.ts';

function NewMeeting() {
  const { t } = useI18n();
  const { api } = useSession();
  const [open, setOpen] = useState(false);
  return (
    <div className="new-meeting">
      <button type="button" aria-expanded={open} aria-controls="new-meeting-form" onClick={() => setOpen((o) => !o)}>{t('console.meeting.new')}</button>
      {open && <div id="new-meeting-form"><CreateMeetingForm api={api} openConsole /></div>}
    </div>
  );
}

export function MeetingList() {
  const { t, locale } = useI18n();
  const { api, user, agent } = useSession();
  const [notice] = useState(takeNotice);
  // On an agent the list fills as its rounds with the hub land (a new tablet's first sign-in
  // answers before the first round): its status names the meetings it keeps, so a change there,
  // or in its link to the hub, asks for the list again.
  const agentView = agent ? `${agent.hub}|${agent.prefetch.map((p) => p.meetingId).sort().join(',')}` : '';
  const { data: meetings, error } = useMeetings(api, agentView);
  // A 401 signs out (data/queries.ts); any other failure is said here.
  const failure = error && error.status !== 401 ? errorText(t, error) : null;
  return (
    <section className="meetings card">
      <h1>{t('meetings.title')}</h1>
      {notice && <p className="notice" role="alert">{notice}</p>}
      <MyActionItemsLink />
      {mayCreateMeetings(user.role) && <NewMeeting />}
      {failure && <p className="error" role="alert">{failure}</p>}
      {!meetings && !failure && <p className="muted" role="status">{t('meetings.loading')}</p>}
      {meetings && meetings.length === 0 && <p className="muted">{t('meetings.empty')}</p>}
      {meetings && meetings.length > 0 && (
        <ul className="meeting-list">
          {meetings.map((m) => (
            <li key={m.id}>
              <DateTile at={m.startsAt} locale={locale} />
              <span className="meeting-card-body">
                <a href={`#/m/${m.id}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'meeting', meetingId: m.id, paperId: null, page: 1, sha256: null }); }}>
                  <span className="meeting-title">{m.title}</span>
                </a>
                <span className="meeting-meta">
                  {m.startsAt && <span><Icon name="clock" size={16} />{formatDate(m.startsAt, locale)}</span>}
                  {m.room && <span>{m.room}</span>}
                </span>
              </span>
              <span className={`status-badge status-${m.status}`}>{t(`meeting.status.${m.status}` as MessageKey)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The day and month at a glance; the full date is read from the card's text beside it. */
function DateTile({ at, locale }: { at: string | null; locale: string }) {
  const date = at ? new Date(at) : null;
  if (!date || Number.isNaN(date.getTime())) return <span className="meeting-date" aria-hidden="true"><Icon name="agenda" /></span>;
  return (
    <span className="meeting-date" aria-hidden="true">
      <span className="day">{new Intl.DateTimeFormat(locale, { day: 'numeric' }).format(date)}</span>
      <span className="month">{new Intl.DateTimeFormat(locale, { month: 'short' }).format(date)}</span>
    </span>
  );
}
