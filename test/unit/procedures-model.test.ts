// What the procedure screens derive from the live doc, without a browser: the countdown's time,
// colour and text, a member's place in the queue, which vote a screen shows, and the hub-clock
// estimate that corrects every countdown.
import { describe, expect, it } from 'vitest';
import { countdownPhase, countdownRemaining, formatClock, openPoll, queuePosition, resultShares, shownPoll } from '../../renderer/procedures/model.ts';
import { nextEstimate } from '../../renderer/procedures/clock.ts';
import { translate } from '../../renderer/i18n/index.tsx';
import { formatRoute, parseRoute } from '../../renderer/route.ts';
import type { SpeakerList } from '../../shared/procedures/speakers.ts';
import type { PollPublic } from '../../shared/procedures/polls.ts';

const speaker = (id: string, userId: string) => ({ id, userId, name: userId, kind: 'normal' as const, state: 'waiting' as const, requestedAt: 1 });
const poll = (id: string, state: PollPublic['state'], at: number): PollPublic => ({
  id, title: id, agendaItemId: null, method: 'approval', visibility: 'named', state, voted: 0, entitled: 3, endsAt: null, result: null, at,
});

describe('procedures: countdown', () => {
  it('runs on the hub clock while running and holds what is left while paused', () => {
    expect(countdownRemaining({ running: true, endsAt: 10_000, remainingMs: 99 }, 4_000)).toBe(6_000);
    expect(countdownRemaining({ running: true, endsAt: 10_000, remainingMs: 99 }, 12_500)).toBe(-2_500);
    expect(countdownRemaining({ running: false, endsAt: null, remainingMs: 42_000 }, 4_000)).toBe(42_000);
  });

  it('turns amber at the warning mark and red at zero', () => {
    expect(countdownPhase(61_000, 60_000)).toBe('normal');
    expect(countdownPhase(60_000, 60_000)).toBe('warn');
    expect(countdownPhase(1, 60_000)).toBe('warn');
    expect(countdownPhase(0, 60_000)).toBe('over');
    expect(countdownPhase(-5_000, 60_000)).toBe('over');
  });

  it('shows the time left rounded up and the overrun with a minus', () => {
    expect(formatClock(300_000)).toBe('5:00');
    expect(formatClock(299_001)).toBe('5:00');
    expect(formatClock(299_000)).toBe('4:59');
    expect(formatClock(65_000)).toBe('1:05');
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(-999)).toBe('0:00');
    expect(formatClock(-12_000)).toBe('−0:12');
    expect(formatClock(3_723_000)).toBe('1:02:03');
  });
});

describe('procedures: the queue and the votes', () => {
  it('gives a waiting member their place, 1 for next, and nothing to others', () => {
    const list: SpeakerList = { agendaItemId: 'i', closed: false, current: null, waiting: [speaker('a', 'u1'), speaker('b', 'u2'), speaker('c', 'u3')], finishedCount: 0, at: 1 };
    expect(queuePosition(list, 'u1')).toBe(1);
    expect(queuePosition(list, 'u3')).toBe(3);
    expect(queuePosition(list, 'u9')).toBeNull();
    expect(queuePosition(null, 'u1')).toBeNull();
    expect(translate('en', 'proc.speak.position', { n: 3 })).toBe('You are 3rd in line');
    expect(translate('en', 'proc.speak.position', { n: 2 })).toBe('You are 2nd in line');
    expect(translate('en', 'proc.speak.position', { n: 11 })).toBe('You are 11th in line');
    expect(translate('en', 'proc.speak.position', { n: 21 })).toBe('You are 21st in line');
    expect(translate('vi', 'proc.speak.position', { n: 3 })).toBe('Anh/chị đứng thứ 3 trong danh sách');
  });

  it('shows the open vote, else the last published one', () => {
    const polls = [poll('old', 'published', 1), poll('newer', 'published', 5), poll('draft', 'created', 9)];
    expect(openPoll(polls)).toBeNull();
    expect(shownPoll(polls)?.id).toBe('newer');
    const withOpen = [...polls, poll('open', 'started', 3)];
    expect(openPoll(withOpen)?.id).toBe('open');
    expect(shownPoll(withOpen)?.id).toBe('open');
  });

  it('splits a result into shares and survives an empty one', () => {
    expect(resultShares({ yes: 2, no: 1, abstain: 1 })).toEqual({ yes: 0.5, no: 0.25, abstain: 0.25 });
    expect(resultShares({ yes: 0, no: 0, abstain: 0 })).toEqual({ yes: 0, no: 0, abstain: 0 });
  });

  it('words the quorum banner as the brief does', () => {
    expect(translate('en', 'proc.quorum.met', { present: 15, base: 21, needed: 14 })).toBe('Quorum: 15 of 21, 14 needed');
    expect(translate('vi', 'proc.quorum.met', { present: 15, base: 21, needed: 14 })).toBe('Đủ số lượng: 15/21 (cần 14)');
  });
});

describe('procedures: the hub clock estimate', () => {
  it('keeps the latest stamp: a stale one (an old value at first sync) never lowers it', () => {
    // The live doc's stamp at first sync is two minutes old: the offset looks −120 s.
    let e = nextEstimate(null, 1_000_000 - 120_000, 1_000_000);
    expect(e.offsetMs).toBe(-120_000);
    // A fresh write arrives 40 ms after the hub stamped it (hub 5 s ahead of this tablet).
    e = nextEstimate(e, 1_005_000 + 5_000 - 40, 1_005_000);
    expect(e.offsetMs).toBe(4_960);
    // An older stamp seen later does not pull it back.
    expect(nextEstimate(e, 1_006_000, 1_006_000)).toBe(e);
  });

  it('follows a hub clock stepped back once the best sample is ten minutes old', () => {
    const e = nextEstimate(null, 2_000_000 + 5_000, 2_000_000);
    const later = 2_000_000 + 10 * 60_000 + 1;
    expect(nextEstimate(e, later - 1_000, later).offsetMs).toBe(-1_000);
  });
});

describe('procedures: the room screen\'s address', () => {
  it('parses and formats #/room/<meetingId>, and nothing malformed', () => {
    expect(parseRoute('#/room/m-1')).toEqual({ name: 'room', meetingId: 'm-1' });
    expect(formatRoute({ name: 'room', meetingId: 'm-1' })).toBe('#/room/m-1');
    expect(parseRoute('#/room/').name).toBe('meetings');
    expect(parseRoute('#/room/a%2Fb').name).toBe('meetings');
    expect(parseRoute('#/room/m-1/extra').name).toBe('meetings');
  });
});
