// The chair's list of speakers for one agenda item (the current one unless another is chosen):
// the speaker with the countdown, start / pause / resume / end / next / +60 s, the queue with
// reorder and remove, closing the list, and adding a member; the list's settings and its
// statistics below (SpeakerSettings.tsx, SpeakerStats.tsx). Every button is one command of
// shared/procedures/speakers.ts; the hub orders the queue (points of order first) and the live
// doc shows the outcome.
import { useState } from 'react';
import type * as Y from 'yjs';
import { ROUTES } from '../../../shared/routes.ts';
import type { SpeakerControl } from '../../../shared/procedures/speakers.ts';
import type { Api } from '../../api.ts';
import { useT } from '../../i18n/index.tsx';
import { useAgendaItems, useCurrentItem, useLiveDoc, useSpeakerList } from '../live.ts';
import { useAttendance } from '../use-attendance.ts';
import { CommandFeedback, CountdownView } from '../parts.tsx';
import { procedureCall } from '../procedure-api.ts';
import { useCommand } from '../use-command.ts';
import { SpeakerSettings } from './SpeakerSettings.tsx';
import { SpeakerStats } from './SpeakerStats.tsx';

/** A command without its item: the panel adds the item it shows. */
type ItemCommand = SpeakerControl extends infer C ? (C extends SpeakerControl ? Omit<C, 'agendaItemId'> : never) : never;

export function SpeakerControls({ api, meetingId, meetingDoc, announce }: { api: Api; meetingId: string; meetingDoc: Y.Doc; announce: (m: string) => void }) {
  const t = useT();
  const { doc } = useLiveDoc(meetingId, api.token);
  const items = useAgendaItems(meetingDoc);
  const current = useCurrentItem(meetingDoc);
  const { members } = useAttendance(api, meetingId, doc);
  const [chosen, setChosen] = useState<string | null>(null);
  const [adding, setAdding] = useState('');
  const itemId = (chosen && items.some((i) => i.id === chosen) ? chosen : null) ?? current?.id ?? items[0]?.id ?? null;
  const list = useSpeakerList(doc, itemId);
  const cmd = useCommand();

  const control = (c: ItemCommand) => {
    if (itemId) void cmd.run(() => procedureCall(api, ROUTES.speakerControl, { params: { id: meetingId }, body: { ...c, agendaItemId: itemId } as SpeakerControl }));
  };
  const speaker = list?.current ?? null;
  const waiting = list?.waiting ?? [];
  const move = (index: number, by: number) => {
    const ids = waiting.map((s) => s.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id!);
    control({ action: 'reorder', speakerIds: ids });
  };

  if (items.length === 0) return <p className="muted small">{t('chair.sp.noItems')}</p>;
  return (
    <div className="chair-panel chair-speakers">
      <label>{t('chair.sp.item')}
        <select value={itemId ?? ''} onChange={(e) => setChosen(e.target.value)}>
          {items.map((i) => <option key={i.id} value={i.id}>{i.title}{i.id === current?.id ? ` (${t('agenda.current')})` : ''}</option>)}
        </select>
      </label>

      <div className="chair-speaker">
        {speaker ? (
          <>
            <p className="chair-speaker-name">{speaker.name}{speaker.kind === 'point_of_order' && <span className="badge">{t('proc.speak.pointOfOrder')}</span>}</p>
            <CountdownView countdown={speaker.countdown} label={t('proc.speak.time')} className="big" />
            <div className="ce-buttons">
              {speaker.countdown.running
                ? <button type="button" disabled={cmd.busy} onClick={() => control({ action: 'pause' })}>{t('chair.sp.pause')}</button>
                : <button type="button" disabled={cmd.busy} onClick={() => control({ action: 'resume' })}>{t('chair.sp.resume')}</button>}
              <button type="button" disabled={cmd.busy} onClick={() => control({ action: 'add_time', seconds: 60 })}>{t('chair.sp.addTime')}</button>
              <button type="button" disabled={cmd.busy} onClick={() => control({ action: 'end' })}>{t('chair.sp.end')}</button>
            </div>
          </>
        ) : <p className="muted small">{t('chair.sp.nobody')}</p>}
      </div>
      <div className="ce-buttons">
        {speaker
          ? <button type="button" className="primary" disabled={cmd.busy || waiting.length === 0} onClick={() => control({ action: 'next' })}>{t('chair.sp.next')}</button>
          : <button type="button" className="primary" disabled={cmd.busy || waiting.length === 0} onClick={() => control({ action: 'start' })}>{t('chair.sp.start')}</button>}
        {list?.closed
          ? <button type="button" disabled={cmd.busy} onClick={() => control({ action: 'open' })}>{t('chair.sp.openList')}</button>
          : <button type="button" disabled={cmd.busy} onClick={() => control({ action: 'close' })}>{t('chair.sp.closeList')}</button>}
        <button type="button" disabled={cmd.busy || !list?.lastSpeaker} onClick={() => control({ action: 'readd_last' })}>{t('chair.sp.readd')}</button>
      </div>
      {list?.closed && <p className="small muted">{t('proc.speak.closed')}</p>}

      <h4 id="sp-queue-h">{t('chair.sp.queue', { n: waiting.length })}</h4>
      {waiting.length === 0 ? <p className="muted small">{t('chair.sp.empty')}</p> : (
        <ol className="sp-queue" aria-labelledby="sp-queue-h">
          {waiting.map((s, i) => (
            <li key={s.id} className="sp-row">
              <span className="sp-name">{s.name}{s.kind === 'point_of_order' && <span className="badge">{t('proc.speak.pointOfOrder')}</span>}</span>
              <span className="sp-actions">
                <button type="button" className="icon" aria-label={t('chair.sp.up', { name: s.name })} disabled={cmd.busy || i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" className="icon" aria-label={t('chair.sp.down', { name: s.name })} disabled={cmd.busy || i === waiting.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" className="danger" disabled={cmd.busy} onClick={() => control({ action: 'remove', speakerId: s.id })}>{t('chair.sp.remove')}</button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <form className="ce-inline" onSubmit={(e) => {
        e.preventDefault();
        if (adding) control({ action: 'add', userId: adding });
        setAdding('');
      }}>
        <label className="grow">{t('chair.sp.addWho')}
          <select value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">{t('chair.sp.pick')}</option>
            {members.map((m) => <option key={m.userId} value={m.userId}>{m.name}</option>)}
          </select>
        </label>
        <button type="submit" disabled={cmd.busy || !adding}>{t('chair.sp.add')}</button>
      </form>
      <CommandFeedback command={cmd} />
      {itemId && <SpeakerSettings key={itemId} api={api} meetingId={meetingId} itemId={itemId} list={list} announce={announce} />}
      {itemId && <SpeakerStats api={api} meetingId={meetingId} itemId={itemId} rev={list?.at ?? 0} />}
    </div>
  );
}
