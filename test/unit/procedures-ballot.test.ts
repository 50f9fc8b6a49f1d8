// The procedure screens' pure parts for selection ballots and the chair's vote form, without a
// browser: toggling and validity of a selection and a strike-out ballot (judged by the same rule
// as the hub), what a ballot sends, the words the voter reads in both languages, the body the
// chair's form makes (and what it refuses), the hub's refusals and notices translated, and which
// vote the room screen shows once one is annulled.
import { describe, expect, it } from 'vitest';
import { ballotBody, confirmText, rulesOf, ruleText, sentIds, standingText, toggleMark } from '../../renderer/procedures/ballot-choice.ts';
import { NEW_VOTE, revoteForm, voteBody } from '../../renderer/procedures/chair/vote-form-model.ts';
import { noticeText } from '../../renderer/procedures/labels.ts';
import { shownPoll } from '../../renderer/procedures/model.ts';
import { refusalOf, refusalText } from '../../renderer/procedures/refusals.ts';
import { ApiError } from '../../renderer/api.ts';
import { translate, type Locale, type MessageKey, type MessageValues } from '../../renderer/i18n/index.tsx';
import { POLL_NOTICES, type PollDetail, type PollPublic } from '../../shared/procedures/polls.ts';

const tr = (l: Locale) => (k: MessageKey, v?: MessageValues) => translate(l, k, v);
const en = tr('en');
const vi = tr('vi');
const options = ['An', 'Bình', 'Cường', 'Dũng', 'Em'].map((label, i) => ({ id: `o${i + 1}`, label }));
const selection = rulesOf({ method: 'selection', options, minVotes: 0, maxVotes: 2 });
const strike = rulesOf({ method: 'selection', options: options.slice(0, 4), minVotes: 1, maxVotes: 2, strikeOut: true });
const poll = (id: string, state: PollPublic['state'], at: number): PollPublic => ({
  id, title: id, agendaItemId: null, method: 'approval', visibility: 'named', state, voted: 0, entitled: 3, endsAt: null, result: null, at,
});

describe('procedures: a selection ballot', () => {
  it('toggles options in the poll order and sends the chosen ids once within the rule', () => {
    let marked = toggleMark(selection, [], 'o3');
    marked = toggleMark(selection, marked, 'o1');
    expect(marked).toEqual(['o1', 'o3']);
    expect(ballotBody(selection, { value: null, marked })).toEqual({ optionIds: ['o1', 'o3'] });
    // A third is too many: nothing to send, and the voter is told what to do.
    const three = toggleMark(selection, marked, 'o5');
    expect(ballotBody(selection, { value: null, marked: three })).toBeNull();
    expect(standingText(en, selection, three)).toEqual({ text: '3 chosen — too many: take 1 off', ok: false });
    expect(toggleMark(selection, three, 'o3')).toEqual(['o1', 'o5']);
    // No choice is a valid (blank) ballot when the minimum is 0.
    expect(ballotBody(selection, { value: null, marked: [] })).toEqual({ optionIds: [] });
  });

  it('behaves like a radio when only one may be chosen', () => {
    const one = rulesOf({ method: 'selection', options, minVotes: 1, maxVotes: 1 });
    expect(toggleMark(one, ['o1'], 'o2')).toEqual(['o2']);
    expect(ballotBody(one, { value: null, marked: [] })).toBeNull();
    expect(standingText(en, one, []).text).toBe('Nothing chosen yet — choose 1 more');
    expect(ruleText(en, one)).toBe('Choose 1 of 5');
  });

  it('states its rule in English and Vietnamese', () => {
    expect(ruleText(en, selection)).toBe('Choose up to 2 of 5');
    expect(ruleText(vi, selection)).toBe('Chọn tối đa 2 trong số 5');
    expect(ruleText(en, rulesOf({ method: 'selection', options, minVotes: 1, maxVotes: 3 }))).toBe('Choose 1 to 3 of 5');
  });
});

describe('procedures: a strike-out ballot (gạch tên)', () => {
  it('marks the names struck and sends the names kept, valid iff 1 ≤ kept ≤ seats', () => {
    expect(ruleText(en, strike)).toBe('Strike out the names you reject; keep 1 to 2');
    expect(ruleText(vi, strike)).toBe('Gạch tên người anh/chị không bầu; giữ lại từ 1 đến 2 người');
    // Nothing struck keeps all four: more than the two seats.
    expect(ballotBody(strike, { value: null, marked: [] })).toBeNull();
    expect(standingText(en, strike, [])).toEqual({ text: 'Keeping 4 of 4 — strike out 2 more', ok: false });
    const struck = ['o2', 'o4'];
    expect(sentIds(strike, struck)).toEqual(['o1', 'o3']);
    expect(ballotBody(strike, { value: null, marked: struck })).toEqual({ optionIds: ['o1', 'o3'] });
    expect(confirmText(en, strike, { value: null, marked: struck })).toBe('You strike out: Bình, Dũng. You keep: An, Cường. Once confirmed, your vote is final.');
    // Every name struck keeps none: invalid, however much the voter rejects them all.
    const all = ['o1', 'o2', 'o3', 'o4'];
    expect(ballotBody(strike, { value: null, marked: all })).toBeNull();
    expect(standingText(vi, strike, all)).toEqual({ text: 'Giữ lại 0/4 — phải giữ lại ít nhất một người', ok: false });
  });

  it('takes the hub default of keeping at least one when the poll names no minimum', () => {
    expect(rulesOf({ method: 'selection', options, maxVotes: 3, strikeOut: true }).minVotes).toBe(1);
    expect(rulesOf({ method: 'approval' })).toMatchObject({ method: 'approval', options: [], strikeOut: false });
  });
});

describe('procedures: the chair’s vote form', () => {
  it('opens a named yes/no/abstain vote by a simple majority of yes and no, quorum warned, by default', () => {
    const check = voteBody({ ...NEW_VOTE, title: '  Adopt the minutes ' }, 'item-1');
    expect(check).toEqual({ ok: true, body: { title: 'Adopt the minutes', method: 'approval', visibility: 'named', majority: { kind: 'simple', base: 'yes_no' }, quorumCheck: 'warn', agendaItemId: 'item-1' } });
  });

  it('makes a strike-out election and refuses a form the hub would refuse', () => {
    const form = { ...NEW_VOTE, title: 'Bầu Ban kiểm phiếu', kind: 'strike_out' as const, optionsText: 'An\n\n Bình \nCường\n', maxVotes: 2, secret: true };
    const check = voteBody(form, null);
    expect(check.ok && check.body).toMatchObject({ method: 'selection', options: ['An', 'Bình', 'Cường'], minVotes: 1, maxVotes: 2, strikeOut: true, visibility: 'secret' });
    expect(voteBody({ ...form, maxVotes: 4 }, null)).toEqual({ ok: false, problem: 'chair.vote.maxOverOptions', vars: { max: 4, n: 3 } });
    expect(voteBody({ ...form, optionsText: 'An\nAn' }, null)).toMatchObject({ ok: false, problem: 'chair.vote.sameOption' });
    expect(voteBody({ ...form, optionsText: '' }, null)).toMatchObject({ ok: false, problem: 'chair.vote.needOptions' });
    expect(voteBody({ ...form, kind: 'selection', minVotes: 3, maxVotes: 2 }, null)).toMatchObject({ ok: false, problem: 'chair.vote.minOverMax' });
    expect(voteBody({ ...NEW_VOTE, title: 'x', majority: 'custom', num: 3, den: 2 }, null)).toMatchObject({ ok: false, problem: 'chair.vote.fractionTooBig' });
  });

  it('fills a re-vote from the poll it repeats', () => {
    const detail = {
      ...poll('p1', 'annulled', 5), title: 'Elect two', method: 'selection', visibility: 'secret', options: options.slice(0, 3), minVotes: 1, maxVotes: 2, strikeOut: true,
      majority: { kind: 'absolute', base: 'members_total' }, quorumCheck: 'block',
    } as unknown as PollDetail;
    const form = revoteForm(detail);
    expect(form).toMatchObject({ title: 'Elect two', kind: 'strike_out', secret: true, optionsText: 'An\nBình\nCường', maxVotes: 2, majority: 'absolute', base: 'members_total', quorumCheck: 'block', revoteOf: { id: 'p1', title: 'Elect two' } });
    const check = voteBody(form, null);
    expect(check.ok && check.body.revoteOf).toBe('p1');
  });
});

describe('procedures: the hub’s words in the reader’s language', () => {
  it('translates refusals by their code, never showing the hub’s English words (issue 16)', () => {
    const voted = refusalOf(new ApiError(409, 'already_voted', 'you have already voted in this poll'));
    expect(refusalText(en, voted)).toBe('Your ballot was already counted; the first ballot stands.');
    expect(refusalText(vi, voted)).toContain('phiếu đầu tiên có giá trị');
    expect(refusalText(vi, refusalOf(new ApiError(403, 'not_present', 'x')))).toBe('Anh/chị chưa điểm danh: hãy điểm danh để biểu quyết.');
    const other = refusalOf(new ApiError(409, 'conflict', 'nobody is waiting to speak on this item'));
    expect(refusalText(en, other)).toBe('This clashes with a change made meanwhile: look again, then retry.');
    expect(refusalText(vi, other)).toBe('Việc này xung đột với một thay đổi vừa được thực hiện: hãy xem lại rồi thử lại.');
    expect(refusalText(vi, refusalOf(new ApiError(409, 'something_new', 'an English reason')))).toBe('Yêu cầu bị từ chối (mã something_new).');
    expect(refusalText(en, refusalOf(new ApiError(503, 'hub_offline', 'x')))).toBe(en('proc.needsHub'));
  });

  it('translates the hub’s poll notices by their exact text', () => {
    expect(noticeText(vi, POLL_NOTICES.deadlineExtended)).toBe('Máy chủ khởi động lại trong khi biểu quyết: thời hạn đã được gia hạn.');
    expect(noticeText(en, 'something new')).toBe('something new');
  });

  it('shows the later of the last published and the last annulled vote once none is open', () => {
    const published = poll('pub', 'published', 5);
    expect(shownPoll([published, poll('ann', 'annulled', 9)])?.id).toBe('ann');
    expect(shownPoll([published, poll('ann', 'annulled', 2)])?.id).toBe('pub');
    expect(shownPoll([poll('ann', 'annulled', 2), poll('open', 'started', 1)])?.id).toBe('open');
  });
});
