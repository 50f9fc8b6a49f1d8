// Search across every paper, in Chromium on a tablet's set-up (a real hub, delegate1's device
// agent, the renderer served by the agent): the delegate types in `Search all papers`, sees the
// hit with its snippet marked, opens it with the keyboard, and the viewer shows that page with the
// words highlighted; the same in Vietnamese, accent-free; and with the hub stopped, the agent's own
// answer, said to come from the device. Screenshots test-results/search-*.png (1280×800) are for
// a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { shot, signInUi, startAgentRoom, stopAgentRoom } from './browser.ts';
import type { RunningProcess } from '../helpers/processes.ts';

const STRATEGY = 'Digital Strategy 2027–2030';
const BUDGET = 'Tờ trình ngân sách năm 2027';

/** The page of the viewer, painted, with the in-paper search's marks on it. */
async function expectMarkedPage(page: Page, n: number, query: string): Promise<void> {
  await page.locator(`.page[data-page-number="${n}"][data-painted="true"]`).waitFor({ timeout: 30_000 });
  await page.locator(`.page[data-page-number="${n}"] .textLayer :is(.match, .match-current)`).first().waitFor({ timeout: 15_000 });
  await expect.poll(() => page.locator('.viewer-status').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`\\b${n}\\b`));
  // The viewer's own search field, pre-filled with the words searched.
  expect(await page.locator('.search-bar input').inputValue()).toBe(query);
}

describe('search all papers', () => {
  let hub: RunningProcess;
  let agent: RunningProcess;
  let browser: Browser;
  beforeAll(async () => {
    ({ hub, agent, browser } = await startAgentRoom('delegate1'));
  });
  afterAll(() => stopAgentRoom({ hub, agent, browser }));

  it('finds a page, opens it on that page with the words highlighted, in English and Vietnamese, and offline', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await ctx.newPage();
    await signInUi(page, agent.url, 'delegate1');

    // From the meetings list: the field in the top bar; Enter searches.
    const field = page.getByRole('searchbox', { name: 'Search all papers' });
    await field.fill('page 7');
    await field.press('Enter');
    await page.getByRole('heading', { name: 'Results for “page 7”' }).waitFor();
    const hit = page.getByRole('link', { name: new RegExp(`${STRATEGY}.*page 7`) });
    await hit.waitFor({ timeout: 20_000 });
    // Each word the query matched is marked in the snippet.
    const enMarks = (await hit.locator('mark').allTextContents()).map((m) => m.toLowerCase());
    expect(new Set(enMarks)).toEqual(new Set(['page', '7']));
    await expect.poll(() => page.getByRole('heading', { level: 2, name: /Council meeting/ }).count()).toBeGreaterThan(0);
    await shot(page, 'search-results-en');

    // Keyboard: down from the field into the results, Enter opens the hit.
    await field.focus();
    await field.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-search-result'))).toBe(true);
    const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    expect(focused).toContain(STRATEGY);
    await page.keyboard.press('Enter');
    await page.getByRole('region', { name: STRATEGY, exact: true }).waitFor();
    expect(page.url()).toMatch(/page=7&find=page\+7/);
    await expectMarkedPage(page, 7, 'page 7');
    await shot(page, 'search-viewer-en');

    // Vietnamese, from inside the meeting: accent-free words find the accented text.
    await page.getByLabel('Language').selectOption('vi');
    const viField = page.getByRole('searchbox', { name: 'Tìm trong mọi tài liệu' });
    await viField.fill('ngan sach');
    await viField.press('Enter');
    await page.getByRole('heading', { name: 'Kết quả cho “ngan sach”' }).waitFor();
    const viHit = page.getByRole('link', { name: new RegExp(`${BUDGET}.*trang 1`) });
    await viHit.waitFor({ timeout: 20_000 });
    const marks = await viHit.locator('mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(m.toLowerCase()).toMatch(/^(ngân|sách|ngân sách)$/);
    // The agenda item's title is listed after the papers, as a record of the meeting.
    await page.getByRole('heading', { name: 'Chương trình, kết luận và quyết định' }).waitFor();
    await shot(page, 'search-results-vi');
    await viHit.click();
    await expectMarkedPage(page, 1, 'ngan sach');
    await shot(page, 'search-viewer-vi');

    // The hub goes away: the agent answers from its own index, and says so.
    await hub.stop();
    await expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 20_000 }).toBe('offline');
    await viField.fill('ngân sách');
    await viField.press('Enter');
    await page.getByText('Đã tìm trên thiết bị này', { exact: false }).waitFor({ timeout: 20_000 });
    await page.getByRole('link', { name: new RegExp(`${BUDGET}.*trang 1`) }).waitFor();
    await shot(page, 'search-offline-vi');
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByText('Searched on this device', { exact: false }).waitFor();
    await shot(page, 'search-offline-en');
    await ctx.close();
  });
});
