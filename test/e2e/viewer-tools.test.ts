// The viewer's tools in a real Chromium against a real hub: highlighter, notes, eraser + undo,
// search (also without Vietnamese accents), outline, thumbnails, touch vs mouse with the pen, and
// the keyboard. Every check reads what the delegate sees or what their notes document kept.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { drawStroke, inkCount, openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { chooseFromMore } from './viewer-helpers.ts';
import { api, FIXTURES, haveFixtures, signIn } from '../helpers/processes.ts';

const STRATEGY = 'Digital Strategy 2027–2030';
const BUDGET = 'Tờ trình ngân sách năm 2027';
const BOOK = 'Free Culture (outline)';

const pageField = (page: Page) => page.getByLabel('Page', { exact: true });
const highlights = (page: Page, n = 1) => page.locator(`[data-testid="ann-layer-${n}"] .ann-highlight`);
const textSpan = (page: Page, n: number, text: string) => page.locator(`.page[data-page-number="${n}"] .textLayer span`, { hasText: text }).first();

describe('viewer tools', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 860 } });
  let login = 0;
  // Each test signs in as its own delegate (three exist), so one test's notes never meet another's.
  const delegate = () => `delegate${(login++ % 3) + 1}`;
  const open = async (title: string, opts: { hasTouch?: boolean } = {}): Promise<Page> => {
    const page = await room.newPage({ hasTouch: opts.hasTouch ?? false });
    await signInUi(page, room.hub.url, delegate());
    await openDemoMeeting(page);
    await openPaper(page, title);
    return page;
  };
  const online = (page: Page) => expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');

  it('highlights selected text with the highlighter, over that text, and keeps it after reload', async () => {
    const page = await open(STRATEGY);
    await page.getByRole('button', { name: 'Highlighter' }).click();
    const span = textSpan(page, 1, 'This paper proposes');
    await span.waitFor();
    const box = (await span.boundingBox())!;
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => highlights(page).count()).toBe(1);
    // The band covers the selected line: same vertical middle, spanning most of its width.
    const band = (await highlights(page).locator('rect').first().boundingBox())!;
    expect(Math.abs(band.y + band.height / 2 - (box.y + box.height / 2))).toBeLessThan(box.height / 2);
    expect(band.x).toBeLessThan(box.x + 10);
    expect(band.width).toBeGreaterThan(box.width * 0.8);
    // The selection is consumed: nothing stays selected once it became a highlight.
    expect(await page.evaluate(() => window.getSelection()?.isCollapsed)).toBe(true);
    await shot(page, 'viewer-highlighter');
    await online(page);

    await page.reload();
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await expect.poll(() => highlights(page).count(), { timeout: 10_000 }).toBe(1);
  });

  it('places a note with the Note tool, edits it, and shows it after reload', async () => {
    const page = await open(STRATEGY);
    await page.getByRole('button', { name: 'Note' }).click();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    const at = { x: layer.x + layer.width * 0.7, y: layer.y + 200 };
    await page.mouse.click(at.x, at.y);
    const editor = page.getByRole('dialog', { name: 'Note' });
    await editor.waitFor();
    await editor.getByRole('textbox', { name: 'Note' }).fill('Ask about courier savings');
    await editor.getByRole('button', { name: 'Save note' }).click();
    const marker = page.getByRole('button', { name: 'Note: Ask about courier savings' });
    await marker.waitFor();
    // The marker's corner sits where the page was tapped.
    const m = (await marker.boundingBox())!;
    expect(Math.abs(m.x + m.width / 2 - at.x)).toBeLessThan(3);
    expect(Math.abs(m.y + m.height / 2 - at.y)).toBeLessThan(3);

    // Edit: open it again (any tool), change the text, save.
    await page.getByRole('button', { name: 'Note', exact: true }).click(); // tool off
    await marker.click();
    await editor.getByRole('textbox', { name: 'Note' }).fill('Ask about courier savings per year');
    await shot(page, 'viewer-note');
    await editor.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('button', { name: 'Note: Ask about courier savings per year' }).waitFor();
    await online(page);

    await page.reload();
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Note: Ask about courier savings per year' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('.note-marker').count()).toBe(1);
  });

  it('erases a stroke with the eraser, and Undo brings it back', async () => {
    const page = await open(STRATEGY);
    await page.getByRole('button', { name: 'Pen' }).click();
    await drawStroke(page, 1);
    expect(await inkCount(page, 1)).toBe(1);
    await page.getByRole('button', { name: 'Eraser' }).click();
    // Drag across the stroke's middle.
    const ink = (await page.locator('[data-testid="ann-layer-1"] path.ann-ink').boundingBox())!;
    await page.mouse.move(ink.x + ink.width / 2, ink.y - 10);
    await page.mouse.down();
    for (let i = 0; i <= 20; i++) await page.mouse.move(ink.x + ink.width / 2 + (i % 2 ? 6 : -6), ink.y - 10 + (i * (ink.height + 20)) / 20);
    await page.mouse.up();
    await expect.poll(() => inkCount(page, 1)).toBe(0);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => inkCount(page, 1)).toBe(1);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => inkCount(page, 1)).toBe(0);
  });

  it('finds text in the paper and jumps to its page; accents are optional', async () => {
    const page = await open(STRATEGY);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search in the paper' }).fill('appendix — page 7');
    await expect.poll(() => page.getByRole('search').getByRole('status').textContent(), { timeout: 10_000 }).toBe('1 of 1');
    await expect.poll(() => pageField(page).inputValue()).toBe('7');
    await expect.poll(() => page.locator('.page[data-page-number="7"] .textLayer .match-current').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const hit = (await page.locator('.page[data-page-number="7"] .match-current').first().boundingBox())!;
    const pane = (await page.getByRole('region', { name: `Pages of ${STRATEGY}` }).boundingBox())!;
    expect(hit.y).toBeGreaterThan(pane.y);
    expect(hit.y + hit.height).toBeLessThan(pane.y + pane.height);

    await page.getByRole('button', { name: 'Close' }).click();
    await openPaper(page, BUDGET);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('searchbox', { name: 'Search in the paper' }).fill('ngan sach');
    // Title, "Luật Ngân sách", "dự toán ngân sách" (twice), "dự phòng ngân sách".
    await expect.poll(() => page.getByRole('search').getByRole('status').textContent(), { timeout: 10_000 }).toMatch(/^1 of [3-9]$/);
    await expect.poll(() => page.locator('.page[data-page-number="1"] .textLayer .match, .page[data-page-number="1"] .textLayer .match-current').count(), { timeout: 10_000 }).toBeGreaterThan(2);
    const marked = await page.locator('.page[data-page-number="1"] .textLayer .match-current').first().textContent();
    // Only the matched words are marked, not the whole line they sit on.
    expect(marked?.toLowerCase()).toBe('ngân sách');
    await shot(page, 'viewer-search');
    await page.getByRole('button', { name: 'Next match' }).click();
    await expect.poll(() => page.getByRole('search').getByRole('status').textContent()).toMatch(/^2 of /);
  });

  it.skipIf(!haveFixtures)('lists the outline of a paper that has one, and its entries navigate', async () => {
    const secretary = await signIn(room.hub.url, 'secretary');
    const meetings = await api<Array<{ id: string }>>(room.hub.url, secretary.token, '/api/meetings');
    const up = await api(room.hub.url, secretary.token, `/api/meetings/${meetings.body[0]!.id}/documents?title=${encodeURIComponent(BOOK)}`, {
      method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'freeculture.pdf'))),
    });
    expect(up.status).toBe(201);
    const page = await open(BOOK);
    await chooseFromMore(page, 'Outline');
    const outline = page.getByRole('navigation', { name: 'Outline' });
    await expect.poll(() => outline.getByRole('button').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const entries = await outline.getByRole('button').allTextContents();
    expect(entries.join('|')).toMatch(/CONCLUSION/i);
    await outline.getByRole('button', { name: /CONCLUSION/i }).first().click();
    await expect.poll(async () => Number(await pageField(page).inputValue()), { timeout: 10_000 }).toBeGreaterThan(200);
  });

  it('thumbnails take the reader to their page', async () => {
    const page = await open(STRATEGY);
    await chooseFromMore(page, 'Thumbnails');
    const thumbs = page.getByRole('navigation', { name: 'Thumbnails' });
    await thumbs.getByRole('button', { name: 'Page 5', exact: true }).click();
    await expect.poll(() => pageField(page).inputValue()).toBe('5');
    await expect.poll(() => page.getByText('Page 5 of 12').count()).toBe(1);
    await expect.poll(() => thumbs.getByRole('button', { name: 'Page 5', exact: true }).getAttribute('aria-current')).toBe('page');
    // Thumbnails are painted pages, not empty boxes.
    await expect.poll(() => thumbs.locator('canvas').count(), { timeout: 10_000 }).toBeGreaterThan(2);
  });

  it('with the pen and Draw with finger off, touch pans and never draws while the mouse draws', async () => {
    const page = await open(STRATEGY, { hasTouch: true });
    await page.getByRole('button', { name: 'Pen' }).click();
    // Fingers draw by default on a device that has seen no pen (test/e2e/touch.test.ts): off here.
    await page.getByRole('button', { name: 'Draw with finger' }).click();
    expect(await page.getByRole('button', { name: 'Draw with finger' }).getAttribute('aria-pressed')).toBe('false');
    const kinds: string[] = [];
    await page.exposeFunction('__pointerKind', (k: string) => kinds.push(k));
    await page.evaluate(() => window.addEventListener('pointerdown', (e) => (window as unknown as { __pointerKind(k: string): void }).__pointerKind(e.pointerType), { capture: true }));
    const scroller = page.getByRole('region', { name: `Pages of ${STRATEGY}` });
    const scrollTop = () => scroller.evaluate((el) => el.scrollTop);
    const before = await scrollTop();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const x = layer.x + layer.width / 2;
    const y0 = layer.y + 500;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0, id: 1 }] });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y0 - i * 30, id: 1 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(kinds).toContain('touch');
    // Dragged up by 300 px: the pages moved up by that much, and nothing was drawn.
    await expect.poll(async () => (await scrollTop()) - before).toBeGreaterThan(250);
    expect(await inkCount(page, 1)).toBe(0);
    expect(await page.locator('path.ann-ink').count()).toBe(0);

    const afterPan = await scrollTop();
    // Below the panned-away top of the page, well inside the pane.
    await drawStroke(page, 1, 250);
    expect(kinds).toContain('mouse');
    expect(await inkCount(page, 1)).toBe(1);
    expect(await scrollTop()).toBe(afterPan);
  });

  it('two fingers pinch to zoom (and draw nothing), with the pen tool chosen', async () => {
    const page = await open(STRATEGY, { hasTouch: true });
    await page.getByRole('button', { name: 'Pen' }).click();
    const percent = async () => Number((await page.getByRole('button', { name: /^Zoom \d+%$/ }).textContent())!.replace(/\D/g, ''));
    const before = await percent();
    const pageWidth = () => page.locator('.page[data-page-number="1"]').evaluate((el) => el.getBoundingClientRect().width);
    const widthBefore = await pageWidth();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    const cx = layer.x + layer.width / 2;
    const cy = layer.y + 300;
    // Where on page 1 the point between the fingers is, as fractions of the page's size.
    const pointUnder = () => page.locator('.page[data-page-number="1"]').evaluate((el, [x, y]) => {
      const r = el.getBoundingClientRect();
      return { fx: (x! - r.left) / r.width, fy: (y! - r.top) / r.height };
    }, [cx, cy]);
    const heldBefore = await pointUnder();
    const cdp = await page.context().newCDPSession(page);
    const fingers = (spread: number) => [{ x: cx - spread, y: cy, id: 1 }, { x: cx + spread, y: cy, id: 2 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(60) });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(60 + i * 9) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    // Fingers 120 px apart, then 300: about 2.5 times the zoom (within the viewer's limits).
    await expect.poll(percent).toBeGreaterThan(before * 1.8);
    await expect.poll(pageWidth).toBeGreaterThan(widthBefore * 1.8);
    expect(await page.locator('path.ann-ink').count()).toBe(0);
    // The zoom is centred on the fingers: the same point of the page is still between them.
    const heldAfter = await pointUnder();
    expect(Math.abs(heldAfter.fx - heldBefore.fx)).toBeLessThan(0.03);
    expect(Math.abs(heldAfter.fy - heldBefore.fy)).toBeLessThan(0.03);
    await shot(page, 'viewer-pinched');

    // And back: fingers closing zoom out.
    const zoomed = await percent();
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(150) });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(150 - i * 10) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect.poll(percent).toBeLessThan(zoomed * 0.6);
  });

  it('a stroke re-renders only its own page (React commits counted per page)', async () => {
    const page = await open(STRATEGY);
    const commits = (n: number) => page.locator(`.page[data-page-number="${n}"]`).evaluate((el) => Number(el.getAttribute('data-commits')));
    // Settled: both pages painted with their text layers, and two frames for anything pending.
    const settle = async () => {
      for (const n of [1, 2]) await page.locator(`.page[data-page-number="${n}"][data-painted="true"] .textLayer`).waitFor();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    };
    await page.getByRole('button', { name: 'Pen' }).click();
    // Page 2 holds a stroke of its own: a list rebuilt for every change would re-render it.
    await page.getByRole('region', { name: `Pages of ${STRATEGY}` }).focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => pageField(page).inputValue()).toBe('2');
    await page.locator('.page[data-page-number="2"][data-painted="true"]').waitFor();
    await drawStroke(page, 2);
    await expect.poll(() => inkCount(page, 2)).toBe(1);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => pageField(page).inputValue()).toBe('1');
    await settle();

    const before = { 1: await commits(1), 2: await commits(2) };
    await drawStroke(page, 1);
    await expect.poll(() => inkCount(page, 1)).toBe(1);
    await settle();
    expect(await commits(1)).toBeGreaterThan(before[1]);
    expect(await commits(2)).toBe(before[2]);
    expect(await inkCount(page, 2)).toBe(1);
  });

  it('turns pages with PageDown, ArrowRight and back with ArrowLeft', async () => {
    const page = await open(STRATEGY);
    await page.getByRole('region', { name: `Pages of ${STRATEGY}` }).focus();
    await page.keyboard.press('PageDown');
    await expect.poll(() => pageField(page).inputValue()).toBe('2');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => pageField(page).inputValue()).toBe('3');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => pageField(page).inputValue()).toBe('4');
    await page.locator('.page[data-page-number="4"][data-painted="true"]').waitFor();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => pageField(page).inputValue()).toBe('3');
    await page.keyboard.press('End');
    await expect.poll(() => pageField(page).inputValue()).toBe('12');
    // Typing in the page field is not a page turn.
    await pageField(page).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await pageField(page).inputValue()).toBe('12');
  });

  it('keeps the page the reader settled on in the address, so a reload opens it again', async () => {
    const page = await open(STRATEGY);
    await page.getByRole('region', { name: `Pages of ${STRATEGY}` }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => pageField(page).inputValue()).toBe('5');
    // Written once the turning stops, not on every page of the run.
    await expect.poll(() => new URL(page.url()).hash, { timeout: 5_000 }).toContain('page=5');
    await page.reload();
    await expect.poll(() => pageField(page).inputValue(), { timeout: 15_000 }).toBe('5');
    await page.locator('.page[data-page-number="5"][data-painted="true"]').waitFor();
  });
});
