// Loads a document from the store so that one bad stored piece cannot take the whole document
// down. The fast path merges the snapshot and the log and applies them at once; if that throws
// (bytes Yjs cannot read, a structure that overflows its stack) or leaves a structure nested past
// the guard's limit (stored before the guard existed), the pieces are applied one at a time to a
// fresh document, each checked first, and every piece that fails is moved to the store's
// quarantine table and logged. The document then loads without it; clients' replicas still hold
// whatever good content it carried and send it back when they sync.
import * as Y from 'yjs';
import type { DocStore, StoredEntry } from './store.ts';
import { checkUpdate, deepestType, type GuardLimits } from './update-guard.ts';

export interface LoadedDoc {
  doc: Y.Doc;
  /** Log rows not folded into the snapshot yet. */
  uncompacted: number;
  /** Stored bytes of what was loaded (snapshot plus rows). */
  bytes: number;
}

type Log = (msg: string, extra?: Record<string, unknown>) => void;

const newDoc = () => new Y.Doc({ gc: true });
const sizeOf = (entries: StoredEntry[]) => entries.reduce((n, e) => n + e.data.length, 0);
const rowsOf = (entries: StoredEntry[]) => entries.filter((e) => e.source === 'update').length;

export function loadDocument(store: DocStore, name: string, limits: GuardLimits, log?: Log): LoadedDoc {
  const entries = store.loadEntries(name);
  const doc = newDoc();
  if (entries.length === 0) return { doc, uncompacted: 0, bytes: 0 };
  try {
    const merged = entries.length === 1 ? entries[0]!.data : Y.mergeUpdates(entries.map((e) => e.data));
    Y.applyUpdate(doc, merged, 'store');
    const depth = deepestType(doc, limits.maxTypeDepth);
    if (depth <= limits.maxTypeDepth) return { doc, uncompacted: rowsOf(entries), bytes: sizeOf(entries) };
    log?.('stored document nests types too deep; loading it piece by piece', { doc: name, depth });
  } catch (err) {
    log?.('stored document failed to load; loading it piece by piece', { doc: name, error: String(err) });
  }
  doc.destroy();
  return loadIsolating(store, name, entries, limits, log);
}

function loadIsolating(store: DocStore, name: string, entries: StoredEntry[], limits: GuardLimits, log?: Log): LoadedDoc {
  const bad = new Map<StoredEntry, string>();
  // Each pass either completes or finds one more bad piece (one that threw while being applied,
  // which may have left that pass's document half-changed), so this ends.
  for (;;) {
    const doc = newDoc();
    let tainted = false;
    for (const e of entries) {
      if (bad.has(e)) continue;
      let reason: string | null = null;
      try {
        const verdict = checkUpdate(Y.decodeUpdate(e.data).structs, doc, limits);
        if (!verdict.ok) reason = verdict.reason;
      } catch (err) {
        reason = `cannot be decoded: ${String(err)}`;
      }
      if (reason === null) {
        try {
          Y.applyUpdate(doc, e.data, 'store');
        } catch (err) {
          reason = `cannot be applied: ${String(err)}`;
          tainted = true;
        }
      }
      if (reason !== null) bad.set(e, reason);
      if (tainted) break;
    }
    if (tainted) {
      doc.destroy();
      continue;
    }
    const setAside = [...bad].map(([e, reason]) => ({ ...e, reason }));
    store.quarantine(name, setAside);
    for (const e of setAside) log?.('set a stored piece of a document aside', { doc: name, source: e.source, rowId: e.rowId, bytes: e.data.length, reason: e.reason });
    const good = entries.filter((e) => !bad.has(e));
    return { doc, uncompacted: rowsOf(good), bytes: sizeOf(good) };
  }
}
