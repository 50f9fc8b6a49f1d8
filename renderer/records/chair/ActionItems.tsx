// The Record tab's action items: each with its owner and lead unit, supporting units, due day,
// status (overdue marked) and evidence, and the form that assigns or edits one — the owner a
// participant or any account, the decision it follows from one of the item's.
import { useId, useState } from 'react';
import { ROUTES } from '../../../shared/routes.ts';
import { ACTION_STATUSES, type ActionItem, type ActionStatus, type Decision } from '../../../shared/records.ts';
import { useI18n, useT } from '../../i18n/index.tsx';
import { procedureCall } from '../../procedures/procedure-api.ts';
import { useCommand } from '../../procedures/use-command.ts';
import { ACTION_LABEL, ConfirmDelete, RecordFeedback } from '../parts.tsx';
import { formatDay, parseUnits } from '../record-model.ts';
import type { People, RecordCtx } from './people.ts';

interface CardProps {
  ctx: RecordCtx;
  item: ActionItem;
  decisions: Decision[];
  people: People;
}

export function ActionCard({ ctx, item: a, decisions, people }: CardProps) {
  const { t, locale } = useI18n();
  const cmd = useCommand();
  const [editing, setEditing] = useState(false);
  const remove = () => void cmd.run(() => procedureCall(ctx.api, ROUTES.deleteActionItem, { params: { id: a.id } })).then((ok) => ok && ctx.announce(t('rec.chair.actionDeleted')));
  if (editing) return <ActionForm ctx={ctx} item={a} decisions={decisions} people={people} onDone={() => setEditing(false)} />;
  const decision = a.decisionId ? decisions.find((d) => d.id === a.decisionId) : null;
  return (
    <article className={`rec-card rec-action-card${a.overdue ? ' overdue' : ''}`} aria-label={a.title} data-testid="chair-action">
      <p className="rec-action-title">{a.title}</p>
      <p className="small">
        {[a.ownerName, a.ownerUnit].filter(Boolean).join(' · ') || t('rec.chair.noOwner')}
        {a.coUnits.length > 0 && <> · {t('rec.action.coUnits')}: {a.coUnits.join(', ')}</>}
      </p>
      <p className="small">
        {a.dueDate ? t('rec.action.dueOn', { day: formatDay(a.dueDate, locale) }) : t('rec.action.noDue')}
        <span className="badge muted">{t(ACTION_LABEL[a.status])}</span>
        {a.overdue && <span className="badge overdue-badge">{t('rec.action.overdue')}</span>}
      </p>
      {decision && <p className="small muted">{t('rec.action.forDecision', { text: decision.text })}</p>}
      {a.evidence && <p className="small">{t('rec.action.evidence')}: {a.evidence}</p>}
      <div className="ce-buttons">
        <button type="button" disabled={cmd.busy} onClick={() => setEditing(true)}>{t('rec.edit')}</button>
        {!ctx.locked && <ConfirmDelete busy={cmd.busy} onDelete={remove} />}
      </div>
      <RecordFeedback command={cmd} />
    </article>
  );
}

interface FormProps {
  ctx: RecordCtx;
  /** null: a new action item on the item. */
  item: ActionItem | null;
  decisions: Decision[];
  people: People;
  onDone?: () => void;
}

export function ActionForm({ ctx, item, decisions, people, onDone }: FormProps) {
  const t = useT();
  const cmd = useCommand();
  const ids = useId();
  const [title, setTitle] = useState(item?.title ?? '');
  const [owner, setOwner] = useState(item?.ownerUserId ?? '');
  const [unit, setUnit] = useState(item?.ownerUnit ?? '');
  const [coUnits, setCoUnits] = useState((item?.coUnits ?? []).join('\n'));
  const [due, setDue] = useState(item?.dueDate ?? '');
  const [decisionId, setDecisionId] = useState(item?.decisionId ?? '');
  const [status, setStatus] = useState<ActionStatus>(item?.status ?? 'open');
  const [evidence, setEvidence] = useState(item?.evidence ?? '');
  // Once the record is locked only the progress (status, evidence) may still change.
  const progressOnly = ctx.locked;
  const submit = () => void cmd.run(async () => {
    const fields = { title: title.trim(), ownerUserId: owner || null, ownerUnit: unit.trim(), coUnits: parseUnits(coUnits), dueDate: due || null };
    if (item) {
      const body = progressOnly ? { status, evidence: evidence.trim() } : { ...fields, status, evidence: evidence.trim() };
      await procedureCall(ctx.api, ROUTES.updateActionItem, { params: { id: item.id }, body });
    } else {
      await procedureCall(ctx.api, ROUTES.createActionItem, { params: { id: ctx.meetingId }, body: { ...fields, agendaItemId: ctx.itemId, decisionId: decisionId || null } });
    }
  }).then((ok) => {
    if (!ok) return;
    ctx.announce(t('rec.chair.actionDone'));
    if (item) onDone?.();
    else {
      setTitle('');
      setOwner('');
      setUnit('');
      setCoUnits('');
      setDue('');
      setDecisionId('');
    }
  });
  const ownerKnown = !owner || [...people.participants, ...people.others].some((p) => p.id === owner);
  return (
    <form className="rec-form ce-form" aria-label={item ? t('rec.chair.updateAction') : t('rec.chair.newAction')} onSubmit={(e) => { e.preventDefault(); if (title.trim()) submit(); }}>
      {!item && <h5>{t('rec.chair.newAction')}</h5>}
      <fieldset disabled={progressOnly}>
        <label htmlFor={`${ids}-t`}>{t('rec.chair.task')}</label>
        <input id={`${ids}-t`} value={title} maxLength={2000} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor={`${ids}-o`}>{t('rec.action.owner')}</label>
        <select id={`${ids}-o`} value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">{t('rec.chair.noOwner')}</option>
          <optgroup label={t('rec.chair.participants')}>
            {people.participants.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </optgroup>
          {people.others.length > 0 && (
            <optgroup label={t('rec.chair.otherAccounts')}>
              {people.others.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
            </optgroup>
          )}
          {!ownerKnown && <option value={owner}>{item?.ownerName ?? owner}</option>}
        </select>
        <label htmlFor={`${ids}-u`}>{t('rec.action.unit')}</label>
        <input id={`${ids}-u`} value={unit} maxLength={500} onChange={(e) => setUnit(e.target.value)} />
        <label htmlFor={`${ids}-c`}>{t('rec.action.coUnits')} <span className="muted">({t('rec.chair.coUnitsHint')})</span></label>
        <textarea id={`${ids}-c`} rows={2} value={coUnits} onChange={(e) => setCoUnits(e.target.value)} />
        <label htmlFor={`${ids}-d`}>{t('rec.action.due')}</label>
        <input id={`${ids}-d`} type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        {!item && decisions.length > 0 && (
          <>
            <label htmlFor={`${ids}-x`}>{t('rec.chair.decision')}</label>
            <select id={`${ids}-x`} value={decisionId} onChange={(e) => setDecisionId(e.target.value)}>
              <option value="">{t('rec.chair.noDecision')}</option>
              {decisions.map((d) => <option key={d.id} value={d.id}>{d.text.length > 80 ? `${d.text.slice(0, 80)}…` : d.text}</option>)}
            </select>
          </>
        )}
      </fieldset>
      {item && (
        <>
          <label htmlFor={`${ids}-s`}>{t('rec.action.status')}</label>
          <select id={`${ids}-s`} value={status} onChange={(e) => setStatus(e.target.value as ActionStatus)}>
            {ACTION_STATUSES.map((s) => <option key={s} value={s}>{t(ACTION_LABEL[s])}</option>)}
          </select>
          <label htmlFor={`${ids}-e`}>{t('rec.action.evidence')}</label>
          <input id={`${ids}-e`} value={evidence} maxLength={2000} onChange={(e) => setEvidence(e.target.value)} />
        </>
      )}
      <div className="ce-buttons">
        <button type="submit" className="primary" disabled={cmd.busy || !title.trim()}>{item ? t('rec.chair.updateAction') : t('rec.chair.assign')}</button>
        {item && <button type="button" disabled={cmd.busy} onClick={onDone}>{t('rec.cancel')}</button>}
      </div>
      <RecordFeedback command={cmd} />
    </form>
  );
}
