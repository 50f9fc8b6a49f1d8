// Where sync connections go and with which WebSocket class. In a browser: the page's own origin
// and window.WebSocket. In Electron the shell swaps in its MessagePort-backed class
// (renderer/transport/port-socket.ts) before the app mounts: configureSync({ WebSocketImpl }).
export interface SyncTransport {
  /** ws(s)://host/sync — the y-websocket server URL, without the document name. */
  url: string;
  WebSocketImpl: typeof WebSocket;
}

function defaultUrl(): string {
  if (typeof location === 'undefined') return 'ws://127.0.0.1/sync';
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/sync`;
}

let transport: SyncTransport | null = null;

export function configureSync(t: Partial<SyncTransport>): void {
  transport = { url: t.url ?? getSyncTransport().url, WebSocketImpl: t.WebSocketImpl ?? getSyncTransport().WebSocketImpl };
}

export function getSyncTransport(): SyncTransport {
  return transport ?? { url: defaultUrl(), WebSocketImpl: globalThis.WebSocket };
}
