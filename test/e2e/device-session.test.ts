// Staying signed in on a device (issue 16, "What to build" 6), in Chromium against a real agent
// and hub: sign in through the agent's page with `Stay signed in on this device`, close every page
// of the browser context (sessionStorage goes with them), open a new page: signed in, no form.
// Sign out: a new page shows the form. Unticked, closing the page signs out as before. Served by a
// hub, the form does not offer it. The cookie is HttpOnly and SameSite=Strict: the page's scripts
// never see the secret, and the page holds only the agent's local token, never the hub's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDemoMeeting, shot, startAgentRoom, stopAgentRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { api, type RunningProcess } from '../helpers/processes.ts';

const STAY = 'Stay signed in on this device';

describe('a tablet stays signed in through its agent', () => {
  let hub: RunningProcess;
  let agent: RunningProcess;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    ({ hub, agent, browser } = await startAgentRoom('delegate1'));
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await stopAgentRoom({ hub, agent, browser });
  });

  const newContext = async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-US' });
    contexts.push(ctx);
    return ctx;
  };
  /** Every page of the context closed, then a new one opened on `url`: what closing the window and coming back does. */
  const reopen = async (ctx: BrowserContext, url: string): Promise<Page> => {
    for (const p of ctx.pages()) await p.close();
    const page = await ctx.newPage();
    await page.goto(`${url}/`);
    return page;
  };
  /** The sign-in form or the meeting list, whichever the page settles on. */
  const settled = async (page: Page): Promise<'form' | 'meetings'> => {
    const form = page.getByRole('button', { name: 'Sign in' });
    const list = page.getByRole('heading', { name: 'Your meetings' });
    await form.or(list).first().waitFor();
    return (await list.isVisible()) ? 'meetings' : 'form';
  };
  const signInWithForm = async (page: Page, stay: boolean) => {
    await page.getByLabel('Login').fill('delegate1');
    await page.getByLabel('Password').fill('demo');
    const box = page.getByRole('checkbox', { name: STAY });
    if (stay) await box.check();
    else await box.uncheck();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your meetings' }).waitFor();
  };
  const deviceCookies = async (ctx: BrowserContext) => (await ctx.cookies()).filter((c) => c.name === 'chamber_device');

  it('signs in once, survives closing every page, and ends at sign-out', async () => {
    const ctx = await newContext();
    const first = await reopen(ctx, agent.url);
    expect(await settled(first)).toBe('form');
    // Offered on the agent's page, ticked by default, a 44 px target with its words.
    const box = first.getByRole('checkbox', { name: STAY });
    expect(await box.isChecked()).toBe(true);
    const row = await first.locator('label.signin-stay').boundingBox();
    expect(row!.height).toBeGreaterThanOrEqual(44);
    expect(describeViolations(await axeViolations(first))).toBe('');
    await shot(first, 'device-session-sign-in');
    await signInWithForm(first, true);

    const [cookie] = await deviceCookies(ctx);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 11 * 3600);
    expect(await first.evaluate(() => document.cookie)).not.toContain('chamber_device');

    // Closed and opened again: signed in without the form, with a new local token.
    const firstToken = await first.evaluate(() => sessionStorage.getItem('chamber.session'));
    const second = await reopen(ctx, agent.url);
    expect(await settled(second)).toBe('meetings');
    expect(await second.getByLabel('Login').count()).toBe(0);
    const stored = JSON.parse((await second.evaluate(() => sessionStorage.getItem('chamber.session')))!) as { token: string };
    expect(stored.token).not.toBe(JSON.parse(firstToken!).token);
    // The token the page holds is the agent's own: the hub has never issued it.
    expect((await api(agent.url, stored.token, '/api/session')).status).toBe(200);
    expect((await api(hub.url, stored.token, '/api/meetings')).status).toBe(401);
    expect(await second.evaluate(() => document.cookie)).not.toContain('chamber_device');
    await openDemoMeeting(second);
    expect(describeViolations(await axeViolations(second))).toBe('');

    // Sign out: the cookie goes, and a new page shows the form.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await second.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await deviceCookies(ctx)).toEqual([]);
    const third = await reopen(ctx, agent.url);
    expect(await settled(third)).toBe('form');
    expect(await third.getByRole('checkbox', { name: STAY }).isChecked()).toBe(true);
  });

  it('unticked, closing the page signs out as before', async () => {
    const ctx = await newContext();
    const page = await reopen(ctx, agent.url);
    expect(await settled(page)).toBe('form');
    await signInWithForm(page, false);
    expect(await deviceCookies(ctx)).toEqual([]);
    // A reload keeps the tab's session; closing the page does not.
    await page.reload();
    expect(await settled(page)).toBe('meetings');
    const again = await reopen(ctx, agent.url);
    expect(await settled(again)).toBe('form');
  });

  it('is not offered by a hub serving the page itself', async () => {
    const ctx = await newContext();
    const page = await reopen(ctx, hub.url);
    expect(await settled(page)).toBe('form');
    expect(await page.getByRole('checkbox', { name: STAY }).count()).toBe(0);
    expect(describeViolations(await axeViolations(page))).toBe('');
    await page.getByLabel('Login').fill('delegate1');
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your meetings' }).waitFor();
    expect(await deviceCookies(ctx)).toEqual([]);
    const again = await reopen(ctx, hub.url);
    expect(await settled(again)).toBe('form');
  });
});
