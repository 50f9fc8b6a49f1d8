// "My notes" in a real Chromium against a real hub (issue 16): a delegate draws with the Pen on
// page 1 and leaves a note on page 2, opens My notes and sees both (kind, colour, text, page);
// a stroke from their other device appears in the open list without a reload; an entry opens
// the viewer on its page (from the same paper and from none); the export downloads a PDF whose
// annotations are real ones (read back with pdf-lib and pdf.js) and which another reader
// (poppler's pdftoppm) draws. axe-core on the panel.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawStroke, inkCount, openPaper, SHOTS, shot, useDemoRoom } from './browser.ts';
import { axeViolations, describeViolations } from './axe.ts';
import { rawAnnotations, readerAnnotations } from '../helpers/pdf-annotations.ts';
import { api, signIn } from '../helpers/processes.ts';

const PAPER = 'Digital Strategy 2027–2030';
const NOTE = 'Check the 2028 figures with finance';

const online = (page: Page) => expect.poll(() => page.locator('.conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');
const pageField = (page: Page) => page.getByLabel('Page', { exact: true });

async function goToPage(page: Page, n: number): Promise<void> {
  await pageField(page).fill(String(n));
  await pageField(page).press('Enter');
  await page.locator(`.page[data-page-number="${n}"][data-painted="true"]`).waitFor();
  await expect.poll(() => pageField(page).inputValue()).toBe(String(n));
}

async function openMyNotes(page: Page) {
  await page.getByRole('link', { name: 'My notes' }).click();
  const dialog = page.getByRole('dialog', { name: 'My notes' });
  await dialog.waitFor();
  return dialog;
}

/** A page of a PDF drawn by poppler (pdftoppm) as raw RGB: what another reader shows. */
function render(pdf: string, pageNo: number, out: string): { width: number; height: number; rgb: Buffer } {
  execFileSync('pdftoppm', ['-r', '50', '-f', String(pageNo), '-l', String(pageNo), '-singlefile', pdf, out]);
  execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(pageNo), '-l', String(pageNo), '-singlefile', pdf, out]);
  const ppm = fs.readFileSync(`${out}.ppm`);
  fs.rmSync(`${out}.ppm`);
  // P6 <w> <h> 255\n then the pixels.
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), rgb: ppm.subarray(header[0].length) };
}

/** Pixels where two renders of the same page differ clearly. */
function differing(a: Buffer, b: Buffer): number {
  let n = 0;
  for (let i = 0; i + 2 < Math.min(a.length, b.length); i += 3) {
    if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) > 90) n++;
  }
  return n;
}

describe('My notes', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 860 } });

  it('lists my annotations live, opens their pages, and exports them as real PDF annotations', async () => {
    const tablet = await room.meetingAs('delegate1');
    await openPaper(tablet, PAPER);
    // The viewer's `Note` is still the one button a test finds by that name (My notes is a link).
    expect(await tablet.getByRole('button', { name: 'Note' }).count()).toBe(1);
    await tablet.getByRole('button', { name: 'Pen', exact: true }).click();
    await drawStroke(tablet, 1);
    expect(await inkCount(tablet, 1)).toBe(1);
    await tablet.getByRole('button', { name: 'Pen', exact: true }).click();

    await goToPage(tablet, 2);
    await tablet.getByRole('button', { name: 'Note', exact: true }).click();
    const layer = (await tablet.locator('[data-testid="ann-layer-2"]').boundingBox())!;
    await tablet.mouse.click(layer.x + layer.width * 0.6, layer.y + 180);
    const editor = tablet.getByRole('dialog', { name: 'Note' });
    await editor.getByRole('textbox', { name: 'Note' }).fill(NOTE);
    await editor.getByRole('button', { name: 'Save note' }).click();
    await tablet.getByRole('button', { name: `Note: ${NOTE}` }).waitFor();
    await tablet.getByRole('button', { name: 'Note', exact: true }).click();
    await online(tablet);

    // The panel: both, grouped under the paper, each with kind, colour, text and page.
    let dialog = await openMyNotes(tablet);
    const entries = dialog.locator('button.my-note');
    await expect.poll(() => entries.count()).toBe(2);
    expect(await dialog.getByRole('heading', { name: PAPER }).count()).toBe(1);
    const pen = entries.filter({ hasText: 'Page 1' });
    const note = entries.filter({ hasText: 'Page 2' });
    expect(await pen.innerText()).toMatch(/Pen[\s\S]*A drawn stroke[\s\S]*Page 1/);
    expect(await pen.textContent()).toMatch(/Colour: \w+/);
    expect(await note.innerText()).toContain(NOTE);
    expect(await note.getAttribute('data-kind')).toBe('note');
    // Every entry and action is a finger's size.
    for (const b of await dialog.getByRole('button').all()) expect((await b.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    expect(describeViolations(await axeViolations(tablet))).toBe('');
    await shot(tablet, 'my-notes-panel');

    // Live: a stroke from the delegate's other device appears in the open list.
    const second = await room.meetingAs('delegate1');
    await openPaper(second, PAPER);
    await second.getByRole('button', { name: 'Pen', exact: true }).click();
    await drawStroke(second, 1, 140);
    await expect.poll(() => entries.count(), { timeout: 10_000 }).toBe(3);
    expect(await entries.filter({ hasText: 'Page 1' }).count()).toBe(2);

    // An entry opens its page: page 1 of the paper open on page 2, then page 2 again.
    await entries.filter({ hasText: 'Page 1' }).first().click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => pageField(tablet).inputValue()).toBe('1');
    await tablet.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await expect.poll(() => inkCount(tablet, 1)).toBe(2);
    dialog = await openMyNotes(tablet);
    await dialog.locator('button.my-note').filter({ hasText: 'Page 2' }).click();
    await expect.poll(() => pageField(tablet).inputValue()).toBe('2');
    await expect.poll(() => tablet.evaluate(() => location.hash)).toMatch(/\/p\/[^?]+\?page=2/);
    await tablet.getByRole('button', { name: `Note: ${NOTE}` }).waitFor();

    // Export: a PDF named after the paper, with the Ink and the Text annotation in it.
    dialog = await openMyNotes(tablet);
    const [download] = await Promise.all([
      tablet.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export with my notes' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${PAPER} (my notes).pdf`);
    await dialog.getByText(`Downloaded “${PAPER} (my notes).pdf”.`).waitFor();
    const file = path.join(SHOTS, 'my-notes-export.pdf');
    fs.mkdirSync(SHOTS, { recursive: true });
    await download.saveAs(file);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const raw = await rawAnnotations(bytes);
    expect(raw.map((a) => [a.page, a.subtype])).toEqual([[1, 'Ink'], [1, 'Ink'], [2, 'Text']]);
    expect(raw[2]!.contents).toBe(NOTE);
    expect(raw[2]!.author).toBe((await signIn(room.hub.url, 'delegate1')).user.name);
    expect((await readerAnnotations(bytes)).map((a) => a.subtype)).toEqual(['Ink', 'Ink', 'Text']);
    await shot(tablet, 'my-notes-exported');

    // The same export from the viewer's More menu, for the paper and version open.
    await tablet.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await tablet.getByRole('button', { name: 'More' }).click();
    const [fromViewer] = await Promise.all([
      tablet.waitForEvent('download'),
      tablet.getByRole('menuitem', { name: 'Export with my notes' }).click(),
    ]);
    expect(fromViewer.suggestedFilename()).toBe(`${PAPER} (my notes).pdf`);
    const viewerFile = path.join(SHOTS, 'my-notes-export-viewer.pdf');
    await fromViewer.saveAs(viewerFile);
    expect((await rawAnnotations(fs.readFileSync(viewerFile))).map((a) => a.subtype)).toEqual(['Ink', 'Ink', 'Text']);

    // Another reader draws them: the export's pages differ from a clean copy's where the notes are.
    const other = await signIn(room.hub.url, 'delegate2');
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, other.token, '/api/meetings')).body[0]!.id;
    const paperId = (await api<Array<{ id: string; title: string }>>(room.hub.url, other.token, `/api/meetings/${meetingId}/papers`)).body.find((p) => p.title === PAPER)!.id;
    const cleanRes = await fetch(`${room.hub.url}/api/papers/${paperId}/export-with-notes`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(cleanRes.status).toBe(200);
    const clean = new Uint8Array(await cleanRes.arrayBuffer());
    const cleanFile = path.join(SHOTS, 'my-notes-clean.pdf');
    fs.writeFileSync(cleanFile, clean);
    expect(await rawAnnotations(fs.readFileSync(cleanFile))).toEqual([]);
    for (const n of [1, 2]) {
      const mine = render(file, n, path.join(SHOTS, `my-notes-export-p${n}`));
      const plain = render(cleanFile, n, path.join(SHOTS, `my-notes-clean-p${n}`));
      expect([mine.width, mine.height]).toEqual([plain.width, plain.height]);
      expect(differing(mine.rgb, plain.rgb), `page ${n}`).toBeGreaterThan(40);
    }
  });

  it('opens an entry from the meeting with no paper open, and says when a paper has none', async () => {
    const tablet = await room.meetingAs('delegate3');
    let dialog = await openMyNotes(tablet);
    await dialog.getByText('You have no annotations in this meeting yet.', { exact: false }).waitFor();
    expect(describeViolations(await axeViolations(tablet))).toBe('');
    expect(await tablet.evaluate(() => location.hash)).toMatch(/[?&]notes=1$/);
    await tablet.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await tablet.evaluate(() => location.hash)).not.toContain('notes=1');
    // The tablet's back gesture closes it too.
    dialog = await openMyNotes(tablet);
    await tablet.evaluate(() => history.back());
    await expect.poll(() => dialog.count()).toBe(0);

    await openPaper(tablet, PAPER);
    await goToPage(tablet, 3);
    await tablet.getByRole('button', { name: 'Pen', exact: true }).click();
    await drawStroke(tablet, 3);
    await online(tablet);
    // Back to the meeting with no paper open (the address the viewer's close button leads to).
    await tablet.evaluate(() => history.back());
    await expect.poll(() => tablet.locator('.page').count()).toBe(0);

    dialog = await openMyNotes(tablet);
    await dialog.locator('button.my-note').filter({ hasText: 'Page 3' }).click();
    await tablet.locator('.page[data-page-number="3"][data-painted="true"]').waitFor();
    await expect.poll(() => pageField(tablet).inputValue()).toBe('3');
    await expect.poll(() => inkCount(tablet, 3)).toBe(1);

    // Portrait, in Vietnamese: the same panel, translated, and still clean for axe.
    await tablet.evaluate(() => history.back());
    await expect.poll(() => tablet.locator('.page').count()).toBe(0);
    // (At 800 px the language folds into the top bar's menu: chosen first.)
    await tablet.getByLabel('Language').selectOption('vi');
    await tablet.setViewportSize({ width: 800, height: 1280 });
    await tablet.getByRole('link', { name: 'Ghi chú của tôi' }).click();
    dialog = tablet.getByRole('dialog', { name: 'Ghi chú của tôi' });
    await dialog.getByRole('button', { name: 'Xuất kèm ghi chú của tôi' }).waitFor();
    expect(await dialog.locator('button.my-note').filter({ hasText: 'Trang 3' }).innerText()).toContain('Bút');
    expect(describeViolations(await axeViolations(tablet))).toBe('');
    await shot(tablet, 'my-notes-panel-portrait-vi');
  });
  it('says when notes are on a version since replaced, and opens that version', async () => {
    const REPORT = 'Quarterly Report Q3';
    const tablet = await room.meetingAs('delegate2');
    await openPaper(tablet, REPORT);
    await tablet.getByRole('button', { name: 'Pen', exact: true }).click();
    await drawStroke(tablet, 1);
    await online(tablet);

    // The secretary replaces the paper with a different page: nothing is carried to version 2.
    const sec = await signIn(room.hub.url, 'secretary');
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, sec.token, '/api/meetings')).body[0]!.id;
    const listed = (await api<Array<{ id: string; title: string; versions: Array<{ sha256: string }> }>>(room.hub.url, sec.token, `/api/meetings/${meetingId}/papers`)).body;
    const report = listed.find((p) => p.title === REPORT)!;
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Quarterly Report Q3, revised', { x: 60, y: 700, size: 20, font: await doc.embedFont(StandardFonts.Helvetica) });
    const up = await fetch(`${room.hub.url}/api/meetings/${meetingId}/documents?replace=${report.id}`, {
      method: 'POST', headers: { authorization: `Bearer ${sec.token}`, 'content-type': 'application/pdf' }, body: new Uint8Array(await doc.save()),
    });
    expect(up.status).toBe(201);

    await tablet.evaluate(() => history.back());
    const dialog = await openMyNotes(tablet);
    const old = dialog.locator(`.my-notes-version[data-sha="${report.versions[0]!.sha256}"]`);
    await old.getByText('Version 1 (since replaced): opens that version').waitFor({ timeout: 10_000 });
    expect(await old.getByRole('button', { name: 'Export version 1 with my notes' }).count()).toBe(1);
    expect(describeViolations(await axeViolations(tablet))).toBe('');
    await shot(tablet, 'my-notes-old-version');
    await old.locator('button.my-note').click();
    await tablet.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    expect(await tablet.evaluate(() => location.hash)).toContain(`v=${report.versions[0]!.sha256}`);
    await tablet.getByText('You are reading version 1; a newer version exists.').waitFor();
    await expect.poll(() => inkCount(tablet, 1)).toBe(1);
  });
});
