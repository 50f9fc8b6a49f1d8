// Leading the meeting live: who leads the screen (a manager hands it to one participant, or
// keeps it), what is shown now, and stopping it. Presenting itself happens in the viewer, where
// every paper has its Present button for those who may.
import { useState } from 'react';
import type * as Y from 'yjs';
import { readAgenda, readLive, type AgendaItem } from '../../shared/meeting-doc.ts';
import { canManageMeeting } from '../../shared/roles.ts';
import type { Api, MeetingDetail, MeetingPaper } from '../api.ts';
import { useYMap } from '../sync/hooks.ts';
import { errorText, handPresenter } from './console-api.ts';
import { useT } from '../i18n/index.tsx';

const NO_LIVE: ReturnType<typeof readLive> = { currentItemId: null, presenterId: null, presenting: null };
const NO_ITEMS: AgendaItem[] = [];

export function LivePanel(props: { api: Api; meetingId: string; doc: Y.Doc; meeting: MeetingDetail | null; papers: MeetingPaper[] | null; announce: (m: string) => void }) {
  const { api, meetingId, doc, meeting, papers, announce } = props;
  const t = useT();
  const live = useYMap(doc, 'live', readLive, NO_LIVE);
  const agenda = useYMap(doc, 'agenda', readAgenda, NO_ITEMS);
  const [choice, setChoice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const participants = meeting?.participants ?? [];
  const nameOf = (id: string) => participants.find((p) => p.userId === id)?.name ?? id;
  const candidates = participants.filter((p) => !canManageMeeting('delegate', p.role));
  const selected = choice ?? live.presenterId ?? '';
  const current = agenda.find((i) => i.id === live.currentItemId) ?? null;
  const shown = live.presenting;
  const shownTitle = shown ? papers?.find((p) => p.id === shown.paperId)?.title ?? '' : '';

  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      announce(done);
      setChoice(null);
    } catch (err) {
      setError(t('console.error.generic', { msg: errorText(t, err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="live-panel">
      <p className="small">{current ? t('console.live.current', { title: current.title }) : t('console.live.noCurrent')}</p>
      <p className="small" data-testid="ce-leading">
        {shown ? t('console.live.leading', { name: nameOf(shown.userId), title: shownTitle, n: shown.page }) : t('console.live.idle')}
      </p>
      {shown && (
        <button type="button" disabled={busy} onClick={() => void act(() => api.stopPresenting(meetingId), t('console.live.idle'))}>{t('console.live.stop')}</button>
      )}
      <form className="ce-inline" onSubmit={(e) => {
        e.preventDefault();
        const userId = selected || null;
        void act(() => handPresenter(api, meetingId, userId), userId ? t('console.live.handed', { name: nameOf(userId) }) : t('console.live.takenBack'));
      }}>
        <label>
          {t('console.live.handTo')}
          <select aria-label={t('console.live.handTo')} value={selected} onChange={(e) => setChoice(e.target.value)}>
            <option value="">{t('console.live.nobodyExtra')}</option>
            {candidates.map((p) => <option key={p.userId} value={p.userId}>{p.name}</option>)}
          </select>
        </label>
        <button type="submit" disabled={busy || selected === (live.presenterId ?? '')}>{t('console.live.handOver')}</button>
      </form>
      {error && <p className="error small" role="alert">{error}</p>}
      <p className="small"><a href={`#/room/${meetingId}`}>{t('console.live.roomScreen')}</a></p>
    </div>
  );
}
