// The room screen for the projector (#/room/<meetingId>): full screen, type sized to the screen
// so the back row reads it — the item under discussion, the speaker with the countdown and who
// is next, the open vote's progress or the last published result (per option for an election,
// the elected marked) or that it was annulled, and the quorum. It only reads (the meeting doc
// and live/<meetingId>); any signed-in participant's session can show it.
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { meetingDocName } from '../../shared/doc-names.ts';
import { readDetails } from '../../shared/meeting-doc.ts';
import { useSyncedDoc, useYMap } from '../sync/hooks.ts';
import type { Api } from '../api.ts';
import { LocaleSwitch, useT } from '../i18n/index.tsx';
import { useCurrentItem, useLiveDoc, usePolls, useSpeakerList } from './live.ts';
import { useAttendance } from './use-attendance.ts';
import { shownPoll } from './model.ts';
import { CountdownView, PollProgress, QuorumBanner } from './parts.tsx';
import { AnnulledView, PollResultView } from './results.tsx';
import { revoteText } from './labels.ts';
import './room.css';

const readTitle = (d: Y.Doc) => readDetails(d).title;

export function RoomScreen({ meetingId, api }: { meetingId: string; api: Api }) {
  const { token } = api;
  const t = useT();
  const meeting = useSyncedDoc(meetingDocName(meetingId), token);
  const meetingDoc = meeting?.doc ?? null;
  const title = useYMap(meetingDoc, 'details', readTitle, '');
  const item = useCurrentItem(meetingDoc);
  const { doc } = useLiveDoc(meetingId, token);
  const { summary } = useAttendance(api, meetingId, doc);
  const list = useSpeakerList(doc, item?.id ?? null);
  const polls = usePolls(doc);
  const poll = shownPoll(polls);
  const revote = poll ? revoteText(t, poll, polls) : null;
  const speaker = list?.current ?? null;
  const next = list?.waiting.slice(0, 3) ?? [];

  return (
    <div className="room-screen">
      <header className="room-head">
        <h1 className="room-meeting">{title}</h1>
        <QuorumBanner summary={summary} className="room-quorum" />
      </header>
      <section className="room-item" aria-labelledby="room-item-label">
        <p id="room-item-label" className="room-label">{t('room.item')}</p>
        <p className="room-item-title" data-testid="room-item">{item?.title ?? t('room.noItem')}</p>
      </section>
      <div className={`room-grid${poll ? ' with-vote' : ''}`}>
        <section className="room-speaker" aria-labelledby="room-speaker-label">
          <p id="room-speaker-label" className="room-label">{t('room.speaking')}</p>
          {speaker ? (
            <>
              <p className="room-speaker-name" data-testid="room-speaker">{speaker.name}</p>
              <CountdownView countdown={speaker.countdown} label={t('proc.speak.time')} className="room-countdown" />
            </>
          ) : <p className="room-quiet">{t('room.nobody')}</p>}
          {next.length > 0 && <p className="room-next">{t('room.next', { names: next.map((s) => s.name).join(', ') })}</p>}
        </section>
        {poll && (
          <section className="room-vote" aria-labelledby="room-vote-label" data-testid="room-vote">
            <p id="room-vote-label" className="room-label">{poll.state === 'started' ? t('room.voteOpen') : t('room.result')}</p>
            <p className="room-vote-title">{poll.title}</p>
            {revote && <p className="room-revote">{revote}</p>}
            {poll.state === 'started' && <PollProgress poll={poll} className="room-progress" />}
            {poll.state === 'published' && poll.result && <PollResultView result={poll.result} className="room-result" />}
            {poll.state === 'annulled' && <AnnulledView reason={poll.annulledReason ?? null} className="room-annulled" />}
          </section>
        )}
      </div>
      <RoomTools meetingId={meetingId} />
    </div>
  );
}

/** Full screen and the way back, small in a corner and gone in full screen. */
function RoomTools({ meetingId }: { meetingId: string }) {
  const t = useT();
  const [full, setFull] = useState(() => typeof document !== 'undefined' && document.fullscreenElement !== null);
  useEffect(() => {
    const update = () => setFull(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', update);
    return () => document.removeEventListener('fullscreenchange', update);
  }, []);
  if (full) return null;
  return (
    <nav className="room-tools" aria-label={t('room.tools')}>
      <button type="button" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => {})}>{t('room.fullScreen')}</button>
      <a href={`#/m/${meetingId}`}>{t('room.back')}</a>
      <LocaleSwitch />
    </nav>
  );
}
