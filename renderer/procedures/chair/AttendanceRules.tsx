// The meeting's attendance rules, for the secretary and the chair: the quorum rule (counted
// against which members, the share needed, strictly more or not, remote attendance counted) and
// how many minutes after the start an arrival is late. The rules in force are asked of the hub
// (the live doc carries only their outcome), again whenever the hub rewrites the summary.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ROUTES } from '../../../shared/routes.ts';
import { DEFAULT_QUORUM, QUORUM_BASES, type QuorumRule } from '../../../shared/procedures/attendance.ts';
import type { Api } from '../../api.ts';
import { useT, type MessageKey } from '../../i18n/index.tsx';
import { procedureCall } from '../procedure-api.ts';

const BASE_LABEL: Record<QuorumRule['base'], MessageKey> = {
  members_total: 'chair.att.base.members_total',
  summoned: 'chair.att.base.summoned',
  entitled: 'chair.att.base.entitled',
};
/** The hub's default (docs/api.md, "Attendance and quorum"). */
const DEFAULT_LATE_AFTER = 15;

export interface AttendanceRulesChange {
  quorum?: QuorumRule;
  lateAfterMinutes?: number;
}

export function AttendanceRules({ api, meetingId, rev, busy, onApply }: { api: Api; meetingId: string; rev: number; busy: boolean; onApply: (r: AttendanceRulesChange) => void }) {
  const t = useT();
  const view = useQuery({
    queryKey: ['meeting', meetingId, 'attendance', rev],
    queryFn: async () => (await procedureCall(api, ROUTES.attendance, { params: { id: meetingId } })).answer,
    placeholderData: (prev) => prev,
  });
  const [edit, setEdit] = useState<QuorumRule | null>(null);
  const [lateEdit, setLateEdit] = useState<number | null>(null);
  const rule = edit ?? view.data?.quorum.rule ?? DEFAULT_QUORUM;
  const lateAfter = lateEdit ?? view.data?.lateAfterMinutes ?? DEFAULT_LATE_AFTER;
  const change = (patch: Partial<QuorumRule>) => setEdit({ ...rule, ...patch });
  const num = (v: string, min: number, max = 1000) => Math.max(min, Math.min(max, Number.parseInt(v, 10) || min));
  return (
    <form className="ce-form quorum-rule" onSubmit={(e) => {
      e.preventDefault();
      onApply({ ...(edit ? { quorum: edit } : {}), ...(lateEdit !== null ? { lateAfterMinutes: lateEdit } : {}) });
      setEdit(null);
      setLateEdit(null);
    }}>
      <h4>{t('chair.att.rule')}</h4>
      <label>{t('chair.att.base')}
        <select value={rule.base} onChange={(e) => change({ base: e.target.value as QuorumRule['base'] })}>
          {QUORUM_BASES.map((b) => <option key={b} value={b}>{t(BASE_LABEL[b])}</option>)}
        </select>
      </label>
      <fieldset className="quorum-share">
        <legend>{t('chair.att.share')}</legend>
        <input type="number" min={0} max={1000} aria-label={t('chair.att.num')} value={rule.num} onChange={(e) => change({ num: num(e.target.value, 0) })} />
        <span aria-hidden="true">/</span>
        <input type="number" min={1} max={1000} aria-label={t('chair.att.den')} value={rule.den} onChange={(e) => change({ den: num(e.target.value, 1) })} />
      </fieldset>
      <label className="check"><input type="checkbox" checked={rule.strict} onChange={(e) => change({ strict: e.target.checked })} />{t('chair.att.strict')}</label>
      <label className="check"><input type="checkbox" checked={rule.countRemote} onChange={(e) => change({ countRemote: e.target.checked })} />{t('chair.att.countRemote')}</label>
      <label>{t('chair.att.lateAfter')}
        <input type="number" min={0} max={1440} value={lateAfter} onChange={(e) => setLateEdit(num(e.target.value, 0, 1440))} />
      </label>
      <div className="ce-form-actions">
        <button type="submit" disabled={busy || (edit === null && lateEdit === null)}>{t('chair.att.applyRule')}</button>
      </div>
    </form>
  );
}
