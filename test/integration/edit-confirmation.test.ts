// The renderer's "syncing" signal for unconfirmed local edits, against the real hub process: a
// delegate's edit counts as confirmed only once the hub has handled it. The hub is frozen with
// SIGSTOP (its sockets stay open, as with a hub that hangs), so edits sit unconfirmed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { sleep, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { trackEditConfirmation, type EditConfirmation } from '../../renderer/sync/edit-confirmation.ts';
import { notesDocName } from '../../shared/doc-names.ts';

let hub: HubUnderTest;
let docName: string;
let token: string;
const clients: YClient[] = [];
const trackers: EditConfirmation[] = [];

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  const s = await signIn(hub.url, 'delegate1');
  token = s.token;
  const meetingId = (await api<Array<{ id: string }>>(hub.url, token, '/api/meetings')).body[0]!.id;
  docName = notesDocName(meetingId, s.user.id);
});

afterAll(async () => {
  hub?.proc.kill('SIGCONT');
  for (const t of trackers) t.destroy();
  for (const c of clients) c.destroy();
  await hub?.stop();
});

async function tracked(): Promise<{ c: YClient; t: EditConfirmation; changes: boolean[] }> {
  const c = connectDoc(hub.url, docName, token);
  clients.push(c);
  await waitSynced(c);
  const changes: boolean[] = [];
  const t = trackEditConfirmation(c.provider, c.doc, { probeDelayMs: 50, retryMs: 300, staleAfterMs: 800, onStaleChange: (s) => changes.push(s) });
  trackers.push(t);
  return { c, t, changes };
}

describe('edit confirmation', () => {
  it('holds an edit as pending while the hub is frozen and confirms it once the hub has it', async () => {
    const { c, t, changes } = await tracked();
    c.doc.getMap('probe-test').set('a', 1);
    expect(t.pending).toBe(true);
    await waitFor(() => !t.pending, 5000, 'confirmation');
    // A healthy hub confirms long before the edit could go stale.
    expect(changes).toEqual([]);

    hub.proc.kill('SIGSTOP');
    try {
      c.doc.getMap('probe-test').set('b', 2);
      // A stopped hub never confirms: the edit turns stale while still pending.
      await waitFor(() => t.stale, 5000, 'the edit to go stale');
      expect(t.pending).toBe(true);
    } finally {
      hub.proc.kill('SIGCONT');
    }
    await waitFor(() => !t.pending, 5000, 'confirmation after the hub resumed');
    expect(t.stale).toBe(false);
    expect(changes).toEqual([true, false]);

    // Confirmed means stored: a fresh replica sees both edits.
    const other = connectDoc(hub.url, docName, token);
    clients.push(other);
    await waitSynced(other);
    expect(other.doc.getMap('probe-test').toJSON()).toEqual({ a: 1, b: 2 });
  });

  it('confirms a deletion, which adds no item and so no clock of its own', async () => {
    const { c, t } = await tracked();
    const arr = c.doc.getArray<string>('probe-list');
    arr.push(['x', 'y']);
    await waitFor(() => !t.pending, 5000, 'confirmation of the insert');
    const before = Y.encodeStateVector(c.doc);
    arr.delete(0, 1);
    expect(Y.encodeStateVector(c.doc)).toEqual(before);
    expect(t.pending).toBe(true);
    await waitFor(() => !t.pending, 5000, 'confirmation of the deletion');
  });

  it('never goes stale while a delegate edits steadily against a healthy hub', async () => {
    const { c, t, changes } = await tracked();
    // An edit every 30 ms for 2.4 s: faster than the probe delay, so there is always an edit
    // waiting; each one is confirmed within a probe or two, never 800 ms later.
    for (let i = 0; i < 80; i++) {
      c.doc.getMap('probe-steady').set(`k${i}`, i);
      await sleep(30);
    }
    expect(changes).toEqual([]);
    await waitFor(() => !t.pending, 5000, 'the last edit confirmed');
  });

  it('keeps edits made while disconnected pending until the reconnect has carried them', async () => {
    const { c, t } = await tracked();
    c.provider.disconnect();
    c.doc.getMap('probe-offline').set('k', 'v');
    await waitFor(() => t.stale, 5000, 'the offline edit to go stale');
    expect(t.pending).toBe(true);
    c.provider.connect();
    await waitFor(() => !t.pending, 5000, 'confirmation after reconnect');
    const other = connectDoc(hub.url, docName, token);
    clients.push(other);
    await waitSynced(other);
    expect(other.doc.getMap('probe-offline').get('k')).toBe('v');
  });
});
