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
  /** Wait after a local edit before asking: a pen stroke is many edits in a row. */
  probeDelayMs?: number;
  /** Ask again this often while edits stay unconfirmed (a reply can be lost with its socket). */
  retryMs?: number;
  onChange: (pending: boolean) => void;
}

export interface EditConfirmation {
  readonly pending: boolean;
  destroy(): void;
}

export function trackEditConfirmation(provider: WebsocketProvider, doc: Y.Doc, opts: EditConfirmationOptions): EditConfirmation {
  const probeDelayMs = opts.probeDelayMs ?? 250;
  const retryMs = opts.retryMs ?? 1000;
  /** Local edits made so far, and how many of them the server has handled. */
  let edits = 0;
  let confirmed = 0;
  /** For each probe on the current socket, in order: the edit count when it was sent. */
  let inFlight: number[] = [];
  let pending = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const setPending = (p: boolean) => {
    if (p === pending) return;
    pending = p;
    opts.onChange(p);
  };
  const schedule = (ms: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(probe, ms);
  };
  function probe(): void {
    timer = null;
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
    if (confirmed >= edits) {
      if (timer) clearTimeout(timer);
      timer = null;
      setPending(false);
    }
  };

  const onUpdate = (_u: Uint8Array, origin: unknown) => {
    if (origin === provider) return;
    edits++;
    setPending(true);
    schedule(probeDelayMs);
  };
  doc.on('update', onUpdate);
  const onStatus = ({ status }: { status: string }) => {
    // Replies to probes on a closed socket never come.
    if (status !== 'connected') inFlight = [];
  };
  provider.on('status', onStatus);
  const onSync = (synced: boolean) => {
    if (synced && pending) schedule(probeDelayMs);
  };
  provider.on('sync', onSync);

  return {
    get pending() {
      return pending;
    },
    destroy() {
      if (timer) clearTimeout(timer);
      doc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.messageHandlers[MESSAGE_SYNC] = original;
    },
  };
}
