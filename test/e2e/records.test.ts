// The meeting's record end to end (issue 15): a real hub with the demo room and Chromium pages for
// the chair and a delegate's tablet. The chair records an item's conclusion and a decision linked
// to a published vote in the console's Record tab; the delegate sees both live under the agenda
// item, with the result worded as in the minutes, and adds a reserved opinion by keyboard alone;
// an action item the chair assigns appears, overdue and first, in the delegate's "My action items"
// and opens its meeting — then the same screens in Vietnamese. Figures are checked against the API.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { haveBuild, haveChromium, openDemoMeeting, SHOTS, signInUi, useDemoRoom } from './browser.ts';
import { api, signIn } from '../helpers/processes.ts';
import { translate } from '../../renderer/i18n/index.tsx';
import type { MeetingRecord } from '../../shared/records.ts';

const ITEM = 'Ngân sách 2027 / Budget 2027';
const CONCLUSION = 'Thống nhất thông qua dự toán ngân sách năm 2027.';
const DECISION = 'Nghị quyết phê duyệt dự toán ngân sách 2027';
const OPINION = 'Tôi bảo lưu ý kiến về khoản chi đầu tư công.';

const shotOf = (target: Page | Locator, name: string) => target.screenshot({ path: `${SHOTS}/records-${name}.png` });
/** The delegate's agenda row of the budget item. */
const budgetRow = (page: Page) => page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').filter({ hasText: 'Budget 2027' });

describe.skipIf(!haveChromium || !haveBuild)('the meeting record: conclusion, decision, reserved opinion, action items', () => {
  const room = useDemoRoom();
  let meetingId = '';
  let token = '';
  let chair: Page;
  let tablet: Page;
  const call = <T,>(method: string, path: string, body?: unknown, as = token) =>
    api<T>(room.hub.url, as, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const chairShot = async (name: string) => {
    const panel = chair.getByRole('tabpanel');
    await chair.getByRole('tab', { name: /Record|Kết luận/ }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shotOf(panel, name);
  };
  const record = async () => (await call<MeetingRecord>('GET', `/api/meetings/${meetingId}/record`)).body;

  beforeAll(async () => {
    // Tall enough that the Record tab fits whole in its screenshot.
    chair = await room.newPage({ viewport: { width: 1280, height: 2600 } });
    await signInUi(chair, room.hub.url, 'chair');
    await openDemoMeeting(chair);
    meetingId = /#\/m\/([^/?]+)/.exec(chair.url())![1]!;
    token = (await signIn(room.hub.url, 'chair')).token;
    tablet = await room.newPage({ viewport: { width: 1024, height: 900 }, hasTouch: true });
    await signInUi(tablet, room.hub.url, 'delegate1');
    await openDemoMeeting(tablet);

    // A vote on the budget, run and published through the API (its screens are procedures.test.ts's).
    const voters = new Map<string, string>();
    for (const login of ['delegate1', 'delegate2', 'delegate3']) {
      const s = await signIn(room.hub.url, login);
      voters.set(login, s.token);
      expect((await call('POST', `/api/meetings/${meetingId}/attendance`, { status: 'present', userId: s.user.id })).status).toBe(200);
    }
    const poll = await call<{ id: string }>('POST', `/api/meetings/${meetingId}/polls`, { title: 'Dự toán 2027', method: 'approval', visibility: 'named', agendaItemId: 'item-budget' });
    expect(poll.status).toBe(201);
    expect((await call('POST', `/api/polls/${poll.body.id}/start`)).status).toBe(200);
    for (const [login, value] of [['delegate1', 'yes'], ['delegate2', 'yes'], ['delegate3', 'no']] as const) {
      expect((await call('POST', `/api/polls/${poll.body.id}/ballots`, { value }, voters.get(login))).status).toBe(201);
    }
    expect((await call('POST', `/api/polls/${poll.body.id}/stop`)).status).toBe(200);
    expect((await call('POST', `/api/polls/${poll.body.id}/publish`)).status).toBe(200);
  });

  it('the chair records a conclusion and a decision linked to the published vote; the delegate sees both live', async () => {
    await chair.getByRole('tab', { name: 'Record', exact: true }).click();
    const panel = chair.getByRole('tabpanel');
    await panel.getByLabel('Item', { exact: true }).selectOption({ label: ITEM });
    await panel.getByLabel('Status of the item').selectOption('concluded');
    await panel.getByLabel('Conclusion', { exact: true }).fill(CONCLUSION);
    await panel.getByRole('button', { name: 'Record outcome' }).click();
    await budgetRow(tablet).getByText(CONCLUSION).waitFor({ timeout: 5000 });
    await expect.poll(() => budgetRow(tablet).locator('.rec-status').textContent()).toBe('Concluded');

    await panel.getByLabel('Text of the decision').fill(DECISION);
    const vote = panel.getByLabel('Vote that carried it');
    const option = (await vote.locator('option').allTextContents()).find((o) => o.startsWith('Dự toán 2027'))!;
    await vote.selectOption({ label: option });
    await panel.getByRole('button', { name: 'Add decision' }).click();

    // The hub copied the published result; both screens word it as the minutes do.
    await expect.poll(async () => (await record()).decisions.length, { timeout: 5000 }).toBe(1);
    const decision = (await record()).decisions[0]!;
    expect(decision.result).toMatchObject({ yes: 2, no: 1, abstain: 0, passed: true, entitled: 3 });
    const words = `${translate('en', 'rec.result', { yes: 2, base: 3, pct: '66.7', no: 1, abstain: 0 })} — ${translate('en', 'rec.result.passed')}`;
    expect(words).toBe('In favour 2/3 (66.7%), against 1, abstaining 0 — carried');
    await expect.poll(() => budgetRow(tablet).getByTestId('record-result').textContent(), { timeout: 5000 }).toBe(words);
    expect(await panel.getByTestId('record-result').textContent()).toBe(words);
    await expect.poll(() => budgetRow(tablet).getByTestId('record-decision').textContent()).toContain(DECISION);
  });

  it('the delegate adds a reserved opinion by keyboard; the chair sees it at once', async () => {
    const add = budgetRow(tablet).getByRole('button', { name: 'Add my reserved opinion' });
    await add.focus();
    await tablet.keyboard.press('Enter');
    const field = budgetRow(tablet).getByLabel('My reserved opinion');
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await tablet.keyboard.type(OPINION);
    await tablet.keyboard.press('Tab');
    await tablet.keyboard.press('Enter');
    await budgetRow(tablet).getByRole('status').filter({ hasText: 'Your reserved opinion is on record.' }).waitFor({ timeout: 5000 });
    await chair.getByRole('tabpanel').getByText(`Lê Minh Tuấn: ${OPINION}`).waitFor({ timeout: 5000 });
    expect((await record()).decisions[0]!.dissents).toEqual([expect.objectContaining({ name: 'Lê Minh Tuấn', text: OPINION })]);
    await budgetRow(tablet).getByRole('button', { name: 'Change my reserved opinion' }).waitFor();
  });

  it('action items the chair assigns appear in the owner\'s "My action items", overdue first, each opening its meeting', async () => {
    const panel = chair.getByRole('tabpanel');
    const form = panel.getByRole('form', { name: 'New action item' });
    const assign = async (task: string, due: string) => {
      await form.getByLabel('Task').fill(task);
      await form.getByLabel('Owner').selectOption({ label: 'Lê Minh Tuấn' });
      await form.getByLabel('Lead unit').fill('Văn phòng');
      await form.getByLabel('Supporting units').fill('Sở Tài chính\nSở Kế hoạch và Đầu tư');
      await form.getByLabel('Due').fill(due);
      await form.getByLabel('Following the decision').selectOption({ index: 1 });
      await form.getByRole('button', { name: 'Assign task' }).click();
      await panel.getByTestId('chair-action').filter({ hasText: task }).waitFor({ timeout: 5000 });
    };
    await assign('Trình kế hoạch giải ngân', '2099-06-30');
    await assign('Báo cáo kết quả thẩm định', '2020-01-15');
    const items = (await record()).actionItems;
    expect(items.map((a) => [a.title, a.overdue, a.coUnits.length, a.decisionId !== null])).toEqual([
      ['Trình kế hoạch giải ngân', false, 2, true], ['Báo cáo kết quả thẩm định', true, 2, true],
    ]);
    await budgetRow(tablet).getByTestId('record-action').filter({ hasText: 'Báo cáo kết quả thẩm định' }).getByText('Overdue').waitFor({ timeout: 5000 });
    await chairShot('chair-en');
    await budgetRow(tablet).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shotOf(tablet, 'delegate-en');

    await tablet.goto(`${room.hub.url}/#/`);
    await tablet.getByRole('link', { name: 'My action items' }).click();
    const list = tablet.getByRole('list', { name: 'My action items' });
    await list.waitFor();
    const rows = tablet.getByTestId('my-action-item');
    await expect.poll(() => rows.count(), { timeout: 5000 }).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('Báo cáo kết quả thẩm định');
    expect(await rows.nth(0).getByText('Overdue').count()).toBe(1);
    expect(await rows.nth(1).getByText('Overdue').count()).toBe(0);
    // The owner reports progress: status and evidence are theirs to change.
    await rows.nth(1).getByLabel('Status').selectOption('in_progress');
    await rows.nth(1).getByLabel('Evidence of completion').fill('Công văn 45/VP');
    await rows.nth(1).getByRole('button', { name: 'Report progress' }).click();
    await expect.poll(async () => (await record()).actionItems.find((a) => a.title === 'Trình kế hoạch giải ngân')?.status, { timeout: 5000 }).toBe('in_progress');
    await shotOf(tablet, 'mine-en');

    // Vietnamese: the same screens.
    for (const p of [chair, tablet]) await p.getByLabel('Language').selectOption('vi');
    await tablet.getByRole('list', { name: 'Nhiệm vụ của tôi' }).getByText('Quá hạn').waitFor();
    await shotOf(tablet, 'mine-vi');
    await expect.poll(() => chair.getByRole('tabpanel').getByTestId('record-result').textContent()).toBe('Tán thành 2/3 (66,7%), không tán thành 1, không biểu quyết 0 — thông qua');
    await chairShot('chair-vi');

    // Each item opens its meeting.
    await rows.nth(0).getByRole('link', { name: /Council meeting/ }).click();
    await tablet.getByRole('list', { name: 'Chương trình' }).waitFor();
    expect(tablet.url()).toContain(`#/m/${meetingId}`);
    const row = tablet.getByRole('list', { name: 'Chương trình' }).getByRole('listitem').filter({ hasText: 'Budget 2027' });
    await row.getByText('Tán thành 2/3 (66,7%)', { exact: false }).waitFor({ timeout: 5000 });
    await row.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shotOf(tablet, 'delegate-vi');
  });
});
