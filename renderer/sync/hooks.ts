// React hooks over the replica registry: components read Yjs state through a selector and
// re-render when the document changes (deep observe on the shared types they read).
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { acquireDoc, onAnyDocChange, openDocs, type DocStatus, type SyncedDoc } from './docs.ts';

/** The shared replica of `name` while the component is mounted (null until the token is known). */
export function useSyncedDoc(name: string | null, token: string | null): SyncedDoc | null {
  const [synced, setSynced] = useState<SyncedDoc | null>(null);
  useEffect(() => {
    if (!name || !token) {
      setSynced(null);
      return;
    }
    const { synced: s, release } = acquireDoc(name, token);
    setSynced(s);
    return release;
  }, [name, token]);
  return synced;
}

export function useDocStatus(s: SyncedDoc | null): { status: DocStatus; everSynced: boolean } {
  const snap = useSyncExternalStore(
    (fn) => (s ? s.subscribe(fn) : () => {}),
    () => (s ? `${s.status}|${s.everSynced ? 1 : 0}` : 'connecting|0'),
  );
  const [status, ever] = snap.split('|');
  return { status: status as DocStatus, everSynced: ever === '1' };
}

/**
 * A value computed from a Y.Doc, recomputed after every transaction that touched it. `read` must
 * return a fresh value; `equal` avoids re-rendering when the result did not change.
 */
export function useYValue<T>(doc: Y.Doc | null | undefined, read: (doc: Y.Doc) => T, initial: T, equal: (a: T, b: T) => boolean = jsonEqual): T {
  const readRef = useRef(read);
  readRef.current = read;
  const [value, setValue] = useState<T>(() => (doc ? read(doc) : initial));
  useEffect(() => {
    if (!doc) return;
    let last = readRef.current(doc);
    setValue(last);
    const onTx = () => {
      const next = readRef.current(doc);
      if (!equal(last, next)) {
        last = next;
        setValue(next);
      }
    };
    doc.on('afterTransaction', onTx);
    return () => doc.off('afterTransaction', onTx);
  }, [doc]);
  return value;
}

/**
 * A value read from one top-level shared type of a Y.Doc (`agenda`, `papers`, `live`, `details`),
 * recomputed only when that type (or anything nested in it) changed. A change to the agenda then
 * costs the papers list nothing, and the reverse. The snapshot is cached and kept identical while
 * `equal` holds, so useSyncExternalStore never re-renders on an unrelated transaction.
 */
export function useYMap<T>(doc: Y.Doc | null | undefined, mapName: string, read: (doc: Y.Doc) => T, initial: T, equal: (a: T, b: T) => boolean = jsonEqual): T {
  const readRef = useRef(read);
  readRef.current = read;
  const equalRef = useRef(equal);
  equalRef.current = equal;
  // The cache lives per doc so a new doc (meeting switch) starts from a fresh read.
  const cache = useRef<{ doc: Y.Doc | null; value: T; dirty: boolean }>({ doc: null, value: initial, dirty: true });
  if (cache.current.doc !== (doc ?? null)) cache.current = { doc: doc ?? null, value: initial, dirty: true };
  const subscribe = useCallback((onChange: () => void) => {
    if (!doc) return () => {};
    const type = doc.getMap(mapName);
    // Changes between the render's read and this subscription were not observed: React re-reads
    // the snapshot right after subscribing, so make that read a fresh one.
    cache.current.dirty = true;
    const onDeep = () => {
      cache.current.dirty = true;
      onChange();
    };
    type.observeDeep(onDeep);
    return () => type.unobserveDeep(onDeep);
  }, [doc, mapName]);
  const getSnapshot = () => {
    const c = cache.current;
    if (!doc || !c.dirty) return c.value;
    c.dirty = false;
    const next = readRef.current(doc);
    if (!equalRef.current(c.value, next)) c.value = next;
    return c.value;
  };
  return useSyncExternalStore(subscribe, getSnapshot);
}

export function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Statuses of every open replica, for the connection indicator. */
export function useAllDocStatuses(): DocStatus[] {
  const snap = useSyncExternalStore((fn) => {
    const off = onAnyDocChange(fn);
    return () => void off();
  }, () => openDocs().map((d) => d.status).join(','));
  return snap ? (snap.split(',') as DocStatus[]) : [];
}
