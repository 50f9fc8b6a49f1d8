// A paper's classification level in the console (issue 17, docs/classification.md): the paper
// row's level picker, listing the room's levels by their name in the reader's language. A change
// is `PATCH /api/papers/:id/classification`; the hub refuses a level it does not know, and every
// reader's list and open viewer follow (the meeting document carries the level).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { DEFAULT_LEVEL_ID } from '../../shared/classification.ts';
import { ROUTES } from '../../shared/routes.ts';
import type { Api, MeetingPaper } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { actionError } from './console-api.ts';

export function ClassifyControl(props: { api: Api; paper: MeetingPaper; refresh: () => void; announce: (msg: string) => void }) {
  const { api, paper } = props;
  const { locale, t } = useI18n();
  const levels = useQuery({ queryKey: ['classification-levels'], queryFn: () => api.call(ROUTES.classificationLevels), staleTime: 60_000 });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = paper.level ?? DEFAULT_LEVEL_ID;
  const choose = async (level: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.call(ROUTES.setPaperClassification, { params: { id: paper.id }, body: { level } });
      const name = levels.data?.find((l) => l.id === level)?.name[locale] ?? level;
      props.announce(t('classification.changed', { title: paper.title, name }));
      props.refresh();
    } catch (err) {
      setError(actionError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const list = levels.data ?? [];
  return (
    <label className="ce-level">
      <span className="small">{t('classification.level')}</span>
      <select aria-label={t('classification.levelOf', { title: paper.title })} value={current} disabled={busy || !list.length} onChange={(e) => void choose(e.target.value)}>
        {!list.some((l) => l.id === current) && <option value={current}>{current}</option>}
        {list.map((l) => <option key={l.id} value={l.id}>{l.name[locale]}</option>)}
      </select>
      {error && <span className="error small" role="alert">{error}</span>}
    </label>
  );
}
