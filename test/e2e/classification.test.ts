// Classification in a real Chromium against a real hub (issue 17, docs/classification.md): a
// delegate's Confidential paper carries the reader's watermark in the page canvas's own pixels
// (compared with the same page rendered while the paper was Normal), in its thumbnails too, and
// removing every other node of the page leaves it there; the viewer offers no export or print
// and prints no page; the badge reads in English and Vietnamese; a Normal paper has none of this.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { chooseFromMore, moreItemCount } from './viewer-helpers.ts';
import { consoleTab } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';
import type { PaperInfo } from '../../shared/api.ts';

const BUDGET = 'Tờ trình ngân sách năm 2027';
const STRATEGY = 'Digital Strategy 2027–2030';

/**
 * A canvas's pixels, read through a 2D copy (the page canvas is a `bitmaprenderer` one), as a
 * grid of cells each holding its red excess over green and blue (the watermark's tint) summed.
 */
function tint(page: Page, selector: string): Promise<{ w: number; h: number; cells: number[] } | null> {
  return page.evaluate((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(sel);
    if (!c || c.width === 0) return null;
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(c, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    const N = 8;
    const cells = new Array<number>(N * N).fill(0);
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        const i = (y * c.width + x) * 4;
        const excess = data[i]! - Math.max(data[i + 1]!, data[i + 2]!);
        if (excess > 8) cells[Math.floor((y * N) / c.height) * N + Math.floor((x * N) / c.width)]! += excess;
      }
    }
    return { w: c.width, h: c.height, cells };
  }, selector);
}

const PAGE1 = '.page[data-page-number="1"] canvas';
const THUMB1 = '.thumbnails li:first-child canvas';

describe('classification in the viewer', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });

  it('watermarks a Confidential paper in its pixels, offers no export or print, and a Normal paper has none of it', async () => {
    const sec = await signIn(room.hub.url, 'secretary');
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, sec.token, '/api/meetings')).body[0]!.id;
    const papers = (await api<PaperInfo[]>(room.hub.url, sec.token, `/api/meetings/${meetingId}/papers`)).body;
    const budget = papers.find((p) => p.title === BUDGET)!;

    const page = await room.newPage();
    await signInUi(page, room.hub.url, 'delegate1');
    await openDemoMeeting(page);
    await openPaper(page, BUDGET);
    // Normal: no badge, export and print offered, the pages print.
    const viewer = page.locator('section.viewer');
    await expect.poll(() => viewer.getAttribute('data-level')).toBe('normal');
    expect(await viewer.getAttribute('data-watermarked')).toBeNull();
    await expect.poll(() => moreItemCount(page, 'Export PDF')).toBe(1);
    expect(await moreItemCount(page, 'Print')).toBe(1);
    expect(await page.locator('.level-badge').count()).toBe(0);
    await chooseFromMore(page, 'Thumbnails');
    await page.locator(THUMB1).waitFor();
    const cleanPage = (await tint(page, PAGE1))!;
    const cleanThumb = (await tint(page, THUMB1))!;

    // The secretary classifies it: the delegate's open viewer follows, live.
    expect((await api(room.hub.url, sec.token, `/api/papers/${budget.id}/classification`, { method: 'PATCH', body: JSON.stringify({ level: 'confidential' }) })).status).toBe(200);
    await expect.poll(() => viewer.getAttribute('data-watermarked'), { timeout: 15_000 }).toBe('true');
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();

    // Tinted pixels across the page, in most cells of an 8 × 8 grid (54 of 64 when measured): tiled
    // over the whole page, not one stamp (which would tint a handful).
    const marked = async (sel: string, clean: { cells: number[] }) => {
      const now = await tint(page, sel);
      if (!now) return 0;
      return now.cells.filter((v, i) => v > clean.cells[i]! + 50).length;
    };
    await expect.poll(() => marked(PAGE1, cleanPage), { timeout: 15_000 }).toBeGreaterThanOrEqual(44);
    await expect.poll(() => marked(THUMB1, cleanThumb), { timeout: 15_000 }).toBeGreaterThanOrEqual(32);

    // No export or print, the badge in the card and the header, and nothing of the pages prints.
    expect(await moreItemCount(page, 'Export PDF')).toBe(0);
    expect(await moreItemCount(page, 'Print')).toBe(0);
    await expect.poll(() => page.locator('.viewer-toolbar .level-badge').textContent()).toBe('Confidential');
    expect(await page.locator('ul.papers li', { hasText: BUDGET }).locator('.level-badge').textContent()).toBe('Confidential');
    await chooseFromMore(page, 'Thumbnails');
    await shot(page, 'classification-watermark');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.viewer-body').isVisible()).toBe(false);
    expect(await page.locator('.print-refused').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // Everything but the canvas removed from the page: the watermark is still in its pixels.
    await page.evaluate(() => {
      const slot = document.querySelector('.page[data-page-number="1"]')!;
      for (const el of [...slot.querySelectorAll('*')]) if (!(el instanceof HTMLCanvasElement) && !el.querySelector('canvas')) el.remove();
    });
    expect(await page.locator('.page[data-page-number="1"] *:not(canvas)').evaluateAll((els) => els.filter((e) => !e.querySelector('canvas')).length)).toBe(0);
    expect(await marked(PAGE1, cleanPage)).toBeGreaterThanOrEqual(44);

    // In Vietnamese the badge is the level's Vietnamese name.
    await page.getByLabel('Language').selectOption('vi');
    await expect.poll(() => page.locator('.viewer-toolbar .level-badge').textContent()).toBe('Mật');
    expect(await page.locator('ul.papers li', { hasText: BUDGET }).locator('.level-badge').textContent()).toBe('Mật');
    await page.getByLabel('Ngôn ngữ').selectOption('en');

    // A Normal paper beside it: no badge, no watermark, export and print offered.
    await openPaper(page, STRATEGY);
    await expect.poll(() => viewer.getAttribute('data-level')).toBe('normal');
    expect(await viewer.getAttribute('data-watermarked')).toBeNull();
    expect(await page.locator('.viewer-toolbar .level-badge').count()).toBe(0);
    expect(await page.locator('ul.papers li', { hasText: STRATEGY }).locator('.level-badge').count()).toBe(0);
    expect(await moreItemCount(page, 'Export PDF')).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.viewer-body').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('lets the secretary classify a paper from the console, in the level\'s own names, and a delegate sees it', async () => {
    const sec = await room.meetingAs('secretary');
    await consoleTab(sec, 'Papers');
    const picker = sec.getByLabel(`Classification of ${STRATEGY}`);
    await expect.poll(() => picker.isEnabled()).toBe(true);
    expect(await picker.locator('option').allTextContents()).toEqual(['Normal', 'Confidential', 'Secret']);
    await picker.selectOption('secret');
    await sec.getByText(`${STRATEGY} is now classified Secret.`).waitFor();
    await expect.poll(() => sec.locator('ul.papers li', { hasText: STRATEGY }).locator('.level-badge').textContent()).toBe('Secret');
    await sec.getByLabel('Language').selectOption('vi');
    await expect.poll(() => sec.getByLabel(`Độ mật của ${STRATEGY}`).locator('option').allTextContents()).toEqual(['Thường', 'Mật', 'Tối mật']);
    expect(await sec.getByLabel(`Độ mật của ${STRATEGY}`).inputValue()).toBe('secret');

    const del = await room.meetingAs('delegate2');
    await expect.poll(() => del.locator('ul.papers li', { hasText: STRATEGY }).locator('.level-badge').textContent(), { timeout: 15_000 }).toBe('Secret');
    await openPaper(del, STRATEGY);
    expect(await del.locator('section.viewer').getAttribute('data-watermarked')).toBe('true');
    expect(await moreItemCount(del, 'Export PDF')).toBe(0);
  });

  it('reports the pages a reader looked at for a level that records reading (Secret, set by the test before)', async () => {
    const page = await room.meetingAs('delegate3');
    await openPaper(page, STRATEGY);
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('.page[data-page-number="2"][data-painted="true"]').waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('.page[data-page-number="3"][data-painted="true"]').waitFor();
    // Closing the paper sends what was read since the last report.
    await page.getByRole('button', { name: 'Close' }).click();
    const admin = await signIn(room.hub.url, 'admin');
    const reads = async () => (await api<Array<{ action: string; user_id: string; detail: string | null }>>(room.hub.url, admin.token, '/api/audit')).body
      .filter((r) => r.action === 'paper-read').map((r) => ({ user: r.user_id, pages: (JSON.parse(r.detail ?? '{}') as { pages: number[] }).pages }));
    const d3 = (await signIn(room.hub.url, 'delegate3')).user.id;
    await expect.poll(async () => (await reads()).filter((r) => r.user === d3).flatMap((r) => r.pages).sort((a, b) => a - b), { timeout: 10_000 })
      .toEqual(expect.arrayContaining([1, 2, 3]));
  });
});
