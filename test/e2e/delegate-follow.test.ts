// The chair presents a paper; a delegate who follows lands on the same paper and page, keeps
// up as the chair pages, and can stop following. Delegates get no Present button.
import { describe, expect, it } from 'vitest';
import { openPaper, shot, useDemoRoom } from './browser.ts';

describe('delegate: follow the presenter', () => {
  const room = useDemoRoom({ viewport: { width: 1200, height: 800 } });

  it('follows the chair to the presented paper and page', async () => {
    const chair = await room.meetingAs('chair');
    const delegate = await room.meetingAs('delegate3');

    const follow = delegate.getByRole('button', { name: 'Follow' });
    expect(await follow.getAttribute('aria-pressed')).toBe('false');
    await follow.click();
    expect(await follow.getAttribute('aria-pressed')).toBe('true');

    await openPaper(chair, 'Digital Strategy 2027–2030');
    await chair.getByRole('button', { name: 'Next page' }).click();
    await chair.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => chair.getByLabel('Page', { exact: true }).inputValue()).toBe('3');
    await chair.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => chair.getByRole('button', { name: 'Present' }).getAttribute('aria-pressed')).toBe('true');

    // The follower is taken to the paper, at page 3.
    await delegate.locator('.page[data-painted="true"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => delegate.getByLabel('Page', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('3');
    expect(await delegate.getByRole('button', { name: 'Present' }).count()).toBe(0);

    // The chair pages on; the follower keeps up.
    await chair.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => delegate.getByLabel('Page', { exact: true }).inputValue(), { timeout: 5_000 }).toBe('4');
    await shot(delegate, 'follower-page-4');

    // Stop following: the chair's next page no longer moves the delegate.
    await follow.click();
    expect(await follow.getAttribute('aria-pressed')).toBe('false');
    await chair.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => delegate.getByRole('status').filter({ hasText: 'page 5' }).count(), { timeout: 5_000 }).toBe(1);
    expect(await delegate.getByLabel('Page', { exact: true }).inputValue()).toBe('4');
    // …and Follow brings them back.
    await follow.click();
    await expect.poll(() => delegate.getByLabel('Page', { exact: true }).inputValue(), { timeout: 5_000 }).toBe('5');
  });
});
