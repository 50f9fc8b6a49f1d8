// The delegate's ballot: the choices (ballot-choices.tsx: Yes, No, Abstain, or one toggle per
// option of a selection or strike-out ballot), `Submit vote`, a confirm step, then "Your vote was
// counted" with the receipt code of a secret ballot. The form is its own memoised component whose
// props do not follow the count: the live doc's progress ("voted 12 of 21") updates beside it,
// never through it, so a choice, the focus and the confirm step survive every live update (its
// props change once or twice per vote: the hub's word on this user's ballot, and whether any
// ballot is in). The choice is kept as a draft (ballot-draft.ts) and is never sent by itself.
import { memo, useEffect, useRef, useState } from 'react';
import { ROUTES } from '../../shared/routes.ts';
import type { BallotRules } from '../../shared/procedures/ballot.ts';
import type { Api } from '../api.ts';
import { useT } from '../i18n/index.tsx';
import { loadDraft, saveDraft, type BallotDraft } from './ballot-draft.ts';
import { ballotBody, castText, confirmText, toggleMark } from './ballot-choice.ts';
import { ApprovalChoices, OptionChoices } from './ballot-choices.tsx';
import { isConflict, needsHub, procedureCall } from './procedure-api.ts';
import { checkTracker } from './poll-queries.ts';
import { refusalOf, refusalText, type Refusal } from './refusals.ts';

type Problem = { kind: 'hub' } | { kind: 'refused'; refusal: Refusal } | null;

interface BallotFormProps {
  api: Api;
  pollId: string;
  userId: string;
  secret: boolean;
  /** The poll's method and options; the caller keeps one object per poll (VoteBox). */
  rules: BallotRules;
  /** What the hub says of this user's ballot (null: not known yet, or not asked). */
  alreadyVoted: boolean | null;
  /**
   * The live doc counts no ballot at all. A ballot of this user's counted would make it one at
   * least, so a "counted" kept from before says the chair reset the vote: it is stale.
   */
  noBallots: boolean;
}

const emptyDraft = (rules: BallotRules): BallotDraft => ({ value: null, marked: rules.method === 'selection' ? [] : null, stage: 'choosing', tracker: null });

/** The draft this tablet kept, unless the vote was reset since (see `noBallots`). */
function initialDraft(userId: string, pollId: string, rules: BallotRules, noBallots: boolean): BallotDraft {
  const kept = loadDraft(userId, pollId);
  if (!kept) return emptyDraft(rules);
  return noBallots && kept.stage !== 'choosing' ? { ...kept, stage: 'choosing', tracker: null } : kept;
}

export const BallotForm = memo(function BallotForm({ api, pollId, userId, secret, rules, alreadyVoted, noBallots }: BallotFormProps) {
  const t = useT();
  const [draft, setDraft] = useState<BallotDraft>(() => initialDraft(userId, pollId, rules, noBallots));
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<Problem>(null);
  // The hub answered 409 already_voted: counted before (another device, or a send whose answer was lost).
  const [wasCounted, setWasCounted] = useState(false);
  // Counted just now: on an upright tablet the confirmation keeps the screen until "Back to the paper".
  const [justCounted, setJustCounted] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const choiceRefs = useRef(new Map<string, HTMLButtonElement>());
  const register = (id: string, el: HTMLButtonElement | null) => {
    if (el) choiceRefs.current.set(id, el);
  };

  const keep = (next: BallotDraft) => {
    saveDraft(userId, pollId, next);
    setDraft(next);
  };
  const choice = { value: draft.value ?? null, marked: draft.marked ?? [] };
  const body = ballotBody(rules, choice);
  const counted = draft.stage === 'counted' || (alreadyVoted === true && !noBallots);

  // Focus follows the step, so a keyboard or screen-reader user is always where the next action is.
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const focusDone = useRef(false);
  useEffect(() => {
    if (counted && focusDone.current) doneRef.current?.focus();
    focusDone.current = false;
  }, [counted]);

  const send = async () => {
    if (!body || sending) return;
    const chosen = { value: draft.value, marked: draft.marked ?? null };
    setSending(true);
    setProblem(null);
    // Left the tablet: after a reload without an answer, the tablet asks the hub rather than guess.
    keep({ ...chosen, stage: 'sent', tracker: null });
    try {
      const { tracker } = (await procedureCall(api, ROUTES.ballot, { params: { id: pollId }, body })).answer;
      focusDone.current = true;
      setJustCounted(true);
      // A secret choice does not stay on the tablet once it is cast; the receipt code does.
      keep(secret ? { value: null, marked: null, stage: 'counted', tracker } : { ...chosen, stage: 'counted', tracker });
      setConfirming(false);
    } catch (err) {
      if (isConflict(err, 'already_voted')) {
        focusDone.current = true;
        setJustCounted(true);
        // The first ballot stands, not this choice: what it was is not known here.
        keep({ value: null, marked: null, stage: 'counted', tracker: null });
        setWasCounted(true);
        setConfirming(false);
      } else if (needsHub(err)) {
        // Kept, not queued: the same choice goes again when the user confirms once the hub is back.
        setProblem({ kind: 'hub' });
      } else {
        keep({ ...chosen, stage: 'choosing', tracker: null });
        setProblem({ kind: 'refused', refusal: refusalOf(err) });
        setConfirming(false);
      }
    } finally {
      setSending(false);
    }
  };

  if (counted) {
    const known = draft.stage === 'counted' && !secret && (draft.value !== null || draft.marked != null);
    const cast = known ? castText(t, rules, choice) : null;
    return (
      <div className="ballot-done" role="status" tabIndex={-1} ref={doneRef} data-takeover={justCounted}>
        <p className="ballot-counted"><span aria-hidden="true">✓ </span>{wasCounted || draft.stage !== 'counted' ? t('proc.vote.alreadyCounted') : t('proc.vote.counted')}</p>
        {cast && <p className="small">{cast}</p>}
        {secret && draft.tracker && <Receipt api={api} pollId={pollId} tracker={draft.tracker} />}
        {justCounted && <button type="button" className="primary ballot-back" onClick={() => setJustCounted(false)}>{t('proc.vote.backToPaper')}</button>}
      </div>
    );
  }
  const locked = confirming || sending;
  const backToChoice = () => {
    setConfirming(false);
    const first = draft.value ?? draft.marked?.[0] ?? rules.options[0]?.id;
    if (first) choiceRefs.current.get(first)?.focus();
  };
  return (
    <div className="ballot" data-takeover="true">
      {rules.method === 'approval' ? (
        <ApprovalChoices value={draft.value} disabled={locked} register={register}
          onPick={(v) => { setProblem(null); keep({ value: v, marked: null, stage: 'choosing', tracker: null }); }} />
      ) : (
        <OptionChoices pollId={pollId} rules={rules} marked={choice.marked} disabled={locked} register={register}
          onToggle={(id) => { setProblem(null); keep({ value: null, marked: toggleMark(rules, choice.marked, id), stage: 'choosing', tracker: null }); }} />
      )}
      {!confirming ? (
        <button type="button" className="primary ballot-submit" disabled={!body || sending} onClick={() => setConfirming(true)}>{t('proc.vote.submit')}</button>
      ) : (
        <div className="ballot-confirm" role="group" aria-labelledby={`ballot-q-${pollId}`}>
          <p id={`ballot-q-${pollId}`}>{confirmText(t, rules, choice)}</p>
          <div className="ballot-confirm-actions">
            <button type="button" className="primary" ref={confirmRef} disabled={sending} onClick={() => void send()}>{t('proc.vote.confirm')}</button>
            <button type="button" disabled={sending} onClick={backToChoice}>{t('proc.vote.change')}</button>
          </div>
        </div>
      )}
      {sending && <p className="small muted" role="status">{t('proc.vote.sending')}</p>}
      {problem?.kind === 'hub' && <p className="proc-needs-hub" role="alert">{t('proc.needsHub')} {t('proc.vote.keptDraft')}</p>}
      {problem?.kind === 'refused' && <p className="error small" role="alert">{refusalText(t, problem.refusal)}</p>}
    </div>
  );
});

/** A secret ballot's receipt code, and "Was it counted?" asked of the hub (issue item 5). */
function Receipt({ api, pollId, tracker }: { api: Api; pollId: string; tracker: string }) {
  const t = useT();
  const [check, setCheck] = useState<'idle' | 'busy' | 'counted' | 'missing' | 'hub' | 'error'>('idle');
  return (
    <div className="receipt">
      <p className="small">{t('proc.vote.receipt')} <code className="tracker" data-testid="tracker">{tracker}</code></p>
      <button type="button" disabled={check === 'busy'} onClick={() => {
        setCheck('busy');
        checkTracker(api, pollId, tracker).then((found) => setCheck(found ? 'counted' : 'missing'), (err: unknown) => setCheck(needsHub(err) ? 'hub' : 'error'));
      }}>{t('proc.vote.checkReceipt')}</button>
      {check === 'counted' && <p className="small" role="status">{t('proc.vote.receiptFound')}</p>}
      {check === 'missing' && <p className="small error" role="status">{t('proc.vote.receiptMissing')}</p>}
      {check === 'hub' && <p className="proc-needs-hub" role="status">{t('proc.needsHub')}</p>}
      {check === 'error' && <p className="small error" role="status">{t('proc.vote.receiptError')}</p>}
    </div>
  );
}
