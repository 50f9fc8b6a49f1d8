// The console's Record tab (chair, secretary): for one agenda item at a time (the one under
// discussion first) its outcome — status, the chair's conclusion, the secretary's summary — its
// decisions with the vote that carried them and the reserved opinions on them, and its action
// items. What is shown comes from live/<meetingId>, so a second manager's change appears at once;
// every change is a command to the hub (electron/hub/routes/records.ts).
import { useId, useState } from 'react';
import type * as Y from 'yjs';
import { ROUTES } from '../../../shared/routes.ts';
import { ITEM_OUTCOME_STATUSES, type ItemOutcome, type ItemOutcomeStatus } from '../../../shared/records.ts';
import type { Api, MeetingDetail } from '../../api.ts';
import { useAccounts } from '../../data/queries.ts';
import { useT } from '../../i18n/index.tsx';
import { useAgendaItems, useCurrentItem, useLiveDoc, usePolls } from '../../procedures/live.ts';
import { procedureCall } from '../../procedures/procedure-api.ts';
import { useCommand } from '../../procedures/use-command.ts';
import { OUTCOME_LABEL, RecordFeedback } from '../parts.tsx';
import { recordOfItem } from '../record-model.ts';
import { useLiveRecord } from '../use-record.tsx';
import { ActionCard, ActionForm } from './ActionItems.tsx';
import { DecisionCard, DecisionForm } from './Decisions.tsx';
import type { People } from './people.ts';

export interface RecordPanelProps {
  api: Api;
  meetingId: string;
  meetingDoc: Y.Doc;
  meeting: MeetingDetail | null;
  announce: (m: string) => void;
}

export function RecordPanel({ api, meetingId, meetingDoc, meeting, announce }: RecordPanelProps) {
  const t = useT();
  const items = useAgendaItems(meetingDoc);
  const current = useCurrentItem(meetingDoc);
  const [chosen, setChosen] = useState<string | null>(null);
  const { doc } = useLiveDoc(meetingId, api.token);
  const record = useLiveRecord(doc);
  const polls = usePolls(doc);
  const accounts = useAccounts(api);
  const selectId = useId();
  const itemId = chosen !== null && items.some((i) => i.id === chosen) ? chosen : current?.id ?? items[0]?.id ?? null;
  if (itemId === null) return <p className="muted small">{t('rec.chair.noItems')}</p>;

  const participants = meeting?.participants ?? [];
  const people: People = {
    participants: participants.map((p) => ({ id: p.userId, name: p.name })),
    others: (accounts.data ?? []).filter((a) => !participants.some((p) => p.userId === a.id)).map((a) => ({ id: a.id, name: a.name })),
  };
  const mine = recordOfItem(record, itemId);
  const published = polls.filter((p) => p.state === 'published' && p.result);
  const ctx = { api, meetingId, itemId, locked: record.locked, announce };
  return (
    <div className="chair-panel chair-record">
      {record.locked && <p className="notice-inline" role="status">{t('rec.locked')}</p>}
      <label htmlFor={selectId}>{t('rec.chair.item')}</label>
      <select id={selectId} value={itemId} onChange={(e) => setChosen(e.target.value)}>
        {items.map((i) => <option key={i.id} value={i.id}>{i.title}</option>)}
      </select>

      <h4>{t('rec.chair.outcome')}</h4>
      <OutcomeEditor key={itemId} api={api} meetingId={meetingId} itemId={itemId} outcome={mine.outcome} locked={record.locked} announce={announce} />

      <h4>{t('rec.decisions')}</h4>
      {mine.decisions.length === 0 && <p className="muted small">{t('rec.chair.noDecisions')}</p>}
      {mine.decisions.map((d) => <DecisionCard key={d.id} ctx={ctx} decision={d} polls={polls} published={published} people={people} />)}
      {!record.locked && <DecisionForm key={`decision-${itemId}`} ctx={ctx} decision={null} polls={polls} published={published} />}

      <h4>{t('rec.actions')}</h4>
      {mine.actionItems.length === 0 && <p className="muted small">{t('rec.chair.noActions')}</p>}
      {mine.actionItems.map((a) => <ActionCard key={a.id} ctx={ctx} item={a} decisions={mine.decisions} people={people} />)}
      {!record.locked && <ActionForm key={`action-${itemId}`} ctx={ctx} item={null} decisions={mine.decisions} people={people} />}
    </div>
  );
}

interface OutcomeEditorProps {
  api: Api;
  meetingId: string;
  itemId: string;
  outcome: ItemOutcome | null;
  locked: boolean;
  announce: (m: string) => void;
}

/** The item's status, conclusion and summary; follows the live value until the manager types. */
function OutcomeEditor({ api, meetingId, itemId, outcome, locked, announce }: OutcomeEditorProps) {
  const t = useT();
  const cmd = useCommand();
  const ids = useId();
  const live = { status: outcome?.status ?? 'pending', conclusion: outcome?.conclusion ?? '', summary: outcome?.summary ?? '' };
  // null until the manager edits: the fields show the live value (another manager's change too).
  const [edited, setEdited] = useState<typeof live | null>(null);
  const draft = edited ?? live;
  const edit = (patch: Partial<typeof live>) => setEdited({ ...draft, ...patch });
  const submit = () => void cmd.run(() => procedureCall(api, ROUTES.putOutcome, { params: { id: meetingId, itemId }, body: draft })).then((ok) => {
    if (!ok) return;
    setEdited(null);
    announce(t('rec.chair.outcomeDone'));
  });
  return (
    <form className="rec-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <fieldset disabled={locked || cmd.busy}>
        <label htmlFor={`${ids}-s`}>{t('rec.chair.status')}</label>
        <select id={`${ids}-s`} value={draft.status} onChange={(e) => edit({ status: e.target.value as ItemOutcomeStatus })}>
          {ITEM_OUTCOME_STATUSES.map((s) => <option key={s} value={s}>{t(OUTCOME_LABEL[s])}</option>)}
        </select>
        <label htmlFor={`${ids}-c`}>{t('rec.conclusion')}</label>
        <textarea id={`${ids}-c`} rows={4} maxLength={20_000} value={draft.conclusion} onChange={(e) => edit({ conclusion: e.target.value })} />
        <label htmlFor={`${ids}-m`}>{t('rec.summary')}</label>
        <textarea id={`${ids}-m`} rows={4} maxLength={50_000} value={draft.summary} onChange={(e) => edit({ summary: e.target.value })} />
        <div className="ce-buttons">
          <button type="submit" className="primary">{t('rec.chair.recordOutcome')}</button>
        </div>
      </fieldset>
      <RecordFeedback command={cmd} />
    </form>
  );
}
