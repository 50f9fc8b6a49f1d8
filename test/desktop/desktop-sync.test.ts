// The desktop app as a tablet runs it, through the harness (harness.ts): the shell's real
// main-process logic in this process, the window in Chromium loaded through the app protocol,
// against a real hub process. Sign-in, a paper, a stroke to the hub and to the same user's
// second tablet, the secretary's and the presenter's live changes, and the hub going away.
//
// The page has no way to sync except window.chamberShell: the harness serves no WebSocket (an
// attempt is refused and counted), so without the renderer's shell wiring (renderer/main.tsx →
// installShellSync) the agenda never arrives and these tests fail.
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/shell/csp.ts';
import { APP_ORIGIN } from '../../electron/shell/app-protocol.ts';
import { drawStroke, inkCount, inkedPixels, openDemoMeeting, openPaper } from '../e2e/browser.ts';
import { api, signIn } from '../helpers/processes.ts';
import type { Desktop } from './harness.ts';
import { connState, hubInk, shotDesktop, signInDesktop, useDesktopRoom } from './steps.ts';

const PAPER = 'Digital Strategy 2027–2030';

describe('desktop app: sync through the shell', () => {
  const room = useDesktopRoom();
  let a: Desktop;
  let b: Desktop;
  let delegateId: string;
  let paper: { id: string; sha256: string };

  it('loads from the app protocol under the shell\'s CSP, signs in to the embedded agent, and syncs over the port', async () => {
    a = await room.desktop({ name: 'Tablet A' });
    // The page runs under the policy the shell sends, with only the origin adapted.
    const index = await fetch(`${a.protocol.origin}/index.html`);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY.replaceAll(APP_ORIGIN, a.protocol.origin));
    expect(CONTENT_SECURITY_POLICY).toContain(APP_ORIGIN);
    // The preload's API, frozen, and nothing of Electron or Node in the page.
    expect(await a.page.evaluate(() => ({
      keys: Object.keys(window.chamberShell ?? {}).sort(),
      frozen: Object.isFrozen(window.chamberShell),
      node: typeof (window as unknown as { require?: unknown }).require,
    }))).toEqual({ keys: ['onSessionEnded', 'openSyncPort', 'setMeetingLive', 'version'], frozen: true, node: 'undefined' });

    await signInDesktop(a.page, 'delegate1');
    await a.page.getByRole('link', { name: /Council meeting/ }).waitFor();
    await expect.poll(() => connState(a.page), { timeout: 15_000 }).toBe('online');
    await shotDesktop(a.page, 'signed-in');
    // The sign-in went through the protocol to the agent, never to the hub.
    expect(a.protocol.requests).toContainEqual({ method: 'POST', url: `${APP_ORIGIN}/api/session`, status: 200 });

    // The agenda lives only in the meeting document: seeing it means sync works.
    await openDemoMeeting(a.page);
    await expect.poll(() => a.page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').count(), { timeout: 15_000 }).toBe(4);
    expect(a.shell.ipc.openBridges).toBeGreaterThanOrEqual(2);
    expect(a.protocol.upgrades).toEqual([]);
    expect(a.violations).toEqual([]);
    await expect.poll(() => connState(a.page), { timeout: 15_000 }).toBe('online');

    // The policy is enforced: the page cannot reach the hub or open a socket of its own.
    const probe = await a.page.evaluate(async (hubUrl) => {
      const fetched = await fetch(`${hubUrl}/health`).then(() => 'reached', () => 'blocked');
      const socket = await new Promise<string>((resolve) => {
        try {
          const ws = new WebSocket(`${hubUrl.replace('http', 'ws')}/sync/x`);
          ws.onopen = () => resolve('opened');
          ws.onerror = () => resolve('blocked');
        } catch {
          resolve('blocked');
        }
      });
      return { fetched, socket };
    }, room.hub.url);
    expect(probe).toEqual({ fetched: 'blocked', socket: 'blocked' });
    await expect.poll(() => a.violations.filter((v) => v.startsWith('csp connect-src')).length).toBe(2);
  });

  it('opens a paper served through the protocol; a stroke reaches the hub and the same user\'s second desktop', async () => {
    const me = await signIn(room.hub.url, 'delegate1');
    delegateId = me.user.id;
    const papers = await api<Array<{ id: string; title: string; versions: Array<{ sha256: string }> }>>(room.hub.url, me.token, `/api/meetings/${room.meetingId}/papers`);
    const p = papers.body.find((x) => x.title === PAPER)!;
    paper = { id: p.id, sha256: p.versions.at(-1)!.sha256 };

    await openPaper(a.page, PAPER);
    expect(await inkedPixels(a.page, 1)).toBeGreaterThan(100);
    expect(a.protocol.requests.some((r) => r.url.startsWith(`${APP_ORIGIN}/api/blobs/${paper.sha256}`) && (r.status === 200 || r.status === 206))).toBe(true);

    await a.page.getByRole('button', { name: 'Pen' }).click();
    await drawStroke(a.page, 1);
    expect(await inkCount(a.page, 1)).toBe(1);
    await expect.poll(() => hubInk(room.hubData, room.meetingId, delegateId, paper.id), { timeout: 15_000 }).toBe(1);
    await shotDesktop(a.page, 'paper-with-stroke');

    b = await room.desktop({ name: 'Tablet B' });
    await signInDesktop(b.page, 'delegate1');
    await openDemoMeeting(b.page);
    await openPaper(b.page, PAPER);
    await expect.poll(() => inkCount(b.page, 1), { timeout: 15_000 }).toBe(1);
    expect(b.protocol.upgrades).toEqual([]);
  });

  it('shows a secretary\'s agenda change, made in the console of her own desktop, and the presenter\'s page as they happen', async () => {
    const sec = await room.desktop({ name: 'Secretary tablet' });
    await signInDesktop(sec.page, 'secretary');
    await openDemoMeeting(sec.page);
    await sec.page.getByRole('button', { name: 'Add item' }).click();
    await sec.page.getByLabel('Title', { exact: true }).fill('Bế mạc / Closing');
    await sec.page.getByRole('button', { name: 'Save', exact: true }).click();
    for (const d of [a, b]) {
      await expect.poll(() => d.page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').last().innerText(), { timeout: 10_000 }).toContain('Bế mạc / Closing');
    }
    expect(sec.protocol.upgrades).toEqual([]);

    // She presents from her desktop (through the protocol and her agent to the hub); A follows.
    await a.page.getByRole('button', { name: 'Follow' }).click();
    await openPaper(sec.page, PAPER);
    await sec.page.getByLabel('Page', { exact: true }).fill('3');
    await sec.page.getByLabel('Page', { exact: true }).press('Enter');
    await sec.page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => sec.page.getByRole('button', { name: 'Present' }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => a.page.getByLabel('Page', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('3');
    await sec.page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => a.page.getByLabel('Page', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('4');
    // B does not follow: it is told, and stays where it was.
    await expect.poll(() => b.page.getByRole('status').filter({ hasText: 'page 4' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await b.page.getByLabel('Page', { exact: true }).inputValue()).toBe('1');

    await a.page.getByRole('button', { name: 'Follow' }).click();
    await sec.page.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => a.page.getByRole('status').filter({ hasText: 'Nobody is presenting' }).count(), { timeout: 10_000 }).toBe(1);
    await sec.close();
  });

  it('keeps reading and annotating with the hub killed, and converges once it returns', async () => {
    // Everything is in the agent's cache before the hub goes.
    await a.page.locator('.downloads[data-complete="true"]').waitFor({ timeout: 30_000 });
    await a.page.getByLabel('Page', { exact: true }).fill('1');
    await a.page.getByLabel('Page', { exact: true }).press('Enter');

    await room.hub.kill9();
    await expect.poll(() => connState(a.page), { timeout: 20_000 }).toBe('offline');
    await expect.poll(() => connState(b.page), { timeout: 20_000 }).toBe('offline');

    // Reading: another page paints, from the encrypted cache through the protocol.
    await a.page.getByRole('button', { name: 'Next page' }).click();
    await a.page.locator('.page[data-page-number="2"][data-painted="true"]').waitFor({ timeout: 15_000 });
    expect(await inkedPixels(a.page, 2)).toBeGreaterThan(100);
    // Annotating, on both tablets.
    await a.page.getByLabel('Page', { exact: true }).fill('1');
    await a.page.getByLabel('Page', { exact: true }).press('Enter');
    await drawStroke(a.page, 1, 140);
    expect(await inkCount(a.page, 1)).toBe(2);
    await b.page.getByRole('button', { name: 'Pen' }).click();
    await drawStroke(b.page, 1, 280);
    expect(await inkCount(b.page, 1)).toBe(2);
    await shotDesktop(a.page, 'offline');
    // A reload is a new document with new ports; the session and the strokes come back from the cache.
    await a.page.reload();
    await a.page.locator('.page[data-page-number="1"][data-painted="true"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => inkCount(a.page, 1), { timeout: 10_000 }).toBe(2);

    await room.restartHub();
    await expect.poll(() => connState(a.page), { timeout: 30_000 }).toBe('online');
    await expect.poll(() => hubInk(room.hubData, room.meetingId, delegateId, paper.id), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => inkCount(a.page, 1), { timeout: 20_000 }).toBe(3);
    await expect.poll(() => inkCount(b.page, 1), { timeout: 20_000 }).toBe(3);
    await shotDesktop(a.page, 'converged');
    expect(a.protocol.upgrades).toEqual([]);
    expect(b.protocol.upgrades).toEqual([]);
  });
});
