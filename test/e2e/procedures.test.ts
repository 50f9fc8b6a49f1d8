// Running the meeting end to end (issue 14): a real hub with the demo room and Chromium pages for
// the chair, three delegates on tablets, the secretary and the room screen. Check-in moves the
// quorum on another page; requests to speak show "you are Nth" (points of order first); the chair
// opens a secret vote, the three delegates vote (one by keyboard only), a double submit from a
// second tablet shows the ballot was counted, the result is published and reaches the room
// screen — then the same in Vietnamese. Every figure on screen is checked against the hub's API.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chooseLanguage, openDemoMeeting, openPaper, SHOTS, signInUi, useDemoRoom } from './browser.ts';
import { confirm, consoleTab, editorRow } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';
import { translate } from '../../renderer/i18n/index.tsx';

const TABLET = { width: 1024, height: 768 };
/** delegate2's tablet stands upright: below 900 px the side column and a paper take turns. */
const PORTRAIT = { width: 820, height: 1180 };
const PAPER = 'Digital Strategy 2027–2030';
const ITEM = 'Ngân sách 2027 / Budget 2027';

interface AttendanceAnswer { present: number; base: number; quorum: { met: boolean; needed: number }; members: Array<{ userId: string; status: string; firstInAt: number | null }> }
interface PollAnswer { id: string; state: string; voted: number; entitled: number; result: null | { yes: number; no: number; abstain: number; passed: boolean | null } }

const vote = (page: Page, name = 'Vote'): Locator => page.getByRole('region', { name, exact: true });
const quorumText = (page: Page) => page.locator('.procedures [data-testid="quorum"]').textContent();
const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true }).click();
const shotOf = async (target: Page | Locator, name: string) => target.screenshot({ path: `${SHOTS}/procedures-${name}.png` });
/** A tablet's screenshot with its procedures panel (or the vote) at the top of the side column. */
const tabletShot = async (page: Page, name: string, at = '.procedures') => {
  await page.locator(at).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shotOf(page, name);
};

describe('procedures: the meeting run end to end', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });
  let meetingId = '';
  let chairToken = '';
  let chair: Page;
  let secretary: Page;
  let screen: Page;
  const tablets: Page[] = [];

  const tabletAs = async (login: string, viewport = TABLET): Promise<Page> => {
    const page = await room.newPage({ viewport, hasTouch: true });
    await signInUi(page, room.hub.url, login);
    await openDemoMeeting(page);
    return page;
  };
  const attendance = async () => (await api<AttendanceAnswer>(room.hub.url, chairToken, `/api/meetings/${meetingId}/attendance`)).body;

  beforeAll(async () => {
    // Tall enough that a console section fits whole in its screenshot.
    chair = await room.newPage({ viewport: { width: 1280, height: 1400 } });
    await signInUi(chair, room.hub.url, 'chair');
    await openDemoMeeting(chair);
    meetingId = /#\/m\/([^/?]+)/.exec(chair.url())![1]!;
    chairToken = (await signIn(room.hub.url, 'chair')).token;
    secretary = await room.meetingAs('secretary');
    tablets.push(await tabletAs('delegate1'), await tabletAs('delegate2', PORTRAIT), await tabletAs('delegate3'));
    screen = await room.newPage({ viewport: { width: 1600, height: 900 } });
    await signInUi(screen, room.hub.url, 'admin');
    await screen.goto(`${room.hub.url}/#/room/${meetingId}`);
    await screen.locator('.room-screen').waitFor();
  });

  it('check-in on a tablet moves the quorum on every other screen', async () => {
    const [d1, d2, d3] = tablets as [Page, Page, Page];
    for (const [i, d] of [d1, d2, d3].entries()) {
      await d.getByRole('button', { name: 'Check in', exact: true }).click();
      await expect.poll(() => d.locator('.checked-in').textContent(), { timeout: 5000 }).toMatch(/Checked in at \d\d:\d\d/);
      // The secretary's banner says what the hub says, as soon as the hub says it.
      const a = await attendance();
      expect(a.present).toBe(i + 1);
      const banner = translate('en', a.quorum.met ? 'proc.quorum.met' : 'proc.quorum.notMet', { present: a.present, base: a.base, needed: a.quorum.needed });
      await expect.poll(() => quorumText(secretary), { timeout: 5000 }).toContain(banner);
      await expect.poll(() => screen.locator('[data-testid="quorum"]').textContent(), { timeout: 5000 }).toContain(banner);
    }
    // The time shown is the hub's check-in time, in the tablet's clock format.
    const d1Id = (await signIn(room.hub.url, 'delegate1')).user.id;
    const first = (await attendance()).members.find((m) => m.userId === d1Id)!;
    const shown = await d1.evaluate((ms) => new Date(ms).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }), first.firstInAt!);
    expect(await d1.locator('.checked-in').textContent()).toContain(`Checked in at ${shown}`);
    // The chair's list shows the three present.
    await tab(chair, 'Attendance');
    await expect.poll(() => chair.locator('.att-row.status-present').count(), { timeout: 5000 }).toBe(3);
    await shotOf(chair.locator('.console'), 'chair-attendance-en');
  });

  it('requests to speak show each delegate their place, points of order first', async () => {
    const [d1, d2, d3] = tablets as [Page, Page, Page];
    await consoleTab(chair, 'Items');
    await editorRow(chair, ITEM).getByRole('button', { name: 'Make current' }).click();
    await d2.getByRole('button', { name: 'Request to speak', exact: true }).click();
    await expect.poll(() => d2.getByTestId('queue-position').textContent(), { timeout: 5000 }).toBe('You are next');
    await d1.getByRole('button', { name: 'Request to speak', exact: true }).click();
    await expect.poll(() => d1.getByTestId('queue-position').textContent(), { timeout: 5000 }).toBe('You are 2nd in line');
    // A point of order goes ahead of both; their places move on their own tablets.
    await d3.getByRole('button', { name: 'Point of order', exact: true }).click();
    await expect.poll(() => d3.getByTestId('queue-position').textContent(), { timeout: 5000 }).toMatch(/^You are next/);
    await expect.poll(() => d2.getByTestId('queue-position').textContent(), { timeout: 5000 }).toBe('You are 2nd in line');
    await expect.poll(() => d1.getByTestId('queue-position').textContent(), { timeout: 5000 }).toBe('You are 3rd in line');
    const queue = (await api<unknown>(room.hub.url, chairToken, `/api/meetings/${meetingId}/speakers`)).body;
    expect(JSON.stringify(queue)).toContain('point_of_order');

    // The chair gives the floor: the point of order speaks, with a countdown everywhere.
    await tab(chair, 'Speakers');
    await chair.getByRole('button', { name: 'Give the floor' }).click();
    await d3.getByText('You have the floor').waitFor({ timeout: 5000 });
    await expect.poll(() => screen.getByTestId('room-speaker').textContent(), { timeout: 5000 }).toBe('Đặng Quốc Việt');
    const timer = screen.getByRole('timer', { name: 'Speaking time' });
    const seconds = async () => {
      const [m, s] = (await timer.textContent())!.replace('−', '-').split(':').map(Number);
      return m! * 60 + (m! < 0 ? -s! : s!);
    };
    const before = await seconds();
    expect(before).toBeGreaterThan(0);
    await chair.getByRole('button', { name: '+60 s' }).click();
    await expect.poll(seconds, { timeout: 5000 }).toBeGreaterThan(before + 50);
    await expect.poll(() => d1.getByTestId('queue-position').textContent(), { timeout: 5000 }).toBe('You are 2nd in line');
    // Withdrawing takes the request off the list.
    await d1.getByRole('button', { name: 'Withdraw' }).click();
    await expect.poll(() => d1.getByTestId('queue-position').count(), { timeout: 5000 }).toBe(0);
    await shotOf(chair.locator('.console'), 'chair-speakers-en');
    await shotOf(screen, 'room-speaker-en');

    // A short turn shows the countdown's colours: amber near the end, red and negative past it.
    const itemId = ((await api<{ lists: Array<{ agendaItemId: string }> }>(room.hub.url, chairToken, `/api/meetings/${meetingId}/speakers`)).body.lists[0]!).agendaItemId;
    const set = await api(room.hub.url, chairToken, `/api/meetings/${meetingId}/speakers/settings`, {
      method: 'PATCH', body: JSON.stringify({ agendaItemId: itemId, defaultTimeS: 10, warnAtS: 5 }),
    });
    expect(set.status).toBe(200);
    await chair.getByRole('button', { name: 'Next speaker' }).click();
    await expect.poll(() => screen.getByTestId('room-speaker').textContent(), { timeout: 5000 }).toBe('Phạm Thu Hà');
    await d2.getByText('You have the floor').waitFor({ timeout: 5000 });
    await expect.poll(() => timer.getAttribute('data-phase'), { timeout: 5000 }).toBe('normal');
    await expect.poll(() => timer.getAttribute('data-phase'), { timeout: 10_000 }).toBe('warn');
    await expect.poll(() => d2.getByRole('timer', { name: 'Speaking time' }).getAttribute('data-phase'), { timeout: 10_000 }).toBe('over');
    await expect.poll(() => timer.textContent(), { timeout: 5000 }).toMatch(/^−0:0[1-9]/);
    await shotOf(screen, 'room-overrun-en');
  });

  it('a secret vote: three tablets vote, the result is published and reaches the room screen', async () => {
    const [d1, d2, d3] = tablets as [Page, Page, Page];
    // delegate1's second tablet has the ballot open before the first one votes.
    const d1b = await tabletAs('delegate1');
    // delegate2 is reading a paper on the upright tablet when the vote opens.
    await openPaper(d2, PAPER);
    expect(await vote(d2).count()).toBe(0);

    await tab(chair, 'Votes');
    await chair.getByLabel('Question').fill('Approve the 2027 budget');
    await chair.getByLabel('Secret ballot').check();
    await chair.getByRole('button', { name: 'Open vote' }).click();
    for (const d of [d1, d2, d3, d1b]) await vote(d).getByRole('button', { name: 'Yes', exact: true }).waitFor({ timeout: 5000 });
    // On the upright tablet the open ballot takes the screen from the paper (kept open behind it).
    expect(await d2.locator('.viewer').isVisible()).toBe(false);
    const pollId = (await api<{ polls: PollAnswer[] }>(room.hub.url, chairToken, `/api/meetings/${meetingId}/polls`)).body.polls.find((p) => p.state === 'started')!.id;
    const poll = async () => (await api<PollAnswer>(room.hub.url, chairToken, `/api/polls/${pollId}`)).body;
    const entitled = (await poll()).entitled;
    await expect.poll(() => screen.getByTestId('room-vote').textContent(), { timeout: 5000 }).toContain(`Voted 0 of ${entitled}`);

    // delegate1: Yes, Submit vote, a confirm step, then counted with a receipt code.
    await vote(d1).getByRole('button', { name: 'Yes', exact: true }).click();
    expect(await vote(d1).getByRole('button', { name: 'Yes', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await tabletShot(d1, 'ballot-en');
    await vote(d1).getByRole('button', { name: 'Submit vote' }).click();
    await vote(d1).getByRole('button', { name: 'Confirm vote' }).click();
    await vote(d1).getByText('Your vote was counted').waitFor({ timeout: 5000 });
    const tracker = (await vote(d1).getByTestId('tracker').textContent())!;
    expect(tracker).toMatch(/^[0-9a-f]{64}$/);
    // The secret choice leaves the tablet's draft once cast; the receipt code stays.
    const drafts = await d1.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('chamber.ballot.')).map((k) => sessionStorage.getItem(k)).join());
    expect(drafts).toContain(tracker);
    expect(drafts).not.toMatch(/"value":"(yes|no|abstain)"/);
    // The hub knows the receipt code.
    await vote(d1).getByRole('button', { name: 'Check that it was counted' }).click();
    await vote(d1).getByText('The hub holds your ballot.').waitFor({ timeout: 5000 });
    await expect.poll(async () => (await poll()).voted).toBe(1);
    // The chair sees who has not voted yet (managers only).
    await expect.poll(() => chair.getByTestId('not-voted').textContent(), { timeout: 5000 }).toContain('Phạm Thu Hà');
    await shotOf(chair.locator('.console'), 'chair-votes-en');

    // delegate2 chooses No, and the choice survives a dropped tablet (a reload) as a draft.
    await vote(d2).getByRole('button', { name: 'No', exact: true }).click();
    await d2.reload();
    await expect.poll(() => vote(d2).getByRole('button', { name: 'No', exact: true }).getAttribute('aria-pressed'), { timeout: 10_000 }).toBe('true');
    await vote(d2).getByRole('button', { name: 'No', exact: true }).focus();

    // delegate3 votes by keyboard alone: Yes, Tab to Submit vote, Enter, Enter on Confirm vote.
    await vote(d3).getByRole('button', { name: 'Yes', exact: true }).focus();
    await d3.keyboard.press('Space');
    expect(await vote(d3).getByRole('button', { name: 'Yes', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await d3.keyboard.press('Tab');
    await d3.keyboard.press('Tab');
    await d3.keyboard.press('Tab');
    expect(await d3.evaluate(() => document.activeElement?.textContent)).toBe('Submit vote');
    await d3.keyboard.press('Enter');
    expect(await d3.evaluate(() => document.activeElement?.textContent)).toBe('Confirm vote');
    await d3.keyboard.press('Enter');
    await vote(d3).getByText('Your vote was counted').waitFor({ timeout: 5000 });
    expect(await d3.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('status');

    // Two live updates later, delegate2's form is as it was: No chosen, focus on it.
    await expect.poll(() => vote(d2).getByTestId('poll-voted').textContent(), { timeout: 5000 }).toContain(`Voted 2 of ${entitled}`);
    expect(await vote(d2).getByRole('button', { name: 'No', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await d2.evaluate(() => document.activeElement?.textContent)).toBe('No');
    await vote(d2).getByRole('button', { name: 'Submit vote' }).click();
    await vote(d2).getByRole('button', { name: 'Confirm vote' }).click();
    await vote(d2).getByText('Your vote was counted').waitFor({ timeout: 5000 });
    await tabletShot(d2, 'counted-portrait-en', '.vote-box');
    // Counted: the confirmation holds the upright tablet until the delegate goes back to the paper.
    expect(await d2.locator('.viewer').isVisible()).toBe(false);
    await vote(d2).getByRole('button', { name: 'Back to the paper' }).click();
    await d2.locator('.viewer').waitFor({ state: 'visible', timeout: 5000 });

    // delegate1's second tablet, whose form was open all along: a second ballot is refused (409)
    // and the tablet shows that the ballot was counted.
    await vote(d1b).getByRole('button', { name: 'No', exact: true }).click();
    await vote(d1b).getByRole('button', { name: 'Submit vote' }).click();
    await vote(d1b).getByRole('button', { name: 'Confirm vote' }).click();
    await vote(d1b).getByText('Your ballot was already counted').waitFor({ timeout: 5000 });
    expect((await poll()).voted).toBe(3);

    await expect.poll(() => screen.getByTestId('room-vote').textContent(), { timeout: 5000 }).toContain(`Voted 3 of ${entitled}`);
    await shotOf(screen, 'room-vote-en');

    // The chair closes (confirming if someone entitled has not voted) and publishes.
    await chair.getByRole('button', { name: 'Close vote' }).click();
    if (entitled > 3) await chair.getByRole('button', { name: 'Close it now' }).click();
    await chair.getByRole('button', { name: 'Publish result' }).click();
    await expect.poll(async () => (await poll()).state, { timeout: 5000 }).toBe('published');
    const result = (await poll()).result!;
    expect({ yes: result.yes, no: result.no, abstain: result.abstain }).toEqual({ yes: 2, no: 1, abstain: 0 });
    const verdict = translate('en', result.passed === null ? 'proc.result.undecided' : result.passed ? 'proc.result.passed' : 'proc.result.failed');
    await expect.poll(() => screen.getByTestId('poll-verdict').textContent(), { timeout: 5000 }).toBe(verdict);
    const counts = await screen.locator('.room-result .result-count').allTextContents();
    expect(counts).toEqual(['2', '1', '0']);
    // Every tablet shows the result once the vote is over.
    await expect.poll(() => d2.locator('.last-result [data-testid="poll-verdict"]').textContent(), { timeout: 5000 }).toBe(verdict);
    await shotOf(screen, 'room-result-en');
    await shotOf(chair.locator('.console'), 'chair-published-en');
  });

  it('a vote the chair resets asks the tablets again (a kept "counted" is stale)', async () => {
    const [d1] = tablets as [Page];
    await chair.getByLabel('Question').fill('Adopt the agenda');
    await chair.getByLabel('Named ballot').check();
    await chair.getByRole('button', { name: 'Open vote' }).click();
    await vote(d1).getByRole('button', { name: 'Abstain', exact: true }).click();
    await vote(d1).getByRole('button', { name: 'Submit vote' }).click();
    await vote(d1).getByRole('button', { name: 'Confirm vote' }).click();
    await vote(d1).getByText('Your vote was counted').waitFor({ timeout: 5000 });
    expect(await vote(d1).getByText('You voted: Abstain').count()).toBe(1);
    const row = chair.getByRole('listitem').filter({ hasText: 'Adopt the agenda' });
    await row.getByRole('button', { name: 'Close vote' }).click();
    await row.getByRole('button', { name: 'Close it now' }).click();
    await row.getByRole('button', { name: 'Reset' }).click();
    await confirm(chair, 'Reset the vote');
    await row.getByRole('button', { name: 'Start the vote' }).click();
    // Open again with no ballot in: delegate1's tablet offers the ballot, not "counted".
    await vote(d1).getByRole('button', { name: 'Submit vote' }).waitFor({ timeout: 5000 });
    expect(await vote(d1).getByText('Your vote was counted').count()).toBe(0);
    await row.getByRole('button', { name: 'Close vote' }).click();
    await row.getByRole('button', { name: 'Close it now' }).click();
    await row.getByRole('button', { name: 'Publish result' }).click();
    await expect.poll(() => vote(d1).count(), { timeout: 5000 }).toBe(0);
  });

  it('the same in Vietnamese: ballot, chair’s controls and room screen', async () => {
    const [d1, d2, d3] = tablets as [Page, Page, Page];
    for (const p of [chair, d1, d2, d3, screen]) await chooseLanguage(p, 'vi');
    await chair.getByRole('tab', { name: 'Biểu quyết' }).click();
    await chair.getByLabel('Nội dung biểu quyết').fill('Thông qua chiến lược số');
    await chair.getByLabel('Biểu quyết công khai').check();
    await chair.getByRole('button', { name: 'Mở biểu quyết' }).click();
    await vote(d1, 'Biểu quyết').getByRole('button', { name: 'Tán thành', exact: true }).click();
    await tabletShot(d1, 'ballot-vi');
    for (const [d, choice] of [[d1, 'Tán thành'], [d2, 'Không biểu quyết'], [d3, 'Tán thành']] as const) {
      await vote(d, 'Biểu quyết').getByRole('button', { name: choice, exact: true }).click();
      await vote(d, 'Biểu quyết').getByRole('button', { name: 'Gửi biểu quyết' }).click();
      await vote(d, 'Biểu quyết').getByRole('button', { name: 'Xác nhận' }).click();
      await vote(d, 'Biểu quyết').getByText('Phiếu của anh/chị đã được ghi nhận').waitFor({ timeout: 5000 });
      if (d === d2) await vote(d, 'Biểu quyết').getByRole('button', { name: 'Quay lại tài liệu' }).click();
    }
    await expect.poll(() => screen.getByTestId('room-vote').textContent(), { timeout: 5000 }).toMatch(/Đã biểu quyết 3\/\d+/);
    await shotOf(chair.locator('.console'), 'chair-votes-vi');
    await shotOf(screen, 'room-vote-vi');
    await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).click();
    const early = chair.getByRole('button', { name: 'Vẫn kết thúc' });
    if (await early.count()) await early.click();
    await chair.getByRole('button', { name: 'Công bố kết quả' }).click();
    await expect.poll(() => screen.locator('.room-result .result-count').allTextContents(), { timeout: 5000 }).toEqual(['2', '0', '1']);
    expect(await screen.getByTestId('room-vote').textContent()).toContain('Thông qua chiến lược số');
    expect(await screen.getByTestId('poll-verdict').textContent()).toMatch(/^(Thông qua|Không thông qua|Không có kết quả)/);
    await shotOf(screen, 'room-result-vi');
    await chair.getByRole('tab', { name: 'Điểm danh' }).click();
    await shotOf(chair.locator('.console'), 'chair-attendance-vi');
    await tabletShot(d3, 'delegate-panel-vi');
  });
});
