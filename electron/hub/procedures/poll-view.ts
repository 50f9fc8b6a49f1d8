// What a poll shows, to the room (live/<meetingId> and lists) and to one caller (GET /api/polls/:id
// and the commands' answers). The room sees "voted n of m" while a poll is open and the result
// only once published. A caller sees their own standing but never, in a secret poll, what they
// voted; managers see who has not voted yet; who voted what is shown where the visibility allows:
// a named poll to everyone once published (to managers once closed), an open poll to managers
// once closed, a secret poll to nobody.
import type { Ballot } from '../../../shared/procedures/ballot.ts';
import type { PollDetail, PollPublic } from '../../../shared/procedures/polls.ts';
import type { Roll } from './roll.ts';
import type { Poll, PollStore } from './poll-store.ts';

export function publicView(poll: Poll, voted: number): PollPublic {
  const shown = poll.publishedAt !== null;
  return {
    id: poll.id,
    title: poll.title,
    agendaItemId: poll.agendaItemId,
    method: poll.method,
    visibility: poll.visibility,
    state: poll.state,
    voted,
    entitled: poll.entitled.length,
    endsAt: poll.state === 'started' ? poll.endsAt : null,
    result: shown ? poll.result : null,
    at: poll.changedAt,
    ...(poll.method === 'selection' ? { options: poll.options, minVotes: poll.rules.minVotes, maxVotes: poll.rules.maxVotes, strikeOut: poll.rules.strikeOut } : {}),
    notice: poll.notice,
    annulledReason: poll.annulledReason,
    revoteOf: poll.revoteOf,
  };
}

export interface Viewer {
  userId: string;
  manager: boolean;
}

const closed = (p: Poll) => p.stoppedAt !== null;

function ballotsShown(poll: Poll, viewer: Viewer): boolean {
  if (poll.visibility === 'secret' || !closed(poll)) return false;
  if (poll.visibility === 'named') return viewer.manager || poll.publishedAt !== null;
  return viewer.manager;
}

export function detailView(poll: Poll, store: PollStore, roll: Roll, viewer: Viewer, keyOfHub: string, now: number): PollDetail {
  const voted = store.voted(poll.id);
  const base = publicView(poll, voted);
  const entitled = poll.state === 'created' ? roll.entitledNow(poll.meetingId).includes(viewer.userId) : poll.entitled.includes(viewer.userId);
  const me: PollDetail['me'] = { entitled, voted: store.hasVoted(poll.id, viewer.userId), present: roll.isPresent(poll.meetingId, viewer.userId) };
  if (poll.visibility !== 'secret') {
    const own = store.ballotOf(poll.id, viewer.userId);
    if (own) Object.assign(me, JSON.parse(own) as Ballot);
  }
  const detail: PollDetail = {
    ...base,
    // A manager sees the result as soon as it is tallied, to check it before publishing.
    result: poll.publishedAt !== null || (viewer.manager && closed(poll)) ? poll.result : null,
    meetingId: poll.meetingId, majority: poll.majority, quorumCheck: poll.quorumCheck,
    startedAt: poll.startedAt, atStart: poll.atStart, stoppedAt: poll.stoppedAt, publishedAt: poll.publishedAt,
    me, serverTime: now,
  };
  if (viewer.manager && poll.state === 'started') {
    const done = new Set(store.voters(poll.id));
    const missing = poll.entitled.filter((u) => !done.has(u));
    const names = store.names(missing);
    detail.notVoted = missing.map((userId) => ({ userId, name: names.get(userId) ?? userId }));
  }
  if (ballotsShown(poll, viewer)) {
    const rows = store.ballots(poll.id);
    const names = store.names(rows.map((r) => r.userId));
    detail.ballots = rows.map((r) => ({ userId: r.userId, name: names.get(r.userId) ?? r.userId, ...(JSON.parse(r.value) as Ballot) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  if (poll.signed && poll.signature && poll.trackers && (poll.publishedAt !== null || viewer.manager)) {
    detail.verification = { hubKey: keyOfHub, signed: poll.signed, signature: poll.signature, trackersSha256: (JSON.parse(poll.signed) as { trackersSha256: string }).trackersSha256 };
  }
  return detail;
}
