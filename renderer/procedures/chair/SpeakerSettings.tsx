// How a list of speakers runs: the order (first come, first served, or members who have not yet
// spoken on the item first), the time each speaker gets and when the countdown turns amber — for
// the item shown, or as the meeting's default for every list without settings of its own.
import { useState } from 'react';
import { ROUTES } from '../../../shared/routes.ts';
import { SPEAKER_DEFAULTS, type SpeakerList } from '../../../shared/procedures/speakers.ts';
import type { Api } from '../../api.ts';
import { useT } from '../../i18n/index.tsx';
import { formatClock } from '../model.ts';
import { CommandFeedback } from '../parts.tsx';
import { procedureCall } from '../procedure-api.ts';
import { useCommand } from '../use-command.ts';

type SortRule = 'fifo' | 'first_time_first';
interface Settings { sortRule: SortRule; defaultTimeS: number; warnAtS: number }

const clamp = (v: string, min: number, max: number, fallback: number) => {
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) ? Math.max(min, Math.min(max, n)) : fallback;
};

/** Mounted per item (keyed by it): an edit in progress belongs to the item it was made for. */
export function SpeakerSettings({ api, meetingId, itemId, list, announce }: { api: Api; meetingId: string; itemId: string; list: SpeakerList | null; announce: (m: string) => void }) {
  const t = useT();
  const cmd = useCommand();
  const inForce: Settings = {
    sortRule: list?.sortRule ?? SPEAKER_DEFAULTS.sortRule,
    defaultTimeS: list?.defaultTimeS ?? SPEAKER_DEFAULTS.defaultTimeS,
    warnAtS: list?.warnAtS ?? SPEAKER_DEFAULTS.warnAtS,
  };
  const [edit, setEdit] = useState<Partial<Settings>>({});
  const [wholeMeeting, setWholeMeeting] = useState(false);
  const shown = { ...inForce, ...edit };
  const changed = Object.keys(edit).length > 0 || wholeMeeting;

  const apply = () => void cmd.run(() => procedureCall(api, ROUTES.speakerSettings, {
    params: { id: meetingId },
    body: { ...(wholeMeeting ? {} : { agendaItemId: itemId }), sortRule: shown.sortRule, defaultTimeS: shown.defaultTimeS, warnAtS: shown.warnAtS },
  })).then((ok) => {
    if (!ok) return;
    setEdit({});
    announce(t('chair.sp.settingsSet'));
  });

  return (
    <details className="sp-settings">
      <summary>{t('chair.sp.settings')}</summary>
      <form className="ce-form" onSubmit={(e) => { e.preventDefault(); apply(); }}>
        <label>{t('chair.sp.sortRule')}
          <select value={shown.sortRule} onChange={(e) => setEdit({ ...edit, sortRule: e.target.value as SortRule })}>
            <option value="fifo">{t('chair.sp.sortRule.fifo')}</option>
            <option value="first_time_first">{t('chair.sp.sortRule.first_time_first')}</option>
          </select>
        </label>
        <div className="ce-form-row">
          <label>{t('chair.sp.timeEach')}
            <input type="number" min={10} max={3600} step={10} value={shown.defaultTimeS}
              onChange={(e) => setEdit({ ...edit, defaultTimeS: clamp(e.target.value, 10, 3600, inForce.defaultTimeS) })} />
            <span className="small muted" aria-hidden="true">{formatClock(shown.defaultTimeS * 1000)}</span>
          </label>
          <label>{t('chair.sp.warnAt')}
            <input type="number" min={0} max={600} step={5} value={shown.warnAtS}
              onChange={(e) => setEdit({ ...edit, warnAtS: clamp(e.target.value, 0, 600, inForce.warnAtS) })} />
          </label>
        </div>
        <label className="check">
          <input type="checkbox" checked={wholeMeeting} onChange={(e) => setWholeMeeting(e.target.checked)} />
          {t('chair.sp.forMeeting')}
        </label>
        <div className="ce-form-actions">
          <button type="submit" disabled={cmd.busy || !changed}>{t('chair.sp.applySettings')}</button>
        </div>
        <CommandFeedback command={cmd} />
      </form>
    </details>
  );
}
