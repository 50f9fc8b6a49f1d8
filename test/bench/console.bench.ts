// `npm run bench -- console`: time from a secretary's Save in the console to the change painted
// on 50 followers' screens. One hub process (--demo), one headless Chromium: the secretary's page
// and 50 delegate pages (three demo delegate accounts shared among them). Each round renames an
// agenda item through the console UI; each follower records the first animation frame after the
// new title entered its Agenda list. Times are wall-clock (performance.timeOrigin + now) read in
// the pages themselves, so Playwright's own round trips are not counted. Bounded: exits by itself.
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../e2e/browser.ts';
import { api, signIn, startProcess, tempDir } from '../helpers/processes.ts';

const FOLLOWERS = Number(process.env.CONSOLE_BENCH_FOLLOWERS ?? 50);
const ROUNDS = Number(process.env.CONSOLE_BENCH_ROUNDS ?? 30);
const DEADLINE_MS = 300_000;
// The hub's durability mode: `full` (the default: fsync before every broadcast) or `normal`.
const SYNC = process.env.CONSOLE_BENCH_SYNC ?? 'full';

const deadline = setTimeout(() => {
  console.error(`console bench: gave up after ${DEADLINE_MS / 1000} s`);
  process.exit(2);
}, DEADLINE_MS);
deadline.unref();

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

declare global {
  interface Window {
    __seen?: Record<string, number>;
    __saveAt?: number[];
  }
}

/** In a follower: note when each agenda title first reaches a painted frame. */
function watchAgenda(): void {
  window.__seen = {};
  const note = () => {
    const titles = [...document.querySelectorAll('.agenda .agenda-title')].map((e) => e.textContent ?? '');
    const fresh = titles.filter((t) => t.startsWith('Round ') && !(t in window.__seen!));
    if (!fresh.length) return;
    for (const t of fresh) window.__seen![t] = -1;
    requestAnimationFrame(() => {
      const at = performance.timeOrigin + performance.now();
      for (const t of fresh) window.__seen![t] = at;
    });
  };
  new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
}

const dataDir = tempDir('chamber-bench-console-');
const hub = await startProcess('electron/hub/cli.ts', ['--data', dataDir, '--port', '0', '--quiet', '--demo', '--sync', SYNC]);
const browser = await launchChromium();
const contexts: BrowserContext[] = [];
try {
  const sec = await signIn(hub.url, 'secretary');
  const meetingId = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;
  const sessions = await Promise.all(['delegate1', 'delegate2', 'delegate3'].map((l) => signIn(hub.url, l)));

  const openAs = async (session: { token: string; user: unknown }, viewport = { width: 1000, height: 700 }): Promise<BrowserContext> => {
    const ctx = await browser.newContext({ viewport, locale: 'en-US' });
    await ctx.addInitScript((s) => sessionStorage.setItem('chamber.session', s), JSON.stringify({ token: session.token, user: session.user }));
    contexts.push(ctx);
    return ctx;
  };
  const ready = async (page: Page) => {
    await page.goto(`${hub.url}/#/m/${meetingId}`);
    await page.getByRole('list', { name: 'Agenda' }).waitFor({ timeout: 180_000 });
  };

  const followerCtx = await Promise.all(sessions.map((s) => openAs(s)));
  const followers: Page[] = [];
  for (let i = 0; i < FOLLOWERS; i++) {
    const page = await followerCtx[i % followerCtx.length]!.newPage();
    await page.addInitScript(watchAgenda);
    followers.push(page);
  }
  // A few at a time: fifty cold React boots at once would only measure the start-up storm.
  for (let i = 0; i < followers.length; i += 10) await Promise.all(followers.slice(i, i + 10).map(ready));

  const secPage = await (await openAs(sec, { width: 1280, height: 900 })).newPage();
  await ready(secPage);
  await secPage.evaluate(() => {
    window.__saveAt = [];
    document.addEventListener('click', (e) => {
      if ((e.target as Element).closest('button[type="submit"]')?.textContent === 'Save') window.__saveAt!.push(performance.timeOrigin + performance.now());
    }, { capture: true });
  });
  const target = secPage.getByRole('list', { name: 'Items to edit' }).getByRole('listitem').first();

  const perFollower: number[] = [];
  const perRound: number[] = [];
  // Round 0 is a warm-up, not counted: the first change after boot pays one-off costs in every
  // page (code paths not yet compiled, first style recalc of the list) that no later change does.
  for (let r = 0; r <= ROUNDS; r++) {
    const title = `Round ${r}`;
    await target.getByRole('button', { name: 'Edit' }).click();
    await secPage.getByLabel('Title', { exact: true }).fill(title);
    await secPage.getByRole('button', { name: 'Save', exact: true }).click();
    const savedAt = await secPage.evaluate(() => window.__saveAt!.at(-1)!);
    // Read the followers' timestamps once the change has had time to land: polling 50 pages while
    // they are still applying it would steal the very CPU being measured.
    await new Promise((res) => setTimeout(res, 1500));
    const seen: number[] = [];
    for (const f of followers) {
      const at = await f.waitForFunction((t) => (window.__seen?.[t] ?? -1) > 0 ? window.__seen![t] : null, title, { timeout: 30_000, polling: 20 });
      seen.push((await at.jsonValue()) as number);
    }
    const lat = seen.map((s) => s - savedAt);
    if (r === 0) continue;
    if (process.env.CONSOLE_BENCH_VERBOSE) console.log(`round ${r}: ${lat.map((x) => x.toFixed(0)).join(' ')}`);
    perFollower.push(...lat);
    perRound.push(Math.max(...lat));
    // Let the room settle so rounds do not overlap.
    await new Promise((res) => setTimeout(res, 150));
  }

  console.log(`\n${FOLLOWERS} followers × ${ROUNDS} saves (one agenda item renamed per save), hub --sync ${SYNC}, Chromium ${browser.version()}`);
  console.log('| measure | p50 | p99 | max | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| Save → painted on one follower's screen (${perFollower.length} samples) | ${ms(pct(perFollower, 50))} | ${ms(pct(perFollower, 99))} | ${ms(Math.max(...perFollower))} | p99 < 100 ms |`);
  console.log(`| Save → painted on all ${FOLLOWERS} screens (per save) | ${ms(pct(perRound, 50))} | ${ms(pct(perRound, 99))} | ${ms(Math.max(...perRound))} | |`);
  console.log(pct(perFollower, 99) < 100 ? '\nconsole bench: goal met' : '\nconsole bench: goal missed');
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  await browser.close();
  await hub.stop();
}
process.exit(0);
