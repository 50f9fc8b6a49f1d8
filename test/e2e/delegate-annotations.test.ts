// A delegate reads and annotates a paper in a real Chromium against a real hub: the page is
// painted, a mouse stroke is stored in their notes document, survives a reload, shows on their
// second device and never on another delegate's.
import { describe, expect, it } from 'vitest';
import { drawStroke, inkCount, inkedPixels, openPaper, shot, useDemoRoom } from './browser.ts';

const PAPER = 'Digital Strategy 2027–2030';

describe('delegate: read and annotate', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 860 } });

  it('paints the paper, keeps a stroke across reload and devices, and keeps it private', async () => {
    const tablet = await room.meetingAs('delegate1');
    // The agenda is a named list of list items, with the current item marked.
    const agenda = tablet.getByRole('list', { name: 'Agenda' });
    expect(await agenda.getByRole('listitem').count()).toBe(4);
    // Every paper opens by its title, including the one on no agenda item.
    await expect.poll(() => tablet.getByRole('link', { name: 'Quarterly Report Q3', exact: true }).count()).toBe(1);

    await openPaper(tablet, PAPER);
    expect(await inkedPixels(tablet, 1)).toBeGreaterThan(1000);
    await expect.poll(() => tablet.getByText('Page 1 of 12').count()).toBe(1);

    await tablet.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => tablet.getByLabel('Page', { exact: true }).inputValue()).toBe('2');
    await tablet.getByLabel('Page', { exact: true }).fill('1');
    await tablet.getByLabel('Page', { exact: true }).press('Enter');
    await expect.poll(() => tablet.getByText('Page 1 of 12').count()).toBe(1);

    await tablet.getByRole('button', { name: 'Pen' }).click();
    expect(await tablet.getByRole('button', { name: 'Pen' }).getAttribute('aria-pressed')).toBe('true');
    await drawStroke(tablet, 1);
    expect(await inkCount(tablet, 1)).toBe(1);
    await expect.poll(() => tablet.locator('.conn').getAttribute('data-state')).toBe('online');
    await shot(tablet, 'delegate-stroke');

    // Undo and Redo act on the user's own stroke.
    await tablet.getByRole('button', { name: 'Undo' }).click();
    expect(await inkCount(tablet, 1)).toBe(0);
    await tablet.getByRole('button', { name: 'Redo' }).click();
    expect(await inkCount(tablet, 1)).toBe(1);
    await expect.poll(() => tablet.locator('.conn').getAttribute('data-state')).toBe('online');

    // Reload: still signed in, same paper and page, the stroke comes back from the hub.
    await tablet.reload();
    await tablet.locator('.page[data-page-number="1"][data-painted="true"]').waitFor();
    await expect.poll(() => inkCount(tablet, 1), { timeout: 10_000 }).toBe(1);

    // The same delegate's second device shows it.
    const second = await room.meetingAs('delegate1');
    await openPaper(second, PAPER);
    await expect.poll(() => inkCount(second, 1), { timeout: 10_000 }).toBe(1);

    // A stroke made on the second device arrives on the first.
    await second.getByRole('button', { name: 'Pen' }).click();
    await drawStroke(second, 1, 120);
    await expect.poll(() => inkCount(tablet, 1), { timeout: 10_000 }).toBe(2);

    // Another delegate sees the paper, synced, and none of delegate1's notes.
    const other = await room.meetingAs('delegate2');
    await openPaper(other, PAPER);
    await expect.poll(() => other.locator('.conn').getAttribute('data-state')).toBe('online');
    expect(await inkedPixels(other, 1)).toBeGreaterThan(1000);
    expect(await inkCount(other, 1)).toBe(0);
    await shot(other, 'delegate2-clean');
  });
});
