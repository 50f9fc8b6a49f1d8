// Papers staged before release (issue 16, "uploads go live at once under their file names"), in
// Chromium against a real hub: the secretary uploads through the console and the paper waits
// under "Waiting for release", where a delegate's screen (another browser context) does not show
// it; the secretary names it, places it on an agenda item and releases it, and the delegate's
// open page shows it on that item without a reload. A wrong upload is discarded after the shared
// confirmation. Each paper lists its versions. axe-core finds nothing serious on either screen.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { openDemoMeeting, shot, signInUi, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { confirm, consoleTab } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';

const ITEM = 'Ngân sách 2027 / Budget 2027';
const expectNoAxe = async (page: Page) => expect(describeViolations(await axeViolations(page))).toBe('');

async function onePagePdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([420, 300]).drawText(text, { x: 40, y: 150, size: 22, font });
  return Buffer.from(await doc.save());
}

describe('secretary: papers staged before release', () => {
  const room = useDemoRoom({ viewport: { width: 1920, height: 1080 } });

  it('an upload waits unseen by delegates until the secretary names, places and releases it', async () => {
    const sec = await room.meetingAs('secretary');
    const del = await room.meetingAs('delegate1');
    await consoleTab(sec, 'Papers');

    await sec.getByLabel('Upload papers').setInputFiles({ name: 'scan_0042.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Budget annex') });
    await sec.getByText('scan_0042.pdf uploaded: 1 page.').waitFor({ timeout: 15_000 });
    const waiting = sec.getByRole('region', { name: 'Waiting for release' });
    const row = waiting.getByRole('listitem').filter({ hasText: 'scan_0042.pdf' });
    await row.waitFor();
    expect(await row.getByLabel('Paper name').inputValue()).toBe('scan_0042');
    // Not a paper of the meeting yet: neither in the secretary's own reading list nor the delegate's.
    expect(await sec.getByRole('link', { name: 'scan_0042', exact: true }).count()).toBe(0);
    expect(await del.getByRole('link', { name: 'scan_0042', exact: true }).count()).toBe(0);
    // The hub agrees, for the delegate's own session: not listed.
    const hubAsDelegate = (await signIn(room.hub.url, 'delegate1')).token;
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, hubAsDelegate, '/api/meetings')).body[0]!.id;
    const listed = async () => (await api<Array<{ title: string }>>(room.hub.url, hubAsDelegate, `/api/meetings/${meetingId}/papers`)).body.map((p) => p.title);
    expect(await listed()).not.toContain('scan_0042');
    await expectNoAxe(sec);
    await shot(sec, 'secretary-staged-paper');

    // Named, placed on an item, released.
    await row.getByLabel('Paper name').fill('Budget annex 2027');
    await row.getByLabel('Place on agenda item').selectOption({ label: ITEM });
    await row.getByRole('button', { name: 'Release', exact: true }).click();
    await expect.poll(() => waiting.getByRole('listitem').count(), { timeout: 10_000 }).toBe(0);
    await waiting.getByText('Nothing is waiting for release.').waitFor();

    // The delegate's open page shows it under that item, without a reload, and opens it.
    const group = del.locator('.paper-group').filter({ has: del.getByRole('heading', { name: ITEM }) });
    await expect.poll(() => group.getByRole('link', { name: 'Budget annex 2027', exact: true }).count(), { timeout: 10_000 }).toBe(1);
    expect(await listed()).toContain('Budget annex 2027');
    await expectNoAxe(del);
    await shot(del, 'delegate-after-release');

    // A new version waits too: the delegate keeps version 1 until it is released.
    const card = group.getByRole('listitem').filter({ has: del.getByRole('link', { name: 'Budget annex 2027', exact: true }) });
    expect(await card.textContent()).toContain('version 1');
    await sec.getByLabel('Replace Budget annex 2027 with a new version').setInputFiles({ name: 'annex-v2.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Budget annex, revised') });
    const version = waiting.getByRole('listitem').filter({ hasText: 'New version of Budget annex 2027' });
    await version.waitFor({ timeout: 15_000 });
    expect(await version.getByLabel('Place on agenda item').count()).toBe(0);
    expect(await card.textContent()).toContain('version 1');
    await version.getByRole('button', { name: 'Release', exact: true }).click();
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('version 2');

    // The released paper lists its versions in the console, newest first.
    const released = sec.locator('.ce-paper').filter({ hasText: 'Budget annex 2027' });
    await released.getByText('Versions (2)').click();
    const versions = released.getByRole('list', { name: 'Versions of Budget annex 2027' }).getByRole('listitem');
    await expect.poll(() => versions.allTextContents()).toEqual([expect.stringMatching(/^Version 2 · annex-v2\.pdf · 1 page · /), expect.stringMatching(/^Version 1 · scan_0042\.pdf · 1 page · /)]);
    await expectNoAxe(sec);
  });

  it('on an upright touch tablet every control of a waiting paper takes a finger (44 px)', async () => {
    const sec = await room.newPage({ viewport: { width: 800, height: 1280 }, hasTouch: true });
    await signInUi(sec, room.hub.url, 'secretary');
    await openDemoMeeting(sec);
    await consoleTab(sec, 'Papers');
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'portrait.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Portrait') });
    const row = sec.getByRole('region', { name: 'Waiting for release' }).getByRole('listitem').filter({ hasText: 'portrait.pdf' });
    await row.waitFor({ timeout: 15_000 });
    await row.getByRole('radio', { name: /Only these participants/ }).check();
    const controls = [
      row.getByLabel('Paper name'), row.getByLabel('Place on agenda item'),
      row.locator('label.check').first(), row.locator('label.check').last(),
      row.getByRole('button', { name: 'Release', exact: true }), row.getByRole('button', { name: 'Discard', exact: true }),
    ];
    for (const c of controls) {
      const b = (await c.boundingBox())!;
      expect(b.height, await c.evaluate((e) => e.outerHTML.slice(0, 80))).toBeGreaterThanOrEqual(44);
      expect(b.x + b.width).toBeLessThanOrEqual(800);
    }
    await expectNoAxe(sec);
    await shot(sec, 'secretary-staged-portrait');
  });

  it('a wrong upload is discarded after a confirmation and never reaches the room', async () => {
    const sec = await room.meetingAs('secretary');
    const del = await room.meetingAs('delegate2');
    await consoleTab(sec, 'Papers');
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'wrong file.pdf', mimeType: 'application/pdf', buffer: await onePagePdf('Not for the room') });
    const waiting = sec.getByRole('region', { name: 'Waiting for release' });
    const row = waiting.getByRole('listitem').filter({ hasText: 'wrong file.pdf' });
    await row.waitFor({ timeout: 15_000 });

    // Cancel keeps it; the destructive button, named for the action, discards it.
    await row.getByRole('button', { name: 'Discard', exact: true }).click();
    const dialog = sec.getByRole('alertdialog', { name: 'Discard this paper?' });
    await dialog.waitFor();
    await expectNoAxe(sec);
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await row.count()).toBe(1);
    await row.getByRole('button', { name: 'Discard', exact: true }).click();
    await confirm(sec, 'Discard paper');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    expect(await del.getByRole('link', { name: 'wrong file', exact: true }).count()).toBe(0);
    const token = (await signIn(room.hub.url, 'secretary')).token;
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, token, '/api/meetings')).body[0]!.id;
    expect((await api<Array<{ title: string }>>(room.hub.url, token, `/api/meetings/${meetingId}/staged-papers`)).body.map((p) => p.title)).not.toContain('wrong file');
  });
});
