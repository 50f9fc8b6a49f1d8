// The chair's form for a new vote: the question; yes/no/abstain, a choice among options (k of n)
// or a strike-out ballot (gạch tên: the seats to fill); named or secret; the item; a time limit;
// the majority (kind and base, or a custom fraction) and the quorum check. `Open vote` creates the
// poll and starts it. A re-vote arrives here filled in from the poll it repeats (`revoteOf`).
import { useEffect, useRef, useState } from 'react';
import { MAJORITY_BASES, MAJORITY_KINDS, QUORUM_CHECKS, type Majority } from '../../../shared/procedures/polls.ts';
import { ROUTES } from '../../../shared/routes.ts';
import type { Api } from '../../api.ts';
import { useT, type MessageKey } from '../../i18n/index.tsx';
import type { ItemRef } from '../live.ts';
import { CommandFeedback } from '../parts.tsx';
import { procedureCall } from '../procedure-api.ts';
import { useCommand } from '../use-command.ts';
import { optionLines, USUAL_BASE, voteBody, type VoteForm as Form, type VoteKind } from './vote-form-model.ts';

const LIMITS = [0, 60, 120, 300, 600] as const;
const KINDS: readonly VoteKind[] = ['approval', 'selection', 'strike_out'];

export function VoteForm({ api, meetingId, items, currentItemId, seed, onCancelRevote, announce }: {
  api: Api; meetingId: string; items: ItemRef[]; currentItemId: string | null; seed: Form;
  onCancelRevote: () => void; announce: (m: string) => void;
}) {
  const t = useT();
  const [f, setF] = useState<Form>(seed);
  const [itemChoice, setItemChoice] = useState<string | null>(null);
  const cmd = useCommand();
  const questionRef = useRef<HTMLInputElement>(null);
  const set = (patch: Partial<Form>) => setF((prev) => ({ ...prev, ...patch }));
  const itemId = itemChoice ?? currentItemId ?? '';
  const check = voteBody(f, itemId || null);
  const optionCount = optionLines(f.optionsText).length;

  // A re-vote brings the chair to the form it filled in.
  useEffect(() => {
    if (seed.revoteOf) questionRef.current?.focus();
  }, [seed]);

  const open = () => {
    if (!check.ok) return;
    const body = check.body;
    void cmd.run(async () => {
      const { id } = (await procedureCall(api, ROUTES.createPoll, { params: { id: meetingId }, body })).answer;
      // Created, then started: if the start is refused (a quorum rule that blocks), the poll stays
      // in the list as created, with its own Start.
      await procedureCall(api, ROUTES.startPoll, { params: { id } });
      // The next vote starts from the same rules, with a question and options of its own.
      setF((prev) => ({ ...prev, title: '', optionsText: '', revoteOf: null }));
      if (seed.revoteOf) onCancelRevote();
      announce(t('chair.vote.opened', { title: body.title }));
    });
  };
  const setMajority = (kind: Majority['kind']) => set({ majority: kind, base: USUAL_BASE[kind] ?? f.base });

  return (
    <form className="ce-form vote-form" onSubmit={(e) => { e.preventDefault(); open(); }}>
      <h4>{f.revoteOf ? t('chair.vote.newRevote') : t('chair.vote.new')}</h4>
      {f.revoteOf && (
        <p className="small notice-inline revote-note">
          {t('proc.vote.revoteOf', { title: f.revoteOf.title })}{' '}
          <button type="button" className="link" onClick={onCancelRevote}>{t('chair.vote.notRevote')}</button>
        </p>
      )}
      <label>{t('chair.vote.question')}<input ref={questionRef} value={f.title} maxLength={500} onChange={(e) => set({ title: e.target.value })} /></label>
      <fieldset className="vote-kind">
        <legend>{t('chair.vote.method')}</legend>
        {KINDS.map((k) => (
          <label key={k} className="check"><input type="radio" name="vote-method" checked={f.kind === k}
            onChange={() => set({ kind: k, ...(k === 'strike_out' ? { minVotes: 1 } : {}) })} />{t(`chair.vote.method.${k}` as MessageKey)}</label>
        ))}
      </fieldset>
      {f.kind !== 'approval' && (
        <div className="vote-options">
          <label>{t('chair.vote.options')}
            <textarea rows={Math.min(8, Math.max(3, optionCount + 1))} value={f.optionsText} onChange={(e) => set({ optionsText: e.target.value })} />
          </label>
          <div className="ce-form-row">
            {f.kind === 'selection' && (
              <label>{t('chair.vote.minVotes')}<input type="number" min={0} max={200} value={f.minVotes} onChange={(e) => set({ minVotes: whole(e.target.value, 0) })} /></label>
            )}
            <label>{f.kind === 'strike_out' ? t('chair.vote.seats') : t('chair.vote.maxVotes')}
              <input type="number" min={1} max={200} value={f.maxVotes} onChange={(e) => set({ maxVotes: whole(e.target.value, 1) })} />
            </label>
          </div>
          {optionCount > 0 && <p className="small muted">{t('chair.vote.optionCount', { n: optionCount })}</p>}
        </div>
      )}
      <fieldset className="vote-kind">
        <legend>{t('chair.vote.kind')}</legend>
        <label className="check"><input type="radio" name="vote-kind" checked={!f.secret} onChange={() => set({ secret: false })} />{t('proc.vote.named')}</label>
        <label className="check"><input type="radio" name="vote-kind" checked={f.secret} onChange={() => set({ secret: true })} />{t('proc.vote.secret')}</label>
      </fieldset>
      <div className="ce-form-row">
        <label className="grow">{t('chair.vote.item')}
          <select value={itemId} onChange={(e) => setItemChoice(e.target.value)}>
            <option value="">{t('chair.vote.noItem')}</option>
            {items.map((i) => <option key={i.id} value={i.id}>{i.title}</option>)}
          </select>
        </label>
        <label>{t('chair.vote.limit')}
          <select value={f.limit} onChange={(e) => set({ limit: Number(e.target.value) })}>
            {LIMITS.map((s) => <option key={s} value={s}>{s ? t('chair.vote.minutes', { n: s / 60 }) : t('chair.vote.noLimit')}</option>)}
          </select>
        </label>
      </div>
      <fieldset className="vote-rule">
        <legend>{t('chair.vote.decidedBy')}</legend>
        <label>{t('chair.vote.majority')}
          <select value={f.majority} onChange={(e) => setMajority(e.target.value as Majority['kind'])}>
            {MAJORITY_KINDS.map((k) => <option key={k} value={k}>{t(`chair.vote.majority.${k}` as MessageKey)}</option>)}
          </select>
        </label>
        <label>{t('chair.vote.base')}
          <select value={f.base} onChange={(e) => set({ base: e.target.value as Form['base'] })}>
            {MAJORITY_BASES.map((b) => <option key={b} value={b}>{t(`chair.vote.base.${b}` as MessageKey)}</option>)}
          </select>
        </label>
        {f.kind !== 'approval' && f.base === 'yes_no' && <p className="small muted">{t('chair.vote.base.yesNoElection')}</p>}
        {f.majority === 'custom' && (
          <div className="ce-form-row quorum-share">
            <input type="number" min={1} max={1000} aria-label={t('chair.att.num')} value={f.num} onChange={(e) => set({ num: whole(e.target.value, 1) })} />
            <span aria-hidden="true">/</span>
            <input type="number" min={1} max={1000} aria-label={t('chair.att.den')} value={f.den} onChange={(e) => set({ den: whole(e.target.value, 1) })} />
            <label className="check"><input type="checkbox" checked={f.strict} onChange={(e) => set({ strict: e.target.checked })} />{t('chair.att.strict')}</label>
          </div>
        )}
        <label>{t('chair.vote.quorumCheck')}
          <select value={f.quorumCheck} onChange={(e) => set({ quorumCheck: e.target.value as Form['quorumCheck'] })}>
            {QUORUM_CHECKS.map((q) => <option key={q} value={q}>{t(`chair.vote.quorumCheck.${q}` as MessageKey)}</option>)}
          </select>
        </label>
      </fieldset>
      {!check.ok && f.title.trim() && <p className="small error" role="status">{t(check.problem, check.vars)}</p>}
      <div className="ce-form-actions">
        <button type="submit" className="primary" disabled={cmd.busy || !check.ok}>{t('chair.vote.open')}</button>
      </div>
      <CommandFeedback command={cmd} />
    </form>
  );
}

const whole = (v: string, min: number) => Math.max(min, Math.min(1000, Number.parseInt(v, 10) || min));
