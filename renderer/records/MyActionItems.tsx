// "My action items": every action item assigned to the user, across meetings, overdue first and
// marked (the hub orders and judges them against its own day), each opening its meeting; the
// owner reports progress here — status and evidence, the only fields an owner may change. The
// list is the hub's (`GET /api/action-items?mine=1`): a tablet without its hub says so.
import { useId, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ROUTES } from '../../shared/routes.ts';
import { ACTION_STATUSES, type ActionStatus, type ListedActionItem } from '../../shared/records.ts';
import type { Api, ApiError } from '../api.ts';
import { useI18n, useT } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { needsHub, procedureCall } from '../procedures/procedure-api.ts';
import { useCommand } from '../procedures/use-command.ts';
import { navigate } from '../route.ts';
import { ACTION_LABEL, RecordFeedback } from './parts.tsx';
import { formatDay } from './record-model.ts';

const MINE_KEY = ['action-items', 'mine'] as const;

/** The link on the meetings list. */
export function MyActionItemsLink() {
  const t = useT();
  return (
    <p className="rec-mine-link">
      <a href="#/actions" onClick={(e) => { e.preventDefault(); navigate({ name: 'actions' }); }}>{t('rec.mine.link')}</a>
    </p>
  );
}

export function MyActionItems({ api }: { api: Api }) {
  const { t, locale } = useI18n();
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const q = useQuery<{ items: ListedActionItem[]; today: string }, ApiError>({
    queryKey: [...MINE_KEY, onlyOverdue],
    queryFn: async () => (await procedureCall(api, ROUTES.actionItems, { query: { mine: '1', ...(onlyOverdue ? { overdue: '1' } : {}) } })).answer,
    placeholderData: (prev) => prev,
  });
  const items = q.data?.items ?? null;
  const overdue = items?.filter((i) => i.overdue).length ?? 0;
  const failure = q.error && q.error.status !== 401 ? (needsHub(q.error) ? t('rec.mine.needsHub') : errorText(t, q.error)) : null;
  return (
    <section className="rec-mine card" aria-labelledby="rec-mine-h">
      <p><a href="#/" onClick={(e) => { e.preventDefault(); navigate({ name: 'meetings' }); }}>{t('rec.mine.back')}</a></p>
      <h1 id="rec-mine-h">{t('rec.mine.title')}</h1>
      <label className="check">
        <input type="checkbox" checked={onlyOverdue} onChange={(e) => setOnlyOverdue(e.target.checked)} />
        {t('rec.mine.onlyOverdue')}
      </label>
      {q.data && <p className="small muted">{t('rec.mine.today', { day: formatDay(q.data.today, locale) })}{overdue > 0 && <> · <strong className="rec-overdue-count">{t('rec.mine.overdueCount', { n: overdue })}</strong></>}</p>}
      {failure && <p className="error" role="alert">{failure}</p>}
      {!items && !failure && <p className="muted" role="status">{t('rec.mine.loading')}</p>}
      {items && items.length === 0 && <p className="muted">{onlyOverdue ? t('rec.mine.emptyOverdue') : t('rec.mine.empty')}</p>}
      {items && items.length > 0 && (
        <ul className="rec-mine-list" aria-labelledby="rec-mine-h">
          {items.map((a) => <MineRow key={a.id} api={api} item={a} />)}
        </ul>
      )}
    </section>
  );
}

function MineRow({ api, item: a }: { api: Api; item: ListedActionItem }) {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const cmd = useCommand();
  const ids = useId();
  const [status, setStatus] = useState<ActionStatus>(a.status);
  const [evidence, setEvidence] = useState(a.evidence);
  const [done, setDone] = useState(false);
  const changed = status !== a.status || evidence.trim() !== a.evidence;
  const report = () => void cmd.run(() => procedureCall(api, ROUTES.updateActionItem, { params: { id: a.id }, body: { status, evidence: evidence.trim() } })).then(async (ok) => {
    if (!ok) return;
    setDone(true);
    await queries.invalidateQueries({ queryKey: MINE_KEY });
  });
  return (
    <li className={`rec-mine-row${a.overdue ? ' overdue' : ''}`} data-testid="my-action-item">
      <p className="rec-action-title">
        {a.title}
        {a.overdue && <span className="badge overdue-badge">{t('rec.action.overdue')}</span>}
      </p>
      <p className="small">
        <a href={`#/m/${a.meetingId}`} onClick={(e) => { e.preventDefault(); navigate({ name: 'meeting', meetingId: a.meetingId, paperId: null, page: 1, sha256: null }); }}>{a.meetingTitle}</a>
        {a.ownerUnit && <> · {a.ownerUnit}</>}
        {a.coUnits.length > 0 && <> · {t('rec.action.coUnits')}: {a.coUnits.join(', ')}</>}
        {' · '}{a.dueDate ? t('rec.action.dueOn', { day: formatDay(a.dueDate, locale) }) : t('rec.action.noDue')}
      </p>
      <form className="rec-mine-form" onSubmit={(e) => { e.preventDefault(); if (changed) report(); }}>
        <label htmlFor={`${ids}-s`}>{t('rec.action.status')}</label>
        <select id={`${ids}-s`} value={status} onChange={(e) => { setStatus(e.target.value as ActionStatus); setDone(false); }}>
          {ACTION_STATUSES.map((s) => <option key={s} value={s}>{t(ACTION_LABEL[s])}</option>)}
        </select>
        <label htmlFor={`${ids}-e`}>{t('rec.action.evidence')}</label>
        <input id={`${ids}-e`} value={evidence} maxLength={2000} onChange={(e) => { setEvidence(e.target.value); setDone(false); }} />
        <button type="submit" disabled={cmd.busy || !changed}>{t('rec.mine.update')}</button>
      </form>
      {done && !changed && <p className="small muted" role="status">{t('rec.mine.updated')}</p>}
      <RecordFeedback command={cmd} />
    </li>
  );
}
