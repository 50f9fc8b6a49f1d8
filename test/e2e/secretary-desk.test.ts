// The secretary's desk (issue 16, "What to build" 3 and problem 8), in Chromium against a real
// hub: at 1920×1080 and on a 1280×800 landscape tablet the console fills the meeting's main area —
// the agenda editor and the papers side by side, the live meeting as a column with the remaining
// sections as tabs —; opening a paper gives way to the viewer with `Back to the desk`; an upright
// tablet keeps the tabbed console in the side column with 44 px targets. Destructive actions ask
// first in an alertdialog (focus kept inside, Esc cancels): deleting an agenda item, removing a
// participant and closing the meeting. axe-core finds nothing serious on each screen.
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { agendaTitles, confirm, editorRow, within } from './secretary-helpers.ts';

const STRATEGY = 'Digital Strategy 2027–2030';
const expectNoAxe = async (page: Page) => expect(describeViolations(await axeViolations(page))).toBe('');
const box = async (l: Locator) => (await l.boundingBox())!;
/** The device's language choice, as the switch stores it (upright, the switch is folded into a menu). */
const inVietnamese = async (page: Page) => {
  await page.evaluate(() => localStorage.setItem('chamber.locale', 'vi'));
  await page.reload();
};
const focusInside = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('[role="alertdialog"]'));

describe('secretary: the desk', () => {
  const room = useDemoRoom({ viewport: { width: 1920, height: 1080 } });
  const deskAs = async (login: string, opts: { viewport?: { width: number; height: number }; hasTouch?: boolean } = {}) => {
    const page = await room.newPage(opts);
    await signInUi(page, room.hub.url, login);
    await openDemoMeeting(page);
    return page;
  };

  it('fills the main area at 1920×1080: items and papers side by side, the live meeting as a column', async () => {
    const sec = await deskAs('secretary');
    const desk = sec.getByRole('region', { name: 'Secretary’s desk' });
    await desk.waitFor();
    const items = sec.locator('#desk-items');
    const papers = sec.locator('#desk-papers');
    const live = sec.locator('#desk-live');
    await items.getByRole('button', { name: 'Add item' }).waitFor();
    await papers.getByText(STRATEGY, { exact: true }).waitFor();
    await live.getByLabel('Who may lead the screen').waitFor();

    // Side by side, in the main area (right of the 320 px meeting column), not under each other.
    const [i, p, l, side] = await Promise.all([box(items), box(papers), box(live), box(sec.locator('.meeting-side'))]);
    expect(i.x).toBeGreaterThanOrEqual(side.x + side.width);
    expect(p.x).toBeGreaterThan(i.x + i.width - 1);
    expect(l.x).toBeGreaterThan(p.x + p.width - 1);
    expect(Math.abs(p.y - i.y)).toBeLessThan(2);
    // The workspace uses the screen: together at least three quarters of its width.
    expect(l.x + l.width - i.x).toBeGreaterThan(1920 * 0.75);
    // The live summary reads the live document: attendance and quorum, the floor, the vote.
    await expect.poll(() => live.getByTestId('desk-summary').textContent()).toMatch(/checked in · (quorum met|no quorum) \(\d+ needed\)/);
    expect(await live.getByTestId('desk-summary').textContent()).toContain('No vote open');
    // Items, Papers and Live are columns, no longer tabs; the rest are tabs in the live column.
    expect(await sec.getByRole('tab').allTextContents()).toEqual(['Attendance', 'Speakers', 'Votes', 'Record', 'Minutes', 'Meeting']);
    const tabs = await box(sec.getByRole('tablist'));
    expect(tabs.x).toBeGreaterThanOrEqual(l.x);
    expect(tabs.x + tabs.width).toBeLessThanOrEqual(l.x + l.width);
    await sec.getByRole('tab', { name: 'Meeting', exact: true }).click();
    await sec.getByTestId('ce-status').waitFor();
    await expectNoAxe(sec);
    await shot(sec, 'secretary-desk-1920');
    // In Vietnamese: the desk's own words, and still nothing serious for axe.
    await sec.getByLabel('Language').selectOption('vi');
    await sec.getByRole('heading', { name: 'Bàn làm việc của thư ký' }).waitFor();
    expect(await sec.locator('.desk-card-h').allTextContents()).toEqual(['Mục', 'Tài liệu và các phiên bản', 'Diễn biến cuộc họp']);
    await expectNoAxe(sec);
    await shot(sec, 'secretary-desk-1920-vi');
    await sec.getByLabel('Ngôn ngữ').selectOption('en');

    // A delegate's screen has no desk.
    const del = await deskAs('delegate1');
    expect(await del.getByRole('region', { name: 'Secretary’s desk' }).count()).toBe(0);
    expect(await del.getByText('Choose a paper to read.').count()).toBe(1);
  });

  it('gives way to an open paper, with Back to the desk; the console stays in the side column meanwhile', async () => {
    const sec = await deskAs('secretary');
    await sec.getByRole('region', { name: 'Secretary’s desk' }).waitFor();
    await openPaper(sec, STRATEGY);
    expect(await sec.getByRole('region', { name: 'Secretary’s desk' }).count()).toBe(0);
    // Still within reach while reading: the tabbed console in the side column.
    await sec.locator('.meeting-side').getByRole('tab', { name: 'Items', exact: true }).waitFor();
    const back = sec.getByRole('button', { name: 'Back to the desk' });
    expect((await box(back)).height).toBeGreaterThanOrEqual(44);
    await expectNoAxe(sec);
    await shot(sec, 'secretary-desk-paper-open');
    await back.click();
    await sec.getByRole('region', { name: 'Secretary’s desk' }).waitFor();
    expect(await sec.locator('section.viewer').count()).toBe(0);
    expect(await sec.locator('.meeting-side').getByRole('tab').count()).toBe(0);
  });

  it('is the desk on a 1280×800 landscape tablet too; an upright tablet keeps the tabbed console, 44 px to the finger', async () => {
    const landscape = await deskAs('chair', { viewport: { width: 1280, height: 800 }, hasTouch: true });
    await landscape.getByRole('region', { name: 'Secretary’s desk' }).waitFor();
    const [i, l] = await Promise.all([box(landscape.locator('#desk-items')), box(landscape.locator('#desk-live'))]);
    expect(l.x).toBeGreaterThan(i.x + i.width - 1);
    await expectNoAxe(landscape);
    await shot(landscape, 'secretary-desk-1280-touch');
    await inVietnamese(landscape);
    await landscape.getByRole('heading', { name: 'Bàn làm việc của thư ký' }).waitFor();
    await expectNoAxe(landscape);
    await shot(landscape, 'secretary-desk-1280-touch-vi');

    const portrait = await deskAs('secretary', { viewport: { width: 800, height: 1280 }, hasTouch: true });
    const itemsTab = portrait.getByRole('tab', { name: 'Items', exact: true });
    await itemsTab.waitFor();
    expect(await portrait.getByRole('region', { name: 'Secretary’s desk' }).count()).toBe(0);
    // Every visible control of the console is at least 44 px high for a finger.
    const console = portrait.locator('section.console');
    const small = await console.locator('button:visible, select:visible, input:not([type=checkbox]):not([type=radio]):not(.visually-hidden):visible').evaluateAll((els) =>
      els.map((e) => ({ name: e.getAttribute('aria-label') ?? e.textContent ?? e.tagName, h: e.getBoundingClientRect().height })).filter((x) => x.h < 44));
    expect(small).toEqual([]);
    await expectNoAxe(portrait);
    await itemsTab.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(portrait, 'secretary-desk-portrait');
    // The confirmation, on an upright tablet: whole on screen, its buttons 44 px for a finger.
    await portrait.getByRole('list', { name: 'Items to edit' }).getByRole('button', { name: 'Remove' }).first().click();
    const ask = portrait.getByRole('alertdialog', { name: 'Delete this item?' });
    await ask.waitFor();
    const a = await box(ask);
    expect(a.x >= 0 && a.y >= 0 && a.x + a.width <= 800 && a.y + a.height <= 1280).toBe(true);
    for (const b of await ask.getByRole('button').all()) expect((await box(b)).height).toBeGreaterThanOrEqual(44);
    await shot(portrait, 'secretary-desk-portrait-confirm');
    await portrait.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    await inVietnamese(portrait);
    await portrait.getByRole('tab', { name: 'Mục', exact: true }).waitFor();
    await portrait.getByRole('tab', { name: 'Mục', exact: true }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expectNoAxe(portrait);
    await shot(portrait, 'secretary-desk-portrait-vi');
  });

  it('asks before deleting an agenda item: Esc and Cancel keep it, Delete item removes it for everyone', async () => {
    const sec = await deskAs('secretary');
    const del = await deskAs('delegate2');
    const target = (await agendaTitles(del)).at(-1)!;
    const remove = editorRow(sec, target).getByRole('button', { name: 'Remove' });

    await remove.click();
    const dialog = sec.getByRole('alertdialog', { name: 'Delete this item?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`“${target}” leaves the agenda on every screen at once.`);
    // The safe choice has focus; Tab and Shift+Tab stay inside the dialog.
    expect(await sec.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await sec.keyboard.press(key);
      expect(await focusInside(sec), `focus after ${key}`).toBe(true);
    }
    await expectNoAxe(sec);
    await shot(sec, 'secretary-desk-confirm-delete');
    await sec.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    // Focus is back on the row's Remove.
    expect(await sec.evaluate(() => document.activeElement?.textContent)).toBe('Remove');

    await remove.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await agendaTitles(sec)).toContain(target);
    expect(await agendaTitles(del)).toContain(target);

    await remove.click();
    const t0 = performance.now();
    await confirm(sec, 'Delete item');
    await within(3000, async () => !(await agendaTitles(del)).includes(target), 'deleted item on the delegate’s screen', t0);
    expect(await editorRow(sec, target).count()).toBe(0);
  });

  const meetingTab = async () => {
    const sec = await deskAs('secretary');
    await sec.getByRole('tab', { name: 'Meeting', exact: true }).click();
    const status = sec.getByTestId('ce-status');
    await expect.poll(() => status.textContent()).toContain('published');
    return { sec, status };
  };

  it('asks before removing a participant: Cancel keeps them, Remove participant removes them', async () => {
    const { sec } = await meetingTab();

    // Removing someone: Cancel keeps them.
    const removeP = sec.getByRole('button', { name: 'Remove Đặng Quốc Việt' });
    await removeP.click();
    const askRemove = sec.getByRole('alertdialog', { name: 'Remove Đặng Quốc Việt?' });
    await askRemove.waitFor();
    await askRemove.getByRole('button', { name: 'Cancel' }).click();
    await askRemove.waitFor({ state: 'detached' });
    expect(await sec.getByLabel('Role of Đặng Quốc Việt').count()).toBe(1);
    // Confirming removes them.
    await removeP.click();
    await confirm(sec, 'Remove participant');
    await expect.poll(() => sec.getByLabel('Role of Đặng Quốc Việt').count(), { timeout: 5000 }).toBe(0);
  });

  it('asks before closing the meeting: Cancel leaves it published, confirming closes it', async () => {
    const { sec, status } = await meetingTab();
    // Closing: Cancel leaves it published; confirming closes it.
    await sec.getByRole('button', { name: 'Close the meeting' }).click();
    const askClose = sec.getByRole('alertdialog', { name: 'Close the meeting?' });
    await askClose.waitFor();
    expect(await askClose.getByRole('button', { name: 'Close the meeting' }).count()).toBe(1);
    await expectNoAxe(sec);
    await shot(sec, 'secretary-desk-confirm-close');
    await askClose.getByRole('button', { name: 'Cancel' }).click();
    await askClose.waitFor({ state: 'detached' });
    expect(await status.textContent()).toContain('published');

    await sec.getByRole('button', { name: 'Close the meeting' }).click();
    await confirm(sec, 'Close the meeting');
    await expect.poll(() => status.textContent(), { timeout: 5000 }).toContain('closed');
    // Archived: the desk keeps only the record, the minutes and the meeting.
    expect(await sec.getByRole('tab').allTextContents()).toEqual(['Record', 'Minutes', 'Meeting']);
    expect(await sec.locator('#desk-items').count()).toBe(0);
    await expectNoAxe(sec);
  });
});
