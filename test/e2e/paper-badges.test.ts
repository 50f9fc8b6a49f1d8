// The paper cards' "New" and "Updated" badges (issue 16), in a real Chromium against a real hub:
// a paper this delegate never opened on this device is New; once opened, nothing; replaced while
// they read another paper, Updated, live; opened again, nothing, and so after a reload too.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { openPaper, shot, useDemoRoom } from './browser.ts';
import { api, signIn } from '../helpers/processes.ts';

async function pdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([420, 300]).drawText(text, { x: 40, y: 150, size: 22, font });
  return Buffer.from(await doc.save());
}

const badgeOf = async (page: Page, title: string): Promise<string> => {
  const card = page.locator('.paper-card', { has: page.getByRole('link', { name: title, exact: true }) });
  const badge = card.locator('.paper-badge');
  return (await badge.count()) ? (await badge.textContent()) ?? '' : '';
};

describe('paper badges', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });

  it('marks a paper New until opened here, and Updated when a new version comes while reading another', async () => {
    const sec = (await signIn(room.hub.url, 'secretary')).token;
    const meetingId = (await api<Array<{ id: string; title: string }>>(room.hub.url, sec, '/api/meetings')).body.find((m) => /Council meeting/.test(m.title))!.id;
    const upload = async (query: string, text: string) => {
      const r = await api<{ id: string; version: number }>(room.hub.url, sec, `/api/meetings/${meetingId}/documents?${query}`, {
        method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await pdf(text)),
      });
      expect(r.status).toBe(201);
      return r.body;
    };
    const v1 = await upload('title=Staff%20plan', 'Staff plan, first draft');

    const del = await room.meetingAs('delegate1');
    await expect.poll(() => badgeOf(del, 'Staff plan'), { timeout: 10_000 }).toBe('New');
    expect(await badgeOf(del, 'Quarterly Report Q3')).toBe('New');

    await openPaper(del, 'Staff plan');
    await expect.poll(() => badgeOf(del, 'Staff plan')).toBe('');
    await openPaper(del, 'Quarterly Report Q3');
    expect(await badgeOf(del, 'Staff plan')).toBe('');

    // Replaced while the delegate reads another paper: the card says so without a reload.
    expect((await upload(`replace=${v1.id}`, 'Staff plan, second draft')).version).toBe(2);
    await expect.poll(() => badgeOf(del, 'Staff plan'), { timeout: 15_000 }).toBe('Updated');
    await shot(del, 'paper-badge-updated');

    await openPaper(del, 'Staff plan');
    await expect.poll(() => badgeOf(del, 'Staff plan')).toBe('');
    // Kept on this device: a reload shows the same, and Quarterly Report Q3 stays read.
    await del.reload();
    await del.getByRole('link', { name: 'Staff plan', exact: true }).waitFor();
    expect(await badgeOf(del, 'Staff plan')).toBe('');
    expect(await badgeOf(del, 'Quarterly Report Q3')).toBe('');
    expect(await badgeOf(del, 'Tờ trình ngân sách năm 2027')).toBe('New');
  });
});
