// Durability of the real hub process: a clean restart, `kill -9` right after clients have seen
// updates, compaction of the update log, and unloading of idle documents.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, signIn } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced } from '../helpers/yclient.ts';
import { health, openHubDb, sleep, startHubIn, storedDoc, storedRows, type HubUnderTest } from './hub-helpers.ts';

const UNLOAD_MS = 400;
const COMPACT_EVERY = 500; // the hub's default, passed explicitly so the test states it
let hub: HubUnderTest;
let adminPassword: string;
let meetingId: string;
const start = (dataDir?: string) => startHubIn(dataDir, { args: ['--unload-after-ms', String(UNLOAD_MS), '--compact-every', String(COMPACT_EVERY)] });

async function token(): Promise<string> {
  return (await signIn(hub.url, 'admin', adminPassword)).token;
}

beforeAll(async () => {
  hub = await start();
  adminPassword = /password "([^"]+)"/.exec(hub.output())![1]!;
  const t = await token();
  const m = await api<{ id: string }>(hub.url, t, '/api/meetings', { method: 'POST', body: JSON.stringify({ title: 'Durability' }) });
  expect(m.status).toBe(201);
  meetingId = m.body.id;
});
afterAll(async () => hub?.stop());

const items = (doc: Y.Doc) => doc.getMap('agenda');

describe('durability', () => {
  it('a clean restart keeps every document', async () => {
    const c = connectDoc(hub.url, `meeting/${meetingId}`, await token());
    await waitSynced(c);
    for (let i = 0; i < 20; i++) items(c.doc).set(`restart-${i}`, `value ${i}`);
    // Seen by a second client = acknowledged by the hub.
    const seen = connectDoc(hub.url, `meeting/${meetingId}`, await token());
    await waitFor(() => items(seen.doc).size >= 20, 5000, 'second client sees 20');
    c.destroy();
    seen.destroy();
    await hub.stop();
    hub = await start(hub.dataDir);
    const after = connectDoc(hub.url, `meeting/${meetingId}`, await token());
    await waitSynced(after);
    for (let i = 0; i < 20; i++) expect(items(after.doc).get(`restart-${i}`)).toBe(`value ${i}`);
    after.destroy();
  });

  it('kill -9 after another client has seen N updates loses none of them, across compactions', async () => {
    const N = 1200; // more than twice the compaction threshold
    const writer = connectDoc(hub.url, `meeting/${meetingId}`, await token());
    const reader = connectDoc(hub.url, `meeting/${meetingId}`, await token());
    await Promise.all([waitSynced(writer), waitSynced(reader)]);
    const list = () => writer.doc.getArray<number>('kill9');
    // One transaction per update, sent as fast as the client produces them.
    for (let i = 0; i < N; i++) list().push([i]);
    await waitFor(() => reader.doc.getArray('kill9').length === N, 30_000, `reader sees ${N}`);
    await hub.kill9();
    // The old providers would re-upload their state on reconnect and hide any loss: drop them first.
    writer.destroy();
    reader.destroy();
    hub = await start(hub.dataDir);
    const fresh = connectDoc(hub.url, `meeting/${meetingId}`, await token());
    await waitSynced(fresh);
    expect(fresh.doc.getArray<number>('kill9').toArray()).toEqual(Array.from({ length: N }, (_, i) => i));
    fresh.destroy();
  });

  it('compaction keeps the log short, and an idle document is unloaded (compacting what is left)', async () => {
    const name = `meeting/${meetingId}`;
    const db = openHubDb(hub.dataDir);
    try {
      // A starting hub writes each open meeting's live/<id>; idle, it is unloaded like any other.
      const deadline = Date.now() + 10_000;
      while ((await health(hub.url)).docsLoaded !== 0) {
        if (Date.now() > deadline) throw new Error('the documents written at start were not unloaded');
        await sleep(50);
      }
      const c = connectDoc(hub.url, name, await token());
      await waitSynced(c);
      expect((await health(hub.url)).docsLoaded).toBe(1);
      const before = storedRows(db, name);
      for (let i = 0; i < COMPACT_EVERY + 50; i++) c.doc.getMap('compaction').set(`k${i % 40}`, i);
      const check = connectDoc(hub.url, name, await token());
      await waitFor(() => check.doc.getMap('compaction').get('k29') === COMPACT_EVERY + 49, 20_000, 'last write seen');
      // COMPACT_EVERY + 50 commits on top of `before` rows: at least one compaction happened.
      const rows = storedRows(db, name);
      expect(rows).toBeLessThan(COMPACT_EVERY);
      expect(rows).toBe((before + COMPACT_EVERY + 50) % COMPACT_EVERY);
      const snap = db.prepare('SELECT LENGTH(data) AS n FROM doc_snapshots WHERE doc = ?').get(name) as { n: number } | undefined;
      expect(snap?.n).toBeGreaterThan(0);
      c.destroy();
      check.destroy();
      await sleep(UNLOAD_MS * 3);
      expect((await health(hub.url)).docsLoaded).toBe(0);
      // Unloading folded the rest of the log into the snapshot.
      expect(storedRows(db, name)).toBe(0);
      const stored = storedDoc(db, name);
      expect(stored.getMap('compaction').get('k29')).toBe(COMPACT_EVERY + 49);
      expect(stored.getArray('kill9').length).toBe(1200);
      // A new connection loads it again from the snapshot.
      const again = connectDoc(hub.url, name, await token());
      await waitSynced(again);
      expect(again.doc.getMap('agenda').get('restart-19')).toBe('value 19');
      expect((await health(hub.url)).docsLoaded).toBe(1);
      again.destroy();
    } finally {
      db.close();
    }
  });
});
