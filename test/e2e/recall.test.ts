// Recall and offline expiry in the real renderer (issue 17): the secretary recalls a paper from
// the console's papers list and watches the delegate's tablet confirm it; the delegate's tablet,
// offline past a Secret paper's lifetime (its agent's clock moved by the test), says the paper
// has expired instead of opening it. Screenshots: test-results/recall-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openDemoMeeting, shot, signInUi } from './browser.ts';
import { consoleTab } from './secretary-helpers.ts';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { clockFileIn, pollUntil, readCache, setClock, startAgentWithClock, uploadPaper } from '../integration/recall-helpers.ts';

const HOUR = 3_600_000;

describe('recall and offline expiry in the renderer', () => {
  let hub: RunningProcess;
  let agent: RunningProcess;
  let browser: Browser;
  let dir: string;
  let clock: string;
  let recalled: { id: string; sha256: string };
  let secret: { id: string; sha256: string };
  let delegateName: string;
  const pages: Page[] = [];
  const newPage = async () => {
    const p = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })).newPage();
    pages.push(p);
    return p;
  };

  beforeAll(async () => {
    hub = await startHub(tempDir('chamber-e2e-'), { demo: true });
    const sec = (await signIn(hub.url, 'secretary')).token;
    const meetingId = (await api<Array<{ id: string }>>(hub.url, sec, '/api/meetings')).body[0]!.id;
    delegateName = (await signIn(hub.url, 'delegate1')).user.name;
    recalled = await uploadPaper(hub.url, sec, meetingId, 'Draft sent in error');
    secret = await uploadPaper(hub.url, sec, meetingId, 'Secret annex', { level: 'secret' });
    dir = tempDir('chamber-e2e-agent-');
    clock = clockFileIn(dir);
    setClock(clock, {});
    agent = await startAgentWithClock(hub.url, dir, 'delegate1', { clockFile: clock });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const p of pages) await p.context().close().catch(() => {});
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
  });

  it('the secretary recalls a paper and sees the delegate\'s tablet confirm', async () => {
    const tablet = await newPage();
    await signInUi(tablet, agent.url, 'delegate1');
    await openDemoMeeting(tablet);
    await tablet.getByRole('link', { name: 'Draft sent in error', exact: true }).waitFor();
    await pollUntil(() => readCache(dir, recalled.sha256), (c) => c.blob?.complete === 1, 'the paper on the tablet');

    const desk = await newPage();
    await signInUi(desk, hub.url, 'secretary');
    await openDemoMeeting(desk);
    await consoleTab(desk, 'Papers');
    const row = desk.locator('.ce-paper').filter({ hasText: 'Draft sent in error' });
    await row.getByRole('button', { name: 'Recall', exact: true }).click();
    await row.getByLabel('Reason').fill('Sent to the wrong meeting');
    await row.getByRole('button', { name: 'Recall from all devices' }).click();

    const status = desk.locator('.recall-status');
    await status.getByText('1 of 1 devices confirmed').waitFor({ timeout: 15_000 });
    await expect.poll(() => status.locator('.recall-confirmed').count()).toBe(1);
    expect(await status.locator('.recall-confirmed').textContent()).toContain(delegateName);
    await expect.poll(() => desk.locator('.ce-paper').filter({ hasText: 'Draft sent in error' }).count()).toBe(0);
    await status.scrollIntoViewIfNeeded();
    await shot(desk, 'recall-console');
    // Gone from the delegate's screen and from the tablet's disk.
    await expect.poll(() => tablet.getByRole('link', { name: 'Draft sent in error', exact: true }).count(), { timeout: 10_000 }).toBe(0);
    expect(readCache(dir, recalled.sha256).blob).toBeNull();
  });

  it('the delegate\'s tablet says a Secret paper expired offline, and does not open it', async () => {
    await pollUntil(() => readCache(dir, secret.sha256), (c) => c.blob?.complete === 1 && !!c.key?.key, 'the secret paper sealed on the tablet');
    const tablet = await newPage();
    await signInUi(tablet, agent.url, 'delegate1');
    await openDemoMeeting(tablet);
    await hub.stop();
    await expect.poll(() => tablet.locator('.conn').getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');
    setClock(clock, { monotonicOffsetMs: 9 * HOUR, wallOffsetMs: -7 * 24 * HOUR });
    await tablet.getByRole('link', { name: 'Secret annex', exact: true }).click();
    const alert = tablet.getByRole('alert').filter({ hasText: 'Offline access to this paper has expired' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('reconnect to the room’s network');
    expect(await tablet.locator('.page[data-painted="true"]').count()).toBe(0);
    await shot(tablet, 'recall-expired');
    expect(readCache(dir, secret.sha256).key?.key).toBeNull();
  });
});
