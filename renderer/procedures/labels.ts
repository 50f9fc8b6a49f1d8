// Words and times the procedure screens share.
import type { MemberAttendance } from '../../shared/procedures/attendance.ts';
import { POLL_NOTICES, type PollPublic } from '../../shared/procedures/polls.ts';
import type { MessageKey, Translate } from '../i18n/index.tsx';

export const STATUS_LABEL: Record<MemberAttendance['status'], MessageKey> = {
  not_checked_in: 'proc.status.not_checked_in',
  present: 'proc.status.present',
  present_remote: 'proc.status.present_remote',
  absent: 'proc.status.absent',
  absent_excused: 'proc.status.absent_excused',
  left: 'proc.status.left',
};

/** 09:02 in the viewer's time zone, 24-hour in both languages (the room's habit). */
export const clockTime = (ms: number, locale: string): string =>
  new Date(ms).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const NOTICE_LABEL: Readonly<Record<string, MessageKey>> = {
  [POLL_NOTICES.deadlineExtended]: 'proc.notice.deadlineExtended',
  [POLL_NOTICES.hubRestarted]: 'proc.notice.hubRestarted',
};

/** A poll's notice in the reader's language (the hub sets it in English, by these exact texts). */
export const noticeText = (t: Translate, notice: string): string => {
  const key = NOTICE_LABEL[notice];
  return key ? t(key) : notice;
};

/** "Re-vote of “Budget 2027”", when the poll repeats one still in the list. */
export function revoteText(t: Translate, poll: Pick<PollPublic, 'revoteOf'>, polls: readonly PollPublic[]): string | null {
  if (!poll.revoteOf) return null;
  const of = polls.find((p) => p.id === poll.revoteOf);
  return of ? t('proc.vote.revoteOf', { title: of.title }) : null;
}
