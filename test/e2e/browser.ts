// Shared pieces for the end-to-end tests: Debian's Chromium via playwright-core, a real hub
// process with the demo room, and small helpers that drive the client by its accessible names.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { startAgentProcess } from '../integration/agent-helpers.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = fs.existsSync(CHROMIUM);
export const haveBuild = fs.existsSync(path.join(ROOT, 'dist', 'index.html'));
export const SHOTS = path.join(ROOT, 'test-results');

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

export async function startDemoHub(): Promise<{ hub: RunningProcess; dataDir: string }> {
  const dataDir = tempDir('chamber-e2e-');
  const hub = await startHub(dataDir, { demo: true });
  return { hub, dataDir };
}

/** A demo hub, one delegate's device agent on it (`npm run agent`) and Chromium: a tablet's set-up. */
export async function startAgentRoom(login: string): Promise<{ hub: RunningProcess; hubData: string; agent: RunningProcess; browser: Browser }> {
  const { hub, dataDir: hubData } = await startDemoHub();
  const agent = await startAgentProcess(hub.url, tempDir('chamber-e2e-agent-'), login);
  const browser = await launchChromium();
  return { hub, hubData, agent, browser };
}

/** Stops what startAgentRoom started (whatever of it is there; `hub` may be a restarted one). */
export async function stopAgentRoom(r: { hub?: RunningProcess; agent?: RunningProcess; browser?: Browser }): Promise<void> {
  await r.browser?.close();
  await r.agent?.stop();
  await r.hub?.stop();
}

export interface DemoRoom {
  /** The running hub; a test that restarts it assigns the new one here so it is stopped after. */
  hub: RunningProcess;
  dataDir: string;
  browser: Browser;
  /** A page in a context of its own (its own storage: one user each), closed after the tests. */
  newPage(opts?: { viewport?: { width: number; height: number }; hasTouch?: boolean }): Promise<Page>;
  /** A new page signed in as `login` through the form, with the demo meeting open. */
  meetingAs(login: string): Promise<Page>;
}

/**
 * Call inside a describe: a demo hub and a Chromium for its tests, started before them and
 * closed after them, with every context opened through `newPage`.
 */
export function useDemoRoom(defaults: { viewport?: { width: number; height: number } } = {}): DemoRoom {
  const contexts: BrowserContext[] = [];
  const room = {
    async newPage(opts: { viewport?: { width: number; height: number }; hasTouch?: boolean } = {}): Promise<Page> {
      const ctx = await room.browser.newContext({
        viewport: opts.viewport ?? defaults.viewport ?? { width: 1280, height: 860 },
        locale: 'en-US',
        hasTouch: opts.hasTouch ?? false,
      });
      contexts.push(ctx);
      return ctx.newPage();
    },
    async meetingAs(login: string): Promise<Page> {
      const page = await room.newPage();
      await signInUi(page, room.hub.url, login);
      await openDemoMeeting(page);
      return page;
    },
  } as DemoRoom;
  beforeAll(async () => {
    const started = await startDemoHub();
    room.hub = started.hub;
    room.dataDir = started.dataDir;
    room.browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await room.browser?.close();
    await room.hub?.stop();
  });
  return room;
}

export async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Signs in through the form, as a person would (English locale). */
export async function signInUi(page: Page, baseUrl: string, login: string, password = 'demo'): Promise<void> {
  await page.goto(baseUrl + '/');
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your meetings' }).waitFor();
}

/**
 * Switches the interface's language from the top bar, wherever it is: beside the user's name on a
 * wide screen, or in the user's menu where the bar folds it away (800 px and narrower).
 */
export async function chooseLanguage(page: Page, locale: 'en' | 'vi'): Promise<void> {
  const select = page.getByLabel('Language');
  const menu = page.locator('header.topbar .user-menu-toggle');
  const folded = !(await select.isVisible());
  if (folded) {
    await menu.click();
    await select.waitFor();
  }
  await select.selectOption(locale);
  // The menu, if it was opened, is put away again.
  if (folded) await menu.click();
}

export async function openDemoMeeting(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Council meeting/ }).click();
  await page.getByRole('list', { name: 'Agenda' }).waitFor();
}

export async function openPaper(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor({ timeout: 30_000 });
}

/** How many of a page's canvas pixels are not white: > 0 means pdf.js painted something. */
export function inkedPixels(page: Page, pageNumber: number): Promise<number> {
  return page.evaluate((n) => {
    const c = document.querySelector<HTMLCanvasElement>(`.page[data-page-number="${n}"] canvas`);
    if (!c || c.width === 0) return -1;
    // The page canvas is a `bitmaprenderer` one: read its pixels through a 2D copy.
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(c, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200) count++;
    return count;
  }, pageNumber);
}

/** Draws a zig-zag with the mouse across the middle of a page's annotation layer. */
export async function drawStroke(page: Page, pageNumber: number, dy = 0): Promise<void> {
  const layer = page.locator(`[data-testid="ann-layer-${pageNumber}"]`);
  const box = (await layer.boundingBox())!;
  const x0 = box.x + box.width * 0.25;
  const y0 = box.y + Math.min(box.height * 0.3, 260) + dy;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(x0 + i * 18, y0 + (i % 2 ? 24 : 0), { steps: 2 });
  await page.mouse.up();
}

export const inkCount = (page: Page, pageNumber = 1): Promise<number> =>
  page.locator(`[data-testid="ann-layer-${pageNumber}"] path.ann-ink`).count();
