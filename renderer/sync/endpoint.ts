// Where the replicas' sync connections go, and with which WebSocket class. In a browser: the
// page's own origin and window.WebSocket. In the desktop app, renderer/main.tsx calls
// installShellSync() (renderer/desktop/shell-bridge.ts) before the app mounts, which swaps in
// the MessagePort-backed class (renderer/desktop/port-socket.ts) through setSyncEndpoint.
export interface SyncEndpoint {
  /** ws(s)://host/sync — the y-websocket server URL, without the document name. */
  url: string;
  WebSocketImpl: typeof WebSocket;
}

function defaultUrl(): string {
  if (typeof location === 'undefined') return 'ws://127.0.0.1/sync';
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}/sync`;
}

let endpoint: SyncEndpoint | null = null;

export function setSyncEndpoint(e: Partial<SyncEndpoint>): void {
  endpoint = { url: e.url ?? syncEndpoint().url, WebSocketImpl: e.WebSocketImpl ?? syncEndpoint().WebSocketImpl };
}

export function syncEndpoint(): SyncEndpoint {
  return endpoint ?? { url: defaultUrl(), WebSocketImpl: globalThis.WebSocket };
}
