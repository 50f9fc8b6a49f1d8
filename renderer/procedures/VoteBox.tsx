// The open vote on a delegate's tablet: a region named `Vote` with the poll's title, "voted n of
// m" and its countdown (live), and the ballot form (Ballot.tsx), which the live updates never
// touch. With no vote open, the last published result, or that the last vote was annulled and why.
import { useMemo } from 'react';
import type * as Y from 'yjs';
import type { BallotRules } from '../../shared/procedures/ballot.ts';
import type { PollPublic } from '../../shared/procedures/polls.ts';
import type { Api } from '../api.ts';
import { useT } from '../i18n/index.tsx';
import { BallotForm } from './Ballot.tsx';
import { rulesOf } from './ballot-choice.ts';
import { noticeText, revoteText } from './labels.ts';
import { usePolls } from './live.ts';
import { openPoll, shownPoll } from './model.ts';
import { PollProgress } from './parts.tsx';
import { AnnulledView, PollResultView } from './results.tsx';
import { useMyPollStanding } from './poll-queries.ts';

/**
 * The open poll's rules, the same object for as long as they do not change: the live doc hands
 * a new poll value on every ballot, and the memoised form must not see a new prop for that.
 */
function useRules(poll: PollPublic | null): BallotRules | null {
  const key = poll ? JSON.stringify(rulesOf(poll)) : null;
  return useMemo(() => (key ? (JSON.parse(key) as BallotRules) : null), [key]);
}

export function VoteBox({ api, doc, userId }: { api: Api; doc: Y.Doc | null; userId: string }) {
  const t = useT();
  const polls = usePolls(doc);
  const open = openPoll(polls);
  const rules = useRules(open);
  const standing = useMyPollStanding(api, open?.id ?? null);
  if (!open || !rules) {
    const last = shownPoll(polls);
    return last && (last.result || last.state === 'annulled') ? <LastResult poll={last} /> : null;
  }
  const revote = revoteText(t, open, polls);
  return (
    <section className="proc-box vote-box" role="region" aria-label={t('proc.vote.region')}>
      <h3 className="vote-title">{open.title}</h3>
      {revote && <p className="small">{revote}</p>}
      <p className="small muted">{open.visibility === 'secret' ? t('proc.vote.secret') : t('proc.vote.named')}</p>
      <PollProgress poll={open} />
      {open.notice && <p className="notice-inline small" role="status">{noticeText(t, open.notice)}</p>}
      {standing && !standing.entitled ? (
        <p className="muted" role="status">{t('proc.vote.notEntitled')}</p>
      ) : (
        <BallotForm key={open.id} api={api} pollId={open.id} userId={userId} secret={open.visibility === 'secret'} rules={rules}
          alreadyVoted={standing ? standing.voted : null} noBallots={open.voted === 0} />
      )}
    </section>
  );
}

function LastResult({ poll }: { poll: PollPublic }) {
  const t = useT();
  return (
    <div className="proc-box last-result">
      <h3>{t('proc.result.title', { title: poll.title })}</h3>
      {poll.state === 'annulled' ? <AnnulledView reason={poll.annulledReason ?? null} /> : poll.result && <PollResultView result={poll.result} />}
    </div>
  );
}
