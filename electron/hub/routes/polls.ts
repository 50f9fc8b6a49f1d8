// Meeting procedures: votes (shared/procedures/polls.ts; the brief is ../shared/PROCEDURES.md §3).
// The routes under /api/polls/:id are open to any session in the table: the poll names its
// meeting, so the meeting's rules are applied here — someone who does not take part gets 404 (a
// poll's existence is not told), someone who does but does not run the meeting gets 403.
import { forbidden, HttpError, notFound } from '../../core/http-common.ts';
import { canManage, takesPart, type Account } from '../access.ts';
import type { HubContext } from '../context.ts';
import type { Router } from '../route.ts';
import { BallotBox } from '../procedures/ballot-box.ts';
import { PollService } from '../procedures/poll-service.ts';
import { PollStore, type Poll } from '../procedures/poll-store.ts';
import { detailView, publicView } from '../procedures/poll-view.ts';
import { trackersDigest } from '../procedures/tally.ts';
import { liveDocName, meetingDocName } from '../../../shared/doc-names.ts';
import { liveMap } from '../../../shared/live-doc.ts';
import { agendaMap } from '../../../shared/meeting-doc.ts';
import { ROUTES } from '../../../shared/routes.ts';

const RUN_DENIED = 'only the meeting\'s chair or secretary may run a vote';

export function pollRoutes(route: Router, hub: HubContext): void {
  const { db, sqlite } = hub;
  // Deleted ballots and keys are overwritten in the file, not merely unlinked from its pages.
  sqlite.pragma('secure_delete = ON');
  const store = new PollStore(sqlite);
  const keys = hub.keys;
  const service = new PollService({
    sqlite, db, store, keys, roll: hub.roll, live: hub.live, log: hub.log, atomically: (fn) => hub.core.atomically(fn),
    readLive: (meetingId, pollId) => hub.core.withDoc(liveDocName(meetingId), (doc) => liveMap(doc, 'polls').get(pollId)),
  });
  const box = new BallotBox({ sqlite, db, store, keys, roll: hub.roll, committed: (id) => service.mirrorSoon(id) });
  service.recover();

  const seen = (a: Account, id: string): Poll => {
    const poll = store.get(id);
    if (!poll || !takesPart(db, a, poll.meetingId)) throw notFound('no such poll');
    return poll;
  };
  const run = (a: Account, id: string): Poll => {
    const poll = seen(a, id);
    if (!canManage(db, a, poll.meetingId)) throw forbidden(RUN_DENIED);
    return poll;
  };
  const detail = (a: Account, id: string) => {
    const poll = store.get(id)!; // checked by seen() or run() in the same request
    return detailView(poll, store, hub.roll, { userId: a.id, manager: canManage(db, a, poll.meetingId) }, keys.publicKey, Date.now());
  };

  route(ROUTES.polls, async ({ params: { id } }) => ({
    polls: store.ofMeeting(id).map((p) => publicView(p, store.voted(p.id))),
    serverTime: Date.now(),
  }));

  route(ROUTES.createPoll, async ({ account: a, params: { id }, body }) => {
    if (body.agendaItemId !== undefined) {
      const itemId = body.agendaItemId;
      const known = hub.core.withDoc(meetingDocName(id), (doc) => agendaMap(doc).has(itemId));
      if (!known) throw new HttpError(400, 'bad_request', 'agendaItemId names no item of this meeting\'s agenda');
    }
    const poll = service.create(id, body, a.id);
    return { id: poll.id, serverTime: Date.now() };
  });

  route(ROUTES.poll, async ({ account: a, params: { id } }) => {
    seen(a, id);
    return detail(a, id);
  });

  route(ROUTES.startPoll, async ({ account: a, params: { id } }) => {
    run(a, id);
    const warning = service.start(id, a.id);
    return { ...detail(a, id), ...(warning ? { warning } : {}) };
  });

  route(ROUTES.stopPoll, async ({ account: a, params: { id } }) => {
    run(a, id);
    service.stop(id, a.id);
    return detail(a, id);
  });

  route(ROUTES.publishPoll, async ({ account: a, params: { id } }) => {
    run(a, id);
    service.publish(id, a.id);
    return detail(a, id);
  });

  route(ROUTES.resetPoll, async ({ account: a, params: { id } }) => {
    run(a, id);
    service.reset(id, a.id);
    return detail(a, id);
  });

  route(ROUTES.annulPoll, async ({ account: a, params: { id }, body }) => {
    run(a, id);
    service.annul(id, a.id, body.reason);
    return detail(a, id);
  });

  route(ROUTES.ballot, async ({ account: a, params: { id }, body }) => {
    seen(a, id);
    const receipt = await box.cast(id, a.id, body);
    return { ...receipt, serverTime: Date.now() };
  });

  route(ROUTES.trackers, async ({ account: a, params: { id } }) => {
    const poll = seen(a, id);
    if (poll.publishedAt === null || !poll.trackers) throw new HttpError(409, 'not_published', 'the tracker list is public once the result is published');
    return { trackers: poll.trackers, voted: store.voted(id), trackersSha256: trackersDigest(poll.trackers), serverTime: Date.now() };
  });

  route(ROUTES.tracker, async ({ account: a, params: { id, tracker } }) => {
    const poll = seen(a, id);
    if (poll.trackers) {
      const received = poll.trackers.includes(tracker);
      return { tracker, received, counted: received && !poll.invalidTrackers.includes(tracker), serverTime: Date.now() };
    }
    return { tracker, received: store.holds(id, tracker), counted: null, serverTime: Date.now() };
  });
}
