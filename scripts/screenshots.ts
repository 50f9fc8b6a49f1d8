// `npm run screenshots [-- --out DIR] [--only NAME]`: regenerates docs/screenshots/ — each main
// screen at tablet landscape (1280×800), tablet portrait (800×1280) and the secretary's desk
// (1920×1080), in English and Vietnamese — from a fresh demo room in Debian's Chromium, so
// reviewers see what a room sees without running it. Needs the client build (`npm run build`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { out: { type: 'string', default: path.join(root, 'docs', 'screenshots') }, only: { type: 'string' } },
  strict: true,
});
const OUT = path.resolve(values.out!);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const SIZES = [
  { name: 'landscape', width: 1280, height: 800, touch: true },
  { name: 'portrait', width: 800, height: 1280, touch: true },
  { name: 'desk', width: 1920, height: 1080, touch: false },
] as const;
const LOCALES = ['en', 'vi'] as const;

type Size = (typeof SIZES)[number];
interface Screen {
  name: string;
  login: string | null;
  /** Sets the room up for this screen, once, before its first capture (through the API). */
  prepare?(base: string, ctx: { meetingId: string }): Promise<void>;
  /** Brings the page to the screen; the page is signed in as `login` and in its locale. */
  show(page: Page, base: string, ctx: { meetingId: string; paperId: string }): Promise<void>;
}

const painted = (page: Page) => page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor({ timeout: 60_000 });

const SCREENS: Screen[] = [
  { name: 'sign-in', login: null, show: async (page, base) => void (await page.goto(base + '/'), await page.locator('form input').first().waitFor()) },
  { name: 'meetings', login: 'delegate1', show: async (page, base) => void (await page.goto(base + '/#/'), await page.locator('.meeting-list li').first().waitFor()) },
  {
    name: 'meeting',
    login: 'delegate1',
    show: async (page, base, { meetingId }) => {
      await page.goto(`${base}/#/m/${meetingId}`);
      await page.locator('ol.agenda li').first().waitFor();
    },
  },
  {
    name: 'paper',
    login: 'delegate1',
    show: async (page, base, { meetingId, paperId }) => {
      await page.goto(`${base}/#/m/${meetingId}/p/${paperId}?page=1`);
      await painted(page);
    },
  },
  {
    name: 'secretary',
    login: 'secretary',
    show: async (page, base, { meetingId }) => {
      await page.goto(`${base}/#/m/${meetingId}`);
      await page.locator('[role="tablist"]').first().waitFor();
    },
  },
  {
    name: 'vote',
    login: 'delegate1',
    prepare: openVote,
    show: async (page, base, { meetingId }) => {
      await page.goto(`${base}/#/m/${meetingId}`);
      await page.locator('.procedures button').first().waitFor();
    },
  },
  {
    name: 'room',
    login: 'admin',
    show: async (page, base, { meetingId }) => {
      await page.goto(`${base}/#/room/${meetingId}`);
      await page.locator('.room-tools').waitFor();
    },
  },
  {
    name: 'search',
    login: 'delegate1',
    show: async (page, base) => {
      await page.goto(`${base}/#/search?q=${encodeURIComponent('ngan sach')}`);
      await page.locator('.search-results, [role="status"]').first().waitFor();
      await page.waitForTimeout(500);
    },
  },
];

/** The chair marks delegate1 present and opens a named vote: the ballot on the delegate's screen. */
async function openVote(base: string, { meetingId }: { meetingId: string }): Promise<void> {
  const chair = (await signIn(base, 'chair')) as { token: string };
  const delegate = (await signIn(base, 'delegate1')) as { user: { id: string } };
  const call = async (p: string, body: unknown) => {
    const res = await fetch(base + p, { method: 'POST', headers: { authorization: `Bearer ${chair.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ id?: string }>;
  };
  await call(`/api/meetings/${meetingId}/attendance`, { status: 'present', userId: delegate.user.id });
  const poll = await call(`/api/meetings/${meetingId}/polls`, { title: 'Thông qua dự toán ngân sách 2027 / Approve the 2027 budget', method: 'approval', visibility: 'named' });
  await call(`/api/polls/${poll.id!}/start`, {});
}

async function startHub(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-shots-'));
  const proc = spawn(process.execPath, [path.join(root, 'electron/hub/cli.ts'), '--data', dataDir, '--port', '0', '--demo'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`the hub exited (${code}) before listening:\n${out}`)));
  });
  return {
    url,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A token for the script's own API calls (the pages sign in through the form). */
async function signIn(base: string, login: string): Promise<unknown> {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password: 'demo' }) });
  if (!res.ok) throw new Error(`sign-in as ${login}: ${res.status}`);
  return res.json();
}

async function demoIds(base: string, session: { token: string }): Promise<{ meetingId: string; paperId: string }> {
  const get = async (p: string) => (await fetch(base + p, { headers: { authorization: `Bearer ${session.token}` } })).json();
  const meetings = (await get('/api/meetings')) as Array<{ id: string }>;
  const meetingId = meetings[0]!.id;
  const papers = (await get(`/api/meetings/${meetingId}/papers`)) as Array<{ id: string }>;
  return { meetingId, paperId: papers[0]!.id };
}

async function capture(browser: Browser, base: string, screen: Screen, size: Size, locale: string, ids: { meetingId: string; paperId: string }): Promise<string> {
  const ctx = await browser.newContext({ viewport: { width: size.width, height: size.height }, hasTouch: size.touch, locale: locale === 'vi' ? 'vi-VN' : 'en-US' });
  await ctx.addInitScript((l) => localStorage.setItem('chamber.locale', l), locale);
  const page = await ctx.newPage();
  try {
    if (screen.login) {
      // Signed in through the form, as a person would (whatever keeps the session afterwards).
      await page.goto(base + '/');
      const fields = page.locator('form input:not([type="checkbox"])');
      await fields.nth(0).fill(screen.login);
      await fields.nth(1).fill('demo');
      await page.locator('form button[type="submit"]').click();
      await page.locator('input[type="password"]').waitFor({ state: 'detached' });
    }
    await screen.show(page, base, ids);
    // Fonts and the last paint settle; a screenshot mid-transition helps nobody.
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(300);
    const file = path.join(OUT, `${screen.name}-${size.name}-${locale}.png`);
    await page.screenshot({ path: file });
    return file;
  } finally {
    await ctx.close();
  }
}

if (!fs.existsSync(path.join(root, 'dist', 'index.html'))) {
  console.error('the client is not built: run `npm run build` first');
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  process.exit(1);
}
fs.mkdirSync(OUT, { recursive: true });
const hub = await startHub();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--font-render-hinting=none'],
});
let failed = 0;
try {
  const ids = await demoIds(hub.url, (await signIn(hub.url, 'delegate1')) as { token: string });
  for (const screen of SCREENS.filter((s) => !values.only || s.name === values.only)) {
    await screen.prepare?.(hub.url, ids);
    for (const size of SIZES) {
      for (const locale of LOCALES) {
        try {
          const file = await capture(browser, hub.url, screen, size, locale, ids);
          console.log(`  ${path.relative(root, file)}`);
        } catch (err) {
          failed++;
          console.error(`  ${screen.name} ${size.name} ${locale}: ${(err as Error).message.split('\n')[0]}`);
        }
      }
    }
  }
} finally {
  await browser.close();
  await hub.stop();
}
if (failed) {
  console.error(`${failed} screenshot(s) failed`);
  process.exit(1);
}
