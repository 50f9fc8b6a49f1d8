// Steps the desktop scenarios share: a room (a real demo hub and Chromium), sign-in through the
// window's form, and the hub's side of what a test checks (the demo meeting, what it stored).
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { readAnnotations } from '../../shared/notes-doc.ts';
import { notesDocName } from '../../shared/doc-names.ts';
import { launchChromium, SHOTS } from '../e2e/browser.ts';
import { api, signIn, startHub, startProcess, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { openHubDb, storedDoc } from '../integration/hub-helpers.ts';
import { startDesktop, type Desktop, type DesktopOptions } from './harness.ts';

export interface DesktopRoom {
  hub: RunningProcess;
  hubData: string;
  browser: Browser;
  meetingId: string;
  /** A desktop app for this room, closed after the file's tests. */
  desktop(opts?: Omit<DesktopOptions, 'browser' | 'hubUrl'>): Promise<Desktop>;
  /** Restarts a stopped hub on the same data and port. */
  restartHub(): Promise<void>;
}

/** Call inside a describe: a demo hub (optionally with an updates folder) and Chromium. */
export function useDesktopRoom(opts: { updatesDir?: string } = {}): DesktopRoom {
  const desktops: Desktop[] = [];
  const room = {
    async desktop(o: Omit<DesktopOptions, 'browser' | 'hubUrl'> = {}) {
      const d = await startDesktop({ ...o, browser: room.browser, hubUrl: room.hub.url });
      desktops.push(d);
      return d;
    },
    async restartHub() {
      room.hub = await startHubOn(room.hubData, room.hub.port, opts.updatesDir);
    },
  } as DesktopRoom;
  beforeAll(async () => {
    room.hubData = tempDir('chamber-desktop-hub-');
    room.hub = await startHubOn(room.hubData, 0, opts.updatesDir);
    room.browser = await launchChromium();
    const secretary = await signIn(room.hub.url, 'secretary');
    const meetings = await api<Array<{ id: string }>>(room.hub.url, secretary.token, '/api/meetings');
    room.meetingId = meetings.body[0]!.id;
  });
  afterAll(async () => {
    for (const d of desktops) await d.close().catch(() => {});
    await room.browser?.close();
    await room.hub?.stop();
  });
  return room;
}

function startHubOn(dataDir: string, port: number, updatesDir?: string): Promise<RunningProcess> {
  if (!updatesDir) return startHub(dataDir, { demo: true, port });
  return startProcess('electron/hub/cli.ts', ['--data', dataDir, '--port', String(port), '--quiet', '--demo', '--updates', updatesDir]);
}

/** Signs in through the window's form, as a person would (the window is already on the app). */
export async function signInDesktop(page: Page, login: string, password = 'demo'): Promise<void> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your meetings' }).waitFor();
}

export async function shotDesktop(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `desktop-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export const connState = (page: Page) => page.locator('.conn').getAttribute('data-state');

/** Ink strokes of `userId` on `paperId` as the hub committed them (its SQLite file, read alongside). */
export function hubInk(hubData: string, meetingId: string, userId: string, paperId: string): number {
  const db = openHubDb(hubData);
  try {
    const doc = storedDoc(db, notesDocName(meetingId, userId));
    return readAnnotations(doc, { paperId }).filter((a) => a.kind === 'ink').length;
  } finally {
    db.close();
  }
}
