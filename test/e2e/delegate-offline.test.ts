// The tablet keeps working without the hub: a browser served by a real device agent reads and
// annotates while the hub is stopped, and everything reaches the hub once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { drawStroke, inkCount, inkedPixels, openDemoMeeting, openPaper, shot, signInUi, startAgentRoom, stopAgentRoom } from './browser.ts';
import { startHub, type RunningProcess } from '../helpers/processes.ts';

const PAPER = 'Digital Strategy 2027–2030';

describe('delegate: offline through the agent', () => {
  let hub: RunningProcess;
  let hubData: string;
  let agent: RunningProcess;
  let browser: Browser;
  beforeAll(async () => {
    ({ hub, hubData, agent, browser } = await startAgentRoom('delegate1'));
  });
  afterAll(() => stopAgentRoom({ hub, agent, browser }));

  it('reads and annotates with the hub stopped, then syncs when it returns', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    const tablet = await ctx.newPage();
    await signInUi(tablet, agent.url, 'delegate1');
    await openDemoMeeting(tablet);
    await openPaper(tablet, PAPER);
    await tablet.getByRole('button', { name: 'Pen' }).click();
    await drawStroke(tablet, 1);
    await expect.poll(() => tablet.locator('.conn').getAttribute('data-state'), { timeout: 15_000 }).toBe('online');

    const port = hub.port;
    await hub.stop();
    await expect.poll(() => tablet.locator('.conn').getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');

    // Reading goes on: another page paints from the agent's cache.
    await tablet.getByRole('button', { name: 'Next page' }).click();
    await tablet.locator('.page[data-page-number="2"][data-painted="true"]').waitFor();
    expect(await inkedPixels(tablet, 2)).toBeGreaterThan(100);
    // …and so does annotating, and a reload keeps both the session and the strokes.
    await tablet.getByLabel('Page', { exact: true }).fill('1');
    await tablet.getByLabel('Page', { exact: true }).press('Enter');
    await drawStroke(tablet, 1, 140);
    expect(await inkCount(tablet, 1)).toBe(2);
    await shot(tablet, 'offline-annotating');
    await tablet.reload();
    await tablet.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await expect.poll(() => inkCount(tablet, 1), { timeout: 10_000 }).toBe(2);

    // The hub returns (same data, same port): the offline stroke arrives there.
    hub = await startHub(hubData, { demo: true, port });
    await expect.poll(() => tablet.locator('.conn').getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' })).newPage();
    await signInUi(desk, hub.url, 'delegate1');
    await openDemoMeeting(desk);
    await openPaper(desk, PAPER);
    await expect.poll(() => inkCount(desk, 1), { timeout: 15_000 }).toBe(2);
    await ctx.close();
  });
});
