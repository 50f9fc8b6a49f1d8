// Every main screen checked with axe-core (issue 16, "Accessibility"): sign-in, the meetings,
// a meeting, a paper open in the viewer, the search results, my action items, an open vote, each
// section of the secretary's console and the room screen — in English and Vietnamese, at a tablet's
// size and in portrait. No serious or critical violation may remain (test/e2e/axe.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { haveBuild, haveChromium, openDemoMeeting, openPaper, signInUi, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { api, signIn } from '../helpers/processes.ts';

const PAPER = 'Digital Strategy 2027–2030';
const LANDSCAPE = { width: 1280, height: 800 };
const PORTRAIT = { width: 800, height: 1280 };

describe.runIf(haveChromium && haveBuild)('accessibility: every screen passes axe-core', () => {
  const room = useDemoRoom();
  let meetingId = '';

  beforeAll(async () => {
    const chair = await signIn(room.hub.url, 'chair');
    meetingId = (await api<Array<{ id: string }>>(room.hub.url, chair.token, '/api/meetings')).body[0]!.id;
    // An open vote, and delegate1 present to take part in it.
    const d1 = await signIn(room.hub.url, 'delegate1');
    const mark = await api(room.hub.url, chair.token, `/api/meetings/${meetingId}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'present', userId: d1.user.id }) });
    expect(mark.status).toBeLessThan(300);
    const poll = await api<{ id: string }>(room.hub.url, chair.token, `/api/meetings/${meetingId}/polls`, { method: 'POST', body: JSON.stringify({ title: 'Approve the budget', method: 'approval', visibility: 'named' }) });
    expect(poll.status).toBe(201);
    expect((await api(room.hub.url, chair.token, `/api/polls/${poll.body.id}/start`, { method: 'POST', body: '{}' })).status).toBeLessThan(300);
  });

  /** A page signed in as `login` through the form, then switched to `locale` (kept on reload). */
  const pageAs = async (login: string, locale: 'en' | 'vi', viewport = LANDSCAPE): Promise<Page> => {
    const page = await room.newPage({ viewport, hasTouch: viewport === PORTRAIT });
    await signInUi(page, room.hub.url, login);
    if (locale === 'vi') {
      await page.evaluate(() => localStorage.setItem('chamber.locale', 'vi'));
      await page.reload();
      await page.locator('html[lang="vi"]').waitFor();
    }
    return page;
  };

  const found: string[] = [];
  const check = async (page: Page, screen: string) => {
    // Transitions and late paints settle before the check.
    await page.waitForTimeout(200);
    const v = await axeViolations(page);
    if (v.length) found.push(`${screen}:\n${describeViolations(v)}`);
  };

  for (const locale of ['en', 'vi'] as const) {
    it(`a delegate's screens (${locale})`, async () => {
      found.length = 0;
      const page = await room.newPage({ viewport: LANDSCAPE });
      await page.goto(room.hub.url + '/');
      if (locale === 'vi') {
        await page.evaluate(() => localStorage.setItem('chamber.locale', 'vi'));
        await page.reload();
      }
      await page.locator('form input').first().waitFor();
      await check(page, 'sign-in');

      const d = await pageAs('delegate1', locale);
      await check(d, 'meetings');
      await d.goto(`${room.hub.url}/#/m/${meetingId}`);
      await d.getByRole('list').first().waitFor();
      await d.locator('.procedures').first().waitFor();
      await check(d, 'meeting with an open vote');
      await d.goto(`${room.hub.url}/#/search?q=${encodeURIComponent('ngan sach')}`);
      await d.locator('main').getByRole('link').first().waitFor({ timeout: 30_000 });
      await check(d, 'search results');
      await d.goto(`${room.hub.url}/#/actions`);
      await d.locator('main h1').first().waitFor();
      await check(d, 'my action items');

      const portrait = await pageAs('delegate2', locale, PORTRAIT);
      await portrait.goto(`${room.hub.url}/#/m/${meetingId}`);
      await portrait.locator('.procedures').first().waitFor();
      await check(portrait, 'meeting, portrait');
      expect(found.join('\n\n')).toBe('');
    }, 180_000);

    it(`the viewer (${locale})`, async () => {
      found.length = 0;
      const en = await room.newPage({ viewport: LANDSCAPE });
      await signInUi(en, room.hub.url, 'delegate3');
      await openDemoMeeting(en);
      await openPaper(en, PAPER);
      if (locale === 'vi') {
        await en.evaluate(() => localStorage.setItem('chamber.locale', 'vi'));
        await en.reload();
        await en.locator('.page[data-page-number="1"][data-painted="true"]').waitFor({ timeout: 30_000 });
      }
      await check(en, 'paper');
      expect(found.join('\n\n')).toBe('');
    }, 120_000);

    it(`the secretary's console, section by section, and the room screen (${locale})`, async () => {
      found.length = 0;
      const s = await pageAs('secretary', locale, { width: 1920, height: 1080 });
      await s.goto(`${room.hub.url}/#/m/${meetingId}`);
      await s.getByRole('tablist').first().waitFor();
      await check(s, 'console');
      const tabs = s.getByRole('tablist').last().getByRole('tab');
      const n = await tabs.count();
      expect(n).toBeGreaterThan(2);
      for (let i = 0; i < n; i++) {
        const tab = tabs.nth(i);
        const name = (await tab.textContent()) ?? String(i);
        await tab.click();
        await s.getByRole('tabpanel').last().waitFor();
        await check(s, `console: ${name}`);
      }
      const screen = await pageAs('admin', locale, { width: 1600, height: 900 });
      await screen.goto(`${room.hub.url}/#/room/${meetingId}`);
      await screen.locator('main, [role="main"], body > div').first().waitFor();
      await screen.waitForTimeout(500);
      await check(screen, 'room screen');
      expect(found.join('\n\n')).toBe('');
    }, 180_000);
  }
});
