// The preload's logic as a plain module. It takes contextBridge, ipcRenderer and the window as
// parameters and imports nothing from Electron, so the desktop harness (test/desktop/) runs this
// very code in Chromium with thin stand-ins for the two Electron objects.
//
// What it exposes is shared/shell-api.ts's ChamberShellApi and nothing else: never ipcRenderer
// itself, never a generic send. Everything the page passes in is checked here before it is
// sent, and checked again by the main process (the page is not trusted by either).
import '../../shared/zod-no-eval.ts';
import {
  IPC, SHELL_API_VERSION, SHELL_GLOBAL, SYNC_PORT_MESSAGE, meetingLiveSchema, portRequestIdSchema, sessionEndedSchema,
  syncOpenSchema, type ChamberShellApi, type SessionEnded,
} from '../../shared/shell-api.ts';

/** The slice of Electron's contextBridge used here. */
export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

/** The slice of Electron's ipcRenderer used here. */
export interface IpcRendererLike {
  send(channel: string, ...args: unknown[]): void;
  postMessage(channel: string, message: unknown, transfer?: MessagePort[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The slice of the window the preload touches. */
export interface PreloadWindow {
  readonly location: { readonly origin: string };
  postMessage(message: unknown, targetOrigin: string, transfer?: Transferable[]): void;
}

/** More would mean a page that subscribes in a loop; the page needs one or two. */
const MAX_LISTENERS = 16;

export function createShellApi(ipc: IpcRendererLike, win: PreloadWindow): ChamberShellApi {
  const listeners = new Set<(ended: SessionEnded) => void>();
  ipc.on(IPC.sessionEnded, (_event, payload) => {
    const parsed = sessionEndedSchema.safeParse(payload);
    if (!parsed.success) return;
    for (const listener of [...listeners]) {
      try {
        listener(parsed.data);
      } catch {
        /* one listener's failure must not keep the others from hearing it */
      }
    }
  });

  return {
    version: SHELL_API_VERSION,
    openSyncPort(url: unknown, id: unknown): void {
      const request = syncOpenSchema.safeParse({ url });
      if (!request.success || !portRequestIdSchema.safeParse(id).success) return;
      // contextBridge cannot carry a MessagePort, so one end goes to the page by window message
      // (same window, same origin) and the other to the main process.
      const { port1, port2 } = new MessageChannel();
      ipc.postMessage(IPC.syncOpen, request.data, [port2]);
      win.postMessage({ type: SYNC_PORT_MESSAGE, id }, win.location.origin, [port1]);
    },
    setMeetingLive(live: unknown): void {
      if (meetingLiveSchema.safeParse(live).success) ipc.send(IPC.meetingLive, live);
    },
    onSessionEnded(listener: unknown): () => void {
      if (typeof listener !== 'function' || listeners.size >= MAX_LISTENERS) return () => {};
      const fn = listener as (ended: SessionEnded) => void;
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
  };
}

/** Defines `window.chamberShell` in the page through the bridge. */
export function exposeChamberShell(bridge: ContextBridgeLike, ipc: IpcRendererLike, win: PreloadWindow): ChamberShellApi {
  const api = createShellApi(ipc, win);
  bridge.exposeInMainWorld(SHELL_GLOBAL, api);
  return api;
}
