// The meeting list's "New meeting": a secretary with no meeting yet has no console to create one
// from, so the list offers it (to admin, secretary and chair accounts only). The new meeting
// opens on its console's Meeting tab; once published, the delegate added to it sees it.
import { beforeAll, describe, expect, it } from 'vitest';

import { shot, signInUi, useDemoRoom } from './browser.ts';
import { api, signIn } from '../helpers/processes.ts';

describe('app: creating a meeting from the list', () => {
  const room = useDemoRoom({ viewport: { width: 1280, height: 900 } });
  const newPage = () => room.newPage();
  beforeAll(async () => {
    // A secretary who takes part in no meeting yet: the case the list's button exists for.
    const admin = await signIn(room.hub.url, 'admin');
    const made = await api(room.hub.url, admin.token, '/api/accounts', { method: 'POST', body: JSON.stringify({ login: 'newsec', name: 'Trần Thu Hà', role: 'secretary', password: 'newsec-password' }) });
    expect(made.status).toBe(201);
  });

  it('a secretary with no meetings creates one, adds delegate1, publishes; delegate1 sees it', async () => {
    const sec = await newPage();
    await signInUi(sec, room.hub.url, 'newsec', 'newsec-password');
    await sec.getByText('You take part in no meeting yet.').waitFor();
    await sec.getByRole('button', { name: 'New meeting' }).click();
    await sec.getByLabel('Name of the new meeting').fill('Planning committee');
    await sec.getByRole('button', { name: 'Create', exact: true }).click();

    // Straight into the new meeting's console, on its Meeting tab.
    await sec.getByRole('heading', { level: 1, name: 'Planning committee' }).waitFor({ timeout: 5000 });
    await expect.poll(() => sec.getByRole('tab', { name: 'Meeting', exact: true }).getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => sec.getByTestId('ce-status').textContent()).toContain('draft');

    await sec.getByLabel('Account').selectOption({ label: 'Lê Minh Tuấn (delegate1)' });
    await sec.getByLabel('Role', { exact: true }).selectOption('delegate');
    await sec.getByRole('button', { name: 'Add participant' }).click();
    await sec.getByLabel('Role of Lê Minh Tuấn').waitFor();
    await sec.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => sec.getByTestId('ce-status').textContent()).toContain('published');
    await shot(sec, 'app-meetings-new');

    // Back on the list, the creator now sees the meeting too.
    await sec.getByRole('link', { name: 'All meetings' }).click();
    await sec.getByRole('link', { name: /Planning committee/ }).waitFor();

    const del = await newPage();
    await signInUi(del, room.hub.url, 'delegate1');
    await del.getByRole('link', { name: /Planning committee/ }).click();
    await del.getByRole('heading', { level: 1, name: 'Planning committee' }).waitFor();
    // Delegates create no meetings, so the list does not offer it to them.
    await del.getByRole('link', { name: 'All meetings' }).click();
    await del.getByRole('heading', { name: 'Your meetings' }).waitFor();
    expect(await del.getByRole('button', { name: 'New meeting' }).count()).toBe(0);
  });
});
