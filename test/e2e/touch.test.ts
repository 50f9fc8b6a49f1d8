// Fingers and a pen on the viewer, in a real Chromium (CDP touch and pen input) against a real
// hub: one finger draws with the Pen and the stroke is kept; a second finger turns it into a
// pan and pinch and the stroke is dropped; after a pen, fingers pan (palm rejection) until
// `Draw with finger` is pressed; the eraser by finger reaches ink beside it and highlights; a
// finger tap places a note; sideways swipes turn pages and never go back in history; the
// toolbar's targets are 44 px.
import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { inkCount, openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';

const STRATEGY = 'Digital Strategy 2027–2030';
type Pt = { x: number; y: number };

const touch = (cdp: CDPSession, type: 'touchStart' | 'touchMove' | 'touchEnd', pts: Pt[]) =>
  cdp.send('Input.dispatchTouchEvent', { type, touchPoints: pts.map((p, i) => ({ x: p.x, y: p.y, id: i + 1 })) });

/** One finger from `a` to `b` in `steps` moves. */
async function fingerDrag(cdp: CDPSession, a: Pt, b: Pt, steps = 10): Promise<void> {
  await touch(cdp, 'touchStart', [a]);
  for (let i = 1; i <= steps; i++) await touch(cdp, 'touchMove', [{ x: a.x + ((b.x - a.x) * i) / steps, y: a.y + ((b.y - a.y) * i) / steps }]);
  await touch(cdp, 'touchEnd', []);
}

/** A zig-zag one finger draws on a page's annotation layer, `dy` below its usual place. */
async function fingerStroke(page: Page, cdp: CDPSession, dy = 0): Promise<void> {
  const box = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
  const x0 = box.x + box.width * 0.25;
  const y0 = box.y + 220 + dy;
  await touch(cdp, 'touchStart', [{ x: x0, y: y0 }]);
  for (let i = 1; i <= 12; i++) await touch(cdp, 'touchMove', [{ x: x0 + i * 18, y: y0 + (i % 2 ? 24 : 0) }]);
  await touch(cdp, 'touchEnd', []);
}

describe('touch on the viewer', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 800 } });
  let login = 0;
  const open = async (viewport?: { width: number; height: number }): Promise<{ page: Page; cdp: CDPSession }> => {
    const page = await room.newPage({ hasTouch: true, viewport });
    await signInUi(page, room.hub.url, `delegate${(login++ % 3) + 1}`);
    await openDemoMeeting(page);
    await openPaper(page, STRATEGY);
    return { page, cdp: await page.context().newCDPSession(page) };
  };
  const scroller = (page: Page) => page.getByRole('region', { name: `Pages of ${STRATEGY}` });
  const scrollPos = (page: Page) => scroller(page).evaluate((el) => ({ left: el.scrollLeft, top: el.scrollTop }));
  const percent = async (page: Page) => Number((await page.getByRole('button', { name: /^Zoom \d+%$/ }).textContent())!.replace(/\D/g, ''));
  const fingerToggle = (page: Page) => page.getByRole('button', { name: 'Draw with finger' });
  const online = (page: Page) => expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');

  it('one finger draws with the Pen; a second finger makes it a pan and pinch, and that stroke is dropped', async () => {
    const { page, cdp } = await open();
    await page.getByRole('button', { name: 'Pen' }).click();
    expect(await fingerToggle(page).getAttribute('aria-pressed')).toBe('true');
    const before = await scrollPos(page);
    await fingerStroke(page, cdp);
    await expect.poll(() => inkCount(page, 1)).toBe(1);
    // Drawing is not panning.
    expect(await scrollPos(page)).toEqual(before);
    await shot(page, 'touch-finger-stroke');

    // A stroke begun, then a second finger: both fingers spread and move up together.
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    const zoom0 = await percent(page);
    const a = { x: layer.x + layer.width * 0.4, y: layer.y + 420 };
    await touch(cdp, 'touchStart', [a]);
    for (let i = 1; i <= 4; i++) await touch(cdp, 'touchMove', [{ x: a.x + i * 10, y: a.y }]);
    const b = { x: a.x + 160, y: a.y };
    await touch(cdp, 'touchStart', [{ x: a.x + 40, y: a.y }, b]);
    for (let i = 1; i <= 10; i++) await touch(cdp, 'touchMove', [{ x: a.x + 40 - i * 8, y: a.y - i * 12 }, { x: b.x + i * 8, y: b.y - i * 12 }]);
    await touch(cdp, 'touchEnd', []);
    await expect.poll(() => percent(page)).toBeGreaterThan(zoom0 * 1.3);
    await expect.poll(async () => (await scrollPos(page)).top).toBeGreaterThan(before.top + 50);
    // The cancelled stroke is neither kept nor left half-drawn.
    expect(await page.locator('path.ann-ink').count()).toBe(1);
    expect(await page.locator('path.ann-live').first().getAttribute('d')).toBe('');
    await shot(page, 'touch-pinch-cancels-stroke');

    // The finger's stroke is in the notes document: it comes back from the hub after a reload.
    await online(page);
    await page.reload();
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await expect.poll(() => page.locator('path.ann-ink').count(), { timeout: 10_000 }).toBe(1);
  });

  it('two fingers moving together pan the pages and draw nothing', async () => {
    const { page, cdp } = await open();
    await page.getByRole('button', { name: 'Pen' }).click();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    const before = await scrollPos(page);
    const zoom0 = await percent(page);
    const a = { x: layer.x + 300, y: layer.y + 540 };
    const b = { x: layer.x + 420, y: layer.y + 540 };
    await touch(cdp, 'touchStart', [a, b]);
    for (let i = 1; i <= 10; i++) await touch(cdp, 'touchMove', [{ x: a.x, y: a.y - i * 30 }, { x: b.x, y: b.y - i * 30 }]);
    await touch(cdp, 'touchEnd', []);
    // Moved up by 300 px together: the pages followed.
    await expect.poll(async () => (await scrollPos(page)).top - before.top).toBeGreaterThan(250);
    expect(await percent(page)).toBe(zoom0);
    expect(await page.locator('path.ann-ink').count()).toBe(0);
  });

  it('after a pen, fingers pan and only the pen draws, until Draw with finger is pressed', async () => {
    const { page, cdp } = await open();
    await page.getByRole('button', { name: 'Pen' }).click();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    // The pen draws a stroke (Chromium's pen input through CDP).
    const x0 = layer.x + layer.width * 0.3;
    const y0 = layer.y + 150;
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: x0, y: y0, pointerType: 'pen' });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', x: x0, y: y0, button: 'left', buttons: 1, clickCount: 1, pointerType: 'pen', force: 0.6 });
    for (let i = 1; i <= 10; i++) await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x: x0 + i * 20, y: y0 + (i % 2) * 15, button: 'left', buttons: 1, pointerType: 'pen', force: 0.6 });
    await cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', x: x0 + 200, y: y0, button: 'left', buttons: 0, clickCount: 1, pointerType: 'pen' });
    await expect.poll(() => inkCount(page, 1)).toBe(1);
    // The device has seen a pen: finger drawing is off, and a finger pans.
    await expect.poll(() => fingerToggle(page).getAttribute('aria-pressed')).toBe('false');
    const before = await scrollPos(page);
    await fingerDrag(cdp, { x: layer.x + layer.width / 2, y: layer.y + 540 }, { x: layer.x + layer.width / 2, y: layer.y + 240 });
    await expect.poll(async () => (await scrollPos(page)).top - before.top).toBeGreaterThan(250);
    expect(await page.locator('path.ann-ink').count()).toBe(1);
    await shot(page, 'touch-palm-rejection');

    // Remembered on the device: still off after a reload.
    await page.reload();
    await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await page.getByRole('button', { name: 'Pen' }).click();
    expect(await fingerToggle(page).getAttribute('aria-pressed')).toBe('false');
    // The toggle overrides: fingers draw again.
    const box = (await fingerToggle(page).boundingBox())!;
    await touch(cdp, 'touchStart', [{ x: box.x + box.width / 2, y: box.y + box.height / 2 }]);
    await touch(cdp, 'touchEnd', []);
    await expect.poll(() => fingerToggle(page).getAttribute('aria-pressed')).toBe('true');
    const pageTop = (await page.locator('.page[data-page-number="1"]').boundingBox())!.y;
    const inkBefore = await page.locator('path.ann-ink').count();
    await fingerStroke(page, cdp, Math.max(0, 80 - (pageTop - layer.y)));
    await expect.poll(() => page.locator('path.ann-ink').count()).toBe(inkBefore + 1);
    await shot(page, 'touch-finger-toggle');
  });

  it('the eraser by finger removes ink it passes beside and a highlight', async () => {
    const { page, cdp } = await open();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    // A straight horizontal stroke by finger.
    await page.getByRole('button', { name: 'Pen' }).click();
    // This delegate may have strokes from an earlier test: the new one is told apart by its id.
    const ids = () => page.locator('path.ann-ink').evaluateAll((els) => els.map((el) => el.getAttribute('data-ann-id')));
    const old = await ids();
    const y = layer.y + 300;
    await fingerDrag(cdp, { x: layer.x + 150, y }, { x: layer.x + 450, y }, 12);
    await expect.poll(async () => (await ids()).length).toBe(old.length + 1);
    const line = page.locator(`path.ann-ink[data-ann-id="${(await ids()).find((id) => !old.includes(id))}"]`);
    // A highlight, made with the mouse over a line of text.
    await page.getByRole('button', { name: 'Highlighter' }).click();
    const span = page.locator('.page[data-page-number="1"] .textLayer span', { hasText: 'This paper proposes' }).first();
    await span.waitFor();
    const sb = (await span.boundingBox())!;
    await page.mouse.move(sb.x + 1, sb.y + sb.height / 2);
    await page.mouse.down();
    await page.mouse.move(sb.x + sb.width - 1, sb.y + sb.height / 2, { steps: 6 });
    await page.mouse.up();
    const highlights = page.locator('[data-testid="ann-layer-1"] .ann-highlight');
    await expect.poll(() => highlights.count()).toBe(1);
    await page.getByRole('button', { name: 'Eraser' }).click();
    await shot(page, 'touch-eraser-before');

    // A tap 8 px above the line, never on it: within the eraser's reach.
    const ink = (await line.boundingBox())!;
    await touch(cdp, 'touchStart', [{ x: layer.x + 300, y: ink.y - 8 }]);
    await touch(cdp, 'touchEnd', []);
    await expect.poll(() => line.count()).toBe(0);
    expect((await ids()).sort()).toEqual([...old].sort());
    // A quick finger across the highlight, its samples far apart on either side of the band.
    const band = (await highlights.locator('rect').first().boundingBox())!;
    const hx = band.x + band.width / 2;
    await fingerDrag(cdp, { x: hx, y: band.y - 40 }, { x: hx, y: band.y + band.height + 40 }, 2);
    await expect.poll(() => highlights.count()).toBe(0);
    await shot(page, 'touch-eraser-after');
  });

  it('a finger tap with the Note tool places a note and opens its editor', async () => {
    const { page, cdp } = await open();
    await page.getByRole('button', { name: 'Note' }).click();
    const layer = (await page.locator('[data-testid="ann-layer-1"]').boundingBox())!;
    const at = { x: layer.x + layer.width * 0.4, y: layer.y + 260 };
    await touch(cdp, 'touchStart', [at]);
    await touch(cdp, 'touchEnd', []);
    const editor = page.getByRole('dialog', { name: 'Note' });
    await editor.waitFor();
    await editor.getByRole('textbox', { name: 'Note' }).fill('Tapped with a finger');
    await editor.getByRole('button', { name: 'Save note' }).click();
    const marker = page.getByRole('button', { name: 'Note: Tapped with a finger' });
    await marker.waitFor();
    const m = (await marker.boundingBox())!;
    expect(Math.abs(m.x + m.width / 2 - at.x)).toBeLessThan(3);
    expect(Math.abs(m.y + m.height / 2 - at.y)).toBeLessThan(3);
    // A finger that drags with the Note tool pans, and places nothing.
    const before = await scrollPos(page);
    await fingerDrag(cdp, { x: at.x, y: at.y + 250 }, { x: at.x, y: at.y + 50 });
    await expect.poll(async () => (await scrollPos(page)).top).toBeGreaterThan(before.top + 100);
    expect(await page.locator('.note-marker').count()).toBe(1);
    await shot(page, 'touch-note');
  });

  it('one finger dragged along a line of text with the Highlighter highlights it', async () => {
    const { page, cdp } = await open();
    await page.getByRole('button', { name: 'Highlighter' }).click();
    const highlights = page.locator('[data-testid="ann-layer-1"] .ann-highlight');
    const before = await highlights.count();
    const span = page.locator('.page[data-page-number="1"] .textLayer span', { hasText: 'This paper proposes' }).first();
    await span.waitFor();
    const sb = (await span.boundingBox())!;
    const scroll0 = await scrollPos(page);
    await fingerDrag(cdp, { x: sb.x + 2, y: sb.y + sb.height / 2 }, { x: sb.x + sb.width - 2, y: sb.y + sb.height / 2 }, 8);
    await expect.poll(() => highlights.count()).toBe(before + 1);
    // The band lies over the line the finger followed, and the finger did not scroll.
    const band = (await highlights.last().locator('rect').first().boundingBox())!;
    expect(Math.abs(band.y + band.height / 2 - (sb.y + sb.height / 2))).toBeLessThan(sb.height / 2);
    expect(band.width).toBeGreaterThan(sb.width * 0.8);
    expect(await scrollPos(page)).toEqual(scroll0);
    expect(await page.evaluate(() => window.getSelection()?.isCollapsed)).toBe(true);
    await shot(page, 'touch-highlighter');
  });

  it('sideways swipes turn pages, and never take the browser back', async () => {
    const { page, cdp } = await open();
    const pageField = page.getByLabel('Page', { exact: true });
    const url = page.url();
    const depth = await page.evaluate(() => window.history.length);
    const pane = (await scroller(page).boundingBox())!;
    expect(await scroller(page).evaluate((el) => getComputedStyle(el).overscrollBehaviorX)).toBe('contain');
    const y = pane.y + pane.height / 2;
    // Finger to the left: the next page.
    await fingerDrag(cdp, { x: pane.x + pane.width * 0.8, y }, { x: pane.x + pane.width * 0.3, y }, 6);
    await expect.poll(() => pageField.inputValue()).toBe('2');
    await fingerDrag(cdp, { x: pane.x + pane.width * 0.8, y }, { x: pane.x + pane.width * 0.3, y }, 6);
    await expect.poll(() => pageField.inputValue()).toBe('3');
    // Finger to the right (the browser's back gesture elsewhere): the previous page, same paper.
    await fingerDrag(cdp, { x: pane.x + 20, y }, { x: pane.x + pane.width * 0.7, y }, 6);
    await expect.poll(() => pageField.inputValue()).toBe('2');
    // A mostly vertical drag is a scroll, not a page turn.
    await fingerDrag(cdp, { x: pane.x + pane.width / 2, y: y + 100 }, { x: pane.x + pane.width / 2 + 40, y: y - 100 }, 6);
    expect(await page.locator('.viewer').count()).toBe(1);
    expect(new URL(page.url()).hash.split('?')[0]).toBe(new URL(url).hash.split('?')[0]);
    expect(await page.evaluate(() => window.history.length)).toBeGreaterThanOrEqual(depth);
    await shot(page, 'touch-swipe');
  });

  it('every control in the viewer toolbar is at least 44 px each way, landscape and portrait', async () => {
    for (const [viewport, name] of [[{ width: 1280, height: 800 }, 'touch-toolbar'], [{ width: 800, height: 1280 }, 'touch-toolbar-portrait']] as const) {
      const { page } = await open(viewport);
      await page.getByRole('button', { name: 'Pen' }).click();
      const small = await page.locator('.viewer-toolbar').evaluate((bar) =>
        [...bar.querySelectorAll<HTMLElement>('button, input, select, a[href]')]
          .filter((el) => el.offsetParent !== null)
          .map((el) => ({ name: el.getAttribute('aria-label') ?? el.textContent, r: el.getBoundingClientRect() }))
          .filter(({ r }) => r.width < 44 || r.height < 44)
          .map(({ name, r }) => `${name}: ${Math.round(r.width)}×${Math.round(r.height)}`));
      expect(small).toEqual([]);
      await shot(page, name);
    }
  });
});
