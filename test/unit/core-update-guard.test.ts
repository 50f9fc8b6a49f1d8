// The update guard and the isolating loader on real Yjs updates and a real SQLite store: deep
// structures are refused however they are cut into updates, ordinary documents pass, and a
// stored piece that breaks loading is set aside instead of failing the document.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, deepestType } from '../../electron/core/update-guard.ts';
import { loadDocument } from '../../electron/core/doc-loader.ts';
import { DocStore, openDatabase } from '../../electron/core/store.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import * as notesDoc from '../../shared/notes-doc.ts';

const LIMITS = { maxTypeDepth: 16, maxValueDepth: 32 };
const structsOf = (u: Uint8Array) => Y.decodeUpdate(u).structs;

/** A chain of `depth` nested maps under root map `root`, built in one transaction. */
function deepChain(depth: number, root = 'agenda'): { doc: Y.Doc; update: Uint8Array; top: Y.Map<unknown> } {
  const doc = new Y.Doc({ gc: false });
  const top = new Y.Map<unknown>();
  doc.transact(() => {
    doc.getMap(root).set('deep', top);
    let cur = top;
    for (let i = 1; i < depth; i++) {
      const next = new Y.Map<unknown>();
      cur.set('x', next);
      cur = next;
    }
  });
  return { doc, update: Y.encodeStateAsUpdate(doc), top };
}

describe('update guard', () => {
  it('refuses a 2,000-deep map chain (the 24 KB update that overflowed Yjs) and accepts one at the limit', () => {
    const { update } = deepChain(2000);
    expect(update.length).toBeLessThan(30_000);
    const verdict = checkUpdate(structsOf(update), null, LIMITS);
    expect(verdict).toEqual({ ok: false, reason: 'shared types nested deeper than 16 levels' });
    expect(checkUpdate(structsOf(deepChain(16).update), null, LIMITS)).toEqual({ ok: true });
    expect(checkUpdate(structsOf(deepChain(17).update), null, LIMITS).ok).toBe(false);
  });

  it('counts the depth the document already has: a chain grown one update at a time is refused at the limit', () => {
    const src = new Y.Doc();
    const target = new Y.Doc();
    src.on('update', (u: Uint8Array) => {
      const verdict = checkUpdate(structsOf(u), target, LIMITS);
      if (verdict.ok) Y.applyUpdate(target, u);
      else refused.push(verdict.reason);
    });
    const refused: string[] = [];
    let cur = src.getMap('agenda');
    for (let depth = 1; depth <= 20; depth++) {
      const next = new Y.Map<unknown>();
      cur.set('x', next);
      cur = next;
    }
    // Level 17 is refused; the levels after it then name a parent the target never got, so Yjs
    // keeps them pending, and they stay so (the check sees them again if level 17 ever returns).
    expect(refused).toEqual(['shared types nested deeper than 16 levels']);
    expect(deepestType(target, 100)).toBe(16);
    expect(target.store.pendingStructs).not.toBeNull();
  });

  it('also when the deep part arrives before its parent (pending in Yjs) and the parent comes later', () => {
    const src = new Y.Doc();
    const levels: Uint8Array[] = [];
    src.on('update', (u: Uint8Array) => levels.push(u));
    let cur = src.getMap('agenda');
    for (let i = 0; i < 20; i++) {
      const next = new Y.Map<unknown>();
      cur.set('x', next);
      cur = next;
    }
    const target = new Y.Doc();
    Y.applyUpdate(target, Y.mergeUpdates(levels.slice(0, 2)));
    // Levels 3..20 first: their parent (level 2) is in neither, so nothing can be measured yet
    // and Yjs keeps them pending.
    const tail = Y.mergeUpdates(levels.slice(3));
    expect(checkUpdate(structsOf(tail), target, LIMITS)).toEqual({ ok: true });
    Y.applyUpdate(target, tail);
    expect(target.store.pendingStructs).not.toBeNull();
    expect(deepestType(target, 100)).toBe(2);
    // Then level 3, which would complete the chain to 20 levels: refused.
    expect(checkUpdate(structsOf(levels[2]!), target, LIMITS)).toEqual({ ok: false, reason: 'shared types nested deeper than 16 levels' });
  });

  it('passes what Chamber writes: an agenda, papers with versions, a thousand notes, 20,000 characters typed one by one', () => {
    const doc = new Y.Doc();
    const target = new Y.Doc();
    const verdicts: boolean[] = [];
    doc.on('update', (u: Uint8Array) => {
      verdicts.push(checkUpdate(structsOf(u), target, LIMITS).ok);
      Y.applyUpdate(target, u);
    });
    for (let i = 0; i < 20; i++) meetingDoc.addAgendaItem(doc, `item-${i}`, { title: `Item ${i}` });
    meetingDoc.putPaperVersion(doc, 'paper-1', 'Budget', { version: 1, sha256: 'a'.repeat(64), pages: 3, size: 100, fileName: 'b.pdf', createdAt: '2026-01-01T00:00:00Z', carriedFrom: null });
    meetingDoc.putPaperVersion(doc, 'paper-1', 'Budget', { version: 2, sha256: 'b'.repeat(64), pages: 3, size: 100, fileName: 'b.pdf', createdAt: '2026-01-02T00:00:00Z', carriedFrom: null });
    for (let i = 0; i < 1000; i++) {
      notesDoc.putAnnotation(doc, { id: `ink-${i}`, kind: 'ink', tool: 'pen', paperId: 'paper-1', sha256: 'a'.repeat(64), page: 1 + (i % 3), createdAt: i, color: '#000', width: 2, points: Array.from({ length: 300 }, (_, k) => k * 1.25) });
    }
    const text = doc.getText('scratch');
    for (let i = 0; i < 20_000; i++) text.insert(i, 'x');
    expect(verdicts.every(Boolean)).toBe(true);
    // The same content as one update (a new replica's sync): one long chain of neighbours.
    expect(checkUpdate(structsOf(Y.encodeStateAsUpdate(doc)), null, LIMITS)).toEqual({ ok: true });
  });

  it('refuses JSON values nested past the limit inside an item', () => {
    const doc = new Y.Doc();
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    doc.getMap('annotations').set('a', deep);
    expect(checkUpdate(structsOf(Y.encodeStateAsUpdate(doc)), null, LIMITS)).toEqual({ ok: false, reason: 'values nested deeper than 32 levels' });
  });
});

describe('loading a document piece by piece', () => {
  const storeWith = (pieces: Uint8Array[], name: string) => {
    const store = new DocStore(openDatabase(':memory:'));
    for (const p of pieces) store.appendUpdate(name, p);
    return store;
  };

  it('sets aside a row Yjs cannot read and loads the rest', () => {
    const a = new Y.Doc();
    const rows: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => rows.push(u));
    a.getMap('agenda').set('one', 1);
    a.getMap('agenda').set('two', 2);
    const store = storeWith([rows[0]!, Uint8Array.of(0xff, 0xff, 0xff, 0x01, 0x07), rows[1]!], 'meeting/m1');
    const logs: string[] = [];
    const loaded = loadDocument(store, 'meeting/m1', LIMITS, (msg) => logs.push(msg));
    expect(loaded.doc.getMap('agenda').toJSON()).toEqual({ one: 1, two: 2 });
    expect(loaded.uncompacted).toBe(2);
    expect(store.quarantined('meeting/m1')).toEqual([expect.objectContaining({ source: 'update', rowId: 2, reason: expect.stringMatching(/^cannot be decoded/) })]);
    expect(store.pendingUpdates('meeting/m1')).toBe(2);
    expect(logs).toContain('set a stored piece of a document aside');
    // A second load finds nothing more to set aside and takes the fast path.
    expect(loadDocument(store, 'meeting/m1', LIMITS).doc.getMap('agenda').toJSON()).toEqual({ one: 1, two: 2 });
    expect(store.quarantined('meeting/m1').length).toBe(1);
  });

  it('loads a document poisoned before the guard existed (deep chain, then its top deleted)', () => {
    const { doc, update: deep } = deepChain(2000);
    // The deletion of the chain's top (the first item its client wrote), made on a small twin
    // document: deleting it in `doc` itself would overflow the stack right here.
    const twin = new Y.Doc({ gc: false });
    twin.clientID = doc.clientID;
    twin.getMap('agenda').set('deep', new Y.Map());
    const sv = Y.encodeStateVector(twin);
    twin.getMap('agenda').delete('deep');
    const del = Y.diffUpdate(Y.encodeStateAsUpdate(twin), sv);
    // Proof that this pair is the poison: applied together without the loader, Yjs overflows.
    expect(() => Y.applyUpdate(new Y.Doc(), Y.mergeUpdates([deep, del]))).toThrow(RangeError);
    const good = new Y.Doc();
    good.getMap('agenda').set('kept', 'yes');
    const store = storeWith([Y.encodeStateAsUpdate(good), deep, del], 'meeting/m2');
    const loaded = loadDocument(store, 'meeting/m2', LIMITS);
    expect(loaded.doc.getMap('agenda').get('kept')).toBe('yes');
    expect(store.quarantined('meeting/m2').map((q) => q.reason)).toEqual(['shared types nested deeper than 16 levels']);
  });
});
