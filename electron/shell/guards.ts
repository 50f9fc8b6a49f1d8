// Navigation, window-open, webview and permission guards. The page is the app and nothing
// else: any attempt to leave chamber://app/ (a link in a paper's annotation, a compromised
// script) is refused, and no browser permission is ever granted.
import { APP_HOST, APP_SCHEME } from './app-protocol.ts';

export function isAppUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && !url.username && !url.password && !url.port;
}

/** The slice of Electron's Event these guards touch. */
export interface PreventableEvent {
  preventDefault(): void;
}

/** The slice of WebContents the guards attach to (typed loosely so a thin fake can stand in). */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: PreventableEvent & { url: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export type GuardLog = (msg: string, extra?: Record<string, unknown>) => void;

/**
 * Navigation inside the app (a reload of chamber://app/...) is allowed; everything else is
 * cancelled. Links are never handed to the OS browser: a room tablet has no business opening
 * arbitrary URLs, and shell.openExternal with page-supplied input is a known escape.
 */
export function guardNavigation(contents: GuardedContents, log: GuardLog = () => {}): void {
  const check = (kind: string) => (event: PreventableEvent & { url: string }, maybeUrl?: string) => {
    const url = typeof maybeUrl === 'string' ? maybeUrl : event.url;
    if (!isAppUrl(url)) {
      event.preventDefault();
      log('blocked navigation', { kind, url });
    }
  };
  contents.on('will-navigate', check('will-navigate'));
  contents.on('will-redirect', check('will-redirect'));
  contents.on('will-frame-navigate', check('will-frame-navigate'));
  contents.on('will-attach-webview', (event: PreventableEvent) => {
    event.preventDefault();
    log('blocked webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log('blocked window.open', { url });
    return { action: 'deny' };
  });
}

/** The slice of Session the permission guard needs. */
export interface PermissionSession {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean) | null): void;
  setDevicePermissionHandler?(handler: ((details: unknown) => boolean) | null): void;
}

/**
 * Every permission is refused. The one the app needs, clipboard-sanitized-write (copying text
 * out of a paper), is allowed for the app origin only: it cannot read anything.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function permissionAllowed(permission: string, origin: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(origin.endsWith('/') ? origin : `${origin}/`);
}

export function denyPermissions(session: PermissionSession, log: GuardLog = () => {}): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const origin = (details as { requestingUrl?: string } | undefined)?.requestingUrl ?? '';
    const granted = permissionAllowed(permission, origin);
    if (!granted) log('denied permission request', { permission, origin });
    callback(granted);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  session.setDevicePermissionHandler?.(() => false);
}
