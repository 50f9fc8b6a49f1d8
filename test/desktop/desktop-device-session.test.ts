// The desktop app stays signed in on its device (issue 16) through the harness, against a real
// hub: the app protocol's forwarder keeps the device session's secret in the main process (the
// shell's secrets file, encrypted by the OS's secret storage) and never hands it to the page. A
// window closed and opened again, even after the embedded agent restarted, is signed in without
// the form; signing out ends it, and a new window shows the form.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from '../../electron/shell/app-protocol.ts';
import { DEVICE_SESSION_SECRET } from '../../electron/shell/device-jar.ts';
import { SecretBox } from '../../electron/shell/secrets.ts';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations } from '../e2e/axe.ts';
import { api, signIn } from '../helpers/processes.ts';
import { signInDesktop, useDesktopRoom } from './steps.ts';
import type { Desktop } from './harness.ts';

const STAY = 'Stay signed in on this device';

/** What the shell keeps of the device session (null: nothing). */
const heldSecret = (d: Desktop) => new SecretBox(path.join(d.userData, 'secrets.json'), d.safeStorage).get(DEVICE_SESSION_SECRET);

/** The window closed and a new one opened on the app, as the shell opens it. */
async function reopenWindow(d: Desktop): Promise<Page> {
  for (const p of d.context.pages()) await p.close();
  const page = await d.context.newPage();
  await page.goto(d.protocol.toHarnessUrl(APP_ENTRY_URL));
  return page;
}

async function settled(page: Page): Promise<'form' | 'meetings'> {
  const list = page.getByRole('heading', { name: 'Your meetings' });
  await page.getByRole('button', { name: 'Sign in' }).or(list).first().waitFor();
  return (await list.isVisible()) ? 'meetings' : 'form';
}

describe('desktop app: staying signed in on the device', () => {
  const room = useDesktopRoom();

  it('keeps the secret in the shell, resumes in a new window (also after the agent restarts), and ends at sign-out', async () => {
    const d = await room.desktop({ name: 'Tablet S' });
    expect(await settled(d.page)).toBe('form');
    expect(await d.page.getByRole('checkbox', { name: STAY }).isChecked()).toBe(true);
    expect(describeViolations(await axeViolations(d.page))).toBe('');
    await signInDesktop(d.page, 'delegate1');

    // The shell holds it, encrypted at rest; the page's cookie jar has nothing of it.
    const secret = heldSecret(d);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.readFileSync(path.join(d.userData, 'secrets.json'), 'utf8')).not.toContain(secret!);
    expect(await d.context.cookies()).toEqual([]);

    const second = await reopenWindow(d);
    expect(await settled(second)).toBe('meetings');
    expect(await second.getByLabel('Login').count()).toBe(0);
    expect(await d.context.cookies()).toEqual([]);
    expect(describeViolations(await axeViolations(second))).toBe('');

    // The agent stops and starts again (as when the app is quit and opened again): still signed in.
    await d.shell.runtime.stop();
    await d.shell.runtime.start();
    const third = await reopenWindow(d);
    expect(await settled(third)).toBe('meetings');

    await third.getByRole('button', { name: 'Sign out' }).click();
    await third.getByRole('button', { name: 'Sign in' }).waitFor();
    await expect.poll(() => heldSecret(d)).toBeNull();
    const fourth = await reopenWindow(d);
    expect(await settled(fourth)).toBe('form');
    // Each new window was signed in through the forwarder, by the secret only the shell held.
    expect(d.protocol.requests.some((r) => r.url === 'chamber://app/api/session/resume' && r.status === 200)).toBe(true);
  });

  it('a wipe order from the hub ends it: the window returns to sign-in and a new one does not resume', async () => {
    const d = await room.desktop({ name: 'Tablet W' });
    await signInDesktop(d.page, 'delegate2');
    expect(heldSecret(d)).not.toBeNull();
    const secretary = await signIn(room.hub.url, 'secretary');
    const delegate = await signIn(room.hub.url, 'delegate2');
    const order = await api(room.hub.url, secretary.token, '/api/devices/wipe', {
      method: 'POST', body: JSON.stringify({ meetingId: room.meetingId, userId: delegate.user.id }),
    });
    expect(order.status).toBe(201);
    await d.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => heldSecret(d), { timeout: 10_000 }).toBeNull();
    const again = await reopenWindow(d);
    expect(await settled(again)).toBe('form');
  });
});
