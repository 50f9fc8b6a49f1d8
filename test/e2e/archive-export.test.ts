// The archive in Chromium: the secretary closes the meeting, which the room then sees as archived
// (read-only: the console keeps only what may still change), and exports the meeting package from
// the console — a real download whose ZIP verifies against its signed manifest; an admin reopens
// the meeting with a reason.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/processes.ts';
import { archiveCli, unzip } from '../integration/archive-helpers.ts';
import { shot, useDemoRoom } from './browser.ts';
import { confirm, consoleTab } from './secretary-helpers.ts';
import { MANIFEST_PATH, packageManifestSchema } from '../../shared/archive.ts';

describe('archive: a closed meeting and its package', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });

  it('the secretary closes the meeting and exports its package; an admin reopens it', async () => {
    const sec = await room.meetingAs('secretary');
    const del = await room.meetingAs('delegate1');
    await consoleTab(sec, 'Meeting');
    await sec.getByRole('button', { name: 'Close the meeting' }).click();
    await confirm(sec, 'Close the meeting');
    await expect.poll(() => sec.getByTestId('ce-status').textContent()).toContain('closed');

    // Archived, for everyone: the notice, and the console keeps only the record, minutes and meeting.
    const notice = 'This meeting is closed. It is archived: everything can be read, nothing can be changed.';
    await sec.getByText(notice).waitFor();
    await del.getByText(notice).waitFor({ timeout: 10_000 });
    // Nothing left to check in to, ask the floor in or vote on.
    await expect.poll(() => del.getByRole('button', { name: 'Check in' }).count()).toBe(0);
    expect(await sec.getByRole('tab').allTextContents()).toEqual(['Record', 'Minutes', 'Meeting']);
    expect(await sec.getByRole('button', { name: 'Update details' }).isDisabled()).toBe(true);
    await sec.getByTestId('archive-key').waitFor();

    const [download] = await Promise.all([
      sec.waitForEvent('download'),
      sec.getByRole('button', { name: 'Export meeting package' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Phien-hop-Hoi-dong-[A-Za-z0-9-]+\.zip$/);
    const file = path.join(tempDir('chamber-e2e-archive-'), download.suggestedFilename());
    await download.saveAs(file);
    const manifest = packageManifestSchema.parse(JSON.parse(unzip(fs.readFileSync(file)).find((e) => e.name === MANIFEST_PATH)!.bytes.toString('utf8')));
    expect(manifest.final).toBe(true);
    expect(manifest.meeting.status).toBe('closed');
    expect(manifest.files.filter((f) => f.kind === 'paper').length).toBeGreaterThanOrEqual(4);
    const fingerprint = (await sec.getByTestId('archive-key').textContent())!.split(': ')[1]!;
    const verified = await archiveCli(['verify', file, '--key', fingerprint]);
    expect(verified.code, verified.out).toBe(0);
    await sec.getByText(`Package saved as ${download.suggestedFilename()}.`).waitFor({ state: 'attached' });
    await shot(sec, 'archive-closed');
    await shot(del, 'archive-closed-delegate');

    // Only an admin reopens it, giving a reason.
    expect(await sec.getByLabel('Reason for reopening').count()).toBe(0);
    const admin = await room.meetingAs('admin');
    await consoleTab(admin, 'Meeting');
    await admin.getByLabel('Reason for reopening').fill('Bổ sung tài liệu còn thiếu');
    await shot(admin, 'archive-reopen');
    await admin.getByRole('button', { name: 'Reopen the meeting' }).click();
    await expect.poll(() => admin.getByTestId('ce-status').textContent()).toContain('published');
    await expect.poll(() => del.getByText(notice).count(), { timeout: 10_000 }).toBe(0);
    await del.getByRole('button', { name: 'Check in' }).waitFor();
    // Open again: the agenda editor is back (a column of the desk on this wide screen).
    await admin.getByRole('button', { name: 'Add item' }).waitFor();
  });
});
