// kill -9 during an open vote (issue 14 item 7): twelve members vote at once and the hub process is
// killed as soon as five ballots are acknowledged. After the restart every acknowledged ballot is
// there and counted, a member whose ballot was cut off mid-flight either votes again or is told
// (409) that the first one stands, the open polls keep their state, and their deadlines are
// pushed to at least a minute after the restart, which the chair is told (audit, live notice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_NOTICES } from '../../shared/procedures/polls.ts';
import { startHubIn } from './hub-helpers.ts';
import { addMember, checkIn, command, createPoll, getPoll, liveDoc, openRoom, vote, waitLivePoll, type Room } from './procedures-polls-helpers.ts';

const EXTRA = Array.from({ length: 8 }, (_, i) => `voter${i + 1}`);
const VOTERS = ['delegate1', 'delegate2', 'delegate3', 'chair', ...EXTRA];
const VALUES = ['yes', 'no', 'abstain'] as const;
const valueOf = (login: string) => VALUES[VOTERS.indexOf(login) % 3]!;

let room: Room;
beforeAll(async () => {
  room = await openRoom();
  for (const l of EXTRA) await addMember(room, l);
  await checkIn(room, VOTERS);
});
afterAll(async () => room?.hub.stop());

describe('kill -9 during an open vote', () => {
  it('loses no acknowledged ballot, keeps the polls open and extends their deadlines', async () => {
    const secret = await createPoll(room, { title: 'Secret, 30 s', method: 'approval', visibility: 'secret', durationS: 30 });
    const named = await createPoll(room, { title: 'Named, no deadline', method: 'approval', visibility: 'named' });
    const before = await command(room, secret, 'start');
    await command(room, named, 'start');
    await vote(room, 'delegate1', named, { value: 'yes' });

    const acked = new Map<string, string>();
    let killed: Promise<void> = Promise.resolve();
    const inFlight = VOTERS.map(async (login) => {
      try {
        const r = await room.call<{ tracker: string }>(login, 'POST', `/api/polls/${secret}/ballots`, { value: valueOf(login) });
        if (r.status !== 201) return;
        // An answer that still arrives after the kill was sent was acknowledged all the same.
        acked.set(login, r.body.tracker);
        if (acked.size === 5) killed = room.hub.kill9();
      } catch {
        /* cut off by the kill: not acknowledged */
      }
    });
    await Promise.all(inFlight);
    await killed;
    expect(acked.size).toBeGreaterThanOrEqual(5);

    const restartedAt = Date.now();
    room.hub = await startHubIn(room.hub.dataDir);
    const after = await getPoll(room, 'chair', secret);
    expect(after.state).toBe('started');
    expect(after.voted).toBeGreaterThanOrEqual(acked.size);
    // At least a minute from the restart, and never earlier than it was.
    expect(after.endsAt!).toBeGreaterThanOrEqual(restartedAt + 60_000);
    expect(after.endsAt!).toBeGreaterThan(before.endsAt!);
    expect(after.notice).toBe(POLL_NOTICES.deadlineExtended);
    const watch = await liveDoc(room, 'delegate2');
    const shown = await waitLivePoll(watch, secret, (p) => p.notice === POLL_NOTICES.deadlineExtended, 'the notice in the live doc');
    expect(shown).toMatchObject({ state: 'started', endsAt: after.endsAt, voted: after.voted });
    const namedAfter = await getPoll(room, 'chair', named);
    expect(namedAfter).toMatchObject({ state: 'started', voted: 1, endsAt: null, notice: POLL_NOTICES.hubRestarted });
    const audit = (await room.call<Array<{ action: string; target: string; user_id: string | null; detail: string }>>('admin', 'GET', '/api/audit')).body;
    const resumed = audit.find((r) => r.action === 'poll.resume' && r.target === secret)!;
    expect(resumed.user_id).toBeNull();
    expect(JSON.parse(resumed.detail)).toMatchObject({ endsAt: after.endsAt, previousEndsAt: before.endsAt });

    // Every acknowledged ballot is held; the others vote again, or learn their first one stands.
    for (const [login, tracker] of acked) {
      expect((await room.call(login, 'GET', `/api/polls/${secret}/trackers/${tracker}`)).body).toMatchObject({ received: true });
    }
    for (const login of VOTERS.filter((l) => !acked.has(l))) {
      const r = await room.call(login, 'POST', `/api/polls/${secret}/ballots`, { value: valueOf(login) });
      expect([201, 409], `${login}: ${JSON.stringify(r.body)}`).toContain(r.status);
      if (r.status === 409) expect(r.body).toMatchObject({ error: 'already_voted' });
    }
    await vote(room, 'delegate2', named, { value: 'no' });

    const closed = await command(room, secret, 'stop');
    expect(closed.result).toMatchObject({ yes: 4, no: 4, abstain: 4, voted: 12, invalid: 0 });
    await command(room, secret, 'publish');
    for (const [login, tracker] of acked) {
      expect((await room.call(login, 'GET', `/api/polls/${secret}/trackers/${tracker}`)).body, login).toMatchObject({ received: true, counted: true });
    }
    expect((await command(room, named, 'stop')).result).toMatchObject({ yes: 1, no: 1 });
    watch.destroy();
  });
});
