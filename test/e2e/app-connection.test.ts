// The always-visible connection indicator and paper downloads. On the meeting list no replica is
// open, so only the /health probe can tell that the server went away; on a device agent the top
// bar shows the agent's prefetch of the meeting's papers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { drawStroke, inkCount, launchChromium, openDemoMeeting, openPaper, shot, signInUi, startDemoHub } from './browser.ts';
import { startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { startAgentProcess } from '../integration/agent-helpers.ts';

describe('app: connection state and downloads', () => {
  let hub: RunningProcess;
  let hubData: string;
  let agent: RunningProcess | null = null;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    contexts.push(ctx);
    return ctx.newPage();
  };

  beforeAll(async () => {
    ({ hub, dataDir: hubData } = await startDemoHub());
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await agent?.stop();
    await hub?.stop();
  });

  it('the meeting list goes offline when the hub stops and online when it returns', async () => {
    const page = await newPage();
    await signInUi(page, hub.url, 'delegate2');
    const conn = page.locator('.conn');
    await expect.poll(() => conn.getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
    const port = hub.port;
    await hub.stop();
    await expect.poll(() => conn.getAttribute('data-state'), { timeout: 10_000 }).toBe('offline');
    await shot(page, 'app-connection-list-offline');
    hub = await startHub(hubData, { demo: true, port });
    await expect.poll(() => conn.getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
  });

  it('says "Syncing" while a stroke is not yet on the hub, and "Online" once it is', async () => {
    const page = await newPage();
    await signInUi(page, hub.url, 'delegate3');
    await openDemoMeeting(page);
    await openPaper(page, 'Quarterly Report Q3');
    const conn = page.locator('.conn');
    await expect.poll(() => conn.getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
    await page.getByRole('button', { name: 'Pen' }).click();
    // A hub that hangs keeps its sockets open: the client cannot tell from the connection alone.
    hub.proc.kill('SIGSTOP');
    try {
      await drawStroke(page, 1);
      expect(await inkCount(page)).toBe(1);
      await expect.poll(() => conn.getAttribute('data-state'), { timeout: 5_000 }).toBe('syncing');
      await expect.poll(() => conn.textContent()).toContain('Syncing');
      await shot(page, 'app-connection-syncing');
    } finally {
      hub.proc.kill('SIGCONT');
    }
    await expect.poll(() => conn.getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
  });

  it('served by an agent: shows the papers downloaded to the device, and the hub going away', async () => {
    agent = await startAgentProcess(hub.url, tempDir('chamber-e2e-agent-'), 'delegate1');
    const page = await newPage();
    await signInUi(page, agent.url, 'delegate1');
    await openDemoMeeting(page);
    const downloads = page.getByRole('status', { name: 'Paper downloads' });
    // The agent prefetches every paper of the meeting; the top bar ends on "all on this device".
    await expect.poll(() => downloads.textContent(), { timeout: 30_000 }).toBe('All papers on this device');
    await expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
    await shot(page, 'app-connection-agent');

    const port = hub.port;
    await hub.stop();
    await expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 15_000 }).toBe('offline');
    await expect.poll(() => page.locator('.conn').textContent()).toContain('Hub unreachable');
    hub = await startHub(hubData, { demo: true, port });
    await expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
  });
});
