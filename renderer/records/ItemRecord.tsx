// An agenda item's record as everyone taking part sees it, under the item in the meeting view's
// agenda: its outcome and the chair's conclusion, the decisions with the result of the vote that
// carried them and the reserved opinions on them, and the action items. Read-only, but for the
// reader's own reserved opinion on a decision (`Add my reserved opinion`). No list elements: the
// agenda is a list whose items are its items (outside tests count them).
import { useState } from 'react';
import { ROUTES } from '../../shared/routes.ts';
import type { ActionItem, Decision } from '../../shared/records.ts';
import { useI18n, useT } from '../i18n/index.tsx';
import { procedureCall } from '../procedures/procedure-api.ts';
import { useCommand } from '../procedures/use-command.ts';
import { ACTION_LABEL, ConfirmDelete, KIND_LABEL, OUTCOME_LABEL, RecordFeedback, ResultLine } from './parts.tsx';
import { formatDay, recordOfItem } from './record-model.ts';
import { useRecordScope, type RecordScopeValue } from './use-record.tsx';

export function ItemRecord({ itemId }: { itemId: string }) {
  const t = useT();
  const scope = useRecordScope();
  if (!scope) return null;
  const { outcome, decisions, actionItems } = recordOfItem(scope.record, itemId);
  const concluded = outcome && outcome.status !== 'pending';
  if (!concluded && !outcome?.conclusion && decisions.length === 0 && actionItems.length === 0) return null;
  return (
    <div className="item-record" data-testid="item-record">
      {concluded && <span className={`badge rec-status status-${outcome.status}`}>{t(OUTCOME_LABEL[outcome.status])}</span>}
      {outcome?.conclusion && (
        <p className="rec-conclusion"><span className="rec-label">{t('rec.conclusion')}: </span>{outcome.conclusion}</p>
      )}
      {decisions.map((d) => <DecisionView key={d.id} decision={d} scope={scope} />)}
      {actionItems.length > 0 && (
        <div className="rec-actions" role="group" aria-label={t('rec.actions')}>
          <span className="rec-label">{t('rec.actions')}</span>
          {actionItems.map((a) => <ActionLine key={a.id} item={a} mine={a.ownerUserId === scope.userId} />)}
        </div>
      )}
    </div>
  );
}

function DecisionView({ decision: d, scope }: { decision: Decision; scope: RecordScopeValue }) {
  const t = useT();
  const poll = d.pollId ? scope.polls.find((p) => p.id === d.pollId) : null;
  return (
    <div className="rec-decision" data-testid="record-decision">
      <p className="rec-decision-text"><span className="badge muted">{t(KIND_LABEL[d.kind])}</span> {d.text}</p>
      {d.result && (
        <>
          {poll && <p className="small muted">{t('rec.voteLinked', { title: poll.title })}{poll.visibility === 'secret' ? ` · ${t('rec.result.secret')}` : ''}</p>}
          <ResultLine result={d.result} />
        </>
      )}
      {d.dissents.length > 0 && (
        <div className="rec-dissents" role="group" aria-label={t('rec.dissents')}>
          <span className="rec-label">{t('rec.dissents')}</span>
          {d.dissents.map((x) => <p key={x.userId} className="rec-dissent">{t('rec.dissent.by', { name: x.name, text: x.text })}</p>)}
        </div>
      )}
      {!scope.record.locked && <MyDissent decision={d} scope={scope} />}
    </div>
  );
}

/** The reader's own reserved opinion on a decision: add, change or withdraw it. */
function MyDissent({ decision, scope }: { decision: Decision; scope: RecordScopeValue }) {
  const t = useT();
  const cmd = useCommand();
  const mine = decision.dissents.find((x) => x.userId === scope.userId) ?? null;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [done, setDone] = useState('');
  const fieldId = `dissent-${decision.id}`;
  const submit = () => void cmd.run(() => procedureCall(scope.api, ROUTES.putDissent, { params: { id: decision.id }, body: { text: text.trim() } })).then((ok) => {
    if (!ok) return;
    setEditing(false);
    setDone(t('rec.dissent.done'));
  });
  const withdraw = () => void cmd.run(() => procedureCall(scope.api, ROUTES.deleteDissent, { params: { id: decision.id, userId: scope.userId } })).then((ok) => {
    if (ok) setDone(t('rec.dissent.withdrawn'));
  });
  return (
    <div className="rec-my-dissent">
      {editing ? (
        <form className="rec-form" onSubmit={(e) => { e.preventDefault(); if (text.trim()) submit(); }}>
          <label htmlFor={fieldId}>{t('rec.dissent.field')}</label>
          <textarea id={fieldId} value={text} maxLength={5000} rows={3} autoFocus onChange={(e) => setText(e.target.value)} />
          <div className="ce-buttons">
            <button type="submit" className="primary" disabled={cmd.busy || !text.trim()}>{t('rec.dissent.submit')}</button>
            <button type="button" disabled={cmd.busy} onClick={() => setEditing(false)}>{t('rec.cancel')}</button>
          </div>
        </form>
      ) : (
        <div className="ce-buttons">
          <button type="button" disabled={cmd.busy} onClick={() => { setText(mine?.text ?? ''); setDone(''); setEditing(true); }}>
            {mine ? t('rec.dissent.change') : t('rec.dissent.add')}
          </button>
          {mine && <ConfirmDelete busy={cmd.busy} onDelete={withdraw} label={t('rec.dissent.withdraw')} />}
        </div>
      )}
      {done && <p className="small muted" role="status">{done}</p>}
      <RecordFeedback command={cmd} />
    </div>
  );
}

function ActionLine({ item: a, mine }: { item: ActionItem; mine: boolean }) {
  const { t, locale } = useI18n();
  const who = [a.ownerName, a.ownerUnit].filter(Boolean).join(' · ');
  return (
    <div className={`rec-action${a.overdue ? ' overdue' : ''}${mine ? ' mine' : ''}`} data-testid="record-action">
      <span className="rec-action-title">{a.title}</span>
      {(who || a.coUnits.length > 0) && (
        <span className="small muted">{who}{a.coUnits.length > 0 && ` (${t('rec.action.coUnits')}: ${a.coUnits.join(', ')})`}</span>
      )}
      <span className="small">
        {a.dueDate ? t('rec.action.dueOn', { day: formatDay(a.dueDate, locale) }) : t('rec.action.noDue')}
        <span className="badge muted">{t(ACTION_LABEL[a.status])}</span>
        {a.overdue && <span className="badge overdue-badge">{t('rec.action.overdue')}</span>}
      </span>
    </div>
  );
}
