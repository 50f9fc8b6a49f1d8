// Leading the meeting: the secretary hands the screen to a delegate, whose page reaches a
// follower; and the meeting's life — created, participants picked from the accounts, published
// (only then does a delegate see it), details edited, closed.
import { describe, expect, it } from 'vitest';
import { openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { confirm, consoleTab } from './secretary-helpers.ts';

describe('secretary: live and meeting', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });
  const newPage = () => room.newPage();

  it('hands presenting to a delegate, whose page reaches a follower', async () => {
    const sec = await newPage();
    const presenter = await newPage();
    const follower = await newPage();
    await signInUi(sec, room.hub.url, 'secretary');
    await signInUi(presenter, room.hub.url, 'delegate1');
    await signInUi(follower, room.hub.url, 'delegate2');
    for (const p of [sec, presenter, follower]) await openDemoMeeting(p);

    await openPaper(presenter, 'Digital Strategy 2027–2030');
    // Not theirs to present yet.
    expect(await presenter.getByRole('button', { name: 'Present' }).count()).toBe(0);

    await consoleTab(sec, 'Live');
    await sec.getByLabel('Who may lead the screen').selectOption({ label: 'Lê Minh Tuấn' });
    await sec.getByRole('button', { name: 'Hand over' }).click();
    await presenter.getByRole('button', { name: 'Present' }).waitFor({ timeout: 3000 });

    const follow = follower.getByRole('button', { name: 'Follow' });
    await follow.click();
    expect(await follow.getAttribute('aria-pressed')).toBe('true');

    await presenter.getByRole('button', { name: 'Next page' }).click();
    await presenter.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => presenter.getByLabel('Page', { exact: true }).inputValue()).toBe('3');
    await presenter.getByRole('button', { name: 'Present' }).click();
    await expect.poll(() => presenter.getByRole('button', { name: 'Present' }).getAttribute('aria-pressed')).toBe('true');

    // The follower lands on the same paper and page; the console says who leads and where.
    await follower.locator('.page[data-painted="true"]').first().waitFor({ timeout: 15_000 });
    await expect.poll(() => follower.getByLabel('Page', { exact: true }).inputValue(), { timeout: 10_000 }).toBe('3');
    await expect.poll(() => sec.getByTestId('ce-leading').textContent(), { timeout: 5000 }).toBe('Lê Minh Tuấn leads the screen: Digital Strategy 2027–2030, p. 3.');
    await presenter.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => follower.getByLabel('Page', { exact: true }).inputValue(), { timeout: 5000 }).toBe('4');
    await shot(sec, 'secretary-live');
    await shot(follower, 'secretary-live-follower');

    // The secretary stops it and takes the screen back.
    await sec.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => follower.getByText('Nobody is presenting').count(), { timeout: 5000 }).toBe(1);
    await sec.getByLabel('Who may lead the screen').selectOption({ label: 'Managers only' });
    await sec.getByRole('button', { name: 'Hand over' }).click();
    await expect.poll(() => presenter.getByRole('button', { name: 'Present' }).count(), { timeout: 5000 }).toBe(0);
  });

  it('creates a meeting, adds participants, publishes, edits and closes it', async () => {
    const sec = await newPage();
    const del = await newPage();
    await signInUi(sec, room.hub.url, 'secretary');
    await signInUi(del, room.hub.url, 'delegate3');
    await openDemoMeeting(sec);
    await consoleTab(sec, 'Meeting');
    await sec.getByLabel('Name of the new meeting').fill('Budget hearing');
    await sec.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => sec.getByRole('heading', { level: 1 }).textContent(), { timeout: 5000 }).toBe('Budget hearing');

    await consoleTab(sec, 'Meeting');
    await expect.poll(() => sec.getByTestId('ce-status').textContent()).toContain('draft');
    await sec.getByLabel('Account').selectOption({ label: 'Đặng Quốc Việt (delegate3)' });
    await sec.getByLabel('Role', { exact: true }).selectOption('delegate');
    await sec.getByRole('button', { name: 'Add participant' }).click();
    await sec.getByLabel('Role of Đặng Quốc Việt').waitFor();
    await sec.getByLabel('Account').selectOption({ label: 'Nguyễn Văn Đức (chair)' });
    await sec.getByLabel('Role', { exact: true }).selectOption('chair');
    await sec.getByRole('button', { name: 'Add participant' }).click();
    await expect.poll(() => sec.getByLabel('Role of Nguyễn Văn Đức').inputValue()).toBe('chair');

    // A draft is not the delegate's to see.
    await del.reload();
    await del.getByRole('heading', { name: 'Your meetings' }).waitFor();
    expect(await del.getByRole('link', { name: /Budget hearing/ }).count()).toBe(0);

    await sec.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => sec.getByTestId('ce-status').textContent()).toContain('published');
    await del.reload();
    await del.getByRole('link', { name: /Budget hearing/ }).click();
    await del.getByRole('heading', { name: 'Budget hearing' }).waitFor();

    // Details edited by the secretary show on the delegate's screen (the hub mirrors them live).
    await sec.getByLabel('Room', { exact: true }).fill('Room B');
    await sec.getByLabel('Starts').fill('2026-12-01T14:30');
    await sec.getByRole('button', { name: 'Update details' }).click();
    await expect.poll(() => del.locator('.meeting-head').textContent(), { timeout: 3000 }).toContain('Room B');
    await shot(sec, 'secretary-meeting');

    await sec.getByRole('button', { name: 'Close the meeting' }).click();
    await confirm(sec, 'Close the meeting');
    await expect.poll(() => sec.getByTestId('ce-status').textContent()).toContain('closed');
  });
});
