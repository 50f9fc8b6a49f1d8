// The renderer's side of the desktop shell (shared/shell-api.ts): find it, send sync through it,
// tell it when a meeting is live, and hear when it ends the session. In a browser there is no
// shell and every function here does nothing. (renderer/sync/endpoint.ts is only where sync
// connections go; this folder is how the desktop app carries them.)
import { useEffect, useEffectEvent } from 'react';
import type * as Y from 'yjs';
import { SHELL_API_VERSION, type ChamberShellApi, type SessionEnded } from '../../shared/shell-api.ts';
import { readDetails, readLive } from '../../shared/meeting-doc.ts';
import { setSyncEndpoint } from '../sync/endpoint.ts';
import { useYMap } from '../sync/hooks.ts';
import { PortSocket } from './port-socket.ts';

/** The shell's API when this page runs in the desktop app, else null. */
export function desktopShell(): ChamberShellApi | null {
  if (typeof window === 'undefined') return null;
  const shell = window.chamberShell;
  return shell && shell.version === SHELL_API_VERSION ? shell : null;
}

/**
 * In the desktop app, every sync connection goes over a shell MessagePort (PortSocket); the page
 * has no network of its own there (the CSP allows no WebSocket source). Called once, before the
 * app mounts and opens its first replica. Returns whether the shell transport is in use.
 */
export function installShellSync(): boolean {
  if (!desktopShell()) return false;
  // Only the path and token of this URL reach the main process; the destination is always the
  // embedded agent.
  setSyncEndpoint({ url: new URL('/sync', window.location.href).href, WebSocketImpl: PortSocket as unknown as typeof WebSocket });
  return true;
}

/**
 * A meeting is live while it is published (not a draft, not closed) and in session: the secretary
 * or chair has made an agenda item current, or someone is presenting. A published meeting that
 * has not started (next week's, or this morning's before the chair opens it) is not live, so a
 * tablet left on its agenda overnight still dims.
 */
export function isMeetingLive(status: string, currentItemId: string | null, presenting: unknown): boolean {
  return status === 'published' && (currentItemId !== null || (presenting !== null && presenting !== undefined));
}

const readStatus = (d: Y.Doc) => readDetails(d).status;
const readInSession = (d: Y.Doc) => {
  const l = readLive(d);
  return isMeetingLive('published', l.currentItemId, l.presenting);
};

/** Reports the open meeting's live state to the shell while mounted (keep-awake follows it). */
export function useMeetingLiveReport(doc: Y.Doc | null): boolean {
  const status = useYMap(doc, 'details', readStatus, 'draft');
  const inSession = useYMap(doc, 'live', readInSession, false);
  const live = status === 'published' && inSession;
  useEffect(() => {
    const shell = desktopShell();
    if (!shell) return;
    shell.setMeetingLive(live);
    return () => shell.setMeetingLive(false);
  }, [live]);
  return live;
}

/** Calls `onEnded` when the shell ends the session (a wipe order); nothing in a browser. */
export function useShellSessionEnded(onEnded: (ended: SessionEnded) => void): void {
  const ended = useEffectEvent(onEnded);
  useEffect(() => {
    const shell = desktopShell();
    if (!shell) return;
    return shell.onSessionEnded((e) => ended(e));
  }, []);
}
