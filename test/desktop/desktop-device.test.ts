// The desktop app as a room device, through the harness against a real hub: keep-awake follows
// the live meeting, a wipe order from the hub empties the encrypted cache and returns the window
// to sign-in, and an update is installed only when its signature verifies.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { meetingDocName } from '../../shared/doc-names.ts';
import type { Database } from '../../electron/core/store.ts';
import { generateSigningKeys, signFile } from '../../electron/shell/update-verify.ts';
import { openDemoMeeting } from '../e2e/browser.ts';
import { api, signIn, tempDir } from '../helpers/processes.ts';
import { connectDoc, waitSynced } from '../helpers/yclient.ts';
import { connState, shotDesktop, signInDesktop, useDesktopRoom } from './steps.ts';

const updatesDir = tempDir('chamber-desktop-updates-');

/** What the agent's cache holds of one meeting: documents, cached answers, paper files. */
function cached(db: Database, meetingId: string) {
  const n = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
  return {
    docs: n("SELECT COUNT(*) AS n FROM (SELECT doc FROM doc_snapshots UNION SELECT doc FROM doc_updates) WHERE doc LIKE '%' || ? || '%'", meetingId),
    meetings: n('SELECT COUNT(*) AS n FROM agent_meetings WHERE id = ?', meetingId),
    blobs: n('SELECT COUNT(*) AS n FROM blobs'),
  };
}

describe('desktop app: the room device', () => {
  const room = useDesktopRoom({ updatesDir });

  it('holds keep-awake only while the open meeting is live', async () => {
    const d = await room.desktop({ name: 'Tablet D' });
    await signInDesktop(d.page, 'delegate3');
    await openDemoMeeting(d.page);
    await expect.poll(() => connState(d.page), { timeout: 15_000 }).toBe('online');
    // Published, but nobody has opened it yet: not live.
    expect(d.blocker.held).toBe(false);

    const secretary = await signIn(room.hub.url, 'secretary');
    const editor = connectDoc(room.hub.url, meetingDocName(room.meetingId), secretary.token);
    try {
      await waitSynced(editor);
      meetingDoc.setCurrentItem(editor.doc, 'item-opening');
      await expect.poll(() => d.blocker.held, { timeout: 10_000 }).toBe(true);
      expect(d.blocker.calls.find((c) => c.call === 'start')?.type).toBe('prevent-display-sleep');

      meetingDoc.setCurrentItem(editor.doc, null);
      await expect.poll(() => d.blocker.held, { timeout: 10_000 }).toBe(false);

      meetingDoc.setCurrentItem(editor.doc, 'item-budget');
      await expect.poll(() => d.blocker.held, { timeout: 10_000 }).toBe(true);
      // Leaving the meeting ends it for this tablet.
      await d.page.getByRole('link', { name: /All meetings/ }).click();
      await d.page.getByRole('heading', { name: 'Your meetings' }).waitFor();
      await expect.poll(() => d.blocker.held, { timeout: 10_000 }).toBe(false);
      // Back in, the meeting is still in session.
      await openDemoMeeting(d.page);
      await expect.poll(() => d.blocker.held, { timeout: 10_000 }).toBe(true);
      meetingDoc.setCurrentItem(editor.doc, null);
      await expect.poll(() => d.blocker.held, { timeout: 10_000 }).toBe(false);
    } finally {
      editor.destroy();
    }
    // Every start was matched by a stop.
    const starts = d.blocker.calls.filter((c) => c.call === 'start').length;
    expect(starts).toBe(3);
    expect(d.blocker.calls.filter((c) => c.call === 'stop').length).toBe(starts);
  });

  it('a wipe order from the hub empties the cache and returns the window to sign-in', async () => {
    const c = await room.desktop({ name: 'Tablet C' });
    await signInDesktop(c.page, 'delegate2');
    await openDemoMeeting(c.page);
    await c.page.locator('.downloads[data-complete="true"]').waitFor({ timeout: 30_000 });
    const before = c.readCache((db) => cached(db, room.meetingId));
    expect(before.docs).toBeGreaterThanOrEqual(1);
    expect(before.meetings).toBe(1);
    expect(before.blobs).toBeGreaterThan(0);
    // Encrypted at rest: not an SQLite file to anyone without the key.
    expect(fs.readFileSync(c.shell.runtime.cacheFile).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');

    const secretary = await signIn(room.hub.url, 'secretary');
    const delegate = await signIn(room.hub.url, 'delegate2');
    const order = await api<{ id: number }>(room.hub.url, secretary.token, '/api/devices/wipe', {
      method: 'POST', body: JSON.stringify({ meetingId: room.meetingId, userId: delegate.user.id }),
    });
    expect(order.status).toBe(201);

    await c.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 20_000 });
    await shotDesktop(c.page, 'after-wipe');
    expect(c.readCache((db) => cached(db, room.meetingId))).toEqual({ docs: 0, meetings: 0, blobs: 0 });
    expect(await c.page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(c.log.map((l) => l.msg)).toContain('returned the window to sign-in after a wipe order');
    const acks = await api<Array<{ id: number; acks: unknown[] }>>(room.hub.url, secretary.token, `/api/devices/wipe?meetingId=${room.meetingId}`);
    expect(acks.body.find((o) => o.id === order.body.id)?.acks).toHaveLength(1);

    // Signing in again (with the hub) brings the meeting back.
    await signInDesktop(c.page, 'delegate2');
    await openDemoMeeting(c.page);
    await expect.poll(() => c.page.getByRole('list', { name: 'Agenda' }).getByRole('listitem').count(), { timeout: 15_000 }).toBe(4);
  });

  it('installs an update only when its signature verifies', async () => {
    const keys = generateSigningKeys();
    const other = generateSigningKeys();
    const installed = path.join(tempDir('chamber-desktop-opt-'), 'Chamber.AppImage');
    fs.writeFileSync(installed, 'the installed version 1.0.0');
    const e = await room.desktop({
      name: 'Tablet E',
      updates: { publicKeyPem: keys.publicPem, platform: 'linux', arch: 'x64', env: { APPIMAGE: installed }, appVersion: '1.0.0' },
    });
    const file = path.join(updatesDir, 'Chamber-9.0.0.AppImage');
    const release = Buffer.from(`#!/bin/sh\necho chamber 9.0.0\n${'x'.repeat(100_000)}`);
    const publish = async (bytes: Buffer, key: string, tamper?: (f: string) => void) => {
      fs.writeFileSync(file, bytes);
      fs.writeFileSync(`${file}.sig`, JSON.stringify(await signFile(file, key)));
      tamper?.(file);
      fs.writeFileSync(path.join(updatesDir, 'latest-linux.yml'), "version: 9.0.0\npath: Chamber-9.0.0.AppImage\nreleaseDate: '2030-01-01T00:00:00.000Z'\n");
    };
    const downloads = () => fs.existsSync(path.join(e.userData, 'updates')) ? fs.readdirSync(path.join(e.userData, 'updates')) : [];

    // Altered after signing: refused, nothing kept, nothing installed.
    await publish(release, keys.privatePem, (f) => fs.appendFileSync(f, 'malware'));
    const altered = await e.shell.checkForUpdate();
    expect(altered?.result).toMatchObject({ status: 'refused', reason: expect.stringMatching(/modified after signing/) });
    expect(altered?.plan).toBeNull();
    // Signed with a key the app does not trust: refused too.
    await publish(release, other.privatePem);
    const forged = await e.shell.checkForUpdate();
    expect(forged?.result).toMatchObject({ status: 'refused', reason: expect.stringMatching(/does not verify/) });
    expect(fs.readFileSync(installed, 'utf8')).toBe('the installed version 1.0.0');
    expect(downloads()).toEqual([]);
    expect(e.log.filter((l) => l.msg === 'update refused')).toHaveLength(2);

    // Signed with the release key: verified and installed in place of the running AppImage.
    await publish(release, keys.privatePem);
    const good = await e.shell.checkForUpdate();
    expect(good?.result).toMatchObject({ status: 'ready', version: '9.0.0' });
    expect(good?.plan).toMatchObject({ kind: 'replace-appimage', to: installed });
    expect(fs.readFileSync(installed).equals(release)).toBe(true);
    expect(fs.statSync(installed).mode & 0o777).toBe(0o755);
    expect(e.quits).toBe(0);
  });
});
