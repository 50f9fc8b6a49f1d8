// The minutes end to end: after a meeting held through the API, the secretary fills in the
// masthead in the console's Minutes tab, submits, sees the chair's approval arrive live, issues
// with confirmation, and reads the number and sha256 on screen — the sha256 of the very file the
// browser downloads — while the issued minutes appear among the meeting's papers. Then the tab in
// Vietnamese. Screenshots: test-results/minutes-*.png.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SHOTS, useDemoRoom } from './browser.ts';
import { api, signIn } from '../helpers/processes.ts';

interface View { state: string; issued: null | { number: string; sha256: string; paperId: string } }

describe('minutes: the secretary issues them through the console', () => {
  // Tall, so the whole tab (its steps, fields and the preview of a page and more) fits one shot.
  const room = useDemoRoom({ viewport: { width: 1280, height: 3000 } });
  let secretary: Page;
  let meetingId = '';
  const tokens = new Map<string, string>();
  const as = <T,>(login: string, method: string, path: string, body?: unknown) =>
    api<T>(room.hub.url, tokens.get(login)!, path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  /** The Minutes tab, scrolled to the top of the side column. */
  const shotOf = async (name: string) => {
    const panel = secretary.locator('.mn-panel');
    await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await panel.screenshot({ path: `${SHOTS}/minutes-${name}.png` });
  };

  beforeAll(async () => {
    for (const login of ['secretary', 'chair', 'delegate1', 'delegate2', 'delegate3']) tokens.set(login, (await signIn(room.hub.url, login)).token);
    meetingId = (await as<Array<{ id: string }>>('chair', 'GET', '/api/meetings')).body[0]!.id;
    // The meeting, held: everyone in, a named vote carried 2 to 1 and published.
    for (const login of ['chair', 'secretary', 'delegate1', 'delegate2']) {
      expect((await as(login, 'POST', `/api/meetings/${meetingId}/attendance`, { status: 'present' })).status).toBe(200);
    }
    const poll = await as<{ id: string }>('chair', 'POST', `/api/meetings/${meetingId}/polls`, { title: 'Thông qua ngân sách 2027', method: 'approval', visibility: 'named', agendaItemId: 'item-budget' });
    await as('chair', 'POST', `/api/polls/${poll.body.id}/start`);
    for (const [login, value] of [['chair', 'yes'], ['delegate1', 'yes'], ['delegate2', 'no']]) {
      expect((await as(login!, 'POST', `/api/polls/${poll.body.id}/ballots`, { value })).status).toBe(201);
    }
    await as('chair', 'POST', `/api/polls/${poll.body.id}/stop`);
    expect((await as('chair', 'POST', `/api/polls/${poll.body.id}/publish`)).status).toBe(200);
    secretary = await room.meetingAs('secretary');
  });

  it('drafts, submits, sees the approval arrive, issues, and shows the number and sha256', async () => {
    const p = secretary;
    await p.getByRole('tab', { name: 'Minutes', exact: true }).click();
    const state = p.getByTestId('minutes-state');
    await expect.poll(() => state.textContent()).toBe('The minutes are: Draft');
    const form = p.getByRole('form', { name: 'Details of the minutes' });
    await form.getByLabel('Body above (cấp trên)').fill('Đảng bộ khối các cơ quan Trung ương');
    await form.getByLabel('Body holding the meeting').fill('Đảng uỷ Văn phòng');
    await form.getByLabel('Number suffix, e.g. BB/VPTW').fill('BB/VPTW');
    await form.getByLabel('Place name of the date line').fill('Hà Nội');
    await form.getByRole('button', { name: 'Store details' }).click();
    const preview = p.getByRole('article', { name: 'Preview' });
    await preview.getByText('ĐẢNG UỶ VĂN PHÒNG', { exact: true }).waitFor();
    await p.getByLabel('Preview in').selectOption('vi');
    await preview.getByText(/tán thành 2\/3 \(66,67%\)/).waitFor();
    await preview.getByText('DỰ THẢO', { exact: true }).waitFor();
    await shotOf('draft');

    await p.getByRole('button', { name: 'Submit to the chair', exact: true }).click();
    await p.getByRole('group', { name: 'Submit to the chair' }).getByRole('button', { name: 'Yes, submit' }).click();
    await expect.poll(() => state.textContent()).toBe('The minutes are: Submitted');
    expect((await as<View>('secretary', 'GET', `/api/meetings/${meetingId}/minutes`)).body.state).toBe('submitted');

    // The chair approves on their own device: the secretary's screen follows the live document.
    expect((await as('chair', 'POST', `/api/meetings/${meetingId}/minutes/approve`)).status).toBe(200);
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toBe('The minutes are: Approved');

    await p.getByRole('button', { name: 'Issue', exact: true }).click();
    const confirm = p.getByRole('group', { name: 'Issue' });
    await confirm.getByText(/can never be changed again/).waitFor();
    await confirm.getByRole('button', { name: 'Yes, issue' }).click();
    await expect.poll(() => state.textContent(), { timeout: 20_000 }).toBe('The minutes are: Issued');
    const issued = (await as<View>('delegate1', 'GET', `/api/meetings/${meetingId}/minutes`)).body.issued!;
    expect(issued.number).toBe('1-BB/VPTW');
    await p.getByTestId('minutes-issued').getByText('Issued as No. 1-BB/VPTW', { exact: false }).waitFor();
    expect(await p.getByTestId('minutes-sha256').textContent()).toBe(issued.sha256);
    // No step is offered any more.
    expect(await p.getByRole('button', { name: 'Issue', exact: true }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Back to draft', exact: true }).count()).toBe(0);

    // The issued minutes are a paper of the meeting, opened by their title like any other.
    await p.getByRole('link', { name: 'Biên bản họp số 1-BB/VPTW', exact: true }).waitFor({ timeout: 15_000 });
    await preview.getByText('Số 1-BB/VPTW', { exact: true }).waitFor();
    await shotOf('issued');

    // The file the browser saves is the issued one, byte for byte.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'PDF (Vietnamese)', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe('bien-ban-1-BB-VPTW.pdf');
    const file = await download.path();
    expect(crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(issued.sha256);
  });

  it('shows the tab in Vietnamese', async () => {
    const p = secretary;
    await p.getByLabel('Language').selectOption('vi');
    await p.getByRole('tab', { name: 'Biên bản', exact: true }).click();
    await expect.poll(() => p.getByTestId('minutes-state').textContent()).toBe('Biên bản đang ở bước: Đã ban hành');
    await p.getByRole('article', { name: 'Xem trước' }).getByText('BIÊN BẢN', { exact: true }).waitFor();
    await p.getByRole('group', { name: 'Tải về' }).getByRole('button', { name: 'PDF (Tiếng Việt)' }).waitFor();
    await shotOf('issued-vi');
  });
});
