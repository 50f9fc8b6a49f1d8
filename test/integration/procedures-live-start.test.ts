// The roll and the quorum figure are in live/<meetingId> before anyone checks in: for the demo
// meeting as seeded, for a meeting just created, and, after a restart, for a meeting whose live
// document was never written (a hub from before procedures). Real hub process, real y-websocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/yclient.ts';
import { Room } from './procedures-attendance-helpers.ts';
import { attendanceSummary, members } from '../../shared/live-doc.ts';

const room = new Room();
beforeAll(() => room.start());
afterAll(() => room.stop());

describe('the live document from the start', () => {
  it('holds the demo meeting\'s roll and quorum figure before any check-in', async () => {
    const meetings = await room.call<Array<{ id: string }>>('delegate1', 'GET', '/api/meetings');
    const id = meetings.body[0]!.id;
    const live = await room.live('delegate1', id);
    await waitFor(() => attendanceSummary(live.doc) !== null, 10_000, 'the summary in the live doc');
    // Three delegates and the chair have a vote; nobody has checked in.
    expect(attendanceSummary(live.doc)).toMatchObject({ present: 0, entitled: 4, quorum: { met: false, needed: 3 } });
    expect(members(live.doc).map((m) => m.status).sort()).toEqual(Array(5).fill('not_checked_in'));
  });

  it('holds a new meeting\'s roll at once, and rebuilds a lost live document at start', async () => {
    const id = await room.meeting({ delegate1: 'delegate', delegate2: 'delegate' });
    const live = await room.live('delegate1', id);
    await waitFor(() => members(live.doc).length === 3, 10_000, 'the creator and two delegates on the roll');
    expect(attendanceSummary(live.doc)?.present).toBe(0);

    // A hub from before procedures never wrote this meeting's live document: drop it and restart.
    await room.restartWithoutLiveDoc(id);
    const again = await room.live('delegate1', id);
    await waitFor(() => members(again.doc).length === 3 && attendanceSummary(again.doc) !== null, 10_000, 'the live document rebuilt');
  });
});
