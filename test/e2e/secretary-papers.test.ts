// Papers from the secretary's console against a real hub, seen from delegates' browsers: upload
// by file picker (with progress) and by drag and drop, clear errors for what is not a PDF,
// attach to an item, replace with a new version that keeps the delegate's annotations on the
// unchanged pages (the rest stay on the old version, still viewable), and restrict a paper so
// that another delegate can neither list nor download it.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { randomBytes } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { drawStroke, inkCount, openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { consoleTab, editorRow, releaseStaged } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';
import type { PaperInfo } from '../../shared/api.ts';

async function pdfWithPages(texts: string[], attachmentBytes = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const t of texts) doc.addPage([420, 300]).drawText(t, { x: 40, y: 150, size: 22, font });
  // Bulk that does not change the pages: makes an upload long enough to watch its progress.
  if (attachmentBytes) await doc.attach(randomBytes(attachmentBytes), 'bulk.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await doc.save());
}

const pageText = (page: Page, n: number) => page.locator(`.page[data-page-number="${n}"] .textLayer`).textContent();

describe('secretary: papers', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });
  const newPage = () => room.newPage();

  it('uploads with progress, refuses what is not a PDF, and accepts a dropped file', async () => {
    const sec = await room.meetingAs('secretary');
    await consoleTab(sec, 'Papers');

    // A slow link (CDP network throttling) so the progress bar is seen moving.
    const cdp = await sec.context().newCDPSession(sec);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
    await sec.evaluate(() => {
      const seen: number[] = ((window as unknown as { progressSeen: number[] }).progressSeen = []);
      new MutationObserver(() => {
        for (const p of document.querySelectorAll<HTMLProgressElement>('.ce-upload progress')) seen.push(p.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    const big = await pdfWithPages(['Annual accounts'], 1_500_000);
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'Annual accounts.pdf', mimeType: 'application/pdf', buffer: big });
    await sec.locator('.ce-upload progress').waitFor();
    await shot(sec, 'secretary-upload-progress');
    await sec.getByText('Annual accounts.pdf uploaded: 1 page.').waitFor({ timeout: 30_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const seen = await sec.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.some((v) => v > 0.05 && v < 0.95)).toBe(true);

    // Not a PDF: said at once, by name, and nothing is sent.
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('just text') });
    await expect.poll(() => sec.getByRole('alert').filter({ hasText: 'agenda.txt is not a PDF file' }).count()).toBe(1);
    // Claims to be a PDF but is not one: the hub's refusal is shown, worded by its code.
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nthis is no pdf at all') });
    await expect.poll(() => sec.getByRole('alert').filter({ hasText: 'broken.pdf: This file is not a readable PDF.' }).count(), { timeout: 10_000 }).toBe(1);
    // A Word file, on a hub without LibreOffice: the message says what is missing.
    const docx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 1)]);
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'minutes.docx', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', buffer: docx });
    await expect.poll(() => sec.getByRole('alert').filter({ hasText: /minutes\.docx: .*LibreOffice is not installed/ }).count(), { timeout: 10_000 }).toBe(1);
    await shot(sec, 'secretary-upload-errors');

    // Drag and drop onto the drop zone.
    const dropped = await pdfWithPages(['Dropped one', 'Dropped two']);
    const dt = await sec.evaluateHandle((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const d = new DataTransfer();
      d.items.add(new File([bytes], 'Dropped paper.pdf', { type: 'application/pdf' }));
      return d;
    }, dropped.toString('base64'));
    const zone = sec.getByTestId('paper-drop');
    await zone.dispatchEvent('dragenter', { dataTransfer: dt });
    await zone.dispatchEvent('dragover', { dataTransfer: dt });
    await zone.dispatchEvent('drop', { dataTransfer: dt });
    await sec.getByText('Dropped paper.pdf uploaded: 2 pages.').waitFor({ timeout: 10_000 });
    // Both wait for release (issue 16); released, they open by their title in everyone's paper list.
    await releaseStaged(sec, 'Annual accounts.pdf');
    await releaseStaged(sec, 'Dropped paper.pdf');
    await expect.poll(() => sec.getByRole('link', { name: 'Dropped paper', exact: true }).count()).toBe(1);
    await expect.poll(() => sec.getByRole('link', { name: 'Annual accounts', exact: true }).count()).toBe(1);
  });

  it('replacing a paper keeps the delegate’s annotations on unchanged pages', async () => {
    const sec = await room.meetingAs('secretary');
    const del = await room.meetingAs('delegate1');

    const v1 = await pdfWithPages(['Unchanged first page', 'Original second page', 'Unchanged third page']);
    const v2 = await pdfWithPages(['Unchanged first page', 'Rewritten second page', 'Unchanged third page']);
    await consoleTab(sec, 'Papers');
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'Board plan.pdf', mimeType: 'application/pdf', buffer: v1 });
    await sec.getByText('Board plan.pdf uploaded: 3 pages.').waitFor({ timeout: 10_000 });
    await releaseStaged(sec, 'Board plan.pdf');

    // Attach it to an agenda item: the delegate sees it under that item.
    await consoleTab(sec, 'Items');
    const item = 'Các vấn đề khác / Any other business';
    await editorRow(sec, item).getByRole('button', { name: 'Edit' }).click();
    await sec.getByRole('checkbox', { name: 'Board plan' }).check();
    await sec.getByRole('button', { name: 'Save', exact: true }).click();
    const group = del.locator('.paper-group').filter({ has: del.getByRole('heading', { name: item }) });
    await expect.poll(() => group.getByRole('link', { name: 'Board plan', exact: true }).count(), { timeout: 2000 }).toBe(1);

    // The delegate annotates pages 1 and 2 of version 1.
    await openPaper(del, 'Board plan');
    await del.getByRole('button', { name: 'Pen' }).click();
    await drawStroke(del, 1);
    await del.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => del.getByLabel('Page', { exact: true }).inputValue()).toBe('2');
    await del.locator('.page[data-page-number="2"][data-painted="true"]').waitFor();
    await drawStroke(del, 2);
    expect(await inkCount(del, 1)).toBe(1);
    expect(await inkCount(del, 2)).toBe(1);
    await expect.poll(() => del.locator('.conn').getAttribute('data-state')).toBe('online');

    // The secretary replaces it: page 2 changed, pages 1 and 3 did not.
    await consoleTab(sec, 'Papers');
    await sec.getByLabel('Replace Board plan with a new version').setInputFiles({ name: 'Board plan v2.pdf', mimeType: 'application/pdf', buffer: v2 });
    // It waits for release (issue 16) like any upload; released, the delegate moves to it.
    await sec.getByText('New version of Board plan uploaded.').waitFor({ timeout: 15_000 });
    await releaseStaged(sec, 'Board plan v2.pdf');

    // The delegate's viewer moves to version 2: the stroke on page 1 came along, page 2 is clean.
    await expect.poll(() => pageText(del, 2), { timeout: 10_000 }).toContain('Rewritten second page');
    await expect.poll(() => inkCount(del, 1), { timeout: 5000 }).toBe(1);
    expect(await inkCount(del, 2)).toBe(0);
    await del.getByLabel('Page', { exact: true }).fill('1');
    await del.getByLabel('Page', { exact: true }).press('Enter');
    await shot(del, 'secretary-replaced-delegate-v2');

    // Version 1 is still there, with both of the delegate's strokes.
    const token = (await signIn(room.hub.url, 'secretary')).token;
    const meetings = (await api<Array<{ id: string }>>(room.hub.url, token, '/api/meetings')).body;
    const papers = (await api<PaperInfo[]>(room.hub.url, token, `/api/meetings/${meetings[0]!.id}/papers`)).body;
    const plan = papers.find((p) => p.title === 'Board plan')!;
    expect(plan.versions).toHaveLength(2);
    await del.goto(`${room.hub.url}/#/m/${meetings[0]!.id}/p/${plan.id}?page=1&v=${plan.versions[0]!.sha256}`);
    await del.getByText('You are reading version 1; a newer version exists.').waitFor({ timeout: 10_000 });
    await del.locator('.page[data-page-number="2"][data-painted="true"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => pageText(del, 2)).toContain('Original second page');
    await expect.poll(() => inkCount(del, 2), { timeout: 5000 }).toBe(1);
    expect(await inkCount(del, 1)).toBe(1);
    await shot(del, 'secretary-replaced-delegate-v1');
  });

  it('a restricted paper is invisible and undownloadable to others', async () => {
    const sec = await newPage();
    const allowed = await newPage();
    const other = await newPage();
    await signInUi(sec, room.hub.url, 'secretary');
    await signInUi(allowed, room.hub.url, 'delegate1');
    await signInUi(other, room.hub.url, 'delegate2');
    for (const p of [sec, allowed, other]) await openDemoMeeting(p);

    await consoleTab(sec, 'Papers');
    await sec.getByLabel('Upload papers').setInputFiles({ name: 'Confidential memo.pdf', mimeType: 'application/pdf', buffer: await pdfWithPages(['Personnel matters']) });
    await sec.getByText('Confidential memo.pdf uploaded: 1 page.').waitFor({ timeout: 10_000 });
    await releaseStaged(sec, 'Confidential memo.pdf');
    await expect.poll(() => other.getByRole('link', { name: 'Confidential memo', exact: true }).count(), { timeout: 3000 }).toBe(1);

    const row = sec.locator('.ce-paper').filter({ hasText: 'Confidential memo' });
    await row.getByRole('button', { name: 'Restrict' }).click();
    await row.getByRole('radio', { name: /Only these participants/ }).check();
    await row.getByRole('checkbox', { name: 'Lê Minh Tuấn' }).check();
    await row.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => row.textContent(), { timeout: 5000 }).toContain('Only: Lê Minh Tuấn');
    await shot(sec, 'secretary-restricted');

    // Gone from the other delegate's screen (the hub took it out of the meeting document)…
    await expect.poll(() => other.getByRole('link', { name: 'Confidential memo', exact: true }).count(), { timeout: 3000 }).toBe(0);
    // …still there for the named one, who can open it.
    await allowed.reload();
    await allowed.getByRole('list', { name: 'Agenda' }).waitFor();
    await openPaper(allowed, 'Confidential memo');

    // And the hub enforces it: not listed, not downloadable (404), for the other delegate.
    const secToken = (await signIn(room.hub.url, 'secretary')).token;
    const otherToken = (await signIn(room.hub.url, 'delegate2')).token;
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, secToken, '/api/meetings')).body[0]!.id;
    const memo = (await api<PaperInfo[]>(room.hub.url, secToken, `/api/meetings/${meetingId}/papers`)).body.find((p) => p.title === 'Confidential memo')!;
    const theirs = (await api<PaperInfo[]>(room.hub.url, otherToken, `/api/meetings/${meetingId}/papers`)).body;
    expect(theirs.map((p) => p.id)).not.toContain(memo.id);
    expect((await api(room.hub.url, otherToken, `/api/blobs/${memo.versions[0]!.sha256}`)).status).toBe(404);
    // Their browser, with their own session, gets the same 404.
    const status = await other.evaluate(async (sha) => {
      const s = JSON.parse(sessionStorage.getItem('chamber.session')!) as { token: string };
      return (await fetch(`/api/blobs/${sha}`, { headers: { authorization: `Bearer ${s.token}` } })).status;
    }, memo.versions[0]!.sha256);
    expect(status).toBe(404);
  });
});
