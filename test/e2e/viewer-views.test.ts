// Issue 16, "What to build" 3 and 7: fit-page and two-page views beside fit-width (remembered
// on the device), ink drawn in the two-page view landing on the page drawn on, and the viewer
// worked by keyboard — Tab through the toolbar, the page region's keys, the `More` menu, the
// colour swatches named by colour. Real hub, real renderer in Chromium; axe on each screen.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { drawStroke, inkCount, openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { chooseView, zoomPercent } from './viewer-helpers.ts';

const STRATEGY = 'Digital Strategy 2027–2030';
const pageField = (page: Page) => page.getByLabel('Page', { exact: true });
const scroller = (page: Page) => page.getByRole('region', { name: `Pages of ${STRATEGY}` });
const expectNoAxe = async (page: Page) => expect(describeViolations(await axeViolations(page))).toBe('');

/** A page's box and the scroller's, in the viewport. */
async function boxes(page: Page, n: number) {
  const pageBox = (await page.locator(`.page[data-page-number="${n}"]`).boundingBox())!;
  const pane = (await scroller(page).boundingBox())!;
  return { pageBox, pane };
}
/** How many rows of controls the toolbar shows. */
const toolbarRows = (page: Page) => page.locator('.viewer-toolbar .tb-row').evaluateAll((rows) => rows.reduce((n, row) =>
  n + new Set([...row.children].filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => Math.round(el.getBoundingClientRect().top / 8))).size, 0));
const wholeInPane = async (page: Page, n: number) => {
  const { pageBox: p, pane: s } = await boxes(page, n);
  return p.y >= s.y - 1 && p.y + p.height <= s.y + s.height + 1 && p.x >= s.x - 1 && p.x + p.width <= s.x + s.width + 1;
};

describe('viewer: views and keyboard', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 800 } });
  const open = async (viewport?: { width: number; height: number }): Promise<Page> => {
    const page = await room.newPage(viewport ? { viewport } : {});
    await signInUi(page, room.hub.url, 'delegate1');
    await openDemoMeeting(page);
    await openPaper(page, STRATEGY);
    return page;
  };

  it('fit page shows whole pages, two pages sets them side by side, and ink lands on the page drawn on', async () => {
    const page = await open();
    const view = page.getByRole('radiogroup', { name: 'View' });
    expect(await view.getByRole('radio', { name: 'Fit width' }).getAttribute('aria-checked')).toBe('true');
    const widthZoom = await zoomPercent(page);
    await expectNoAxe(page);

    // Fit page: the whole page in the pane, so a smaller zoom than fit width on a landscape screen.
    await chooseView(page, 'Fit page');
    await expect.poll(() => zoomPercent(page)).toBeLessThan(widthZoom);
    await pageField(page).fill('3');
    await pageField(page).press('Enter');
    await expect.poll(() => pageField(page).inputValue()).toBe('3');
    await page.locator('.page[data-page-number="3"][data-painted="true"]').waitFor();
    await expect.poll(() => wholeInPane(page, 3)).toBe(true);
    await expect.poll(() => page.getByText('Page 3 of 12').count()).toBe(1);
    await shot(page, 'viewer-fit-page');
    await expectNoAxe(page);

    // Two pages: 3|4 side by side (pairs 1|2, 3|4), both whole; the reader stays on page 3.
    await chooseView(page, 'Two pages');
    await expect.poll(() => pageField(page).inputValue()).toBe('3');
    await page.locator('.page[data-page-number="4"][data-painted="true"]').waitFor();
    const [b3, b4] = [(await boxes(page, 3)).pageBox, (await boxes(page, 4)).pageBox];
    expect(Math.abs(b3.y - b4.y)).toBeLessThan(1);
    expect(b4.x).toBeGreaterThan(b3.x + b3.width);
    expect(await wholeInPane(page, 3)).toBe(true);
    expect(await wholeInPane(page, 4)).toBe(true);
    await shot(page, 'viewer-two-pages');
    await expectNoAxe(page);

    // Ink drawn on the right-hand page is that page's, not its neighbour's.
    await page.getByRole('button', { name: 'Pen', exact: true }).click();
    // Choosing a tool shows its colours without adding a row to the toolbar (the pages would jump).
    expect(await toolbarRows(page)).toBeLessThanOrEqual(2);
    await drawStroke(page, 4);
    await expect.poll(() => inkCount(page, 4)).toBe(1);
    expect(await inkCount(page, 3)).toBe(0);
    await page.getByRole('button', { name: 'Pen', exact: true }).click();

    // Next page moves by a spread: 5|6.
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => pageField(page).inputValue()).toBe('5');
    await page.locator('.page[data-page-number="6"][data-painted="true"]').waitFor();
    expect(await wholeInPane(page, 6)).toBe(true);

    // Remembered on this device: a reload opens in two pages, the ink still on page 4.
    await page.reload();
    await page.locator('.page[data-page-number="5"][data-painted="true"]').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('radio', { name: 'Two pages' }).getAttribute('aria-checked')).toBe('true');
    await pageField(page).fill('4');
    await pageField(page).press('Enter');
    await page.locator('.page[data-page-number="4"][data-painted="true"]').waitFor();
    await expect.poll(() => inkCount(page, 4)).toBe(1);
    await chooseView(page, 'Fit width');
  });

  it('works by keyboard: Tab through the toolbar, page keys in the pages, the More menu, named swatches', async () => {
    const page = await open({ width: 800, height: 1280 });
    // The toolbar takes two rows in portrait, even with the pen's colours showing.
    await page.getByRole('button', { name: 'Pen', exact: true }).click();
    expect(await toolbarRows(page)).toBeLessThanOrEqual(2);
    await shot(page, 'viewer-toolbar-portrait-pen');
    await expectNoAxe(page);

    // Swatches are a radio group named by colour; arrows choose.
    const colours = page.getByRole('radiogroup', { name: 'Colour' });
    expect(await colours.getByRole('radio').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(['Blue', 'Red', 'Green', 'Black', 'Purple']);
    await colours.getByRole('radio', { name: 'Blue' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => colours.getByRole('radio', { name: 'Red' }).getAttribute('aria-checked')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Red');
    // The arrow chose a colour; it did not turn the page.
    expect(await pageField(page).inputValue()).toBe('1');
    await page.getByRole('button', { name: 'Pen', exact: true }).click();

    // Tab reaches every toolbar control, one stop per radio group, in order.
    await page.getByRole('button', { name: 'Close' }).first().focus();
    const stops: string[] = [];
    for (let i = 0; i < 20; i++) {
      const name = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.closest('.viewer-toolbar') ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim() : null;
      });
      if (name === null) break;
      stops.push(name);
      await page.keyboard.press('Tab');
    }
    for (const name of ['Close', 'Page', 'Next page', 'Zoom out', 'Zoom in', 'Fit width', 'Search', 'More', 'Pen', 'Highlighter', 'Note', 'Eraser', 'Draw with finger']) expect(stops).toContain(name);
    expect(stops.filter((s) => s === 'Fit page' || s === 'Two pages')).toEqual([]);
    // Focus is visible: an outline on the focused control.
    await page.getByRole('button', { name: 'Zoom in' }).focus();
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe('none');

    // The page region takes the focus; PageDown, End, Home and the arrows turn pages.
    await scroller(page).focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => pageField(page).inputValue()).toBe('2');
    await page.keyboard.press('End');
    await expect.poll(() => pageField(page).inputValue()).toBe('12');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => pageField(page).inputValue()).toBe('11');
    await page.keyboard.press('Home');
    await expect.poll(() => pageField(page).inputValue()).toBe('1');

    // The More menu: opened from the keyboard, arrows move, Escape closes and returns the focus.
    const more = page.getByRole('button', { name: 'More', exact: true });
    await more.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'More' });
    await menu.waitFor();
    expect(await more.getAttribute('aria-expanded')).toBe('true');
    expect(await more.getAttribute('aria-haspopup')).toBe('menu');
    await expectNoAxe(page);
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
    expect(await focused()).toBe('Thumbnails');
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe('Outline');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).not.toBe('Thumbnails');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('More');
    expect(await pageField(page).inputValue()).toBe('1');
    // Choosing an item by keyboard: Thumbnails opens its panel.
    await page.keyboard.press('ArrowDown');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Thumbnails' }).waitFor();
    await expectNoAxe(page);
  });
});
