// The delegate's procedures panel, in the meeting view beside the agenda and the papers: the
// live quorum, `Check in`, the open vote (VoteBox.tsx) and the list of speakers of the item under
// discussion (`Request to speak`, a point of order, "you are 3rd", the speaker's countdown).
// Everything shown comes from live/<meetingId>, which only the hub writes; every button is a
// command to the hub, and without the hub it says so plainly and sends nothing later.
import type * as Y from 'yjs';
import { ROUTES } from '../../shared/routes.ts';
import type { AttendanceSummary, MemberAttendance } from '../../shared/procedures/attendance.ts';
import type { Api } from '../api.ts';
import { useI18n, useT } from '../i18n/index.tsx';
import { clockTime, STATUS_LABEL } from './labels.ts';
import { useCurrentItem, useLiveDoc, useSpeakerList, type ItemRef } from './live.ts';
import { useAttendance } from './use-attendance.ts';
import { myRequest, queuePosition } from './model.ts';
import { CommandFeedback, CountdownView, QuorumBanner } from './parts.tsx';
import { procedureCall } from './procedure-api.ts';
import { useCommand } from './use-command.ts';
import { VoteBox } from './VoteBox.tsx';
import './procedures.css';

export interface ProceduresPanelProps {
  meetingId: string;
  /** The meeting doc's replica: which agenda item is under discussion. */
  meetingDoc: Y.Doc | null;
  api: Api;
  userId: string;
  /** The tablet's agent says its hub is away: procedures cannot be used until it is back. */
  hubOffline: boolean;
}

export function ProceduresPanel({ meetingId, meetingDoc, api, userId, hubOffline }: ProceduresPanelProps) {
  const t = useT();
  const { doc } = useLiveDoc(meetingId, api.token);
  const { summary, members } = useAttendance(api, meetingId, doc);
  const me = members.find((m) => m.userId === userId) ?? null;
  const item = useCurrentItem(meetingDoc);
  return (
    <section className="procedures" aria-labelledby="proc-h">
      <h2 id="proc-h">{t('proc.title')}</h2>
      {hubOffline && <p className="proc-needs-hub" role="status">{t('proc.needsHub')}</p>}
      <QuorumBanner summary={summary} />
      <CheckInBox api={api} meetingId={meetingId} me={me} summary={summary} />
      <VoteBox api={api} doc={doc} userId={userId} />
      <SpeakBox api={api} meetingId={meetingId} doc={doc} item={item} userId={userId} />
    </section>
  );
}

function CheckInBox({ api, meetingId, me, summary }: { api: Api; meetingId: string; me: MemberAttendance | null; summary: AttendanceSummary | null }) {
  const { t, locale } = useI18n();
  const cmd = useCommand();
  // Not a member of the room's roll (an admin looking in): nothing to check in.
  if (!me) return null;
  const present = me.status === 'present' || me.status === 'present_remote';
  return (
    <div className="proc-box checkin">
      {present ? (
        <p className="checked-in" role="status">
          <span aria-hidden="true">✓ </span>
          {me.firstInAt !== null ? t('proc.checkIn.at', { time: clockTime(me.firstInAt, locale) }) : t(STATUS_LABEL[me.status])}
          {me.late && <span className="badge late">{t('proc.checkIn.late')}</span>}
        </p>
      ) : (
        <>
          <p className="small">{t(STATUS_LABEL[me.status])}{me.reason ? ` — ${me.reason}` : ''}</p>
          {summary?.checkInOpen ? (
            <button type="button" className="primary big" disabled={cmd.busy}
              onClick={() => void cmd.run(() => procedureCall(api, ROUTES.checkIn, { params: { id: meetingId }, body: { status: 'present' } }))}>
              {t('proc.checkIn')}
            </button>
          ) : <p className="small muted">{t('proc.checkIn.closed')}</p>}
        </>
      )}
      <CommandFeedback command={cmd} />
    </div>
  );
}

function SpeakBox({ api, meetingId, doc, item, userId }: { api: Api; meetingId: string; doc: Y.Doc | null; item: ItemRef | null; userId: string }) {
  const t = useT();
  const list = useSpeakerList(doc, item?.id ?? null);
  const cmd = useCommand();
  const mine = myRequest(list, userId);
  const position = queuePosition(list, userId);
  const current = list?.current ?? null;
  const speaking = current?.userId === userId;
  const ask = (kind: 'normal' | 'point_of_order') => {
    if (item) void cmd.run(() => procedureCall(api, ROUTES.requestFloor, { params: { id: meetingId }, body: { agendaItemId: item.id, kind } }));
  };
  // Not a labelled region: its name ("List of speakers") would answer the agenda editor's
  // `Speaker` field in a manager's screen (docs/console.md, "Names, on purpose").
  return (
    <div className="proc-box speak">
      <h3>{t('proc.speak.title')}</h3>
      {!item ? <p className="small muted">{t('proc.speak.noItem')}</p> : (
        <>
          <p className="small muted">{item.title}</p>
          {current && (
            <p className={`now-speaking${speaking ? ' me' : ''}`}>
              <span>{speaking ? t('proc.speak.youHaveFloor') : t('proc.speak.speaking', { name: current.name })}</span>
              <CountdownView countdown={current.countdown} label={t('proc.speak.time')} className={speaking ? 'big' : ''} />
            </p>
          )}
          {position !== null && (
            <p className="queue-pos" role="status" data-testid="queue-position">
              {position === 1 ? t('proc.speak.next') : t('proc.speak.position', { n: position })}
              {mine?.kind === 'point_of_order' && <span className="badge">{t('proc.speak.pointOfOrder')}</span>}
            </p>
          )}
          {list && list.waiting.length > 0 && <p className="small muted">{t('proc.speak.waiting', { n: list.waiting.length })}</p>}
          <div className="proc-actions">
            {mine ? (
              <button type="button" disabled={cmd.busy}
                onClick={() => void cmd.run(() => procedureCall(api, ROUTES.withdrawFloor, { params: { id: meetingId, speakerId: mine.id } }))}>
                {t('proc.speak.withdraw')}
              </button>
            ) : !speaking && (
              <>
                {list?.closed ? <p className="small muted">{t('proc.speak.closed')}</p> : (
                  <button type="button" className="primary big" disabled={cmd.busy} onClick={() => ask('normal')}>{t('proc.speak.request')}</button>
                )}
                <button type="button" className="big" disabled={cmd.busy} onClick={() => ask('point_of_order')}>{t('proc.speak.pointOfOrder')}</button>
              </>
            )}
          </div>
        </>
      )}
      <CommandFeedback command={cmd} />
    </div>
  );
}
