// The meeting screen's layouts (issue 16, "Layouts for each screen" and "A visual design"), in a
// real Chromium against a real hub: tablet portrait keeps the agenda and the live controls in a
// drawer over the paper; landscape hides and shows the meeting panel, remembered on the device;
// papers are cards with "New" badges; an agenda item shows its papers; the top bar stays one row
// at 800 px with the user's items in a menu. Every screen shown is checked with axe-core.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoMeeting, openPaper, shot, signInUi, startAgentRoom, stopAgentRoom, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';

const STRATEGY = 'Digital Strategy 2027–2030';
const REPORT = 'Quarterly Report Q3';
const PORTRAIT = { width: 800, height: 1280 };
const LANDSCAPE = { width: 1280, height: 800 };

const noViolations = async (page: Page) => expect(describeViolations(await axeViolations(page))).toBe('');
const focusedName = (page: Page) => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return el ? el.getAttribute('aria-label') ?? el.textContent ?? '' : '';
});

describe('meeting layouts', () => {
  const room = useDemoRoom();

  it('portrait: the agenda, Follow and the presenter notice stay reachable in a drawer over the paper', async () => {
    const chair = await room.meetingAs('chair');
    await openPaper(chair, STRATEGY);
    await chair.getByRole('button', { name: 'Next page' }).click();
    await chair.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => chair.getByLabel('Page', { exact: true }).inputValue()).toBe('3');
    await chair.getByRole('button', { name: 'Present' }).click();

    const tablet = await room.newPage({ viewport: PORTRAIT, hasTouch: true });
    await signInUi(tablet, room.hub.url, 'delegate2');
    await openDemoMeeting(tablet);
    await noViolations(tablet);
    await openPaper(tablet, REPORT);
    // The paper has the screen: the panel's controls are not shown, a button in the top bar opens them.
    expect(await tablet.getByRole('button', { name: 'Follow' }).count()).toBe(0);
    const opener = tablet.getByRole('button', { name: 'Meeting', exact: true });
    expect(await opener.getAttribute('aria-expanded')).toBe('false');
    const openerBox = (await opener.boundingBox())!;
    expect(openerBox.height).toBeGreaterThanOrEqual(44);
    expect(openerBox.y + openerBox.height).toBeLessThanOrEqual(64);
    await opener.tap();

    const drawer = tablet.getByRole('dialog', { name: /Council meeting/ });
    await drawer.waitFor();
    expect(await opener.getAttribute('aria-expanded')).toBe('true');
    // Focus moved in, to the drawer's close button.
    expect(await focusedName(tablet)).toBe('Close meeting panel');
    await drawer.getByRole('list', { name: 'Agenda' }).waitFor();
    await drawer.getByText(`is presenting ${STRATEGY}, page 3`).waitFor({ timeout: 10_000 });
    const follow = drawer.getByRole('button', { name: 'Follow' });
    expect((await follow.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await noViolations(tablet);
    await shot(tablet, 'layouts-portrait-drawer');

    await follow.tap();
    expect(await follow.getAttribute('aria-pressed')).toBe('true');
    // Following takes the reader under the drawer to the presented paper and page.
    await expect.poll(() => tablet.getByRole('heading', { name: STRATEGY }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => tablet.getByLabel('Page', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('3');
    // Settled there: the paper loaded and page 3 painted (on a busy machine the field names the
    // presented page before the document has laid out).
    await tablet.locator('.page[data-page-number="3"][data-painted="true"]').waitFor({ timeout: 30_000 });

    // Escape closes the drawer and gives focus back to its button.
    await tablet.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await opener.getAttribute('aria-expanded')).toBe('false');
    expect(await focusedName(tablet)).toBe('Meeting');
    // The reader's own Escape did not also act (the paper is still open at page 3).
    expect(await tablet.getByRole('heading', { name: STRATEGY }).count()).toBe(1);
    await expect.poll(() => tablet.getByLabel('Page', { exact: true }).inputValue()).toBe('3');

    // Choosing a paper in the drawer closes it and opens the paper.
    await opener.tap();
    await drawer.getByRole('link', { name: REPORT, exact: true }).tap();
    await expect.poll(() => drawer.count()).toBe(0);
    await tablet.getByRole('heading', { name: REPORT }).waitFor();

    // Turned to landscape with the drawer open, the panel sits beside the paper; turned back,
    // the drawer does not come back over the paper by itself.
    await opener.tap();
    await drawer.waitFor();
    await tablet.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => drawer.count()).toBe(0);
    await tablet.locator('.meeting-side').getByRole('list', { name: 'Agenda' }).waitFor();
    await tablet.setViewportSize({ width: 800, height: 1280 });
    await opener.waitFor();
    expect(await opener.getAttribute('aria-expanded')).toBe('false');
    expect(await drawer.count()).toBe(0);
    await chair.getByRole('button', { name: 'Present' }).click();
  });

  it('landscape: the meeting panel hides so the paper takes the whole width, remembered after a reload', async () => {
    const page = await room.newPage({ viewport: LANDSCAPE, hasTouch: true });
    await signInUi(page, room.hub.url, 'delegate3');
    await openDemoMeeting(page);
    await openPaper(page, STRATEGY);
    const panel = page.locator('aside.meeting-side');
    const mainWidth = async () => (await page.locator('.meeting-main').boundingBox())!.width;
    expect(await panel.isVisible()).toBe(true);
    expect(await mainWidth()).toBeLessThan(LANDSCAPE.width - 300);

    const hide = page.getByRole('button', { name: 'Hide meeting panel' });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    expect(await hide.getAttribute('title')).toBe('Hide meeting panel');
    expect((await hide.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await hide.tap();
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await mainWidth()).toBe(LANDSCAPE.width);
    const show = page.getByRole('button', { name: 'Show meeting panel' });
    expect(await show.getAttribute('aria-expanded')).toBe('false');
    await noViolations(page);
    await shot(page, 'layouts-landscape-hidden');

    // Remembered on the device: a reload lands on the same paper with the panel still hidden.
    await page.reload();
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor({ timeout: 30_000 });
    expect(await panel.isVisible()).toBe(false);
    await show.tap();
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await mainWidth()).toBeLessThan(LANDSCAPE.width - 300);
    // With no paper open there is nothing to make room for: the panel shows and no button is offered.
    await page.getByRole('button', { name: 'Hide meeting panel' }).tap();
    await page.getByRole('link', { name: 'All meetings' }).tap();
    await openDemoMeeting(page);
    expect(await panel.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /meeting panel/ }).count()).toBe(0);
  });

  it('shows papers as cards with a "New" badge until opened here, and an agenda item brings its papers into view', async () => {
    const page = await room.newPage({ viewport: { width: 1280, height: 700 }, hasTouch: true });
    await signInUi(page, room.hub.url, 'delegate1');
    await openDemoMeeting(page);
    const card = page.locator('li.paper-card', { has: page.getByRole('link', { name: STRATEGY, exact: true }) });
    await expect.poll(() => card.locator('.paper-badge').textContent()).toBe('New');
    expect(await card.textContent()).toMatch(/\d+ pages/);
    expect(await card.textContent()).toContain('version 1');
    expect((await card.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await noViolations(page);
    await shot(page, 'layouts-paper-cards');

    // Tapping an agenda item scrolls its papers into view and moves focus to them; its papers
    // button does the same from the keyboard.
    const inView = () => card.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    expect(await inView()).toBe(false);
    await page.locator('li.agenda-item', { hasText: 'Chiến lược số / Digital strategy' }).locator('.agenda-title').tap();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('papers-of-item-digital');
    await expect.poll(inView).toBe(true);
    const budget = page.locator('li.agenda-item', { hasText: 'Ngân sách 2027' }).getByRole('button', { name: '1 paper' });
    expect((await budget.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await budget.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('papers-of-item-budget');

    // Tapping anywhere on the card opens the paper; back on the list it is no longer new.
    // (Tapped through the locator, which waits for the smooth scroll above to come to rest.)
    const box = (await card.boundingBox())!;
    await card.tap({ position: { x: box.width - 20, y: box.height - 12 } });
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => card.locator('.paper-badge').count()).toBe(0);
    expect(await card.getAttribute('class')).toContain('is-open');
    // Remembered per user on this device: a reload keeps it read; another paper is still new.
    await page.reload();
    await page.getByRole('list', { name: 'Agenda' }).waitFor();
    await expect.poll(() => page.locator('li.paper-card', { has: page.getByRole('link', { name: REPORT, exact: true }) }).locator('.paper-badge').textContent()).toBe('New');
    expect(await card.locator('.paper-badge').count()).toBe(0);
  });

  for (const locale of ['en', 'vi'] as const) {
    it(`keeps the top bar on one row at 800 px, the user's items in a menu (${locale})`, async () => {
      const page = await room.newPage({ viewport: PORTRAIT, hasTouch: true });
      // The sign-in screen too passes axe.
      await page.goto(room.hub.url + '/');
      await page.getByLabel('Login').waitFor();
      await noViolations(page);
      await signInUi(page, room.hub.url, 'delegate1');
      const menu = page.getByRole('button', { name: locale === 'en' ? 'Menu for Lê Minh Tuấn' : 'Trình đơn của Lê Minh Tuấn' });
      const signOut = page.getByRole('button', { name: locale === 'en' ? 'Sign out' : 'Đăng xuất' });
      if (locale === 'vi') {
        // The language is in the menu at this width.
        await page.getByRole('button', { name: 'Menu for Lê Minh Tuấn' }).tap();
        await page.getByLabel('Language').selectOption('vi');
        await page.keyboard.press('Escape');
      }
      await noViolations(page);
      await page.getByRole('link', { name: /Council meeting/ }).tap();
      await page.getByRole('list', { name: locale === 'en' ? 'Agenda' : 'Chương trình' }).waitFor();
      await openPaper(page, STRATEGY);
      const bar = (await page.locator('header.topbar').boundingBox())!;
      expect(bar.height).toBeLessThanOrEqual(60);
      // Everything in the bar sits inside it, on its one row.
      const outside = await page.locator('header.topbar > *').evaluateAll((els) => els.filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.top < 0 || r.bottom > (e.parentElement!.getBoundingClientRect().bottom + 0.5) || r.right > window.innerWidth);
      }).length);
      expect(outside).toBe(0);
      expect(await signOut.count()).toBe(0);
      await menu.tap();
      await signOut.waitFor();
      await noViolations(page);
      await shot(page, `layouts-topbar-800-${locale}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => signOut.count()).toBe(0);
    });
  }
});

describe('top bar on a tablet served by its agent', () => {
  /** Red dominates the pill's background: the look of trouble. */
  const reddish = (css: string) => {
    const [r, g, b] = (css.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    return r > g + 40 && r > b + 40;
  };

  it('is a calm "On this device" while the hub is away, and red once the agent itself is gone', async () => {
    const room: Partial<Awaited<ReturnType<typeof startAgentRoom>>> = await startAgentRoom('delegate1');
    try {
      const page = await (await room.browser!.newContext({ viewport: PORTRAIT, locale: 'en-US', hasTouch: true })).newPage();
      await signInUi(page, room.agent!.url, 'delegate1');
      await openDemoMeeting(page);
      const conn = page.locator('.conn');
      await expect.poll(() => conn.getAttribute('data-state'), { timeout: 15_000 }).toBe('online');

      await room.hub!.stop();
      room.hub = undefined;
      await expect.poll(() => conn.getAttribute('data-on-device'), { timeout: 15_000 }).toBe('true');
      // Still `offline` for everything that reads the state: the hub cannot be reached.
      expect(await conn.getAttribute('data-state')).toBe('offline');
      await page.getByRole('status', { name: 'Connection: On this device' }).waitFor();
      expect(await conn.textContent()).toContain('Hub unreachable');
      expect(await conn.locator('svg.icon').count()).toBe(1);
      expect(reddish(await conn.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe(false);
      const bar = (await page.locator('header.topbar').boundingBox())!;
      expect(bar.height).toBeLessThanOrEqual(60);
      await noViolations(page);
      await shot(page, 'layouts-on-this-device');

      // The page's own server gone is trouble: red, "Offline".
      await room.agent!.stop();
      room.agent = undefined;
      await expect.poll(() => conn.getAttribute('data-on-device'), { timeout: 15_000 }).toBe(null);
      expect(await conn.getAttribute('data-state')).toBe('offline');
      await page.getByRole('status', { name: 'Connection: Offline' }).waitFor();
      expect(reddish(await conn.evaluate((el) => getComputedStyle(el).backgroundColor))).toBe(true);
    } finally {
      await stopAgentRoom(room);
    }
  });
});
