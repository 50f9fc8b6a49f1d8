// The choices of a ballot, as big toggle buttons (`aria-pressed`): Yes / No / Abstain for an
// approval vote; one button per option for a selection, with its rule stated above ("Choose up
// to 2 of 5") and where the choice stands below, said as it changes. On a strike-out ballot a
// pressed name is struck (drawn through, marked "struck out"); the group's name says so, so a
// screen reader hears "Strike out the names you reject…, Nguyễn Văn A, toggle button, pressed".
import type { BallotRules } from '../../shared/procedures/ballot.ts';
import { APPROVAL_VALUES, type ApprovalValue } from '../../shared/procedures/polls.ts';
import { useT } from '../i18n/index.tsx';
import { APPROVAL_LABEL, isSingleChoice, ruleText, standingText } from './ballot-choice.ts';

/** Keeps each choice's button, so the confirm step's `Change` can give the focus back. */
export type RegisterChoice = (id: string, el: HTMLButtonElement | null) => void;

export function ApprovalChoices({ value, disabled, onPick, register }: { value: ApprovalValue | null; disabled: boolean; onPick: (v: ApprovalValue) => void; register: RegisterChoice }) {
  const t = useT();
  return (
    <div className="ballot-choices" role="group" aria-label={t('proc.vote.choices')}>
      {APPROVAL_VALUES.map((v) => (
        <button key={v} type="button" className={`choice choice-${v}`} aria-pressed={value === v} disabled={disabled}
          ref={(el) => register(v, el)} onClick={() => onPick(v)}>
          {t(APPROVAL_LABEL[v])}
        </button>
      ))}
    </div>
  );
}

export function OptionChoices({ pollId, rules, marked, disabled, onToggle, register }: {
  pollId: string; rules: BallotRules; marked: readonly string[]; disabled: boolean; onToggle: (id: string) => void; register: RegisterChoice;
}) {
  const t = useT();
  const standing = standingText(t, rules, marked);
  const ruleId = `ballot-rule-${pollId}`;
  return (
    <>
      <p id={ruleId} className="ballot-rule">{ruleText(t, rules)}</p>
      <div className={`ballot-options${rules.strikeOut ? ' strike-out' : ''}${isSingleChoice(rules) ? ' single' : ''}`} role="group" aria-labelledby={ruleId}>
        {rules.options.map((o) => {
          const on = marked.includes(o.id);
          return (
            <button key={o.id} type="button" className="option" aria-pressed={on} disabled={disabled} ref={(el) => register(o.id, el)} onClick={() => onToggle(o.id)}>
              <span className="option-label">{o.label}</span>
              {rules.strikeOut && on && <span className="option-tag" aria-hidden="true">{t('proc.ballot.struck')}</span>}
            </button>
          );
        })}
      </div>
      <p className={`ballot-standing${standing.ok ? '' : ' invalid'}`} role="status" data-testid="ballot-standing">{standing.text}</p>
    </>
  );
}
