// One vote in the chair's list: its state, rule and progress, who has not voted (managers only),
// the hub's notices (a deadline extended after a hub restart), the result, and the steps its
// state allows — start, close (asking first while fewer have voted than may vote or are
// present), publish, reset, annul with a reason, and re-vote (a new vote filled in from this one).
import { useState } from 'react';
import { ROUTES } from '../../../shared/routes.ts';
import type { PollDetail, PollPublic } from '../../../shared/procedures/polls.ts';
import type { Api } from '../../api.ts';
import { useT, type MessageKey } from '../../i18n/index.tsx';
import { rulesOf, ruleText } from '../ballot-choice.ts';
import { noticeText, revoteText } from '../labels.ts';
import { CommandFeedback, PollProgress } from '../parts.tsx';
import { fetchPollDetail, usePollDetail } from '../poll-queries.ts';
import { procedureCall } from '../procedure-api.ts';
import { AnnulledView, PollResultView } from '../results.tsx';
import { useCommand } from '../use-command.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';

const STATE_LABEL: Record<PollPublic['state'], MessageKey> = {
  created: 'chair.vote.state.created',
  started: 'chair.vote.state.started',
  finished: 'chair.vote.state.finished',
  published: 'chair.vote.state.published',
  annulled: 'chair.vote.state.annulled',
};
type Step = typeof ROUTES.startPoll | typeof ROUTES.stopPoll | typeof ROUTES.publishPoll | typeof ROUTES.resetPoll;

export function PollRow({ api, poll, polls, present, onRevote, announce }: {
  api: Api; poll: PollPublic; polls: readonly PollPublic[];
  /** Voting members present now (the live quorum banner's figure). */
  present: number;
  onRevote: (detail: PollDetail) => void; announce: (m: string) => void;
}) {
  const t = useT();
  const cmd = useCommand();
  const [confirmClose, setConfirmClose] = useState(false);
  const [annulling, setAnnulling] = useState(false);
  // Resetting discards every ballot cast: it asks first (issue 16).
  const [confirmReset, setConfirmReset] = useState(false);
  const [reason, setReason] = useState('');
  const detail = usePollDetail(api, poll.id, poll.state, poll.voted, poll.state === 'started' || poll.state === 'finished');
  const step = (def: Step, done: string) =>
    void cmd.run(() => procedureCall(api, def, { params: { id: poll.id } })).then((ok) => {
      setConfirmClose(false);
      if (ok) announce(done);
    });
  const annul = () => void cmd.run(() => procedureCall(api, ROUTES.annulPoll, { params: { id: poll.id }, body: { reason: reason.trim() } })).then((ok) => {
    // Closed either way, so a refusal shows in the row (the reason is kept for another try).
    setAnnulling(false);
    if (!ok) return;
    setReason('');
    announce(t('chair.vote.annulledNow'));
  });
  const revote = () => void cmd.run(async () => onRevote(await fetchPollDetail(api, poll.id)));
  const result = poll.result ?? detail?.result ?? null;
  const notVoted = poll.state === 'started' ? detail?.notVoted ?? null : null;
  // Ask before closing while someone who may vote (or who is in the room) has not.
  const waitingFor = Math.max(poll.entitled, present);
  const revoteOf = revoteText(t, poll, polls);
  const canAnnul = poll.state !== 'annulled';
  const canRevote = poll.state === 'finished' || poll.state === 'published' || poll.state === 'annulled';
  return (
    <li className={`poll-row state-${poll.state}`} aria-labelledby={`poll-${poll.id}`}>
      <p className="poll-row-head">
        <span id={`poll-${poll.id}`} className="poll-row-title">{poll.title}</span>
        <span className="badge muted">{t(STATE_LABEL[poll.state])}</span>
        {poll.visibility === 'secret' && <span className="badge muted">{t('proc.vote.secretShort')}</span>}
      </p>
      {poll.method === 'selection' && <p className="small muted">{ruleText(t, rulesOf(poll))}</p>}
      {revoteOf && <p className="small">{revoteOf}</p>}
      {(poll.state === 'started' || poll.state === 'finished') && <PollProgress poll={poll} />}
      {poll.notice && <p className="small notice-inline" role="status" data-testid="poll-notice">{noticeText(t, poll.notice)}</p>}
      {detail?.warning && <p className="small notice-inline">{detail.warning}</p>}
      {notVoted && notVoted.length > 0 && (
        <p className="small not-voted" data-testid="not-voted">{t('chair.vote.notVoted', { names: notVoted.map((p) => p.name).join(', ') })}</p>
      )}
      {poll.state === 'annulled' && <AnnulledView reason={poll.annulledReason ?? null} />}
      {result && poll.state !== 'started' && <PollResultView result={result} className={poll.state === 'annulled' ? 'on-record' : ''} />}
      <div className="ce-buttons">
        {poll.state === 'created' && <button type="button" className="primary" disabled={cmd.busy} onClick={() => step(ROUTES.startPoll, t('chair.vote.startedNow'))}>{t('chair.vote.start')}</button>}
        {poll.state === 'started' && !confirmClose && (
          <button type="button" className="primary" disabled={cmd.busy}
            onClick={() => (poll.voted < waitingFor ? setConfirmClose(true) : step(ROUTES.stopPoll, t('chair.vote.closedNow')))}>{t('chair.vote.close')}</button>
        )}
        {poll.state === 'started' && confirmClose && (
          <>
            <span className="small">{t('chair.vote.closeEarly', { n: poll.voted, m: poll.entitled, present })}</span>
            <button type="button" className="primary" disabled={cmd.busy} onClick={() => step(ROUTES.stopPoll, t('chair.vote.closedNow'))}>{t('chair.vote.closeAnyway')}</button>
            <button type="button" disabled={cmd.busy} onClick={() => setConfirmClose(false)}>{t('chair.vote.keepOpen')}</button>
          </>
        )}
        {poll.state === 'finished' && (
          <>
            <button type="button" className="primary" disabled={cmd.busy} onClick={() => step(ROUTES.publishPoll, t('chair.vote.publishedNow'))}>{t('chair.vote.publish')}</button>
            <button type="button" disabled={cmd.busy} onClick={() => setConfirmReset(true)}>{t('chair.vote.reset')}</button>
          </>
        )}
        {canRevote && <button type="button" disabled={cmd.busy} onClick={revote}>{t('chair.vote.revote')}</button>}
        {canAnnul && !annulling && <button type="button" className="danger" disabled={cmd.busy} onClick={() => setAnnulling(true)}>{t('chair.vote.annul')}</button>}
      </div>
      {annulling && (
        <ConfirmDialog title={t('confirm.annul.title')} message={t('confirm.annul.message', { title: poll.title })}
          confirmLabel={t('chair.vote.annulConfirm')} cancelLabel={t('chair.vote.annulCancel')} busy={cmd.busy} confirmDisabled={!reason.trim()}
          onCancel={() => { setAnnulling(false); setReason(''); }} onConfirm={annul}>
          <label>{t('chair.vote.annulReason')}
            <input value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </label>
        </ConfirmDialog>
      )}
      {confirmReset && (
        <ConfirmDialog title={t('confirm.reset.title')} message={t('confirm.reset.message', { title: poll.title })} confirmLabel={t('confirm.reset.action')}
          onCancel={() => setConfirmReset(false)} onConfirm={() => { setConfirmReset(false); step(ROUTES.resetPoll, t('chair.vote.resetNow')); }} />
      )}
      <CommandFeedback command={cmd} />
    </li>
  );
}
