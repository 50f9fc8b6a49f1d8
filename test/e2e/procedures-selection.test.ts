// Elections and the chair's finer controls end to end (issue 14, items 3, 4 and 6): a real hub
// with the demo room and Chromium pages for the chair, two delegates' tablets and the room screen.
// The chair sets the list of speakers' time and sees its statistics; opens a strike-out election
// (gạch tên: four names, two seats) which two delegates cast by striking names, the result per
// name reaching the room screen with the elected marked; annuls it with a reason every screen
// shows; and re-votes it — in Vietnamese — from the annulled one. Every figure on screen is
// checked against the hub's API.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chooseLanguage, openDemoMeeting, SHOTS, signInUi, useDemoRoom } from './browser.ts';
import { consoleTab, editorRow } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';

const TABLET = { width: 1024, height: 768 };
const ITEM = 'Ngân sách 2027 / Budget 2027';
const CANDIDATES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường', 'Phạm Văn Dũng'];
const QUESTION = 'Elect the tally committee';

interface OptionCount { id: string; label: string; votes: number; elected: boolean | null }
interface PollAnswer {
  id: string; state: string; quorumCheck?: string; majority?: { kind: string; base: string }; voted: number; entitled: number; revoteOf?: string | null; annulledReason?: string | null;
  options?: Array<{ id: string; label: string }>; maxVotes?: number; strikeOut?: boolean;
  result: null | { passed: boolean | null; valid?: number; options?: OptionCount[] };
}
interface StatsAnswer {
  items: Array<{ agendaItemId: string; turns: number }>;
  meeting: { turns: number; neverSpoke: Array<{ name: string }> };
}

const vote = (page: Page, name = 'Vote'): Locator => page.getByRole('region', { name, exact: true });
const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();
const shotOf = async (target: Page | Locator, name: string) => target.screenshot({ path: `${SHOTS}/procedures-selection-${name}.png` });

describe('procedures: elections, annulment, re-vote and the speakers’ figures', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });
  let meetingId = '';
  let chairToken = '';
  let chair: Page;
  let screen: Page;
  let d1: Page;
  let d2: Page;
  let firstPollId = '';

  const tabletAs = async (login: string): Promise<Page> => {
    const page = await room.newPage({ viewport: TABLET, hasTouch: true });
    await signInUi(page, room.hub.url, login);
    await openDemoMeeting(page);
    return page;
  };
  const polls = async () => (await api<{ polls: PollAnswer[] }>(room.hub.url, chairToken, `/api/meetings/${meetingId}/polls`)).body.polls;
  const pollById = async (id: string) => (await api<PollAnswer>(room.hub.url, chairToken, `/api/polls/${id}`)).body;
  /** Strikes `names` on a tablet's ballot, then submits and confirms. */
  const strikeAndCast = async (page: Page, names: string[], region = 'Vote', labels = { submit: 'Submit vote', confirm: 'Confirm vote', counted: 'Your vote was counted' }) => {
    for (const n of names) await vote(page, region).getByRole('button', { name: n, exact: true }).click();
    await vote(page, region).getByRole('button', { name: labels.submit }).click();
    await vote(page, region).getByRole('button', { name: labels.confirm }).click();
    await vote(page, region).getByText(labels.counted).waitFor({ timeout: 5000 });
  };

  beforeAll(async () => {
    chair = await room.newPage({ viewport: { width: 1280, height: 1500 } });
    await signInUi(chair, room.hub.url, 'chair');
    await openDemoMeeting(chair);
    meetingId = /#\/m\/([^/?]+)/.exec(chair.url())![1]!;
    chairToken = (await signIn(room.hub.url, 'chair')).token;
    d1 = await tabletAs('delegate1');
    d2 = await tabletAs('delegate2');
    for (const d of [d1, d2]) {
      await d.getByRole('button', { name: 'Check in', exact: true }).click();
      await d.locator('.checked-in').waitFor({ timeout: 5000 });
    }
    screen = await room.newPage({ viewport: { width: 1600, height: 900 } });
    await signInUi(screen, room.hub.url, 'admin');
    await screen.goto(`${room.hub.url}/#/room/${meetingId}`);
    await screen.locator('.room-screen').waitFor();
  });

  it('the chair sets the time per speaker and sees the statistics of the item and the meeting', async () => {
    await consoleTab(chair, 'Items');
    await editorRow(chair, ITEM).getByRole('button', { name: 'Make current' }).click();
    await d1.getByRole('button', { name: 'Request to speak', exact: true }).click();
    await d1.getByTestId('queue-position').waitFor({ timeout: 5000 });
    await tab(chair, 'Speakers');

    // Two minutes a speaker on this item, set in the list's settings.
    await chair.getByText('List settings').click();
    await chair.getByLabel('Time per speaker, in seconds').fill('120');
    await chair.getByRole('button', { name: 'Apply the settings' }).click();
    const lists = async () => (await api<{ lists: Array<{ agendaItemId: string; defaultTimeS?: number }> }>(room.hub.url, chairToken, `/api/meetings/${meetingId}/speakers`)).body.lists;
    await expect.poll(async () => (await lists())[0]?.defaultTimeS, { timeout: 5000 }).toBe(120);
    const itemId = (await lists())[0]!.agendaItemId;

    // A turn given and ended: the figures follow, as the hub counts them.
    const turns = chair.getByTestId('stat-turns').locator('td');
    await expect.poll(() => turns.allTextContents(), { timeout: 5000 }).toEqual(['0', '0']);
    await chair.getByRole('button', { name: 'Give the floor' }).click();
    await d1.getByText('You have the floor').waitFor({ timeout: 5000 });
    // The countdown starts from the two minutes set above.
    expect(await d1.getByRole('timer', { name: 'Speaking time' }).textContent()).toMatch(/^(2:00|1:5\d)/);
    await chair.getByRole('button', { name: 'End the turn' }).click();
    await expect.poll(() => turns.allTextContents(), { timeout: 5000 }).toEqual(['1', '1']);
    const stats = (await api<StatsAnswer>(room.hub.url, chairToken, `/api/meetings/${meetingId}/speakers/stats`)).body;
    expect(stats.items.find((i) => i.agendaItemId === itemId)?.turns).toBe(1);
    expect(await chair.getByTestId('stat-first').locator('td').allTextContents()).toEqual(['1', '1']);
    // Who has not spoken: the hub's list, and never delegate1, who just had the floor.
    const never = (await chair.getByTestId('never-spoke').textContent())!;
    for (const p of stats.meeting.neverSpoke) expect(never).toContain(p.name);
    expect(never).toContain('Phạm Thu Hà');
    expect(never).not.toContain('Lê Minh Tuấn');
    expect(await chair.getByRole('list', { name: 'Who spoke on this item' }).textContent()).toMatch(/^Lê Minh Tuấn: 1 turn, 0:0\d$/);
    await shotOf(chair.locator('.console'), 'chair-speakers-en');
  });

  it('a strike-out election: two tablets strike names, the result per name reaches the room screen', async () => {
    await tab(chair, 'Votes');
    await chair.getByLabel('Question').fill(QUESTION);
    await chair.getByLabel('Strike-out election (gạch tên)').check();
    await chair.getByLabel('Options or candidates, one per line').fill(CANDIDATES.join('\n'));
    await chair.getByLabel('Seats to fill').fill('2');
    await chair.getByLabel('Secret ballot').check();
    // Two of the four voting members are in: no quorum, so this election checks none (the
    // majority stays the default, more than half of the valid ballots).
    await chair.getByLabel('Quorum check').selectOption('none');
    await chair.getByRole('button', { name: 'Open vote' }).click();

    await vote(d1).getByText('Strike out the names you reject; keep 1 to 2').waitFor({ timeout: 5000 });
    const started = (await polls()).find((p) => p.state === 'started')!;
    firstPollId = started.id;
    expect(started).toMatchObject({ strikeOut: true, maxVotes: 2, entitled: 2 });
    expect(await pollById(firstPollId)).toMatchObject({ quorumCheck: 'none', majority: { kind: 'simple', base: 'yes_no' } });
    expect(started.options!.map((o) => o.label)).toEqual(CANDIDATES);

    // Four kept is more than two seats: nothing to send until two names are struck.
    const submit = vote(d1).getByRole('button', { name: 'Submit vote' });
    expect(await submit.isDisabled()).toBe(true);
    expect(await vote(d1).getByTestId('ballot-standing').textContent()).toBe('Keeping 4 of 4 — strike out 2 more');
    await vote(d1).getByRole('button', { name: 'Lê Văn Cường', exact: true }).click();
    await vote(d1).getByRole('button', { name: 'Phạm Văn Dũng', exact: true }).click();
    expect(await vote(d1).getByRole('button', { name: 'Phạm Văn Dũng', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await vote(d1).getByTestId('ballot-standing').textContent()).toBe('Keeping 2 of 4');
    expect(await submit.isDisabled()).toBe(false);
    await d1.locator('.vote-box').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shotOf(d1, 'ballot-en');
    await submit.click();
    expect(await vote(d1).locator('.ballot-confirm').textContent()).toContain('You strike out: Lê Văn Cường, Phạm Văn Dũng. You keep: Nguyễn Văn An, Trần Thị Bình.');
    await vote(d1).getByRole('button', { name: 'Confirm vote' }).click();
    await vote(d1).getByText('Your vote was counted').waitFor({ timeout: 5000 });
    await strikeAndCast(d2, ['Trần Thị Bình', 'Phạm Văn Dũng']);
    await expect.poll(async () => (await pollById(firstPollId)).voted).toBe(2);

    // Everyone who may vote has: the chair closes without being asked, and publishes.
    await chair.getByRole('button', { name: 'Close vote' }).click();
    await chair.getByRole('button', { name: 'Publish result' }).click();
    await expect.poll(async () => (await pollById(firstPollId)).state, { timeout: 5000 }).toBe('published');
    const result = (await pollById(firstPollId)).result!;
    expect(result.options!.map((o) => [o.label, o.votes])).toEqual([[CANDIDATES[0], 2], [CANDIDATES[1], 1], [CANDIDATES[2], 1], [CANDIDATES[3], 0]]);

    // The room screen: one row per name with the hub's count, the elected marked.
    const rows = screen.locator('.room-result [data-testid="option-result"]');
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(4);
    expect(await screen.locator('.room-result .result-count').allTextContents()).toEqual(result.options!.map((o) => String(o.votes)));
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-elected')))).toEqual(result.options!.map((o) => String(o.elected)));
    const elected = result.options!.filter((o) => o.elected).map((o) => o.label);
    expect(elected.length).toBeGreaterThan(0);
    expect(await screen.getByTestId('poll-verdict').textContent()).toBe(`Elected: ${elected.join(', ')}`);
    expect(await screen.getByTestId('result-ballots').textContent()).toBe(`Valid ballots: ${result.valid} · invalid: 0`);
    // The delegate's panel and the chair's console show the same.
    await expect.poll(() => d2.locator('.last-result .result-count').allTextContents(), { timeout: 5000 }).toEqual(['2', '1', '1', '0']);
    expect(await chair.locator('.poll-row.state-published .result-count').allTextContents()).toEqual(['2', '1', '1', '0']);
    await shotOf(screen, 'room-en');
    await shotOf(chair.locator('.console'), 'chair-en');
  });

  it('annul with a reason, shown to everyone; a re-vote from it, cast and published in Vietnamese', async () => {
    const reason = 'One candidate was missing from the list';
    const row = chair.getByRole('listitem').filter({ hasText: QUESTION });
    await row.getByRole('button', { name: 'Annul', exact: true }).click();
    await row.getByLabel('Reason for annulling').fill(reason);
    await row.getByRole('button', { name: 'Annul the vote' }).click();
    await expect.poll(async () => (await pollById(firstPollId)).state, { timeout: 5000 }).toBe('annulled');
    expect((await pollById(firstPollId)).annulledReason).toBe(reason);
    // Every screen says so: the room screen no longer shows the result as standing.
    await expect.poll(() => screen.getByTestId('poll-annulled').textContent(), { timeout: 5000 }).toBe(`This vote was annulledReason: ${reason}`);
    expect(await screen.locator('.room-result').count()).toBe(0);
    await expect.poll(() => d1.locator('.last-result [data-testid="poll-annulled"]').textContent(), { timeout: 5000 }).toContain(reason);
    expect(await row.getByTestId('poll-annulled').textContent()).toContain(reason);
    await shotOf(screen, 'room-annulled-en');

    // Re-vote, in Vietnamese: the form comes back filled in from the annulled vote.
    for (const p of [chair, d1, d2, screen]) await chooseLanguage(p, 'vi');
    await chair.getByRole('listitem').filter({ hasText: QUESTION }).getByRole('button', { name: 'Biểu quyết lại', exact: true }).click();
    await chair.getByText(`Biểu quyết lại: “${QUESTION}”`).first().waitFor({ timeout: 5000 });
    expect(await chair.getByLabel('Nội dung biểu quyết').inputValue()).toBe(QUESTION);
    expect(await chair.getByLabel('Danh sách ứng cử viên hoặc phương án, mỗi dòng một').inputValue()).toBe(CANDIDATES.join('\n'));
    expect(await chair.getByLabel('Bầu cử gạch tên').isChecked()).toBe(true);
    await chair.getByLabel('Danh sách ứng cử viên hoặc phương án, mỗi dòng một').fill([...CANDIDATES, 'Hoàng Thị Em'].join('\n'));
    await chair.getByRole('button', { name: 'Mở biểu quyết' }).click();
    await expect.poll(async () => (await polls()).find((p) => p.state === 'started')?.revoteOf, { timeout: 5000 }).toBe(firstPollId);
    const revoteId = (await polls()).find((p) => p.state === 'started')!.id;

    const region = 'Biểu quyết';
    const viLabels = { submit: 'Gửi biểu quyết', confirm: 'Xác nhận', counted: 'Phiếu của anh/chị đã được ghi nhận' };
    await vote(d1, region).getByText(`Biểu quyết lại: “${QUESTION}”`).waitFor({ timeout: 5000 });
    await vote(d1, region).getByText('Gạch tên người anh/chị không bầu; giữ lại từ 1 đến 2 người').waitFor();
    for (const n of ['Trần Thị Bình', 'Lê Văn Cường', 'Phạm Văn Dũng']) await vote(d1, region).getByRole('button', { name: n, exact: true }).click();
    expect(await vote(d1, region).getByTestId('ballot-standing').textContent()).toBe('Giữ lại 2/5');
    await d1.locator('.vote-box').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shotOf(d1, 'ballot-vi');
    await vote(d1, region).getByRole('button', { name: viLabels.submit }).click();
    await vote(d1, region).getByRole('button', { name: viLabels.confirm }).click();
    await vote(d1, region).getByText(viLabels.counted).waitFor({ timeout: 5000 });
    await strikeAndCast(d2, ['Trần Thị Bình', 'Lê Văn Cường', 'Hoàng Thị Em'], region, viLabels);

    await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).click();
    await chair.getByRole('button', { name: 'Công bố kết quả' }).click();
    await expect.poll(async () => (await pollById(revoteId)).state, { timeout: 5000 }).toBe('published');
    const result = (await pollById(revoteId)).result!;
    await expect.poll(() => screen.locator('.room-result .result-count').allTextContents(), { timeout: 5000 }).toEqual(result.options!.map((o) => String(o.votes)));
    expect(result.options!.map((o) => o.votes)).toEqual([2, 0, 0, 1, 1]);
    const elected = result.options!.filter((o) => o.elected).map((o) => o.label);
    expect(await screen.getByTestId('poll-verdict').textContent()).toBe(elected.length ? `Trúng cử: ${elected.join(', ')}` : 'Không ai trúng cử');
    expect(await screen.locator('.room-revote').textContent()).toBe(`Biểu quyết lại: “${QUESTION}”`);
    await shotOf(screen, 'room-vi');
    await shotOf(chair.locator('.console'), 'chair-vi');
  });
});
