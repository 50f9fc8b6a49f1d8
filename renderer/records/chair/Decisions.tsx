// The Record tab's decisions: each with its kind, text, the vote that carried it (its result as
// published, copied by the hub when linked) and the reserved opinions on it — which a manager may
// record for a named participant or remove — and the form that makes or edits one, linking a
// published vote of the meeting ("link the vote").
import { useId, useState } from 'react';
import type { PollPublic } from '../../../shared/procedures/polls.ts';
import { ROUTES } from '../../../shared/routes.ts';
import { DECISION_KINDS, type Decision, type DecisionKind } from '../../../shared/records.ts';
import { useI18n, useT } from '../../i18n/index.tsx';
import { procedureCall } from '../../procedures/procedure-api.ts';
import { useCommand } from '../../procedures/use-command.ts';
import { ConfirmDelete, KIND_LABEL, RecordFeedback, ResultLine, resultText } from '../parts.tsx';
import type { People, RecordCtx } from './people.ts';

interface DecisionProps {
  ctx: RecordCtx;
  decision: Decision;
  polls: PollPublic[];
  published: PollPublic[];
  people: People;
}

export function DecisionCard({ ctx, decision: d, polls, published, people }: DecisionProps) {
  const t = useT();
  const cmd = useCommand();
  const [editing, setEditing] = useState(false);
  const poll = d.pollId ? polls.find((p) => p.id === d.pollId) : null;
  const remove = () => void cmd.run(() => procedureCall(ctx.api, ROUTES.deleteDecision, { params: { id: d.id } })).then((ok) => ok && ctx.announce(t('rec.chair.decisionDeleted')));
  const removeDissent = (userId: string) => void cmd.run(() => procedureCall(ctx.api, ROUTES.deleteDissent, { params: { id: d.id, userId } }));
  if (editing) return <DecisionForm ctx={ctx} decision={d} polls={polls} published={published} onDone={() => setEditing(false)} />;
  return (
    <article className="rec-card" aria-label={t(KIND_LABEL[d.kind])} data-testid="chair-decision">
      <p className="rec-decision-text"><span className="badge muted">{t(KIND_LABEL[d.kind])}</span> {d.text}</p>
      {poll && <p className="small muted">{t('rec.voteLinked', { title: poll.title })}</p>}
      {d.result && <ResultLine result={d.result} />}
      {d.dissents.length > 0 && (
        <div className="rec-dissents" role="group" aria-label={t('rec.dissents')}>
          <span className="rec-label">{t('rec.dissents')}</span>
          {d.dissents.map((x) => (
            <div key={x.userId} className="rec-dissent-row">
              <p className="rec-dissent">{t('rec.dissent.by', { name: x.name, text: x.text })}</p>
              {!ctx.locked && <ConfirmDelete busy={cmd.busy} onDelete={() => removeDissent(x.userId)} label={t('rec.chair.dissentRemove')} />}
            </div>
          ))}
        </div>
      )}
      {!ctx.locked && (
        <>
          <div className="ce-buttons">
            <button type="button" disabled={cmd.busy} onClick={() => setEditing(true)}>{t('rec.edit')}</button>
            <ConfirmDelete busy={cmd.busy} onDelete={remove} />
          </div>
          <DissentRecorder ctx={ctx} decision={d} people={people} />
        </>
      )}
      <RecordFeedback command={cmd} />
    </article>
  );
}

/** A manager records a reserved opinion said aloud by a participant (one per person: it replaces theirs). */
function DissentRecorder({ ctx, decision, people }: { ctx: RecordCtx; decision: Decision; people: People }) {
  const t = useT();
  const cmd = useCommand();
  const ids = useId();
  const [userId, setUserId] = useState('');
  const [text, setText] = useState('');
  const submit = () => void cmd.run(() => procedureCall(ctx.api, ROUTES.putDissent, { params: { id: decision.id }, body: { text: text.trim(), userId } })).then((ok) => {
    if (!ok) return;
    setText('');
    setUserId('');
    ctx.announce(t('rec.chair.dissentDone'));
  });
  return (
    <details className="rec-dissent-recorder">
      <summary>{t('rec.chair.dissentFor')}…</summary>
      <form className="rec-form" onSubmit={(e) => { e.preventDefault(); if (userId && text.trim()) submit(); }}>
        <label htmlFor={`${ids}-u`}>{t('rec.chair.dissentFor')}</label>
        <select id={`${ids}-u`} value={userId} onChange={(e) => setUserId(e.target.value)}>
          <option value="">—</option>
          {people.participants.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
        <label htmlFor={`${ids}-t`}>{t('rec.chair.dissentText')}</label>
        <textarea id={`${ids}-t`} rows={2} maxLength={5000} value={text} onChange={(e) => setText(e.target.value)} />
        <div className="ce-buttons">
          <button type="submit" disabled={cmd.busy || !userId || !text.trim()}>{t('rec.chair.dissentRecord')}</button>
        </div>
        <RecordFeedback command={cmd} />
      </form>
    </details>
  );
}

interface FormProps {
  ctx: RecordCtx;
  /** null: a new decision on the item. */
  decision: Decision | null;
  polls: PollPublic[];
  published: PollPublic[];
  onDone?: () => void;
}

export function DecisionForm({ ctx, decision, polls, published, onDone }: FormProps) {
  const { t, locale } = useI18n();
  const cmd = useCommand();
  const ids = useId();
  const [kind, setKind] = useState<DecisionKind>(decision?.kind ?? 'resolution');
  const [text, setText] = useState(decision?.text ?? '');
  const [pollId, setPollId] = useState(decision?.pollId ?? '');
  // The item's own votes first; a vote linked before and since annulled stays choosable as it is.
  const linked = decision?.pollId ? polls.find((p) => p.id === decision.pollId) : undefined;
  const choices = [...published].sort((a, b) => Number(b.agendaItemId === ctx.itemId) - Number(a.agendaItemId === ctx.itemId) || b.at - a.at);
  if (linked && !choices.includes(linked)) choices.push(linked);
  const submit = () => void cmd.run(async () => {
    const chosen = pollId || null;
    if (decision) {
      const body = { kind, text: text.trim(), ...(chosen !== decision.pollId ? { pollId: chosen } : {}) };
      await procedureCall(ctx.api, ROUTES.updateDecision, { params: { id: decision.id }, body });
    } else {
      await procedureCall(ctx.api, ROUTES.createDecision, { params: { id: ctx.meetingId }, body: { agendaItemId: ctx.itemId, kind, text: text.trim(), pollId: chosen } });
    }
  }).then((ok) => {
    if (!ok) return;
    ctx.announce(t('rec.chair.decisionDone'));
    if (decision) onDone?.();
    else {
      setText('');
      setPollId('');
    }
  });
  return (
    <form className="rec-form ce-form" aria-label={decision ? t('rec.chair.updateDecision') : t('rec.chair.newDecision')} onSubmit={(e) => { e.preventDefault(); if (text.trim()) submit(); }}>
      {!decision && <h5>{t('rec.chair.newDecision')}</h5>}
      <label htmlFor={`${ids}-k`}>{t('rec.chair.kind')}</label>
      <select id={`${ids}-k`} value={kind} onChange={(e) => setKind(e.target.value as DecisionKind)}>
        {DECISION_KINDS.map((k) => <option key={k} value={k}>{t(KIND_LABEL[k])}</option>)}
      </select>
      <label htmlFor={`${ids}-t`}>{t('rec.chair.decisionText')}</label>
      <textarea id={`${ids}-t`} rows={3} maxLength={20_000} value={text} onChange={(e) => setText(e.target.value)} />
      <label htmlFor={`${ids}-p`}>{t('rec.chair.poll')}</label>
      <select id={`${ids}-p`} value={pollId} onChange={(e) => setPollId(e.target.value)}>
        <option value="">{t('rec.chair.noPoll')}</option>
        {choices.map((p) => <option key={p.id} value={p.id}>{p.result ? `${p.title} — ${resultText(t, p.result, locale)}` : p.title}</option>)}
      </select>
      {choices.length === 0 && <p className="small muted">{t('rec.chair.noPublished')}</p>}
      <div className="ce-buttons">
        <button type="submit" className="primary" disabled={cmd.busy || !text.trim()}>{decision ? t('rec.chair.updateDecision') : t('rec.chair.addDecision')}</button>
        {decision && <button type="button" disabled={cmd.busy} onClick={onDone}>{t('rec.cancel')}</button>}
      </div>
      <RecordFeedback command={cmd} />
    </form>
  );
}
