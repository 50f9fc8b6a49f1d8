// Rough edges of issue 16 a first meeting hits, in a real Chromium against a real hub: the note
// editor on screen at the page's right margin in both tablet orientations; a restricted paper
// staying on its agenda item for its readers; meeting status followed live; errors in the
// reader's language, from the hub's codes.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { consoleTab } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';

const STRATEGY = 'Digital Strategy 2027–2030';

describe('tablet rough edges', () => {
  const room = useDemoRoom();

  // Portrait: mid-height, where only the right edge is in the way; landscape: the bottom-right corner.
  for (const [login, viewport, low] of [['delegate1', { width: 800, height: 1280 }, false], ['delegate2', { width: 1280, height: 800 }, true]] as const) {
    it(`keeps the note editor wholly on screen at the right margin (${viewport.width}×${viewport.height})`, async () => {
      const page: Page = await room.newPage({ viewport });
      await signInUi(page, room.hub.url, login);
      await openDemoMeeting(page);
      await openPaper(page, STRATEGY);
      await page.getByRole('button', { name: 'Note', exact: true }).click();
      const sheet = (await page.locator('.page[data-page-number="1"]').boundingBox())!;
      // The right margin of the page as it shows on screen, where margin notes go.
      const visibleRight = Math.min(sheet.x + sheet.width, viewport.width);
      const visibleBottom = Math.min(sheet.y + sheet.height, viewport.height);
      await page.mouse.click(visibleRight - 12, low ? visibleBottom - 30 : (sheet.y + visibleBottom) / 2);
      const editor = page.getByRole('dialog', { name: 'Note' });
      await editor.waitFor();
      await editor.getByRole('textbox', { name: 'Note' }).fill('Margin question');
      const box = (await editor.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
      // Nothing covers the buttons: the element under each one's centre is the button itself.
      for (const name of ['Save note', 'Delete note']) {
        const b = (await editor.getByRole('button', { name }).boundingBox())!;
        const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x!, y!)?.textContent ?? '', [b.x + b.width / 2, b.y + b.height / 2]);
        expect(hit).toBe(name);
      }
      await shot(page, `u2-note-editor-${viewport.width}x${viewport.height}`);
      await editor.getByRole('button', { name: 'Save note' }).click({ timeout: 5000 });
      await page.getByRole('button', { name: 'Note: Margin question' }).waitFor();
      expect(await editor.count()).toBe(0);
    });
  }

  it('keeps a restricted paper on its agenda item for its reader, and puts it back for all when lifted', async () => {
    const sec = await signIn(room.hub.url, 'secretary');
    const reader = await signIn(room.hub.url, 'delegate3');
    const meetingId = (await api<Array<{ id: string; title: string }>>(room.hub.url, sec.token, '/api/meetings')).body.find((m) => /Council meeting/.test(m.title))!.id;
    const paperId = (await api<Array<{ id: string; title: string }>>(room.hub.url, sec.token, `/api/meetings/${meetingId}/papers`)).body.find((p) => p.title === STRATEGY)!.id;
    const restrict = (restrictTo: string[] | null) => api(room.hub.url, sec.token, `/api/papers/${paperId}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ restrictTo }),
    });
    // The paper's group heading in the sidebar: its agenda item's title, or "Other papers".
    const groupOf = (page: Page) => page.locator('.paper-group', { has: page.getByRole('link', { name: STRATEGY, exact: true }) }).locator('h3').textContent();

    const allowed = await room.newPage();
    await signInUi(allowed, room.hub.url, 'delegate3');
    await openDemoMeeting(allowed);
    const barred = await room.newPage();
    await signInUi(barred, room.hub.url, 'delegate2');
    await openDemoMeeting(barred);
    await expect.poll(() => groupOf(allowed)).toMatch(/Digital strategy/);

    expect((await restrict([reader.user.id])).status).toBe(200);
    await expect.poll(() => allowed.getByText('Restricted').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await groupOf(allowed)).toMatch(/Digital strategy/);
    await expect.poll(() => barred.getByRole('link', { name: STRATEGY, exact: true }).count(), { timeout: 10_000 }).toBe(0);
    await shot(allowed, 'u2-restricted-on-item');

    expect((await restrict(null)).status).toBe(200);
    await expect.poll(() => barred.getByRole('link', { name: STRATEGY, exact: true }).count(), { timeout: 10_000 }).toBe(1);
    expect(await groupOf(barred)).toMatch(/Digital strategy/);
    await expect.poll(() => allowed.getByText('Restricted').count(), { timeout: 10_000 }).toBe(0);
    expect(await groupOf(allowed)).toMatch(/Digital strategy/);
  });

  it('shows a newly published meeting on an open list, and its closing on the open meeting, without reload', async () => {
    const sec = await signIn(room.hub.url, 'secretary');
    const reader = await signIn(room.hub.url, 'delegate1');
    const call = (path: string, method: string, body: unknown) => api<{ id: string }>(room.hub.url, sec.token, path, {
      method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const page = await room.newPage();
    await signInUi(page, room.hub.url, 'delegate1');
    const made = await call('/api/meetings', 'POST', { title: 'Extraordinary session' });
    expect(made.status).toBe(201);
    const id = made.body.id;
    expect((await call(`/api/meetings/${id}/participants/${reader.user.id}`, 'PUT', { role: 'delegate' })).status).toBe(200);
    const link = page.getByRole('link', { name: 'Extraordinary session' });
    expect(await link.count()).toBe(0);

    const loads = await page.evaluate(() => performance.getEntriesByType('navigation').length + ':' + location.href);
    expect((await call(`/api/meetings/${id}`, 'PATCH', { status: 'published' })).status).toBe(200);
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('.meeting-list li', { has: link }).textContent()).toContain('Published');
    // The same page, not a reload.
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length + ':' + location.href)).toBe(loads);
    await shot(page, 'u2-published-live');

    await link.click();
    await page.getByRole('heading', { name: 'Extraordinary session' }).waitFor();
    expect(await page.getByText('This meeting is closed').count()).toBe(0);
    expect((await call(`/api/meetings/${id}`, 'PATCH', { status: 'closed' })).status).toBe(200);
    await expect.poll(() => page.getByText('This meeting is closed').count(), { timeout: 10_000 }).toBe(1);
    await shot(page, 'u2-closed-live');
    await page.getByRole('link', { name: /All meetings/ }).click();
    await expect.poll(() => page.locator('.meeting-list li', { has: page.getByRole('link', { name: 'Extraordinary session' }) }).textContent(), { timeout: 10_000 }).toContain('Closed');
  });

  it('says why a paper cannot be shown in Vietnamese, from the code, with no raw status', async () => {
    const page = await room.newPage();
    await signInUi(page, room.hub.url, 'delegate2');
    await openDemoMeeting(page);
    await page.getByLabel('Language').selectOption('vi');
    // A paper address that names no paper of this meeting (as a stale link or a restricted paper's would).
    const here = page.url();
    await page.goto(here.replace(/#\/m\/([^/?]+).*$/, '#/m/$1/p/nosuchpaper0000000000?page=1'));
    const message = page.getByText('Không thể hiển thị tài liệu.');
    await message.waitFor();
    const text = (await message.textContent()) ?? '';
    expect(text).toContain('Không tìm thấy, hoặc anh/chị không có quyền xem.');
    expect(text).not.toMatch(/\d{3}|not found/i);
    await shot(page, 'u2-error-vi');
  });

  it('shows the hub refusing an upload in Vietnamese, from its code', async () => {
    const sec = await room.meetingAs('secretary');
    await consoleTab(sec, 'Papers');
    await sec.getByLabel('Language').selectOption('vi');
    await sec.getByLabel('Tải tài liệu lên').setInputFiles({ name: 'hong.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nthis is no pdf at all') });
    const alert = sec.getByRole('alert').filter({ hasText: 'hong.pdf' });
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
    // The hub answered 422 `not_a_pdf` with an English reason; the reader sees the code's sentence.
    expect(await alert.textContent()).toBe('hong.pdf: Tệp này không phải là PDF đọc được.');
    await shot(sec, 'u2-upload-error-vi');
  });
});
