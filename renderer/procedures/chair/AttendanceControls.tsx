// The secretary's and chair's attendance: the live quorum, opening and closing check-in, the
// members with their status (bulk: mark present — also after the window, the retroactive 补签 —,
// absent, excused with a reason, left), and the rules (AttendanceRules.tsx: the quorum rule and
// when an arrival counts as late). The list is the live doc's.
import { useState } from 'react';
import { ROUTES } from '../../../shared/routes.ts';
import type { QuorumRule } from '../../../shared/procedures/attendance.ts';
import type { Api } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { clockTime, STATUS_LABEL } from '../labels.ts';
import { useLiveDoc } from '../live.ts';
import { useAttendance } from '../use-attendance.ts';
import { CommandFeedback, QuorumBanner } from '../parts.tsx';
import { procedureCall } from '../procedure-api.ts';
import { useCommand } from '../use-command.ts';
import { AttendanceRules } from './AttendanceRules.tsx';

type Bulk = 'present' | 'absent' | 'absent_excused' | 'left';

export function AttendanceControls({ api, meetingId, announce }: { api: Api; meetingId: string; announce: (m: string) => void }) {
  const { t, locale } = useI18n();
  const { doc } = useLiveDoc(meetingId, api.token);
  const { summary, members } = useAttendance(api, meetingId, doc);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [reason, setReason] = useState('');
  const cmd = useCommand();

  const chosen = members.filter((m) => selected.has(m.userId)).map((m) => m.userId);
  const toggle = (userId: string, on: boolean) => setSelected((prev) => {
    const next = new Set(prev);
    if (on) next.add(userId);
    else next.delete(userId);
    return next;
  });
  const settings = (body: { checkInOpen?: boolean; quorum?: QuorumRule; lateAfterMinutes?: number }, done: string) =>
    void cmd.run(() => procedureCall(api, ROUTES.attendanceSettings, { params: { id: meetingId }, body })).then((ok) => ok && announce(done));
  const mark = (status: Bulk) => {
    if (chosen.length === 0) return;
    const body = { userIds: chosen, status, ...(status === 'absent_excused' ? { reason: reason.trim() } : {}) };
    void cmd.run(() => procedureCall(api, ROUTES.bulkAttendance, { params: { id: meetingId }, body })).then((ok) => {
      if (!ok) return;
      announce(t('chair.att.marked', { n: chosen.length, status: t(STATUS_LABEL[status]) }));
      setSelected(new Set());
      setReason('');
    });
  };

  return (
    <div className="chair-panel chair-attendance">
      <QuorumBanner summary={summary} />
      <div className="ce-buttons">
        {summary?.checkInOpen ? (
          <button type="button" disabled={cmd.busy} onClick={() => settings({ checkInOpen: false }, t('chair.att.closedNow'))}>{t('chair.att.close')}</button>
        ) : (
          <button type="button" className="primary" disabled={cmd.busy || !summary} onClick={() => settings({ checkInOpen: true }, t('chair.att.openNow'))}>{t('chair.att.open')}</button>
        )}
        <span className="small muted">{summary?.checkInOpen ? t('chair.att.isOpen') : t('chair.att.isClosed')}</span>
      </div>

      <h4 id="att-members-h">{t('chair.att.members')}</h4>
      <div className="ce-buttons">
        <button type="button" onClick={() => setSelected(new Set(members.filter((m) => m.status === 'not_checked_in').map((m) => m.userId)))}>{t('chair.att.selectMissing')}</button>
        <button type="button" disabled={selected.size === 0} onClick={() => setSelected(new Set())}>{t('chair.att.selectNone')}</button>
      </div>
      <ul className="att-list" aria-labelledby="att-members-h">
        {members.map((m) => (
          <li key={m.userId} className={`att-row status-${m.status}`}>
            <label className="check">
              <input type="checkbox" checked={selected.has(m.userId)} onChange={(e) => toggle(m.userId, e.target.checked)} />
              <span className="att-name">{m.name}</span>
            </label>
            <span className="att-status small">
              {t(STATUS_LABEL[m.status])}
              {m.firstInAt !== null && (m.status === 'present' || m.status === 'present_remote') && ` · ${clockTime(m.firstInAt, locale)}`}
              {m.late && <span className="badge late">{t('proc.checkIn.late')}</span>}
              {!m.votingRight && <span className="badge muted">{t('chair.att.noVote')}</span>}
              {m.reason && <span className="muted"> — {m.reason}</span>}
            </span>
          </li>
        ))}
      </ul>
      <fieldset className="att-bulk" disabled={cmd.busy || chosen.length === 0}>
        <legend>{t('chair.att.selected', { n: chosen.length })}</legend>
        <div className="ce-buttons">
          <button type="button" className="primary" onClick={() => mark('present')}>{t('chair.att.markPresent')}</button>
          <button type="button" onClick={() => mark('absent')}>{t('chair.att.markAbsent')}</button>
          <button type="button" onClick={() => mark('left')}>{t('chair.att.markLeft')}</button>
        </div>
        <div className="ce-inline">
          <label className="grow">{t('chair.att.reason')}
            <input value={reason} maxLength={250} onChange={(e) => setReason(e.target.value)} />
          </label>
          <button type="button" disabled={!reason.trim()} onClick={() => mark('absent_excused')}>{t('chair.att.markExcused')}</button>
        </div>
      </fieldset>
      <CommandFeedback command={cmd} />
      <AttendanceRules api={api} meetingId={meetingId} rev={summary?.at ?? 0} busy={cmd.busy} onApply={(rules) => settings(rules, t('chair.att.ruleSet'))} />
    </div>
  );
}
