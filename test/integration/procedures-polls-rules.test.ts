// How a vote is decided, on the real hub: the majority rules against their bases (yes/no, valid,
// cast, present, entitled, all members), strict or not, and the quorum checked at the start and
// at the close. The room: delegates 1–3 and the chair vote, a fifth member with a vote is away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollDetail, PollResult } from '../../shared/procedures/polls.ts';
import { addMember, checkIn, command, createPoll, openRoom, setStatus, vote, type Room } from './procedures-polls-helpers.ts';

let room: Room;
const VOTERS = ['delegate1', 'delegate2', 'delegate3', 'chair'] as const;

beforeAll(async () => {
  room = await openRoom();
  await addMember(room, 'member5', { name: 'Away Member' });
  await checkIn(room, VOTERS);
});
afterAll(async () => room?.hub.stop());

/** yes, yes, no, abstain — then `beforeClose`, then the tally. */
async function decide(body: Record<string, unknown>, beforeClose: () => Promise<void> = async () => {}): Promise<PollResult> {
  const id = await createPoll(room, { title: 'Rule', method: 'approval', visibility: 'secret', ...body });
  await command(room, id, 'start');
  const values = ['yes', 'yes', 'no', 'abstain'];
  await Promise.all(VOTERS.map((l, i) => vote(room, l, id, { value: values[i] })));
  await beforeClose();
  const result = (await command(room, id, 'stop')).result!;
  expect(result).toMatchObject({ yes: 2, no: 1, abstain: 1, voted: 4, valid: 4, invalid: 0 });
  return result;
}

describe('majority rules and their bases (2 yes, 1 no, 1 abstain; 4 present of 5 members)', () => {
  const cases: Array<[string, Record<string, unknown>, number, number, boolean]> = [
    // [what, majority, base figure, votes needed, passed]
    ['simple majority of yes and no (the default)', {}, 3, 2, true],
    ['simple majority of valid ballots', { kind: 'simple', base: 'valid' }, 4, 3, false],
    ['simple majority of ballots cast', { kind: 'simple', base: 'cast' }, 4, 3, false],
    ['two thirds of yes and no', { kind: 'two_thirds', base: 'yes_no' }, 3, 2, true],
    ['more than two thirds of yes and no', { kind: 'two_thirds', base: 'yes_no', strict: true }, 3, 3, false],
    ['absolute majority of all members', { kind: 'absolute', base: 'members_total' }, 5, 3, false],
    ['at least 2/5 of all members', { kind: 'custom', base: 'members_total', num: 2, den: 5 }, 5, 2, true],
    ['at least half of those present', { kind: 'custom', base: 'present', num: 1, den: 2 }, 4, 2, true],
    ['more than half of those entitled', { kind: 'simple', base: 'entitled' }, 4, 3, false],
  ];
  for (const [what, majority, base, needed, passed] of cases) {
    it(what, async () => {
      const result = await decide(Object.keys(majority).length ? { majority } : {});
      expect({ base: result.base, needed: result.needed, passed: result.passed }).toEqual({ base, needed, passed });
    });
  }

  it('"present" is counted at the close: a voter who left lowers it, "entitled" stays the snapshot', async () => {
    const leave = async () => setStatus(room, 'chair', 'left');
    const present = await decide({ majority: { kind: 'simple', base: 'present' } }, leave);
    expect(present).toMatchObject({ present: 3, entitled: 4, base: 3, needed: 2, passed: true });
    await setStatus(room, 'chair', 'present');
    const entitled = await decide({ majority: { kind: 'simple', base: 'entitled' } }, leave);
    expect(entitled).toMatchObject({ present: 3, entitled: 4, base: 4, needed: 3, passed: false });
    await setStatus(room, 'chair', 'present');
  });
});

describe('the quorum (more than half of the 5 members: 3 needed)', () => {
  it('lost before the close: nothing passes (passed null); with quorumCheck none it is not asked', async () => {
    const drop = async () => {
      await setStatus(room, 'delegate2', 'left');
      await setStatus(room, 'delegate3', 'left');
    };
    const warned = await decide({}, drop);
    expect(warned).toMatchObject({ quorumMet: false, passed: null, yes: 2, no: 1 });
    await checkIn(room, ['delegate2', 'delegate3']);
    const unchecked = await decide({ quorumCheck: 'none' }, drop);
    expect(unchecked).toMatchObject({ quorumMet: null, passed: true });
    await checkIn(room, ['delegate2', 'delegate3']);
    const held = await decide({ quorumCheck: 'block' });
    expect(held).toMatchObject({ quorumMet: true, passed: true });
  });

  it('missing at the start: block refuses to open (409), warn opens and says why', async () => {
    await setStatus(room, 'delegate2', 'left');
    await setStatus(room, 'delegate3', 'left');
    const blocked = await createPoll(room, { title: 'Blocked', method: 'approval', visibility: 'named', quorumCheck: 'block' });
    const refused = await room.call('chair', 'POST', `/api/polls/${blocked}/start`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'no_quorum', message: 'there is no quorum (2 present, 3 needed)' });
    const warned = await createPoll(room, { title: 'Warned', method: 'approval', visibility: 'named' });
    const opened = await room.call<PollDetail>('chair', 'POST', `/api/polls/${warned}/start`);
    expect(opened.status).toBe(200);
    expect(opened.body.state).toBe('started');
    expect(opened.body.warning).toMatch(/no quorum \(2 present, 3 needed\)/);
    await checkIn(room, ['delegate2', 'delegate3']);
  });

  it('nobody checked in: the vote opens with nobody entitled, the chair is warned, and nobody may vote', async () => {
    for (const l of VOTERS) await setStatus(room, l, 'left');
    const id = await createPoll(room, { title: 'Empty room', method: 'approval', visibility: 'named', quorumCheck: 'none' });
    const r = await room.call<PollDetail>('chair', 'POST', `/api/polls/${id}/start`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ state: 'started', entitled: 0, warning: expect.stringMatching(/nobody may vote/) });
    await checkIn(room, VOTERS);
    const late = await room.call('delegate1', 'POST', `/api/polls/${id}/ballots`, { value: 'yes' });
    expect(late.status).toBe(403);
    expect(late.body).toMatchObject({ error: 'not_entitled' });
    // Reset and opened again, it takes the members now present.
    await command(room, id, 'reset');
    expect((await command(room, id, 'start')).entitled).toBe(4);
  });
});
