// Real y-websocket clients (the provider the renderer and agent use) for Node tests.
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as authProtocol from 'y-protocols/auth';
import type * as decoding from 'lib0/decoding';

// Each WebsocketProvider in Node adds a process 'exit' listener; tests open dozens on purpose.
process.setMaxListeners(Math.max(process.getMaxListeners(), 100));

export interface YClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closed: Promise<{ code: number; reason: string }>;
  denied: string[];
  destroy: () => void;
}

export function connectDoc(baseUrl: string, docName: string, token: string, opts: { doc?: Y.Doc } = {}): YClient {
  const doc = opts.doc ?? new Y.Doc();
  const wsUrl = baseUrl.replace(/^http/, 'ws') + '/sync';
  const provider = new WebsocketProvider(wsUrl, docName, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  });
  const denied: string[] = [];
  // The provider only console.warns a permission-denied message; record it so tests can see
  // that the hub told the client its change was refused.
  provider.messageHandlers[2] = (_enc: unknown, decoder: decoding.Decoder) => {
    authProtocol.readAuthMessage(decoder, doc, (_d, reason) => denied.push(reason));
  };
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) resolveClosed({ code: event.code, reason: event.reason });
  });
  return { doc, provider, closed, denied, destroy: () => { provider.destroy(); doc.destroy(); } };
}

export function waitSynced(c: YClient, timeoutMs = 10_000): Promise<void> {
  if (c.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('not synced in time')), timeoutMs);
    c.provider.once('sync', (s: boolean) => {
      if (s) {
        clearTimeout(t);
        resolve();
      }
    });
  });
}

export async function waitFor(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
