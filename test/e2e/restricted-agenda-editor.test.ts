// The agenda editor and a restricted paper, in a real Chromium against a real hub: the secretary
// ticks the paper on another item and its reader finds it there, while the meeting document,
// which every participant replicates, never names it (the hub keeps that link).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoMeeting, shot, signInUi, useDemoRoom } from './browser.ts';
import { consoleTab, editorRow } from './secretary-helpers.ts';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitSynced } from '../helpers/yclient.ts';
import { readAgenda } from '../../shared/meeting-doc.ts';

const STRATEGY = 'Digital Strategy 2027–2030';

describe('agenda editor: a restricted paper', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });

  it('goes on an item through the hub: its reader sees it there, the shared document never names it', async () => {
    const sec = await signIn(room.hub.url, 'secretary');
    const reader = await signIn(room.hub.url, 'delegate3');
    const barred = await signIn(room.hub.url, 'delegate2');
    const meetingId = (await api<Array<{ id: string; title: string }>>(room.hub.url, sec.token, '/api/meetings')).body.find((m) => /Council meeting/.test(m.title))!.id;
    const paperId = (await api<Array<{ id: string; title: string }>>(room.hub.url, sec.token, `/api/meetings/${meetingId}/papers`)).body.find((p) => p.title === STRATEGY)!.id;
    expect((await api(room.hub.url, sec.token, `/api/papers/${paperId}`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ restrictTo: [reader.user.id] }),
    })).status).toBe(200);

    // What a participant who may not read the paper replicates, watched for the whole test.
    const shared = connectDoc(room.hub.url, `meeting/${meetingId}`, barred.token);
    await waitSynced(shared);
    // readAgenda first: a Y.Doc's toJSON leaves out the types nobody has asked it for.
    const names = () => readAgenda(shared.doc).some((i) => i.paperIds.includes(paperId)) || JSON.stringify(shared.doc.toJSON()).includes(paperId);
    expect(names()).toBe(false);
    expect(readAgenda(shared.doc).length).toBeGreaterThan(0);
    let named = false;
    shared.doc.on('update', () => (named ||= names()));

    const allowed = await room.newPage();
    await signInUi(allowed, room.hub.url, 'delegate3');
    await openDemoMeeting(allowed);
    const groupOf = (page: Page) => page.locator('.paper-group', { has: page.getByRole('link', { name: STRATEGY, exact: true }) }).locator('h3').textContent();
    await expect.poll(() => groupOf(allowed), { timeout: 10_000 }).toMatch(/Digital strategy/);

    const desk = await room.meetingAs('secretary');
    await consoleTab(desk, 'Items');
    const opening = editorRow(desk, 'Opening');
    const count = async () => Number(/(\d+) papers?/.exec((await opening.textContent()) ?? '')?.[1] ?? 0);
    const before = await count();
    await opening.getByRole('button', { name: 'Edit' }).click();
    const box = desk.getByRole('checkbox', { name: STRATEGY });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await desk.getByRole('button', { name: 'Save', exact: true }).click();
    // Its reader finds it under the first item that has it: now the opening.
    await expect.poll(() => groupOf(allowed), { timeout: 10_000 }).toMatch(/Opening/);
    // The secretary's row counts it with the item's other papers.
    await expect.poll(count, { timeout: 10_000 }).toBe(before + 1);
    await shot(desk, 'restricted-paper-ticked-in-editor');

    // Editing the item again shows the tick (from the hub's link), and unticking takes it off.
    await opening.getByRole('button', { name: 'Edit' }).click();
    expect(await desk.getByRole('checkbox', { name: STRATEGY }).isChecked()).toBe(true);
    await desk.getByRole('checkbox', { name: STRATEGY }).uncheck();
    await desk.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => groupOf(allowed), { timeout: 10_000 }).toMatch(/Digital strategy/);
    await expect.poll(count, { timeout: 10_000 }).toBe(before);

    expect(named).toBe(false);
    expect(names()).toBe(false);
    shared.destroy();
  });
});
