// The desk's live column head (issue 16): the meeting as it runs, in four lines read from the
// live document — attendance and quorum, who has the floor and how many wait, the open vote and
// its count. The controls for each are the column's tabs below; this is what to glance at.
import type * as Y from 'yjs';
import type { Api } from '../api.ts';
import { useT } from '../i18n/index.tsx';
import { useAttendanceSummary, useCurrentItem, useLiveDoc, usePolls, useSpeakerList } from '../procedures/live.ts';
import { openPoll } from '../procedures/model.ts';
import { Icon } from '../ui/icons.tsx';

export function LiveSummary({ api, meetingId, meetingDoc }: { api: Api; meetingId: string; meetingDoc: Y.Doc }) {
  const t = useT();
  const { doc } = useLiveDoc(meetingId, api.token);
  const summary = useAttendanceSummary(doc);
  const item = useCurrentItem(meetingDoc);
  const list = useSpeakerList(doc, item?.id ?? null);
  const poll = openPoll(usePolls(doc));
  const speaker = list?.current ?? null;
  return (
    <ul className="desk-summary" data-testid="desk-summary">
      <li className={summary ? (summary.quorum.met ? 'ok' : 'warn') : ''}>
        <Icon name="people" />
        <span>{summary ? t(summary.quorum.met ? 'desk.quorum.met' : 'desk.quorum.notMet', { present: summary.present, entitled: summary.base, needed: summary.quorum.needed }) : t('desk.quorumUnknown')}</span>
      </li>
      <li>
        <Icon name="clock" />
        <span>
          {speaker ? t('desk.speaking', { name: speaker.name }) : t('desk.nobodySpeaking')}
          {item && list ? ` · ${t('desk.waiting', { n: list.waiting.length })}` : ''}
        </span>
      </li>
      <li className={poll ? 'active' : ''}>
        <Icon name="vote" />
        <span>{poll ? `${t('desk.vote', { title: poll.title })} · ${t('proc.vote.voted', { n: poll.voted, m: poll.entitled })}` : t('desk.noVote')}</span>
      </li>
    </ul>
  );
}
