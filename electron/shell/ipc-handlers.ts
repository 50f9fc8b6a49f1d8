// The main process's side of shared/shell-api.ts: a sync port per request, bridged to the
// embedded agent, and the page's live-meeting reports driving keep-awake. Every message is
// checked twice before it has any effect: the sender must be the top frame of the shell's own
// window showing chamber://app/ (ipc.ts), and the payload must match the shared schema.
import { IPC, meetingLiveSchema, syncOpenSchema } from '../../shared/shell-api.ts';
import type { ShellLog } from './agent-runtime.ts';
import { isTrustedSender, type IpcEventLike } from './ipc.ts';
import { bridgeSyncPort, type MainPortLike, type UpstreamSocket } from './sync-bridge.ts';

/** The slice of Electron's IpcMainEvent the handlers read. */
export interface IpcMainEventLike extends IpcEventLike {
  readonly ports: readonly MainPortLike[];
}

/** The slice of Electron's ipcMain the handlers use. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): unknown;
}

export interface ShellIpcOptions {
  ipcMain: IpcMainLike;
  /** webContents ids of the windows the shell opened. */
  trustedContentsIds: () => ReadonlySet<number>;
  agentUrl: () => string | null;
  /** Opens the bridge's upstream socket (Node's WebSocket in Electron's main process). */
  connect: (url: string) => UpstreamSocket;
  keepAwake: { setLive(live: boolean): void };
  log: ShellLog;
}

export interface ShellIpc {
  /** Sync bridges open now. */
  readonly openBridges: number;
  /** Ends every bridge (shutdown, or the agent stopping for a wipe); the page's providers retry. */
  closeBridges(): void;
  dispose(): void;
}

export function registerShellIpc(opts: ShellIpcOptions): ShellIpc {
  const bridges = new Set<() => void>();
  const trusted = (event: IpcMainEventLike, channel: string): boolean => {
    if (isTrustedSender(event, { trustedContentsIds: opts.trustedContentsIds })) return true;
    opts.log('refused IPC from an untrusted sender', { channel, url: event.senderFrame?.url ?? null });
    return false;
  };

  const onSyncOpen = (event: IpcMainEventLike, message: unknown): void => {
    const port = event.ports[0];
    if (!port) return;
    if (!trusted(event, IPC.syncOpen)) return port.close();
    const request = syncOpenSchema.safeParse(message);
    // The bridge may end at once (a refused request), before `stop` is assigned.
    let finished = false;
    let stop: (() => void) | null = null;
    stop = bridgeSyncPort({
      port,
      // An invalid request reaches the bridge as no URL at all: it answers 4400 on the port.
      requestUrl: request.success ? request.data.url : null,
      agentUrl: opts.agentUrl,
      connect: opts.connect,
      log: opts.log,
      onFinished: () => {
        finished = true;
        if (stop) bridges.delete(stop);
      },
    });
    if (!finished) bridges.add(stop);
  };

  const onMeetingLive = (event: IpcMainEventLike, live: unknown): void => {
    if (!trusted(event, IPC.meetingLive)) return;
    const parsed = meetingLiveSchema.safeParse(live);
    if (!parsed.success) return opts.log('ignored a malformed meeting-live report');
    opts.keepAwake.setLive(parsed.data);
  };

  opts.ipcMain.on(IPC.syncOpen, onSyncOpen as (event: IpcMainEventLike, ...args: unknown[]) => void);
  opts.ipcMain.on(IPC.meetingLive, onMeetingLive as (event: IpcMainEventLike, ...args: unknown[]) => void);

  const closeBridges = () => {
    for (const stop of [...bridges]) stop();
    bridges.clear();
  };
  return {
    get openBridges() {
      return bridges.size;
    },
    closeBridges,
    dispose() {
      opts.ipcMain.removeListener(IPC.syncOpen, onSyncOpen as (event: IpcMainEventLike, ...args: unknown[]) => void);
      opts.ipcMain.removeListener(IPC.meetingLive, onMeetingLive as (event: IpcMainEventLike, ...args: unknown[]) => void);
      closeBridges();
    },
  };
}
