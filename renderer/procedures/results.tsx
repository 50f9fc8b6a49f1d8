// A vote's result as every screen shows it (the delegate's panel, the chair's console, the room
// screen): for an approval vote the three counts with bars and whether it was adopted; for a
// selection or strike-out ballot each option's votes with a bar (its share of the valid ballots,
// since a ballot may name several) and the elected marked, then who was elected. An annulled
// vote shows that it was annulled and why.
import type { PollResult } from '../../shared/procedures/polls.ts';
import { useT } from '../i18n/index.tsx';
import { optionShare, resultShares } from './model.ts';

const verdictClass = (passed: boolean | null) => (passed === null ? 'undecided' : passed ? 'passed' : 'failed');

export function PollResultView({ result, className = '' }: { result: PollResult; className?: string }) {
  return result.options ? <OptionResult result={result} className={className} /> : <ApprovalResult result={result} className={className} />;
}

function ApprovalResult({ result, className }: { result: PollResult; className: string }) {
  const t = useT();
  const shares = resultShares(result);
  const rows = [
    { key: 'yes', label: t('proc.vote.yes'), n: result.yes, share: shares.yes },
    { key: 'no', label: t('proc.vote.no'), n: result.no, share: shares.no },
    { key: 'abstain', label: t('proc.vote.abstain'), n: result.abstain, share: shares.abstain },
  ];
  const verdict = result.passed === null ? t('proc.result.undecided') : result.passed ? t('proc.result.passed') : t('proc.result.failed');
  return (
    <div className={`poll-result ${className}`} data-testid="poll-result">
      <dl className="result-rows">
        {rows.map((r) => (
          <div key={r.key} className={`result-row result-${r.key}`}>
            <dt>{r.label}</dt>
            <dd>
              <span className="result-count">{r.n}</span>
              <span className="result-bar" aria-hidden="true"><span style={{ width: `${Math.round(r.share * 100)}%` }} /></span>
            </dd>
          </div>
        ))}
      </dl>
      <p className={`verdict ${verdictClass(result.passed)}`} data-testid="poll-verdict">{verdict}</p>
    </div>
  );
}

function OptionResult({ result, className }: { result: PollResult; className: string }) {
  const t = useT();
  const options = result.options ?? [];
  const valid = result.valid ?? result.voted ?? 0;
  const elected = options.filter((o) => o.elected === true).map((o) => o.label);
  const verdict = result.passed === null ? t('proc.result.undecided') : elected.length ? t('proc.result.electedList', { names: elected.join(', ') }) : t('proc.result.noneElected');
  return (
    <div className={`poll-result options ${className}`} data-testid="poll-result">
      <dl className="result-rows">
        {options.map((o) => (
          <div key={o.id} className={`result-row option-row${o.elected ? ' elected' : ''}`} data-testid="option-result" data-elected={String(o.elected)}>
            <dt>
              <span className="option-name">{o.label}</span>
              {o.elected && <span className="badge elected-badge"><span aria-hidden="true">✓ </span>{t('proc.result.elected')}</span>}
            </dt>
            <dd>
              <span className="result-count">{o.votes}</span>
              <span className="result-bar" aria-hidden="true"><span style={{ width: `${Math.round(optionShare(o.votes, valid) * 100)}%` }} /></span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="result-ballots small" data-testid="result-ballots">{t('proc.result.ballots', { valid, invalid: result.invalid ?? 0 })}</p>
      <p className={`verdict ${verdictClass(result.passed === null ? null : elected.length > 0)}`} data-testid="poll-verdict">{verdict}</p>
    </div>
  );
}

/** "Annulled: <reason>" — the vote decides nothing; a re-vote, if any, is a new vote. */
export function AnnulledView({ reason, className = '' }: { reason: string | null; className?: string }) {
  const t = useT();
  return (
    <p className={`annulled ${className}`} data-testid="poll-annulled">
      <span className="annulled-mark">{t('proc.result.annulled')}</span>
      {reason && <span className="annulled-reason">{t('proc.result.annulledReason', { reason })}</span>}
    </p>
  );
}
