// Issue 16, problem 4: replacing a paper a delegate annotated used to hide their notes on the
// changed pages without a word. Now the delegate is told which pages' notes came along and which
// stayed on the previous version, and can open that version with its notes — over the open paper
// and, with no paper open, in the meeting view. A real hub, the secretary replacing through the
// API, the delegate's real browser.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawStroke, inkCount, openPaper, shot, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { api, signIn } from '../helpers/processes.ts';
import type { PaperInfo } from '../../shared/api.ts';

async function pdfWithPages(texts: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const t of texts) doc.addPage([420, 300]).drawText(t, { x: 40, y: 150, size: 22, font });
  return Buffer.from(await doc.save());
}

const notice = (page: Page) => page.getByRole('status', { name: 'Replaced paper' });
const expectNoAxe = async (page: Page) => expect(describeViolations(await axeViolations(page))).toBe('');

describe('a replaced paper tells the delegate where their notes are', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });

  it('lists carried and stayed pages and opens the previous version with its notes', async () => {
    const del = await room.meetingAs('delegate1');
    const sec = (await signIn(room.hub.url, 'secretary')).token;
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, sec, '/api/meetings')).body[0]!.id;
    const upload = async (pdf: Buffer, query: string) => {
      const r = await api<{ id: string; version: number }>(room.hub.url, sec, `/api/meetings/${meetingId}/documents?${query}`, {
        method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(pdf),
      });
      expect(r.status).toBe(201);
      return r.body;
    };
    const v1 = await upload(await pdfWithPages(['Unchanged first page', 'Original second page', 'Unchanged third page']), 'title=Budget%20plan');

    // The delegate annotates pages 1 and 2 of version 1.
    await openPaper(del, 'Budget plan');
    await del.getByRole('button', { name: 'Pen', exact: true }).click();
    await drawStroke(del, 1);
    await del.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => del.getByLabel('Page', { exact: true }).inputValue()).toBe('2');
    await del.locator('.page[data-page-number="2"][data-painted="true"]').waitFor();
    await drawStroke(del, 2);
    expect(await inkCount(del, 2)).toBe(1);
    await expect.poll(() => del.locator('.conn').getAttribute('data-state')).toBe('online');
    expect(await notice(del).count()).toBe(0);

    // Replaced: page 2 rewritten, pages 1 and 3 unchanged.
    const v2 = await upload(await pdfWithPages(['Unchanged first page', 'Rewritten second page', 'Unchanged third page']), `replace=${v1.id}`);
    expect(v2.version).toBe(2);

    // Over the open paper, now at version 2: what came along and what stayed.
    await expect.poll(() => notice(del).textContent(), { timeout: 15_000 }).toContain(
      'This paper was replaced by version 2. Your notes on page 1 were carried over; your notes on page 2 stayed on version 1.',
    );
    await expect.poll(() => inkCount(del, 1), { timeout: 5000 }).toBe(1);
    await shot(del, 'paper-replaced-notice');
    await expectNoAxe(del);
    // With the notice up, each of the brief's names still finds one button, matched the way
    // outside tests match by default (case-insensitive substring).
    for (const name of ['Pen', 'Highlighter', 'Note', 'Eraser', 'Undo', 'Redo', 'Follow', 'Next page', 'Draw with finger']) {
      expect(await del.getByRole('button', { name }).count(), name).toBe(1);
    }

    // The button opens version 1 at the page whose notes stayed, with them there.
    await notice(del).getByRole('button', { name: 'Go to version 1 with my annotations' }).click();
    await del.getByText('You are reading version 1; a newer version exists.').waitFor({ timeout: 10_000 });
    await del.locator('.page[data-page-number="2"][data-painted="true"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => del.locator('.page[data-page-number="2"] .textLayer').textContent()).toContain('Original second page');
    await expect.poll(() => inkCount(del, 2), { timeout: 5000 }).toBe(1);
    expect(await del.getByLabel('Page', { exact: true }).inputValue()).toBe('2');
    // Reading the old version: its own notice says so; the replaced notice does not repeat.
    expect(await notice(del).count()).toBe(0);
    await expectNoAxe(del);

    // With no paper open, the meeting view names the paper.
    await del.getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => notice(del).textContent(), { timeout: 5000 }).toContain('“Budget plan” was replaced by version 2.');
    await expectNoAxe(del);

    // Dismissed, it stays dismissed for this user, paper and version (a reload included).
    await notice(del).getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice(del).count()).toBe(0);
    await del.reload();
    await openPaper(del, 'Budget plan');
    await expect.poll(() => del.locator('.page[data-page-number="2"] .textLayer').textContent(), { timeout: 10_000 }).toContain('Rewritten second page');
    expect(await notice(del).count()).toBe(0);

    // The version list says what the notice said.
    const plan = (await api<PaperInfo[]>(room.hub.url, sec, `/api/meetings/${meetingId}/papers`)).body.find((p) => p.id === v1.id)!;
    expect(plan.versions.at(-1)!.carriedFrom!.pages).toEqual([[1, 1], [3, 3]]);
  });
});
