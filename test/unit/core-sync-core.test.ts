// SyncCore without sockets: peers are recorders of what they are sent and how they are closed,
// the store a real SQLite file. What is proven: a new peer is offered the doc's state; a writer's
// update is committed before any other peer hears of it (and a failed commit reaches nobody); a
// reader's change is dropped and answered with permission-denied once; a doc with neither peers
// nor pins is unloaded (compacted) and comes back whole; a purged doc leaves nothing in the store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { DocStore, openDatabase, type Database } from '../../electron/core/store.ts';
import { CLOSE, MESSAGE_AUTH, MESSAGE_SYNC, ProtocolError, SyncCore, type SyncPeer } from '../../electron/core/sync-core.ts';

class RecordingPeer implements SyncPeer {
  readonly sent: Uint8Array[] = [];
  readonly closes: Array<{ code: number; reason: string }> = [];
  /** Runs at each send, before it is recorded (to look at the store at that instant). */
  onSend: ((data: Uint8Array) => void) | null = null;
  send(data: Uint8Array): void {
    this.onSend?.(data);
    this.sent.push(data);
  }
  close(code: number, reason: string): void {
    this.closes.push({ code, reason });
  }
  /** The frames sent so far as [message type, sync sub-type or null]. */
  kinds(): Array<[number, number | null]> {
    return this.sent.map((f) => {
      const d = decoding.createDecoder(f);
      const type = decoding.readVarUint(d);
      return [type, type === MESSAGE_SYNC ? decoding.readVarUint(d) : null];
    });
  }
}

function updateFrame(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_SYNC);
  syncProtocol.writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

function step1Frame(doc: Y.Doc): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(enc, doc);
  return encoding.toUint8Array(enc);
}

/** An update from a client replica that sets text `t` (a fresh client each time). */
function textUpdate(t: string): Uint8Array {
  const client = new Y.Doc();
  client.getText('t').insert(0, t);
  return Y.encodeStateAsUpdate(client);
}

/** The text the store alone holds for `name` (a fresh doc loaded from SQLite). */
function storedText(store: DocStore, name: string): string {
  const doc = new Y.Doc();
  store.loadInto(name, doc);
  return doc.getText('t').toString();
}

let opened: Array<{ db: Database; core: SyncCore }> = [];
function setup(opts: { unloadAfterMs?: number } = {}) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-synccore-')), 'store.sqlite');
  const db = openDatabase(file);
  const store = new DocStore(db);
  const logs: string[] = [];
  const core = new SyncCore({ store, log: (msg) => logs.push(msg), unloadAfterMs: opts.unloadAfterMs });
  opened.push({ db, core });
  return { db, store, core, logs };
}

afterEach(() => {
  for (const { db, core } of opened) {
    core.close();
    db.close();
  }
  opened = [];
});

describe('SyncCore with recorder peers', () => {
  it('offers a new peer its state and answers its sync step 1 with the doc', () => {
    const { core } = setup();
    core.withDoc('meeting/m1', (doc) => doc.getText('t').insert(0, 'agenda'));
    const peer = new RecordingPeer();
    core.attach(peer, 'meeting/m1', 'read');
    expect(peer.kinds()).toEqual([[MESSAGE_SYNC, syncProtocol.messageYjsSyncStep1]]);

    const client = new Y.Doc();
    core.receive(peer, 'meeting/m1', step1Frame(client));
    expect(peer.kinds().at(-1)).toEqual([MESSAGE_SYNC, syncProtocol.messageYjsSyncStep2]);
    // The step 2 carries what the client lacked.
    const d = decoding.createDecoder(peer.sent.at(-1)!);
    decoding.readVarUint(d);
    syncProtocol.readSyncMessage(d, encoding.createEncoder(), client, 'core');
    expect(client.getText('t').toString()).toBe('agenda');
  });

  it('commits a writer\'s update before broadcasting it, and not back to the writer', () => {
    const { core, store } = setup();
    const writer = new RecordingPeer();
    const other = new RecordingPeer();
    core.attach(writer, 'meeting/m1', 'write');
    core.attach(other, 'meeting/m1', 'read');
    const seenInStoreAtSend: string[] = [];
    other.onSend = () => seenInStoreAtSend.push(storedText(store, 'meeting/m1'));
    const writerFrames = writer.sent.length;

    core.receive(writer, 'meeting/m1', updateFrame(textUpdate('minutes')));

    expect(other.kinds().at(-1)).toEqual([MESSAGE_SYNC, syncProtocol.messageYjsUpdate]);
    expect(seenInStoreAtSend).toEqual(['minutes']);
    expect(writer.sent.length).toBe(writerFrames);
    expect(core.withDoc('meeting/m1', (doc) => doc.getText('t').toString())).toBe('minutes');
  });

  it('broadcasts nothing when the commit fails, and closes every peer to resync', () => {
    const { core, store, db } = setup();
    const writer = new RecordingPeer();
    const other = new RecordingPeer();
    core.attach(writer, 'meeting/m1', 'write');
    core.attach(other, 'meeting/m1', 'read');
    const before = other.sent.length;
    // A real SQLite refusal (as a full disk would give), not a stubbed store.
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END");

    expect(() => core.receive(writer, 'meeting/m1', updateFrame(textUpdate('lost')))).toThrow();

    // No sync frame at all: the update the store refused reaches nobody. (Dropping the doc from
    // memory still sends the closed peers an empty presence frame.)
    expect(other.kinds().slice(before).filter(([t]) => t === MESSAGE_SYNC)).toEqual([]);
    expect(other.closes).toEqual([{ code: CLOSE.storeFailure, reason: expect.any(String) }]);
    expect(writer.closes.map((c) => c.code)).toEqual([CLOSE.storeFailure]);
    db.exec('DROP TRIGGER refuse');
    expect(storedText(store, 'meeting/m1')).toBe('');
    // Rebuilt from the store, without the update nobody may have seen.
    expect(core.withDoc('meeting/m1', (doc) => doc.getText('t').toString())).toBe('');
  });

  it('drops a reader\'s change and tells it once (permission denied)', () => {
    const { core, store } = setup();
    const reader = new RecordingPeer();
    const other = new RecordingPeer();
    core.attach(reader, 'meeting/m1', 'read');
    core.attach(other, 'meeting/m1', 'write');
    const otherFrames = other.sent.length;

    core.receive(reader, 'meeting/m1', updateFrame(textUpdate('not allowed')));
    core.receive(reader, 'meeting/m1', updateFrame(textUpdate('again')));

    expect(reader.kinds().filter(([t]) => t === MESSAGE_AUTH)).toHaveLength(1);
    expect(other.sent.length).toBe(otherFrames);
    expect(storedText(store, 'meeting/m1')).toBe('');
    expect(core.withDoc('meeting/m1', (doc) => doc.getText('t').toString())).toBe('');
    // Given write access, the same peer's change goes through.
    core.setAccess(reader, 'meeting/m1', 'write');
    core.receive(reader, 'meeting/m1', updateFrame(textUpdate('now allowed')));
    expect(storedText(store, 'meeting/m1')).toBe('now allowed');
  });

  it('refuses a malformed frame with a protocol error and changes nothing', () => {
    const { core, store } = setup();
    const writer = new RecordingPeer();
    core.attach(writer, 'meeting/m1', 'write');
    expect(() => core.receive(writer, 'meeting/m1', Uint8Array.of(MESSAGE_SYNC, syncProtocol.messageYjsUpdate, 5, 1, 2))).toThrow(ProtocolError);
    expect(store.docNames()).not.toContain('meeting/m1');
  });

  it('unloads a doc once it has no peers and no pins (compacted), keeps a pinned one, and reloads it whole', async () => {
    const { core, store } = setup({ unloadAfterMs: 20 });
    const peer = new RecordingPeer();
    core.attach(peer, 'meeting/a', 'write');
    core.receive(peer, 'meeting/a', updateFrame(textUpdate('kept')));
    core.pin('meeting/pinned');
    core.detach(peer, 'meeting/a');

    const deadline = Date.now() + 5000;
    while (core.loadedDocs().includes('meeting/a')) {
      if (Date.now() > deadline) throw new Error('meeting/a was not unloaded');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(core.loadedDocs()).toEqual(['meeting/pinned']);
    expect(store.pendingUpdates('meeting/a')).toBe(0);

    const again = new RecordingPeer();
    core.attach(again, 'meeting/a', 'read');
    expect(core.withDoc('meeting/a', (doc) => doc.getText('t').toString())).toBe('kept');
    core.unpin('meeting/pinned');
  });

  it('purge closes the doc\'s peers with 4410 and forgets it', () => {
    const { core, store } = setup();
    const peer = new RecordingPeer();
    core.attach(peer, 'meeting/m1', 'write');
    core.receive(peer, 'meeting/m1', updateFrame(textUpdate('gone')));
    core.purge('meeting/m1');
    expect(peer.closes.map((c) => c.code)).toEqual([CLOSE.revoked]);
    expect(store.docNames()).not.toContain('meeting/m1');
    expect(core.loadedDocs()).not.toContain('meeting/m1');
  });

  it('purge also forgets the pieces of the doc that loading set aside, and only that doc\'s', () => {
    const { core, store } = setup();
    // Each doc holds a row Yjs cannot read: loading sets it aside (doc_quarantine) and keeps the rest.
    for (const name of ['meeting/m1', 'meeting/m2']) {
      store.appendUpdate(name, textUpdate('kept'));
      store.appendUpdate(name, Uint8Array.of(0xff, 0xff, 0xff, 0x01, 0x07));
      expect(core.withDoc(name, (doc) => doc.getText('t').toString())).toBe('kept');
      expect(store.quarantined(name)).toHaveLength(1);
    }
    core.purge('meeting/m1');
    // The set-aside bytes are the document's content too: a purged meeting leaves none behind.
    expect(store.quarantined('meeting/m1')).toEqual([]);
    expect(store.quarantined('meeting/m2')).toHaveLength(1);
  });

  it('commits a refetchable origin\'s update without an fsync, and everything else with one', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-synccore-')), 'store.sqlite');
    const db = openDatabase(file);
    // The level each commit ran at, read inside appendUpdate: a real store, observed at its edge.
    const levels: number[] = [];
    class ObservedStore extends DocStore {
      override appendUpdate(doc: string, update: Uint8Array): number {
        levels.push(db.pragma('synchronous', { simple: true }) as number);
        return super.appendUpdate(doc, update);
      }
    }
    const store = new ObservedStore(db);
    const hubLink = { name: 'hub link' };
    const core = new SyncCore({ store, refetchable: (origin) => origin === hubLink });
    opened.push({ db, core });
    core.withDoc('meeting/m1', (doc) => Y.applyUpdate(doc, textUpdate('from the hub'), hubLink));
    core.withDoc('meeting/m1', (doc) => Y.applyUpdate(doc, textUpdate('from the client'), 'client'));
    // NORMAL is 1, FULL 2; the connection is back at FULL afterwards.
    expect(levels).toEqual([1, 2]);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(storedText(store, 'meeting/m1')).toContain('from the hub');
  });
});
