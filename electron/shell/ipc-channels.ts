// IPC channel names, shared by main and preload. Kept free of imports: the sandboxed preload
// bundle may contain nothing that needs Node.
export const IPC = {
  syncOpen: 'chamber:sync-open',
  meetingLive: 'chamber:meeting-live',
} as const;

/** The window message that carries a sync port from the preload to the page. */
export const SYNC_PORT_MESSAGE = 'chamber:sync-port';
