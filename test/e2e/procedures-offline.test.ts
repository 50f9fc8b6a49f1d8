// A tablet whose agent cannot reach the hub: procedure commands say plainly that they need the
// room's hub and are never queued (the hub, back, has received nothing), and a ballot's choice
// stays on the tablet as a draft — across a reload — until the delegate sends it again.
// A real hub, a real device agent (`npm run agent`) and Chromium served by the agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openDemoMeeting, SHOTS, signInUi, startAgentRoom, stopAgentRoom } from './browser.ts';
import { api, signIn, startHub, type RunningProcess } from '../helpers/processes.ts';
import { waitStatus } from '../integration/agent-helpers.ts';

interface Attendance { members: Array<{ userId: string; status: string }> }
interface Poll { voted: number; state: string }

describe('procedures: a tablet without its hub', () => {
  let hub: RunningProcess;
  let hubData: string;
  let agent: RunningProcess;
  let browser: Browser;
  beforeAll(async () => {
    ({ hub, hubData, agent, browser } = await startAgentRoom('delegate1'));
  });
  afterAll(() => stopAgentRoom({ hub, agent, browser }));

  it('says the hub is needed, queues nothing, and keeps the ballot as a draft', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1024, height: 900 }, locale: 'en-US', hasTouch: true });
    const tablet: Page = await ctx.newPage();
    await signInUi(tablet, agent.url, 'delegate1');
    await openDemoMeeting(tablet);
    const meetingId = /#\/m\/([^/?]+)/.exec(tablet.url())![1]!;
    const agentToken = (await signIn(agent.url, 'delegate1')).token;
    let chair = (await signIn(hub.url, 'chair')).token;
    const me = (await signIn(hub.url, 'delegate1')).user.id;
    const myStatus = async () => (await api<Attendance>(hub.url, chair, `/api/meetings/${meetingId}/attendance`)).body.members.find((m) => m.userId === me)?.status;
    const checkIn = tablet.getByRole('button', { name: 'Check in', exact: true });
    await checkIn.waitFor();

    const hubAway = async () => {
      await hub.stop();
      await waitStatus(agent.url, agentToken, (s) => s.hub === 'offline', 'agent sees its hub gone');
    };
    const hubBack = async () => {
      hub = await startHub(hubData, { demo: true, port: hub.port });
      await waitStatus(agent.url, agentToken, (s) => s.hub === 'online', 'agent back with its hub');
      chair = (await signIn(hub.url, 'chair')).token;
    };

    // Check-in without the hub: said plainly, and nothing reaches the hub once it is back.
    await hubAway();
    await tablet.locator('.procedures > .proc-needs-hub').waitFor({ timeout: 10_000 });
    await checkIn.click();
    await expect.poll(() => tablet.locator('.checkin [role="alert"]').textContent(), { timeout: 5000 }).toContain('This needs the room’s hub');
    await hubBack();
    expect(await myStatus()).toBe('not_checked_in');
    await checkIn.click();
    await expect.poll(myStatus, { timeout: 5000 }).toBe('present');

    // A vote opens; the delegate chooses Yes and confirms just as the hub goes away.
    const { id: pollId } = (await api<{ id: string }>(hub.url, chair, `/api/meetings/${meetingId}/polls`, {
      method: 'POST', body: JSON.stringify({ title: 'Adopt the minutes', method: 'approval', visibility: 'named' }),
    })).body;
    expect((await api(hub.url, chair, `/api/polls/${pollId}/start`, { method: 'POST' })).status).toBe(200);
    const ballot = tablet.getByRole('region', { name: 'Vote', exact: true });
    await ballot.getByRole('button', { name: 'Yes', exact: true }).click();
    await ballot.getByRole('button', { name: 'Submit vote' }).click();
    await hubAway();
    await ballot.getByRole('button', { name: 'Confirm vote' }).click();
    await expect.poll(() => ballot.getByRole('alert').textContent(), { timeout: 5000 }).toContain('This needs the room’s hub');
    expect(await ballot.getByRole('button', { name: 'Yes', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await ballot.scrollIntoViewIfNeeded();
    await tablet.screenshot({ path: `${SHOTS}/procedures-needs-hub-en.png` });

    // The tablet drops (a reload, the hub still away): the choice is still there.
    await tablet.reload();
    await expect.poll(() => ballot.getByRole('button', { name: 'Yes', exact: true }).getAttribute('aria-pressed'), { timeout: 15_000 }).toBe('true');

    // The hub is back: nothing was queued; the delegate sends the ballot again, and it counts.
    await hubBack();
    const poll = async () => (await api<Poll>(hub.url, chair, `/api/polls/${pollId}`)).body;
    expect(await poll()).toMatchObject({ state: 'started', voted: 0 });
    await ballot.getByRole('button', { name: 'Submit vote' }).click();
    await ballot.getByRole('button', { name: 'Confirm vote' }).click();
    await ballot.getByText('Your vote was counted').waitFor({ timeout: 10_000 });
    expect((await poll()).voted).toBe(1);
    await ctx.close();
  });
});
