// The list of speakers in figures, for the chair (GET speakerStats): for the item shown and for
// the whole meeting, the turns, the time spoken in all and on average, the first-time speakers,
// each speaker's turns and time, and who has not spoken at all — the fairness the brief asks the
// chair to keep an eye on. Asked again whenever the hub rewrites the item's list.
import { useQuery } from '@tanstack/react-query';
import { ROUTES } from '../../../shared/routes.ts';
import type { SpeakerStats as Stats } from '../../../shared/procedures/speakers.ts';
import type { Api } from '../../api.ts';
import { useT } from '../../i18n/index.tsx';
import { formatClock } from '../model.ts';
import { procedureCall } from '../procedure-api.ts';

type Figures = Stats['meeting'];
const NONE = { turns: 0, totalMs: 0, avgMs: 0, firstTimers: 0, speakers: [] };

export function SpeakerStats({ api, meetingId, itemId, rev }: { api: Api; meetingId: string; itemId: string; rev: number }) {
  const t = useT();
  const q = useQuery({
    queryKey: ['meeting', meetingId, 'speakerStats', rev],
    queryFn: async () => (await procedureCall(api, ROUTES.speakerStats, { params: { id: meetingId } })).answer,
    placeholderData: (prev) => prev,
  });
  const stats = q.data;
  if (!stats) return null;
  const item = stats.items.find((i) => i.agendaItemId === itemId) ?? NONE;
  const meeting: Figures = stats.meeting;
  const rows = [
    { key: 'turns', label: t('chair.sp.stats.turns'), item: String(item.turns), meeting: String(meeting.turns) },
    { key: 'total', label: t('chair.sp.stats.total'), item: formatClock(item.totalMs), meeting: formatClock(meeting.totalMs) },
    { key: 'avg', label: t('chair.sp.stats.avg'), item: formatClock(item.avgMs), meeting: formatClock(meeting.avgMs) },
    { key: 'first', label: t('chair.sp.stats.firstTimers'), item: String(item.firstTimers), meeting: String(meeting.firstTimers) },
  ];
  const spokeHere = [...item.speakers].sort((a, b) => b.totalMs - a.totalMs);
  return (
    <section className="sp-stats" aria-labelledby="sp-stats-h" data-testid="speaker-stats">
      <h4 id="sp-stats-h">{t('chair.sp.stats')}</h4>
      <table>
        <thead>
          <tr><td /><th scope="col">{t('chair.sp.stats.item')}</th><th scope="col">{t('chair.sp.stats.meeting')}</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`stat-${r.key}`}><th scope="row">{r.label}</th><td>{r.item}</td><td>{r.meeting}</td></tr>
          ))}
        </tbody>
      </table>
      {spokeHere.length > 0 && (
        <ul className="sp-stats-people" aria-label={t('chair.sp.stats.who')}>
          {spokeHere.map((s) => (
            <li key={s.userId}>{t('chair.sp.stats.person', { name: s.name, turns: s.turns, time: formatClock(s.totalMs) })}</li>
          ))}
        </ul>
      )}
      <p className="small" data-testid="never-spoke">
        {meeting.neverSpoke.length
          ? t('chair.sp.stats.neverSpoke', { names: meeting.neverSpoke.map((p) => p.name).join(', ') })
          : t('chair.sp.stats.allSpoke')}
      </p>
    </section>
  );
}
