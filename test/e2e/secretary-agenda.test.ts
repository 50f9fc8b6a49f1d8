// The secretary edits the agenda in the console; a delegate's screen shows every change within a
// second: an item added, renamed, moved (keyboard and pointer drag) and removed, and the current
// item. Two managers editing one item at once keep both their changes.
import { describe, expect, it } from 'vitest';

import { openDemoMeeting, shot, signInUi, useDemoRoom } from './browser.ts';
import { agendaTitles, confirm, editorRow, within } from './secretary-helpers.ts';

describe('secretary: agenda editor', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });
  const newPage = () => room.newPage();

  it('shows each edit on the delegate’s screen within a second', async () => {
    const sec = await room.meetingAs('secretary');
    const del = await room.meetingAs('delegate1');
    // Delegates get no console at all.
    expect(await del.getByRole('button', { name: 'Add item' }).count()).toBe(0);
    const initial = await agendaTitles(del);
    expect(initial).toHaveLength(4);
    const delays: Record<string, number> = {};

    // Add: the brief's names — Add item, Title, Save.
    await sec.getByRole('button', { name: 'Add item' }).click();
    await sec.getByLabel('Title', { exact: true }).fill('Closing remarks');
    await sec.getByLabel('Speaker').fill('Chair');
    let t0 = performance.now();
    await sec.getByRole('button', { name: 'Save', exact: true }).click();
    delays.add = await within(1000, async () => (await agendaTitles(del)).at(-1) === 'Closing remarks', 'added item', t0);
    await shot(sec, 'secretary-console-items');

    // Rename.
    await editorRow(sec, 'Closing remarks').getByRole('button', { name: 'Edit' }).click();
    await sec.getByLabel('Title', { exact: true }).fill('Closing and next meeting');
    t0 = performance.now();
    await sec.getByRole('button', { name: 'Save', exact: true }).click();
    delays.rename = await within(1000, async () => (await agendaTitles(del)).at(-1) === 'Closing and next meeting', 'renamed item', t0);
    expect(await agendaTitles(del)).not.toContain('Closing remarks');

    // Move with the keyboard: the handle takes arrow keys and keeps focus as the row moves.
    const handle = editorRow(sec, 'Closing and next meeting').getByRole('button', { name: 'Reorder' });
    await handle.focus();
    t0 = performance.now();
    await sec.keyboard.press('ArrowUp');
    await sec.keyboard.press('ArrowUp');
    delays.keyboardMove = await within(1000, async () => (await agendaTitles(del))[2] === 'Closing and next meeting', 'moved item (keyboard)', t0);
    expect(await sec.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Reorder');
    expect(await agendaTitles(del)).toEqual([initial[0], initial[1], 'Closing and next meeting', initial[2], initial[3]]);

    // Move by dragging the first item's handle below the last row (pointer events: mouse here,
    // the same code path as touch and pen).
    const first = editorRow(sec, initial[0]!).getByRole('button', { name: 'Reorder' });
    // The editor scrolls on its own (on the desk, a column): bring the handle into view, as a person would.
    await first.scrollIntoViewIfNeeded();
    const from = (await first.boundingBox())!;
    const lastRow = (await editorRow(sec, initial[3]!).boundingBox())!;
    await sec.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await sec.mouse.down();
    await sec.mouse.move(from.x + from.width / 2, lastRow.y + lastRow.height - 4, { steps: 12 });
    await shot(sec, 'secretary-console-dragging');
    t0 = performance.now();
    await sec.mouse.up();
    delays.dragMove = await within(1000, async () => (await agendaTitles(del)).at(-1) === initial[0], 'moved item (drag)', t0);
    expect(await agendaTitles(del)).toEqual([initial[1], 'Closing and next meeting', initial[2], initial[3], initial[0]]);

    // Current item.
    t0 = performance.now();
    await editorRow(sec, initial[2]!).getByRole('button', { name: 'Make current' }).click();
    delays.current = await within(1000, async () => (await del.locator('.agenda [aria-current="step"] .agenda-title').allTextContents()).join() === initial[2], 'current item', t0);

    // Remove: it asks first (secretary-desk.test.ts tests the dialog itself).
    await editorRow(sec, 'Closing and next meeting').getByRole('button', { name: 'Remove' }).click();
    t0 = performance.now();
    await confirm(sec, 'Delete item');
    delays.remove = await within(1000, async () => !(await agendaTitles(del)).includes('Closing and next meeting'), 'removed item', t0);
    expect(await agendaTitles(del)).toEqual([initial[1], initial[2], initial[3], initial[0]]);
    await shot(del, 'secretary-delegate-sees-agenda');
    console.log('agenda edit → delegate screen (ms):', Object.fromEntries(Object.entries(delays).map(([k, v]) => [k, Math.round(v)])));
  });

  it('a rename changes only that row (and its heading in the papers list) on a delegate’s screen', async () => {
    const sec = await room.meetingAs('secretary');
    const del = await room.meetingAs('delegate2');
    const titles = await agendaTitles(del);
    const index = titles.length - 1;
    const target = titles[index]!;
    // Record every DOM change in the delegate's sidebar, with the agenda row or papers heading it is in.
    await del.evaluate(() => {
      const w = window as unknown as { __changed: string[] };
      w.__changed = [];
      const where = (n: Node): string => {
        const el = n instanceof Element ? n : n.parentElement;
        const row = el?.closest('.agenda-item');
        if (row) return `row:${row.querySelector('.agenda-title')?.textContent ?? ''}`;
        const heading = el?.closest('.paper-group h3');
        if (heading) return `heading:${heading.textContent ?? ''}`;
        return `other:${el?.tagName ?? '?'}.${el?.className ?? ''}`;
      };
      new MutationObserver((records) => {
        for (const r of records) w.__changed.push(where(r.target));
      }).observe(document.querySelector('.meeting-side')!, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    // The papers list arrives after the agenda (its own request): let the sidebar settle, then start counting.
    await del.locator('.paper-card').first().waitFor();
    let before = -1;
    for (let n = await del.evaluate(() => (window as unknown as { __changed: string[] }).__changed.length); n !== before;) {
      before = n;
      await del.waitForTimeout(300);
      n = await del.evaluate(() => (window as unknown as { __changed: string[] }).__changed.length);
    }
    await del.evaluate(() => { (window as unknown as { __changed: string[] }).__changed = []; });
    await editorRow(sec, target).getByRole('button', { name: 'Edit' }).click();
    await sec.getByLabel('Title', { exact: true }).fill('Only this row changes');
    await sec.getByRole('button', { name: 'Save', exact: true }).click();
    await within(1000, async () => (await agendaTitles(del))[index] === 'Only this row changes', 'renamed item', performance.now());
    // Whatever else that update re-rendered was committed by the second frame after it.
    await del.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const changed = await del.evaluate(() => (window as unknown as { __changed: string[] }).__changed);
    expect(changed.length).toBeGreaterThan(0);
    // The papers list names the item only when papers are attached to it.
    const hasPapers = (await del.locator('.paper-group h3', { hasText: 'Only this row changes' }).count()) > 0;
    expect([...new Set(changed)].sort()).toEqual(hasPapers ? ['heading:Only this row changes', 'row:Only this row changes'] : ['row:Only this row changes']);

    // Put the title back for the tests that follow.
    await editorRow(sec, 'Only this row changes').getByRole('button', { name: 'Edit' }).click();
    await sec.getByLabel('Title', { exact: true }).fill(target);
    await sec.getByRole('button', { name: 'Save', exact: true }).click();
    await within(1000, async () => (await agendaTitles(del))[index] === target, 'title restored', performance.now());
  });

  it('merges two managers editing the same item at once', async () => {
    const sec = await newPage();
    const chair = await newPage();
    const del = await newPage();
    await signInUi(sec, room.hub.url, 'secretary');
    await signInUi(chair, room.hub.url, 'chair');
    await signInUi(del, room.hub.url, 'delegate2');
    for (const p of [sec, chair, del]) await openDemoMeeting(p);
    const target = (await agendaTitles(del))[0]!;

    // Both open the same item; the chair changes the speaker, the secretary the title.
    await editorRow(chair, target).getByRole('button', { name: 'Edit' }).click();
    await editorRow(sec, target).getByRole('button', { name: 'Edit' }).click();
    await chair.getByLabel('Speaker').fill('Vice-chair');
    await sec.getByLabel('Title', { exact: true }).fill(`${target} (revised)`);
    await sec.getByRole('button', { name: 'Save', exact: true }).click();
    await chair.getByRole('button', { name: 'Save', exact: true }).click();
    // …and at the same moment each moves a different item.
    const [, second, third] = await agendaTitles(del);
    await editorRow(sec, second!).getByRole('button', { name: 'Move down' }).click();
    await editorRow(chair, third!).getByRole('button', { name: 'Move up' }).click();

    await expect.poll(() => agendaTitles(del), { timeout: 3000 }).toContain(`${target} (revised)`);
    const row = del.getByRole('list', { name: 'Agenda' }).getByRole('listitem').filter({ hasText: `${target} (revised)` });
    await expect.poll(() => row.textContent(), { timeout: 3000 }).toContain('Vice-chair');
    // All three replicas agree on one order.
    await expect.poll(async () => JSON.stringify(await agendaTitles(sec)) === JSON.stringify(await agendaTitles(del)) && JSON.stringify(await agendaTitles(chair)) === JSON.stringify(await agendaTitles(del)), { timeout: 3000 }).toBe(true);
    expect(await agendaTitles(del)).toHaveLength(4);
  });
});
