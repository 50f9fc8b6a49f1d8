// Runs in the harness window before the app (addInitScript): the preload's own logic
// (electron/preload/expose.ts) with stand-ins for contextBridge and ipcRenderer. ipcRenderer's
// messages, and the traffic of each MessagePort it transfers, go to the Node process through the
// `__chamberIpc` binding; what main sends comes back through `__chamberDeliver`.
//
// The one difference from Electron: the preload runs in the page's own world here, not an
// isolated one. The page does not look for these two names; nothing in the renderer can reach
// the agent except through window.chamberShell.
import { exposeChamberShell, type ContextBridgeLike, type IpcRendererLike } from '../../electron/preload/expose.ts';
import { decode, encode, type MainToPage, type PageToMain } from './wire.ts';

type Binding = (message: PageToMain) => Promise<void>;
const w = window as unknown as { __chamberIpc?: Binding; __chamberDeliver?: (batch: MainToPage[]) => void };

if (window.top === window) {
  const doc = Math.random().toString(36).slice(2);
  let nextPort = 0;
  const ports = new Map<string, MessagePort>();
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const toMain = (m: PageToMain) => void w.__chamberIpc?.(m).catch(() => {});

  const ipcRenderer: IpcRendererLike = {
    send(channel, ...args) {
      toMain({ k: 'send', doc, channel, args: args.map(encode) });
    },
    postMessage(channel, message, transfer = []) {
      const ids = transfer.map((port) => {
        const id = `${doc}:${nextPort++}`;
        ports.set(id, port);
        port.onmessage = (ev) => toMain({ k: 'port', doc, id, data: encode(ev.data) });
        return id;
      });
      toMain({ k: 'post', doc, channel, message: encode(message), ports: ids });
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
  };
  // Like the real contextBridge, the page gets a frozen copy it cannot rewire.
  const contextBridge: ContextBridgeLike = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze({ ...(api as object) }), enumerable: false, configurable: false, writable: false });
    },
  };

  Object.defineProperty(w, '__chamberDeliver', {
    enumerable: false,
    value: (batch: MainToPage[]) => {
      for (const m of batch) {
        if (m.k === 'ipc') {
          for (const l of listeners.get(m.channel) ?? []) l({}, ...m.args.map(decode));
        } else if (m.k === 'port') {
          const data = decode(m.data);
          ports.get(m.id)?.postMessage(data, data instanceof Uint8Array ? [data.buffer] : []);
        } else {
          ports.get(m.id)?.close();
          ports.delete(m.id);
        }
      }
    },
  });

  // A new document: the ports of the one before it are gone (Electron closes them on navigation).
  toMain({ k: 'hello', doc });
  exposeChamberShell(contextBridge, ipcRenderer, window);
}
