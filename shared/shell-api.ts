// The one contract between the desktop shell and the page: what the preload exposes on
// `window.chamberShell`, the IPC channels behind it, the window message that hands the page a
// sync port, the control messages on that port, and the validators each side runs on what it
// receives. The preload (electron/preload), the main process (electron/shell) and the renderer
// (renderer/desktop) all import it from here, so no side restates a name or a shape.
//
// No Node or DOM API here: the sandboxed preload bundle and the page both include this file.
import { z } from 'zod';

export const SHELL_API_VERSION = 1;

/** The name of the global the preload defines in the page. */
export const SHELL_GLOBAL = 'chamberShell';

/** Why the shell ended the page's session (the page then returns to sign-in). */
export const sessionEndedSchema = z.strictObject({
  /** `wiped`: the hub ordered this device's copy of a meeting wiped. */
  reason: z.enum(['wiped']),
  meetingId: z.string().max(128).optional(),
});
export type SessionEnded = z.infer<typeof sessionEndedSchema>;

/** What the preload exposes, and all of it: no ipcRenderer, no Node, no generic channel. */
export interface ChamberShellApi {
  readonly version: typeof SHELL_API_VERSION;
  /**
   * Asks the main process for a sync connection to the embedded agent. The port arrives as a
   * window message `{ type: SYNC_PORT_MESSAGE, id }` carrying one MessagePort.
   */
  openSyncPort(url: string, id: string): void;
  /** Reports whether the meeting on screen is live (the shell keeps the display awake then). */
  setMeetingLive(live: boolean): void;
  /** Calls `listener` when the shell ends the session; returns the function that unsubscribes. */
  onSessionEnded(listener: (ended: SessionEnded) => void): () => void;
}

/** IPC channel names: page → main (`syncOpen`, `meetingLive`), main → page (`sessionEnded`). */
export const IPC = {
  syncOpen: 'chamber:sync-open',
  meetingLive: 'chamber:meeting-live',
  sessionEnded: 'chamber:session-ended',
} as const;

/** The window message that carries a sync port from the preload to the page. */
export const SYNC_PORT_MESSAGE = 'chamber:sync-port';

/** The payload of `IPC.syncOpen` (its one transferred port travels beside it). */
export const syncOpenSchema = z.strictObject({ url: z.string().min(1).max(4096) });
export type SyncOpen = z.infer<typeof syncOpenSchema>;

/** The page's tag for one port request: matched against the window message that answers it. */
export const portRequestIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/);

/** The payload of `IPC.meetingLive`. */
export const meetingLiveSchema = z.boolean();

/** The window message the preload posts with the port; the page checks it with this. */
export const syncPortMessageSchema = z.strictObject({ type: z.literal(SYNC_PORT_MESSAGE), id: portRequestIdSchema });

/** Control messages on a sync port; Yjs frames travel beside them as bare bytes. */
export const portControlSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('open') }),
  z.strictObject({ t: z.literal('close'), code: z.number().int().min(1000).max(4999), reason: z.string().max(1000) }),
  z.strictObject({ t: z.literal('error'), message: z.string().max(1000) }),
]);
export type PortControl = z.infer<typeof portControlSchema>;
