// Losing access while a meeting is on screen: the secretary removes a delegate from the meeting
// during it. The delegate's tablet drops the meeting at once (agenda, paper, notes) and says why;
// the other delegates' tablets carry on live.
import { describe, expect, it } from 'vitest';
import { openDemoMeeting, openPaper, shot, signInUi, useDemoRoom } from './browser.ts';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitSynced } from '../helpers/yclient.ts';
import { meetingDocName } from '../../shared/doc-names.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

describe('app: access lost during a meeting', () => {
  const room = useDemoRoom();

  it('a removed delegate\'s screen leaves the meeting and says why; the others stay live', async () => {
    const removed = await room.newPage();
    const stays = await room.newPage();
    for (const [page, login] of [[removed, 'delegate2'], [stays, 'delegate1']] as const) {
      await signInUi(page, room.hub.url, login);
      await openDemoMeeting(page);
    }
    await openPaper(removed, 'Quarterly Report Q3');
    await expect.poll(() => removed.locator('.conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');

    const sec = await signIn(room.hub.url, 'secretary');
    const meetingId = (await api<Array<{ id: string }>>(room.hub.url, sec.token, '/api/meetings')).body[0]!.id;
    const d2 = await signIn(room.hub.url, 'delegate2');
    expect((await api(room.hub.url, sec.token, `/api/meetings/${meetingId}/participants/${d2.user.id}`, { method: 'DELETE' })).status).toBe(204);

    // Back on the meeting list, told why; nothing of the meeting is left on screen.
    await removed.getByRole('heading', { name: 'Your meetings' }).waitFor({ timeout: 5000 });
    await expect.poll(() => removed.getByRole('alert').textContent()).toContain('You no longer have access to that meeting');
    expect(await removed.getByRole('list', { name: 'Agenda' }).count()).toBe(0);
    expect(await removed.locator('.page canvas').count()).toBe(0);
    expect(await removed.getByText('Quarterly Report Q3').count()).toBe(0);
    expect(await removed.getByRole('link', { name: /Council meeting/ }).count()).toBe(0);
    await shot(removed, 'app-access-lost');

    // Going back to the meeting's address does not bring it back: the hub refuses the replica
    // again and the app leaves the meeting again, saying why.
    await removed.evaluate(() => {
      const w = window as unknown as { __backTo: string[] };
      w.__backTo = [];
      window.addEventListener('popstate', () => w.__backTo.push(location.hash));
    });
    await removed.goBack();
    expect(await removed.evaluate(() => (window as unknown as { __backTo: string[] }).__backTo[0])).toMatch(/^#\/m\//);
    await expect.poll(() => new URL(removed.url()).hash, { timeout: 10_000 }).toBe('#/');
    await expect.poll(() => removed.getByRole('alert').textContent()).toContain('You no longer have access to that meeting');
    expect(await removed.getByRole('list', { name: 'Agenda' }).getByRole('listitem').count()).toBe(0);

    // The delegate who stays is still live: a renamed agenda item reaches them.
    expect(await stays.locator('.conn').getAttribute('data-state')).toBe('online');
    const editor = connectDoc(room.hub.url, meetingDocName(meetingId), sec.token);
    try {
      await waitSynced(editor);
      meetingDoc.updateAgendaItem(editor.doc, 'item-other', { title: 'Renamed after the removal' });
      await stays.getByRole('list', { name: 'Agenda' }).getByText('Renamed after the removal').waitFor({ timeout: 5000 });
    } finally {
      editor.destroy();
    }
  });

  it('a revoked session signs the tablet out, with nothing of the meeting left on screen', async () => {
    const page = await room.meetingAs('delegate3');
    await openPaper(page, 'Digital Strategy 2027–2030');
    const admin = await signIn(room.hub.url, 'admin');
    const d3 = await signIn(room.hub.url, 'delegate3');
    expect((await api(room.hub.url, admin.token, `/api/accounts/${d3.user.id}/revoke-sessions`, { method: 'POST' })).status).toBe(200);
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: 5000 });
    expect(await page.getByRole('list', { name: 'Agenda' }).count()).toBe(0);
    expect(await page.locator('.page canvas').count()).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('chamber.session'))).toBeNull();
  });
});
