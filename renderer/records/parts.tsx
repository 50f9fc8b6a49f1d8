// Pieces the record's screens share: the words for statuses and kinds, a linked vote's result as
// the minutes word it, a command's refusal (the record's own codes in the reader's language), and
// the inline "Delete this for good?" every delete asks first.
import { useState } from 'react';
import type { PollResult } from '../../shared/procedures/polls.ts';
import type { ActionStatus, DecisionKind, ItemOutcomeStatus } from '../../shared/records.ts';
import { useI18n, useT, type MessageKey } from '../i18n/index.tsx';
import { CommandFeedback } from '../procedures/parts.tsx';
import type { CommandState } from '../procedures/use-command.ts';
import { formatPct, resultShare } from './record-model.ts';
import './records.css';

export const OUTCOME_LABEL: Record<ItemOutcomeStatus, MessageKey> = {
  pending: 'rec.status.pending', concluded: 'rec.status.concluded', deferred: 'rec.status.deferred', withdrawn: 'rec.status.withdrawn',
};
export const KIND_LABEL: Record<DecisionKind, MessageKey> = {
  resolution: 'rec.kind.resolution', conclusion: 'rec.kind.conclusion', approval: 'rec.kind.approval',
};
export const ACTION_LABEL: Record<ActionStatus, MessageKey> = {
  open: 'rec.action.open', in_progress: 'rec.action.in_progress', done: 'rec.action.done', cancelled: 'rec.action.cancelled',
};

/** "In favour 2/3 (66.7%), against 1, abstaining 0 — carried" (VI "Tán thành 2/3 (66,7%), …"). */
export function resultText(t: (k: MessageKey, v?: Record<string, string | number>) => string, r: PollResult, locale: string): string {
  const verdict = r.passed === null ? t('rec.result.undecided') : r.passed ? t('rec.result.passed') : t('rec.result.failed');
  if (r.options) {
    const elected = r.options.filter((o) => o.elected === true).map((o) => `${o.label} (${o.votes})`);
    return r.passed === null ? verdict : elected.length ? t('rec.result.elected', { names: elected.join(', ') }) : t('rec.result.noneElected');
  }
  const s = resultShare(r);
  return `${t('rec.result', { yes: s.yes, base: s.base, pct: formatPct(s.pct, locale), no: s.no, abstain: s.abstain })} — ${verdict}`;
}

export function ResultLine({ result, className = '' }: { result: PollResult; className?: string }) {
  const { t, locale } = useI18n();
  const tone = result.passed === null ? 'undecided' : result.passed ? 'passed' : 'failed';
  return <p className={`rec-result ${tone} ${className}`} data-testid="record-result">{resultText(t, result, locale)}</p>;
}

const RECORD_REFUSALS: Readonly<Record<string, MessageKey>> = {
  record_locked: 'rec.refusal.record_locked',
  poll_not_published: 'rec.refusal.poll_not_published',
  meeting_closed: 'rec.refusal.meeting_closed',
};

/** The hub's refusal of a record command, or that the hub is needed. */
export function RecordFeedback({ command }: { command: Pick<CommandState, 'error' | 'hubMissing'> }) {
  const t = useT();
  const key = command.error ? RECORD_REFUSALS[command.error.code] : undefined;
  if (key && !command.hubMissing) return <p className="error small" role="alert">{t(key)}</p>;
  return <CommandFeedback command={command} />;
}

/** `Delete`, then "Delete this for good?" with `Delete` and `Keep it`: nothing goes on one press. */
export function ConfirmDelete({ onDelete, busy, label }: { onDelete: () => void; busy: boolean; label?: string }) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  if (!asking) return <button type="button" className="danger" disabled={busy} onClick={() => setAsking(true)}>{label ?? t('rec.delete')}</button>;
  return (
    <span className="rec-confirm" role="group" aria-label={t('rec.deleteConfirm')}>
      <span className="small">{t('rec.deleteConfirm')}</span>
      <button type="button" className="danger primary" disabled={busy} onClick={() => { setAsking(false); onDelete(); }}>{label ?? t('rec.delete')}</button>
      <button type="button" disabled={busy} autoFocus onClick={() => setAsking(false)}>{t('rec.keep')}</button>
    </span>
  );
}
