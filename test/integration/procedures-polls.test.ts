// Votes on the real hub process: the contract's approval vote from creation to publication, every
// refusal (not entitled, not present, not open, second ballot, bad input, not a manager, not a
// participant), reset, annul and re-vote, and what the room's live document shows at each step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { YClient } from '../helpers/yclient.ts';
import { waitFor } from '../helpers/yclient.ts';
import * as live from '../../shared/live-doc.ts';
import type { PollDetail } from '../../shared/procedures/polls.ts';
import {
  addMember, checkIn, command, createPoll, getPoll, liveDoc, openRoom, setStatus, vote, waitLivePoll, type Room,
} from './procedures-polls-helpers.ts';

let room: Room;
let watch: YClient;

beforeAll(async () => {
  room = await openRoom();
  await checkIn(room, ['delegate1', 'delegate2', 'delegate3']);
  watch = await liveDoc(room, 'delegate3');
});
afterAll(async () => {
  watch?.destroy();
  await room?.hub.stop();
});

const audit = async () => (await room.call<Array<{ action: string; target: string | null; user_id: string | null; detail: string | null }>>('admin', 'GET', '/api/audit')).body;

describe('an approval vote, as the contract describes it', () => {
  it('goes created → started → finished → published, showing the room only "voted n of m" until publication', async () => {
    const id = await createPoll(room, { title: 'Approve the 2027 budget', method: 'approval', visibility: 'named', agendaItemId: 'item-budget' });
    const created = await getPoll(room, 'delegate1', id);
    expect(created).toMatchObject({ id, state: 'created', voted: 0, entitled: 0, result: null, agendaItemId: 'item-budget' });
    expect(typeof created.serverTime).toBe('number');
    await waitLivePoll(watch, id, (p) => p.state === 'created', 'created in the live doc');

    const started = await command(room, id, 'start');
    expect(started).toMatchObject({ state: 'started', voted: 0, entitled: 3, result: null });
    // The record of the room when it opened: 3 of the 4 voting members (the chair votes too) present.
    expect(started.atStart).toEqual({ present: 3, membersTotal: 4, quorum: { met: true, needed: 3, present: 3, base: 4 } });
    // The chair runs the vote but was not checked in: not among those who may vote.
    expect(started.me).toEqual({ entitled: false, voted: false, present: false });
    expect(started.notVoted!.map((n) => n.userId).sort()).toEqual(['delegate1', 'delegate2', 'delegate3'].map((l) => room.ids.get(l)!).sort());

    const t1 = await vote(room, 'delegate1', id, { value: 'yes' });
    expect(t1.tracker).toMatch(/^[0-9a-f]{64}$/);
    await vote(room, 'delegate2', id, { value: 'no' });
    const progress = await waitLivePoll(watch, id, (p) => p.voted === 2, 'voted 2 of 3 in the live doc');
    expect(progress).toMatchObject({ state: 'started', voted: 2, entitled: 3, result: null });

    // While open: the voter sees their own standing; managers also see who has not voted; nobody sees counts.
    const mine = await getPoll(room, 'delegate1', id);
    expect(mine.me).toEqual({ entitled: true, voted: true, present: true, value: 'yes' });
    expect(mine.notVoted).toBeUndefined();
    expect(mine.result).toBeNull();
    const chairView = await getPoll(room, 'chair', id);
    expect(chairView.notVoted).toEqual([{ userId: room.ids.get('delegate3'), name: 'Đặng Quốc Việt' }]);
    expect(chairView.result).toBeNull();
    expect(chairView.ballots).toBeUndefined();

    await vote(room, 'delegate3', id, { value: 'yes' });
    const stopped = await command(room, id, 'stop');
    expect(stopped.state).toBe('finished');
    // The chair checks the tally before publishing it; the room does not see it yet.
    expect(stopped.result).toMatchObject({ yes: 2, no: 1, abstain: 0, passed: true, voted: 3, valid: 3, invalid: 0, notVoting: 0, quorumMet: true });
    expect((await getPoll(room, 'delegate2', id)).result).toBeNull();
    const closed = await waitLivePoll(watch, id, (p) => p.state === 'finished', 'finished in the live doc');
    expect(closed.result).toBeNull();

    await command(room, id, 'publish');
    const published = await waitLivePoll(watch, id, (p) => p.state === 'published', 'published in the live doc');
    expect(published.result).toMatchObject({ yes: 2, no: 1, abstain: 0, passed: true });
    const seen = await getPoll(room, 'delegate2', id);
    expect(seen).toMatchObject({ id, state: 'published', voted: 3, entitled: 3, result: { yes: 2, no: 1, abstain: 0, passed: true } });
    // A named vote: after publication everyone may see who voted what.
    expect(seen.ballots!.map((b) => [b.userId, b.value]).sort()).toEqual([
      [room.ids.get('delegate1'), 'yes'], [room.ids.get('delegate2'), 'no'], [room.ids.get('delegate3'), 'yes'],
    ].sort());
    const list = await room.call<{ polls: Array<{ id: string; state: string }> }>('delegate1', 'GET', `/api/meetings/${room.meetingId}/polls`);
    expect(list.body.polls.find((p) => p.id === id)?.state).toBe('published');

    const rows = (await audit()).filter((r) => r.target === id).map((r) => r.action);
    expect(rows).toEqual(expect.arrayContaining(['poll.create', 'poll.start', 'poll.stop', 'poll.publish', 'poll.ballot']));
  });

  it('an open vote shows who voted what to managers only, and only once closed', async () => {
    const id = await createPoll(room, { title: 'Open vote', method: 'approval', visibility: 'open' });
    await command(room, id, 'start');
    await vote(room, 'delegate1', id, { value: 'abstain' });
    expect((await getPoll(room, 'chair', id)).ballots).toBeUndefined();
    await command(room, id, 'stop');
    expect((await getPoll(room, 'secretary', id)).ballots).toEqual([{ userId: room.ids.get('delegate1'), name: 'Lê Minh Tuấn', value: 'abstain' }]);
    await command(room, id, 'publish');
    expect((await getPoll(room, 'delegate2', id)).ballots).toBeUndefined();
    expect((await getPoll(room, 'delegate1', id)).me).toMatchObject({ voted: true, value: 'abstain' });
  });
});

describe('refusals', () => {
  let id: string;
  beforeAll(async () => {
    id = await createPoll(room, { title: 'Refusals', method: 'approval', visibility: 'named' });
  });

  const ballot = (login: string, body: unknown) => room.call(login, 'POST', `/api/polls/${id}/ballots`, body);
  const voted = async () => (await getPoll(room, 'chair', id)).voted;

  it('a poll not open yet: 409, and nothing stored', async () => {
    const r = await ballot('delegate1', { value: 'yes' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: 'poll_not_open' });
    await command(room, id, 'start');
    expect(await voted()).toBe(0);
  });

  it('a member who came in after the start is not entitled (403); one who left is not present (403)', async () => {
    await checkIn(room, ['chair']);
    const late = await ballot('chair', { value: 'yes' });
    expect(late.status).toBe(403);
    expect(late.body).toMatchObject({ error: 'not_entitled' });
    expect(String((late.body as { message: string }).message)).toMatch(/present when it opened/);
    await setStatus(room, 'delegate3', 'left');
    const gone = await ballot('delegate3', { value: 'no' });
    expect(gone.status).toBe(403);
    expect(gone.body).toMatchObject({ error: 'not_present', message: expect.stringMatching(/check in/) });
    // Back in the room, the same member may vote.
    await setStatus(room, 'delegate3', 'present');
    await vote(room, 'delegate3', id, { value: 'no' });
    await setStatus(room, 'chair', 'absent');
  });

  it('bad ballots: 400 with a clear message, nothing stored', async () => {
    for (const body of [{ value: 'maybe' }, { optionIds: ['o1'] }, { value: 'yes', extra: 1 }, 'yes', [], {}]) {
      const r = await ballot('delegate1', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(typeof (r.body as { message: unknown }).message).toBe('string');
    }
    const wrongKind = await ballot('delegate1', { optionIds: ['o1'] });
    expect((wrongKind.body as { message: string }).message).toMatch(/yes\/no\/abstain/);
    expect(await voted()).toBe(1);
    expect((await getPoll(room, 'delegate1', id)).me.voted).toBe(false);
  });

  it('a second ballot: 409 already_voted, and the first one stands', async () => {
    await vote(room, 'delegate1', id, { value: 'yes' });
    const again = await ballot('delegate1', { value: 'no' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'already_voted' });
    // Both at once: exactly one is taken.
    const both = await Promise.all([ballot('delegate2', { value: 'yes' }), ballot('delegate2', { value: 'no' })]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await voted()).toBe(3);
    await command(room, id, 'stop');
    expect((await getPoll(room, 'chair', id)).result).toMatchObject({ yes: 2, no: 1 });
    const closed = await ballot('delegate1', { value: 'yes' });
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ error: 'poll_not_open' });
  });

  it('only the chair, the secretary or an admin runs a vote (403); outsiders learn nothing (404)', async () => {
    const other = await createPoll(room, { title: 'Who runs it', method: 'approval', visibility: 'secret' });
    const byDelegate = await room.call('delegate1', 'POST', `/api/polls/${other}/start`);
    expect(byDelegate.status).toBe(403);
    expect(byDelegate.body).toMatchObject({ message: expect.stringMatching(/chair or secretary/) });
    expect((await room.call('delegate1', 'POST', `/api/meetings/${room.meetingId}/polls`, { title: 'x', method: 'approval', visibility: 'named' })).status).toBe(403);
    await addMember(room, 'outsider', { participant: false });
    for (const [method, path] of [['GET', `/api/polls/${other}`], ['POST', `/api/polls/${other}/start`], ['POST', `/api/polls/${other}/ballots`], ['GET', `/api/polls/${other}/trackers`]] as const) {
      const r = await room.call('outsider', method, path, method === 'POST' && path.endsWith('ballots') ? { value: 'yes' } : undefined);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body).toMatchObject({ message: 'no such poll' });
    }
    expect((await room.call('delegate1', 'GET', '/api/polls/nosuchpoll')).status).toBe(404);
    // The secretary and an admin may run it.
    await command(room, other, 'start', 'secretary');
    await command(room, other, 'reset', 'admin');
    expect((await getPoll(room, 'chair', other)).state).toBe('created');
  });

  it('bad commands: unknown fields, a selection without options, an agenda item that does not exist — 400, nothing created', async () => {
    const before = (await room.call<{ polls: unknown[] }>('chair', 'GET', `/api/meetings/${room.meetingId}/polls`)).body.polls.length;
    for (const body of [
      { title: 'x', method: 'approval', visibility: 'named', surprise: true },
      { title: 'x', method: 'selection', visibility: 'named' },
      { title: 'x', method: 'approval', visibility: 'named', options: ['a'] },
      { title: 'x', method: 'approval', visibility: 'named', agendaItemId: 'no-such-item' },
      { title: 'x', method: 'approval', visibility: 'named', majority: { kind: 'custom', base: 'cast' } },
      { title: '', method: 'approval', visibility: 'named' },
      { title: 'x', method: 'approval', visibility: 'whispered' },
    ]) {
      const r = await room.call('chair', 'POST', `/api/meetings/${room.meetingId}/polls`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect((await room.call<{ polls: unknown[] }>('chair', 'GET', `/api/meetings/${room.meetingId}/polls`)).body.polls.length).toBe(before);
  });
});

describe('reset, annul and re-vote', () => {
  it('reset before publication throws the ballots away (audited); after publication it is refused', async () => {
    const id = await createPoll(room, { title: 'Reset me', method: 'approval', visibility: 'named' });
    await command(room, id, 'start');
    await vote(room, 'delegate1', id, { value: 'yes' });
    const reset = await command(room, id, 'reset');
    expect(reset).toMatchObject({ state: 'created', voted: 0, entitled: 0, result: null });
    await waitLivePoll(watch, id, (p) => p.state === 'created' && p.voted === 0, 'reset in the live doc');
    const row = (await audit()).find((r) => r.target === id && r.action === 'poll.reset');
    expect(JSON.parse(row!.detail!)).toEqual({ from: 'started', voted: 1 });
    // Started again: the same member votes afresh.
    await command(room, id, 'start');
    await vote(room, 'delegate1', id, { value: 'no' });
    await command(room, id, 'stop');
    await command(room, id, 'reset');
    await command(room, id, 'start');
    await command(room, id, 'stop');
    await command(room, id, 'publish');
    const late = await room.call('chair', 'POST', `/api/polls/${id}/reset`);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ error: 'poll_state', message: expect.stringMatching(/published/) });
    // Nor published twice.
    expect((await room.call('chair', 'POST', `/api/polls/${id}/publish`)).status).toBe(409);
  });

  it('annul needs a reason, is final, and a re-vote is a new poll that names the old one', async () => {
    const id = await createPoll(room, { title: 'Annul me', method: 'approval', visibility: 'named' });
    await command(room, id, 'start');
    await vote(room, 'delegate2', id, { value: 'yes' });
    await command(room, id, 'stop');
    await command(room, id, 'publish');
    // A re-vote of a poll still in progress makes no sense.
    const open = await createPoll(room, { title: 'Still open', method: 'approval', visibility: 'named' });
    const early = await room.call('chair', 'POST', `/api/meetings/${room.meetingId}/polls`, { title: 'Again', method: 'approval', visibility: 'named', revoteOf: open });
    expect(early.status).toBe(409);
    const unknown = await room.call('chair', 'POST', `/api/meetings/${room.meetingId}/polls`, { title: 'Again', method: 'approval', visibility: 'named', revoteOf: 'nosuchpoll' });
    expect(unknown.status).toBe(400);

    expect((await room.call('chair', 'POST', `/api/polls/${id}/annul`, {})).status).toBe(400);
    expect((await room.call('delegate1', 'POST', `/api/polls/${id}/annul`, { reason: 'x' })).status).toBe(403);
    const annulled = await room.call<PollDetail>('chair', 'POST', `/api/polls/${id}/annul`, { reason: 'the wrong text was put to the vote' });
    expect(annulled.status).toBe(200);
    expect(annulled.body).toMatchObject({ state: 'annulled', annulledReason: 'the wrong text was put to the vote' });
    // The published result stays on record beside the annulment.
    expect(annulled.body.result).toMatchObject({ yes: 1 });
    const inLive = await waitLivePoll(watch, id, (p) => p.state === 'annulled', 'annulled in the live doc');
    expect(inLive.annulledReason).toBe('the wrong text was put to the vote');
    expect((await room.call('chair', 'POST', `/api/polls/${id}/annul`, { reason: 'again' })).status).toBe(409);
    expect((await room.call('chair', 'POST', `/api/polls/${id}/start`)).status).toBe(409);

    const again = await createPoll(room, { title: 'Annul me (re-vote)', method: 'approval', visibility: 'named', revoteOf: id });
    const fresh = await getPoll(room, 'chair', again);
    expect(fresh).toMatchObject({ state: 'created', revoteOf: id, voted: 0 });
    await command(room, again, 'start');
    await vote(room, 'delegate2', again, { value: 'no' });
    expect((await getPoll(room, 'delegate2', again)).me.value).toBe('no');
  });

  it('annulling an open vote ends it without a tally', async () => {
    const id = await createPoll(room, { title: 'Annul while open', method: 'approval', visibility: 'secret' });
    await command(room, id, 'start');
    await vote(room, 'delegate1', id, { value: 'yes' });
    const r = await room.call<PollDetail>('chair', 'POST', `/api/polls/${id}/annul`, { reason: 'fire alarm' });
    expect(r.body).toMatchObject({ state: 'annulled', result: null });
    expect((await room.call('delegate2', 'POST', `/api/polls/${id}/ballots`, { value: 'no' })).status).toBe(409);
  });
});

describe('the deadline', () => {
  it('closes the poll at ends_at on the hub\'s clock and tallies what came before', async () => {
    const id = await createPoll(room, { title: 'Ten seconds', method: 'approval', visibility: 'secret', durationS: 10 });
    const started = await command(room, id, 'start');
    expect(started.endsAt).toBe(started.startedAt! + 10_000);
    const inLive = await waitLivePoll(watch, id, (p) => p.state === 'started', 'started in the live doc');
    expect(inLive.endsAt).toBe(started.endsAt);
    await vote(room, 'delegate1', id, { value: 'yes' });
    await waitFor(() => live.poll(watch.doc, id)?.state === 'finished', 20_000, 'closed by the hub at its deadline');
    const after = await getPoll(room, 'chair', id);
    expect(after.stoppedAt!).toBeGreaterThanOrEqual(started.endsAt!);
    expect(after.result).toMatchObject({ yes: 1, voted: 1, notVoting: 2 });
    const row = (await audit()).find((r) => r.target === id && r.action === 'poll.stop');
    expect(row!.user_id).toBeNull();
    expect(JSON.parse(row!.detail!)).toMatchObject({ byDeadline: true, voted: 1 });
  });
});
