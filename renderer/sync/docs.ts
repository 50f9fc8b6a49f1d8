// A registry of live Yjs replicas, one per document name and token, shared by every component
// that shows the document (the delegate view and the console hold the same Y.Doc) and
// reference-counted so the last user closes the connection.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { syncEndpoint } from './endpoint.ts';
import { trackEditConfirmation } from './edit-confirmation.ts';

/**
 * A local edit shows as "syncing" only once it has waited this long: the hub answers in
 * milliseconds, and a flash of "Syncing" after every pen stroke would be noise.
 */
const SHOW_UNCONFIRMED_AFTER_MS = 1000;

export type DocStatus = 'connecting' | 'syncing' | 'synced' | 'offline' | 'refused';

export interface SyncedDoc {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  status: DocStatus;
  /** Why the server refused the document (a 44xx close), if it did. */
  refusal: string | null;
  /** The close code of that refusal: 4401 (session gone), 4403/4404/4410 (no access to the document). */
  refusalCode: number | null;
  /** True once the first sync with the server completed: the replica shows the server's state. */
  everSynced: boolean;
  subscribe(fn: () => void): () => void;
}

interface Entry extends SyncedDoc {
  refs: number;
  listeners: Set<() => void>;
  closeTimer: ReturnType<typeof setTimeout> | null;
  stopTracking: () => void;
  disposed: boolean;
}

const entries = new Map<string, Entry>();
const globalListeners = new Set<() => void>();

function notify(e: Entry): void {
  for (const fn of e.listeners) fn();
  for (const fn of globalListeners) fn();
}

function create(name: string, token: string): Entry {
  const doc = new Y.Doc();
  const t = syncEndpoint();
  const provider = new WebsocketProvider(t.url, name, doc, {
    params: { token },
    WebSocketPolyfill: t.WebSocketImpl,
    // Another tab of the same browser may be another user: never share replicas across tabs.
    disableBc: true,
    maxBackoffTime: 2000,
  });
  // No presence is shown, so none is sent: the default empty state would be renewed every 15 s
  // and relayed by the hub to every other tablet on the document (50 tablets: ~170 frames/s
  // across the room, each waking a renderer for nothing).
  provider.awareness.setLocalState(null);
  const e: Entry = {
    name, doc, provider, status: 'connecting', refusal: null, refusalCode: null, everSynced: false, refs: 0,
    listeners: new Set(), closeTimer: null, stopTracking: () => {}, disposed: false,
    subscribe(fn) {
      e.listeners.add(fn);
      return () => e.listeners.delete(fn);
    },
  };
  const set = (s: DocStatus) => {
    if (e.status !== s) {
      e.status = s;
      notify(e);
    }
  };
  let unconfirmedShown = false;
  const settled = (): DocStatus => (unconfirmedShown ? 'syncing' : 'synced');
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') set(provider.synced ? settled() : 'syncing');
    else if (status === 'disconnected') set(e.refusal ? 'refused' : 'offline');
    else if (status === 'connecting' && e.status !== 'offline') set('connecting');
  });
  provider.on('sync', (synced: boolean) => {
    if (synced) e.everSynced = true;
    set(synced ? settled() : provider.wsconnected ? 'syncing' : 'offline');
  });
  provider.on('closed', ({ code, reason }: { code: number; reason: string }) => {
    e.refusal = `${code} ${reason}`;
    e.refusalCode = code;
    set('refused');
  });
  // Local edits the server has not confirmed for a while show as "syncing".
  const confirmation = trackEditConfirmation(provider, doc, {
    staleAfterMs: SHOW_UNCONFIRMED_AFTER_MS,
    onStaleChange: (stale) => {
      unconfirmedShown = stale;
      if (stale && e.status === 'synced') set('syncing');
      else if (!stale && e.status === 'syncing' && provider.synced) set('synced');
    },
  });
  e.stopTracking = () => confirmation.destroy();
  return e;
}

const key = (name: string, token: string) => `${token}\u0000${name}`;

/** Opens (or shares) the replica of `name`. Call the returned release when done. */
export function acquireDoc(name: string, token: string): { synced: SyncedDoc; release: () => void } {
  const k = key(name, token);
  let e = entries.get(k);
  if (!e) {
    e = create(name, token);
    entries.set(k, e);
  }
  const entry = e;
  entry.refs++;
  if (entry.closeTimer) {
    clearTimeout(entry.closeTimer);
    entry.closeTimer = null;
  }
  let released = false;
  return {
    synced: entry,
    release: () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs > 0) return;
      // A short grace period: React remounts (StrictMode, route changes) reuse the replica.
      entry.closeTimer = setTimeout(() => {
        if (entry.refs > 0) return;
        dispose(k, entry);
        notify(entry);
      }, 1500);
    },
  };
}

/** Every open replica (for the connection indicator). */
export function openDocs(): SyncedDoc[] {
  return [...entries.values()].filter((e) => e.refs > 0);
}

export function onAnyDocChange(fn: () => void): () => void {
  globalListeners.add(fn);
  return () => globalListeners.delete(fn);
}

function dispose(k: string, e: Entry): void {
  if (entries.get(k) === e) entries.delete(k);
  if (e.disposed) return;
  e.disposed = true;
  if (e.closeTimer) clearTimeout(e.closeTimer);
  e.stopTracking();
  e.provider.destroy();
  e.doc.destroy();
}

/** Closes every replica (sign-out). */
export function closeAllDocs(): void {
  for (const [k, e] of entries) dispose(k, e);
  for (const fn of globalListeners) fn();
}

/**
 * Drops a replica the server refused at once, whoever still holds it: what it held must not stay
 * on screen or in memory once access is gone. Its holders see a destroyed doc and must not read it.
 */
export function discardDoc(synced: SyncedDoc): void {
  for (const [k, e] of entries) {
    if (e !== synced) continue;
    dispose(k, e);
    notify(e);
  }
}
