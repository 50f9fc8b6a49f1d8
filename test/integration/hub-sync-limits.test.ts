// Per-document size limits, the largest message the hub sends, and per-connection rate limits,
// on a hub created in-process with small limits (the room's defaults are in
// electron/core/sync-limits.ts; filling 32 MiB over loopback would only make the test slow).
// Real y-websocket clients over real sockets, a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createHub, type Hub } from '../../electron/hub/hub.ts';
import { seedDemo } from '../../electron/hub/demo-seed.ts';
import { signIn, tempDir } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import * as notesDoc from '../../shared/notes-doc.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

const KiB = 1024;
const LIMITS = { maxDocBytes: 320 * KiB, maxOutboundBytes: 1024 * KiB };
const RATE = { bytesPerSecond: 64 * KiB, burstBytes: 64 * KiB, messagesPerSecond: 1000, burstMessages: 1000 };

let hub: Hub;
let dataDir: string;
const logs: string[] = [];
let meetingId: string;
const tokens: Record<string, string> = {};
const users: Record<string, string> = {};
const clients: YClient[] = [];

function client(login: string, name: string): YClient {
  const c = connectDoc(hub.url, name, tokens[login]!);
  clients.push(c);
  return c;
}

const start = () => createHub({ dataDir, port: 0, log: (msg) => logs.push(msg), sync: { limits: LIMITS, rateLimits: RATE } });

/** An ink stroke of about `kib` KiB once encoded (two-decimal coordinates are float64s). */
function stroke(i: number, kib: number): notesDoc.Annotation {
  const n = Math.floor((kib * KiB) / 9 / 3) * 3;
  return {
    id: `ink-${i}`, kind: 'ink', tool: 'pen', paperId: 'paper', sha256: 'a'.repeat(64), page: 1, createdAt: i, color: '#000', width: 2,
    points: Array.from({ length: n }, (_, k) => 100.37 + k * 0.01 + i),
  };
}

const storedBytes = (doc: string) => (hub.store.db.prepare(`SELECT
  COALESCE((SELECT SUM(LENGTH(data)) FROM doc_updates WHERE doc = ?), 0) + COALESCE((SELECT LENGTH(data) FROM doc_snapshots WHERE doc = ?), 0) AS n`).get(doc, doc) as { n: number }).n;

beforeAll(async () => {
  dataDir = tempDir('chamber-limits-');
  hub = await start();
  meetingId = (await seedDemo(hub)).meetingId!;
  for (const login of ['secretary', 'delegate1', 'delegate2']) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user.id;
  }
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await hub?.close();
});

describe('per-document size limit', () => {
  it('refuses writes past the limit with 4413; what was stored stays within it and everyone else carries on', async () => {
    const notes = `notes/${meetingId}/${users.delegate1}`;
    const tablet = client('delegate1', notes);
    const laptop = client('delegate1', notes);
    const sec = client('secretary', `meeting/${meetingId}`);
    const del = client('delegate2', `meeting/${meetingId}`);
    await Promise.all([tablet, laptop, sec, del].map((c) => waitSynced(c)));
    for (let i = 0; i < 20; i++) notesDoc.putAnnotation(tablet.doc, stroke(i, 24));
    expect(await tablet.closed).toEqual({ code: 4413, reason: `refused: document full (limit ${LIMITS.maxDocBytes} bytes)` });
    const kept = notesDoc.readAnnotations(laptop.doc).length;
    expect(kept).toBeGreaterThan(5);
    expect(kept).toBeLessThan(20);
    expect(storedBytes(notes)).toBeLessThanOrEqual(LIMITS.maxDocBytes);
    expect(logs).toContain('refused an update: document full');
    // Other documents and users are unaffected.
    meetingDoc.updateAgendaItem(sec.doc, 'item-budget', { presenter: 'after the full notes' });
    await waitFor(() => meetingDoc.readAgenda(del.doc).some((i) => i.presenter === 'after the full notes'), 5000, 'agenda edit');
    // The full document still loads, for the laptop and after a restart.
    laptop.provider.disconnect();
    await hub.close();
    hub = await start();
    const after = client('delegate1', notes);
    await waitSynced(after);
    expect(notesDoc.readAnnotations(after.doc).length).toBe(kept);
    for (const c of [after, sec, del]) c.provider.disconnect();
  });

  it('a document stored larger than the clients accept is refused with 4413, not sent as one giant frame', async () => {
    const notes = `notes/${meetingId}/${users.delegate2}`;
    // Written straight into the store, as a document from before the limits could be.
    const big = new Y.Doc();
    for (let i = 0; i < 60; i++) notesDoc.putAnnotation(big, stroke(i, 24));
    const update = Y.encodeStateAsUpdate(big);
    expect(update.length).toBeGreaterThan(LIMITS.maxOutboundBytes);
    hub.store.appendUpdate(notes, update);
    const c = client('delegate2', notes);
    let largest = 0;
    c.provider.ws?.addEventListener('message', (ev: MessageEvent) => (largest = Math.max(largest, (ev.data as ArrayBuffer).byteLength)));
    const closed = await c.closed;
    expect(closed.code).toBe(4413);
    expect(closed.reason).toMatch(/^refused: document too large to send/);
    expect(largest).toBeLessThanOrEqual(LIMITS.maxOutboundBytes);
    c.provider.disconnect();
  });
});

describe('per-connection rate limit', () => {
  it('a fast writer is slowed to the byte rate without losing anything, and others are not held up', async () => {
    const notes = `notes/${meetingId}/${users.delegate1}`;
    // A fresh notes document for this test: the previous one is full.
    hub.core.purge(notes);
    const writer = client('delegate1', notes);
    const watcher = client('delegate1', notes);
    const sec = client('secretary', `meeting/${meetingId}`);
    const del = client('delegate2', `meeting/${meetingId}`);
    await Promise.all([writer, watcher, sec, del].map((c) => waitSynced(c)));
    const sizes: number[] = [];
    writer.doc.on('update', (u: Uint8Array) => sizes.push(u.length));
    const t0 = performance.now();
    for (let i = 0; i < 16; i++) notesDoc.putAnnotation(writer.doc, stroke(100 + i, 16));
    // While the writer is held back, someone else's edit goes through.
    meetingDoc.updateAgendaItem(sec.doc, 'item-budget', { presenter: 'during the throttle' });
    await waitFor(() => meetingDoc.readAgenda(del.doc).some((i) => i.presenter === 'during the throttle'), 5000, 'agenda edit during throttle');
    expect(notesDoc.readAnnotations(watcher.doc).length).toBeLessThan(16);
    await waitFor(() => notesDoc.readAnnotations(watcher.doc).length === 16, 20_000, 'all strokes');
    const elapsed = performance.now() - t0;
    // 16 strokes of 16 KiB against a 64 KiB burst at 64 KiB/s: the last one is read only once the
    // debt of the 15 before it is repaid (about 2.75 s); no machine is faster than that.
    expect(sizes.length).toBe(16);
    const debt = sizes.slice(0, 15).reduce((a, b) => a + b, 0) - RATE.burstBytes;
    expect(elapsed).toBeGreaterThanOrEqual((debt / RATE.bytesPerSecond) * 1000);
    // Nothing was lost: all of it is committed.
    const stored = new Y.Doc();
    Y.applyUpdate(stored, hub.store.encodeState(notes)!);
    expect(notesDoc.readAnnotations(stored).length).toBe(16);
    expect(writer.provider.wsconnected).toBe(true);
    for (const c of [writer, watcher, sec, del]) c.provider.disconnect();
  });
});
