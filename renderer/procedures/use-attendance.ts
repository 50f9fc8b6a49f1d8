// Attendance as a screen shows it: the live doc's figures and members, over the hub's answer to
// GET attendance asked once when the screen opens. The hub mirrors into the live doc what each
// command changed; a member no command has touched yet (or a meeting nobody has checked in to)
// may not be there, and the answer fills that in. Where both have a member, the live doc wins:
// it is the newer of the two, since every change after the answer reaches it.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import type * as Y from 'yjs';
import { ROUTES } from '../../shared/routes.ts';
import type { AttendanceSummary, MemberAttendance } from '../../shared/procedures/attendance.ts';
import type { Api } from '../api.ts';
import { useAttendanceSummary, useMembers } from './live.ts';
import { procedureCall } from './procedure-api.ts';

export interface AttendanceShown {
  summary: AttendanceSummary | null;
  /** By name. */
  members: MemberAttendance[];
}

export function useAttendance(api: Api, meetingId: string, doc: Y.Doc | null): AttendanceShown {
  const liveSummary = useAttendanceSummary(doc);
  const liveMembers = useMembers(doc);
  const answer = useQuery({
    queryKey: ['meeting', meetingId, 'attendance'],
    queryFn: async () => (await procedureCall(api, ROUTES.attendance, { params: { id: meetingId } })).answer,
    staleTime: Infinity,
  }).data;
  return useMemo(() => {
    const summary: AttendanceSummary | null = liveSummary ?? (answer ? {
      present: answer.present, base: answer.base, entitled: answer.entitled,
      quorum: { met: answer.quorum.met, needed: answer.quorum.needed }, checkInOpen: answer.checkInOpen, at: answer.serverTime,
    } : null);
    const byId = new Map<string, MemberAttendance>();
    for (const m of answer?.members ?? []) {
      byId.set(m.userId, { userId: m.userId, name: m.name, status: m.status, votingRight: m.votingRight, late: m.late, firstInAt: m.firstInAt, reason: m.reason });
    }
    for (const m of liveMembers) byId.set(m.userId, m);
    return { summary, members: [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }, [liveSummary, liveMembers, answer]);
}
