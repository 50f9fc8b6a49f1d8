// React hooks over the replica registry: components read Yjs state through a selector and
// re-render when the document changes (deep observe on the shared types they read).
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
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
