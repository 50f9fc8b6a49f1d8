// Selections on the real hub: choose k of n, and the strike-out ballot of Vietnamese elections
// (strike the names you reject; valid when 1 ≤ names kept ≤ seats), named and secret — the
// secret one exercises the fixed-size encrypted form of a choice among options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollDetail } from '../../shared/procedures/polls.ts';
import { checkIn, command, createPoll, getPoll, liveDoc, openRoom, vote, waitLivePoll, type Room } from './procedures-polls-helpers.ts';

let room: Room;
beforeAll(async () => {
  room = await openRoom();
  await checkIn(room, ['delegate1', 'delegate2', 'delegate3', 'chair']);
});
afterAll(async () => room?.hub.stop());

const ballot = (login: string, id: string, body: unknown) => room.call(login, 'POST', `/api/polls/${id}/ballots`, body);

describe('choose k of n', () => {
  it('refuses options that are not on the poll, twice the same, too many or too few (400), then counts', async () => {
    const id = await createPoll(room, {
      title: 'Two members for the audit committee', method: 'selection', visibility: 'named',
      options: ['An', 'Bình', 'Chi'], minVotes: 1, maxVotes: 2, majority: { kind: 'simple', base: 'valid' },
    });
    const created = await getPoll(room, 'delegate1', id);
    expect(created.options).toEqual([{ id: 'o1', label: 'An' }, { id: 'o2', label: 'Bình' }, { id: 'o3', label: 'Chi' }]);
    expect(created).toMatchObject({ minVotes: 1, maxVotes: 2, strikeOut: false });
    await command(room, id, 'start');
    const refusals: Array<[unknown, RegExp]> = [
      [{ optionIds: ['o4'] }, /not on the poll/],
      [{ optionIds: ['o1', 'o1'] }, /more than once/],
      [{ optionIds: ['o1', 'o2', 'o3'] }, /between 1 and 2/],
      [{ optionIds: [] }, /between 1 and 2/],
      [{ value: 'yes' }, /choice among options/],
    ];
    for (const [body, message] of refusals) {
      const r = await ballot('delegate1', id, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect((r.body as { message: string }).message).toMatch(message);
    }
    expect((await getPoll(room, 'chair', id)).voted).toBe(0);
    await vote(room, 'delegate1', id, { optionIds: ['o2', 'o1'] });
    await vote(room, 'delegate2', id, { optionIds: ['o1'] });
    await vote(room, 'delegate3', id, { optionIds: ['o1', 'o3'] });
    await vote(room, 'chair', id, { optionIds: ['o3'] });
    // Stored in the poll's order whatever order the ballot named them in.
    expect((await getPoll(room, 'delegate1', id)).me.optionIds).toEqual(['o1', 'o2']);
    await command(room, id, 'stop');
    const watch = await liveDoc(room);
    await command(room, id, 'publish');
    const shown = await waitLivePoll(watch, id, (p) => p.state === 'published', 'published');
    watch.destroy();
    // 4 valid ballots: more than half is 3. An has 3; Chi's 2 fall short.
    expect(shown.result).toMatchObject({
      passed: true, voted: 4, valid: 4, base: 4, needed: 3,
      options: [
        { id: 'o1', label: 'An', votes: 3, elected: true },
        { id: 'o2', label: 'Bình', votes: 1, elected: false },
        { id: 'o3', label: 'Chi', votes: 2, elected: false },
      ],
    });
  });
});

describe('the strike-out ballot, secret', () => {
  it('is valid when 1 ≤ names kept ≤ seats; more candidates reaching the majority than seats: the most voted win', async () => {
    const id = await createPoll(room, {
      title: 'Bầu Ban Thường vụ (2 seats)', method: 'selection', visibility: 'secret', strikeOut: true,
      options: ['An', 'Bình', 'Chi', 'Dũng'], maxVotes: 2, majority: { kind: 'simple', base: 'valid' }, quorumCheck: 'none',
    });
    await command(room, id, 'start');
    const none = await ballot('delegate1', id, { optionIds: [] });
    expect(none.status).toBe(400);
    expect((none.body as { message: string }).message).toMatch(/keeps between 1 and 2 names \(this one keeps 0\)/);
    const three = await ballot('delegate1', id, { optionIds: ['o1', 'o2', 'o3'] });
    expect(three.status).toBe(400);
    await vote(room, 'delegate1', id, { optionIds: ['o1', 'o2'] });
    await vote(room, 'delegate2', id, { optionIds: ['o1', 'o2'] });
    await vote(room, 'delegate3', id, { optionIds: ['o1', 'o3'] });
    await vote(room, 'chair', id, { optionIds: ['o2', 'o3'] });
    const mine = await getPoll(room, 'delegate3', id);
    expect(mine.me).toEqual({ entitled: true, voted: true, present: true });
    const closed = (await room.call<PollDetail>('chair', 'POST', `/api/polls/${id}/stop`)).body;
    // An 3, Bình 3, Chi 2, Dũng 0; needed 3 of 4: An and Bình take the two seats.
    expect(closed.result!.options!.map((o) => [o.label, o.votes, o.elected])).toEqual([['An', 3, true], ['Bình', 3, true], ['Chi', 2, false], ['Dũng', 0, false]]);
    expect(closed.result).toMatchObject({ valid: 4, invalid: 0, passed: true, quorumMet: null });
  });

  it('a tie for the last seat elects none of the tied', async () => {
    const id = await createPoll(room, {
      title: 'One seat', method: 'selection', visibility: 'secret', strikeOut: true,
      options: ['An', 'Bình', 'Chi'], maxVotes: 1, majority: { kind: 'custom', base: 'valid', num: 1, den: 4 }, quorumCheck: 'none',
    });
    await command(room, id, 'start');
    await vote(room, 'delegate1', id, { optionIds: ['o1'] });
    await vote(room, 'delegate2', id, { optionIds: ['o2'] });
    await vote(room, 'delegate3', id, { optionIds: ['o1'] });
    await vote(room, 'chair', id, { optionIds: ['o2'] });
    const result = (await command(room, id, 'stop')).result!;
    expect(result.options!.map((o) => [o.votes, o.elected])).toEqual([[2, false], [2, false], [0, false]]);
    expect(result.passed).toBe(false);
  });

  it('refuses a strike-out ballot that keeps nobody at creation: minVotes below 1, maxVotes beyond the candidates', async () => {
    for (const extra of [{ minVotes: 0 }, { maxVotes: 5 }]) {
      const r = await room.call('chair', 'POST', `/api/meetings/${room.meetingId}/polls`, {
        title: 'Bad', method: 'selection', visibility: 'secret', strikeOut: true, options: ['An', 'Bình', 'Chi'], maxVotes: 2, ...extra,
      });
      expect(r.status, JSON.stringify(extra)).toBe(400);
    }
  });
});
