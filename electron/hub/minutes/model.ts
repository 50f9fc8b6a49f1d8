// Builds the minutes' model (shared/minutes.ts) from what the hub holds about a meeting: the
// meeting and its papers (hub-db), the roll (attendance), the agenda (the meeting's Yjs document),
// who had the floor on each item (speakers), the published votes (polls) and the record —
// conclusions, decisions with their dissents, action items — from the record's store through
// RecordSource. Read-only: the service calls it for a preview, and once more to issue.
import type { HubDb } from '../hub-db.ts';
import type { AttendanceStore } from '../procedures/attendance-store.ts';
import type { Poll, PollStore } from '../procedures/poll-store.ts';
import type { SpeakerStore } from '../procedures/speakers-store.ts';
import type { AgendaItem } from '../../../shared/meeting-doc.ts';
import type { MinutesFields, MinutesModel, MinutesVote } from '../../../shared/minutes.ts';
import type { PollResult } from '../../../shared/procedures/polls.ts';
import type { MeetingRecord } from '../../../shared/records.ts';

/** Where the minutes read the meeting's record from (the hub passes its RecordStore). */
export interface RecordSource {
  record(meetingId: string): MeetingRecord;
}

export interface ModelSources {
  db: HubDb;
  attendance: AttendanceStore;
  speakers: SpeakerStore;
  polls: PollStore;
  records: RecordSource;
  /** The agenda in display order, from the meeting's document. */
  agenda(meetingId: string): AgendaItem[];
}

export interface ModelExtras {
  /** The issued number, or null for a draft. */
  number: string | null;
  /** The draft was read out to the meeting. */
  readOut: boolean;
}

/** A published result as the minutes count it: everyone entitled when the vote opened is the base. */
export function voteOf(id: string, title: string, secret: boolean, r: PollResult): MinutesVote {
  const base = r.entitled ?? r.yes + r.no + r.abstain;
  if (r.options) {
    // An election's "not voting" is everyone entitled who cast no valid ballot.
    const valid = r.valid ?? Math.min(base, r.voted ?? base);
    return {
      pollId: id, title, secret, yes: 0, no: 0, noVote: Math.max(0, base - valid), base, passed: r.passed,
      options: r.options.map((o) => ({ label: o.label, votes: o.votes, elected: o.elected })),
    };
  }
  return { pollId: id, title, secret, yes: r.yes, no: r.no, noVote: Math.max(0, base - r.yes - r.no), base, passed: r.passed };
}

const pollVote = (p: Poll): MinutesVote | null => (p.state === 'published' && p.result ? voteOf(p.id, p.title, p.visibility === 'secret', p.result) : null);

export function buildMinutesModel(src: ModelSources, meetingId: string, f: MinutesFields, extras: ModelExtras): MinutesModel {
  const meeting = src.db.meeting(meetingId);
  if (!meeting) throw new Error(`no meeting ${meetingId}`);
  const participants = src.db.participants(meetingId);
  const namesOf = (role: string) => participants.filter((p) => p.role === role).map((p) => p.name).join(', ') || null;
  const starts = meeting.starts_at ? Date.parse(meeting.starts_at) : NaN;
  const startsAt = f.openedAt ?? (Number.isFinite(starts) ? starts : null);

  // ---- who attended -----------------------------------------------------------------------------
  const members = src.attendance.members(meetingId);
  const present = members.filter((m) => m.status === 'present' || m.status === 'present_remote' || m.status === 'left')
    .map((m) => ({ name: m.name, role: m.role, remote: m.status === 'present_remote', late: m.late, leftEarly: m.status === 'left' }));
  const absent = members.filter((m) => m.status === 'absent' || m.status === 'absent_excused' || m.status === 'not_checked_in')
    .map((m) => ({ name: m.name, role: m.role, excused: m.status === 'absent_excused', reason: m.reason }));
  const observers = participants.filter((p) => p.role === 'observer').map((p) => ({ name: p.name, position: '' }));

  // ---- papers a participant may read (a restricted one is never named: the minutes become a paper for all;
  // a staged one is not a paper of the meeting until released) ----
  const documents = src.db.papersOf(meetingId).filter((p) => !p.restricted && !p.staged)
    .map((p) => ({ title: p.title, pages: src.db.paperVersions(p.id).at(-1)?.pages ?? 0 }));

  // ---- the items, their votes and the record ------------------------------------------------------
  const record = src.records.record(meetingId);
  const polls = src.polls.ofMeeting(meetingId);
  const pollsById = new Map(polls.map((p) => [p.id, p]));
  const linked = new Set(record.decisions.map((d) => d.pollId).filter((id): id is string => id !== null));
  const agenda = src.agenda(meetingId);
  const onAgenda = new Set(agenda.map((i) => i.id));
  let lastEvent = 0;
  for (const p of polls) if (p.state === 'published' && p.publishedAt) lastEvent = Math.max(lastEvent, p.publishedAt);

  const items = agenda.map((item) => {
    const outcome = record.outcomes.find((o) => o.agendaItemId === item.id);
    const turns = src.speakers.rows(meetingId, item.id).filter((r) => r.beginTime !== null)
      .sort((a, b) => a.beginTime! - b.beginTime! || a.seq - b.seq);
    for (const r of turns) lastEvent = Math.max(lastEvent, r.endTime ?? r.beginTime!);
    return {
      agendaItemId: item.id,
      title: item.title,
      presenter: item.presenter,
      status: outcome?.status ?? 'pending',
      speakers: turns.map((r) => ({ name: r.name, kind: r.kind })),
      summary: outcome?.summary ?? '',
      conclusion: outcome?.conclusion ?? '',
      votes: polls.filter((p) => p.agendaItemId === item.id && !linked.has(p.id)).map(pollVote).filter((v): v is MinutesVote => v !== null),
      decisions: record.decisions.filter((d) => d.agendaItemId === item.id).map((d) => {
        const poll = d.pollId ? pollsById.get(d.pollId) : undefined;
        return {
          kind: d.kind,
          text: d.text,
          // The result as it was when the decision was linked (the record keeps that snapshot).
          vote: d.pollId && d.result ? voteOf(d.pollId, poll?.title ?? d.text, poll?.visibility === 'secret', d.result) : null,
          dissents: d.dissents.map((x) => ({ name: x.name, text: x.text })),
        };
      }),
    };
  });
  const otherVotes = polls.filter((p) => (p.agendaItemId === null || !onAgenda.has(p.agendaItemId)) && !linked.has(p.id))
    .map(pollVote).filter((v): v is MinutesVote => v !== null);

  const actions = record.actionItems.filter((a) => a.status !== 'cancelled').map((a) => ({
    title: a.title,
    owner: [a.ownerName, a.ownerUnit].filter((s): s is string => Boolean(s && s.trim())).join(', '),
    coUnits: a.coUnits,
    dueDate: a.dueDate,
    status: a.status,
  }));

  return {
    meetingId,
    meetingTitle: meeting.title,
    variant: f.variant,
    timeZone: f.timeZone,
    header: { orgParent: f.orgParent, orgName: f.orgName, number: extras.number, numberSuffix: f.numberSuffix, place: f.place, date: startsAt },
    opening: {
      startsAt,
      location: f.location || meeting.room || '',
      content: f.content || meeting.title,
      chair: namesOf('chair'),
      secretary: namesOf('secretary'),
      documents,
    },
    attendance: { members: members.length, present, absent, guests: [...observers, ...f.guests] },
    items,
    otherVotes,
    actions,
    notes: f.notes,
    closing: { closedAt: f.closedAt ?? (lastEvent > 0 ? lastEvent : null), readOut: extras.readOut },
    signatures: { chair: namesOf('chair'), secretary: namesOf('secretary') },
  };
}
