// React hooks over the replica registry: a component holds a replica while mounted, and reads
// Yjs state through a selector that re-renders it only when what it reads changed.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { acquireDoc, onAnyDocChange, openDocs, type DocStatus, type SyncedDoc } from './docs.ts';

/** The shared replica of `name` while the component is mounted (null until the token is known). */
export function useSyncedDoc(name: string | null, token: string | null): SyncedDoc | null {
  const [held, setHeld] = useState<{ name: string; token: string; synced: SyncedDoc } | null>(null);
  useEffect(() => {
    if (!name || !token) return;
    const { synced, release } = acquireDoc(name, token);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the replica opens a socket, so only an effect may acquire it; state is how it reaches render
    setHeld({ name, token, synced });
    return release;
  }, [name, token]);
  return held && held.name === name && held.token === token ? held.synced : null;
}

export function useDocStatus(s: SyncedDoc | null): { status: DocStatus; everSynced: boolean } {
  const snap = useSyncExternalStore(
    (fn) => (s ? s.subscribe(fn) : () => {}),
    () => (s ? `${s.status}|${s.everSynced ? 1 : 0}` : 'connecting|0'),
  );
  const [status, ever] = snap.split('|');
  return { status: status as DocStatus, everSynced: ever === '1' };
}

/** Reads a value from a doc; `prev` is the value read last (or the initial one), to share unchanged parts. */
export type YRead<T> = (doc: Y.Doc, prev: T) => T;

/**
 * One top-level shared type's reading for useSyncExternalStore: marked stale when that type (or
 * anything nested in it) changes, read again only when React asks and it is stale, and kept
 * identical while `equal` holds — so an unrelated transaction never re-renders the reader.
 */
class YMapSelector<T> {
  private value: T;
  private stale = true;
  private readonly doc: Y.Doc;
  private readonly mapName: string;
  private readonly read: YRead<T>;
  private readonly equal: (a: T, b: T) => boolean;

  constructor(doc: Y.Doc, mapName: string, read: YRead<T>, equal: (a: T, b: T) => boolean, initial: T) {
    this.doc = doc;
    this.mapName = mapName;
    this.read = read;
    this.equal = equal;
    this.value = initial;
  }

  readonly subscribe = (onChange: () => void): (() => void) => {
    const type = this.doc.getMap(this.mapName);
    // Changes between the render's read and this subscription were not observed: React reads
    // the snapshot right after subscribing, so make that read a fresh one.
    this.stale = true;
    const onDeep = () => {
      this.stale = true;
      onChange();
    };
    type.observeDeep(onDeep);
    return () => type.unobserveDeep(onDeep);
  };

  readonly getSnapshot = (): T => {
    if (!this.stale) return this.value;
    this.stale = false;
    const next = this.read(this.doc, this.value);
    if (!this.equal(this.value, next)) this.value = next;
    return this.value;
  };
}

const noSubscription = () => () => {};

/**
 * A value read from one top-level shared type of a Y.Doc (`agenda`, `papers`, `live`,
 * `details`), recomputed only when that type changed: a change to the agenda then costs the
 * papers list nothing, and the reverse. `read` and `equal` must be stable (module-level)
 * functions: a new one starts a new reading.
 */
export function useYMap<T>(doc: Y.Doc | null | undefined, mapName: string, read: YRead<T>, initial: T, equal: (a: T, b: T) => boolean = jsonEqual): T {
  // `initial` is what a new reading starts from; a later one changes nothing.
  const [first] = useState(initial);
  const selector = useMemo(() => (doc ? new YMapSelector(doc, mapName, read, equal, first) : null), [doc, mapName, read, equal, first]);
  return useSyncExternalStore(selector ? selector.subscribe : noSubscription, selector ? selector.getSnapshot : () => first);
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
