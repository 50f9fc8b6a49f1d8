// Knows whether this replica's own edits have reached the server. The y-websocket protocol has
// no acknowledgement, but a socket is ordered and the server handles (and commits) frames in
// order: so after local edits the replica sends an ordinary sync step 1, and the server's step 2
// reply proves that every frame sent before it, edits included, was handled. The reply is a few
// bytes (the replica's state vector is current, so the diff is empty). Edits made while
// disconnected travel in the reconnect's own sync, before any probe on the new socket.
// Plain module: takes the provider and doc, runs under Node against a real hub in the tests.
import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';

const MESSAGE_SYNC = 0;

export interface EditConfirmationOptions {
  /** Ask this long after the first unconfirmed edit (a burst of edits shares one question). */
  probeDelayMs?: number;
  /** Ask again this often while edits stay unconfirmed (a reply can be lost with its socket). */
  retryMs?: number;
  /**
   * An edit unconfirmed for longer than this makes the replica "stale" (what the user is told).
   * Measured per edit, so a delegate editing steadily against a healthy hub never goes stale.
   */
  staleAfterMs?: number;
  onStaleChange: (stale: boolean) => void;
}

export interface EditConfirmation {
  /** Some local edit is not confirmed yet. */
  readonly pending: boolean;
  /** Some local edit has waited longer than `staleAfterMs`. */
  readonly stale: boolean;
  destroy(): void;
}

export function trackEditConfirmation(provider: WebsocketProvider, doc: Y.Doc, opts: EditConfirmationOptions): EditConfirmation {
  const probeDelayMs = opts.probeDelayMs ?? 250;
  const retryMs = opts.retryMs ?? 1000;
  const staleAfterMs = opts.staleAfterMs ?? 1000;
  /** Local edits made so far, and how many of them the server has handled. */
  let edits = 0;
  let confirmed = 0;
  /** When each unconfirmed edit was made, oldest first (trimmed as confirmations arrive). */
  let unconfirmedAt: Array<{ n: number; at: number }> = [];
  /** For each probe on the current socket, in order: the edit count when it was sent. */
  let inFlight: number[] = [];
  let stale = false;
  let probeTimer: ReturnType<typeof setTimeout> | null = null;
  let probeDue = 0;
  let staleTimer: ReturnType<typeof setTimeout> | null = null;

  const setStale = (s: boolean) => {
    if (s === stale) return;
    stale = s;
    opts.onStaleChange(s);
  };
  /** Re-arms the stale check for the oldest unconfirmed edit. */
  const checkStale = () => {
    if (staleTimer) clearTimeout(staleTimer);
    staleTimer = null;
    const oldest = unconfirmedAt[0];
    if (!oldest) return setStale(false);
    const wait = oldest.at + staleAfterMs - Date.now();
    if (wait <= 0) return setStale(true);
    setStale(false);
    staleTimer = setTimeout(checkStale, wait);
  };
  /** Asks in `ms` at the latest: a probe already due sooner stays. */
  const schedule = (ms: number) => {
    const due = Date.now() + ms;
    if (probeTimer && probeDue <= due) return;
    if (probeTimer) clearTimeout(probeTimer);
    probeDue = due;
    probeTimer = setTimeout(probe, ms);
  };
  function probe(): void {
    probeTimer = null;
    if (confirmed >= edits) return;
    const ws = provider.ws;
    if (provider.wsconnected && provider.synced && ws && ws.readyState === 1) {
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(enc, doc);
      try {
        ws.send(encoding.toUint8Array(enc));
        inFlight.push(edits);
      } catch {
        // The socket is closing: the reconnect's sync carries the edits, and we ask again then.
      }
    }
    schedule(retryMs);
  }

  // See each sync message before the provider does. A step 2 that arrives once the replica is
  // synced answers the oldest probe: the provider itself asks (step 1) only while connecting.
  const original = provider.messageHandlers[MESSAGE_SYNC]!;
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, prov, emitSynced, messageType) => {
    const wasSynced = provider.synced;
    let sub = -1;
    try {
      sub = decoding.readVarUint(decoding.clone(decoder));
    } catch {
      // Malformed: the provider's own handler reports it.
    }
    original(encoder, decoder, prov, emitSynced, messageType);
    if (sub !== syncProtocol.messageYjsSyncStep2 || !wasSynced || inFlight.length === 0) return;
    confirmed = Math.max(confirmed, inFlight.shift()!);
    unconfirmedAt = unconfirmedAt.filter((e) => e.n > confirmed);
    checkStale();
    if (confirmed >= edits) {
      if (probeTimer) clearTimeout(probeTimer);
      probeTimer = null;
    } else if (inFlight.length === 0) {
      // Edits made since that probe went out: ask about them soon, not at the retry.
      schedule(probeDelayMs);
    }
  };

  const onUpdate = (_u: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    edits++;
    unconfirmedAt.push({ n: edits, at: Date.now() });
    if (unconfirmedAt.length === 1) checkStale();
    schedule(probeDelayMs);
  };
  doc.on('update', onUpdate);
  const onStatus = ({ status }: { status: string }) => {
    // Replies to probes on a closed socket never come.
    if (status !== 'connected') inFlight = [];
  };
  provider.on('status', onStatus);
  const onSync = (synced: boolean) => {
    if (synced && confirmed < edits) schedule(probeDelayMs);
  };
  provider.on('sync', onSync);

  return {
    get pending() {
      return confirmed < edits;
    },
    get stale() {
      return stale;
    },
    destroy() {
      if (probeTimer) clearTimeout(probeTimer);
      if (staleTimer) clearTimeout(staleTimer);
      doc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.messageHandlers[MESSAGE_SYNC] = original;
    },
  };
}
