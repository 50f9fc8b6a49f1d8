import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { denyPermissions, guardNavigation, isAppUrl, type GuardedContents, type PermissionSession } from '../../../electron/shell/guards.ts';
import { isTrustedSender, trustedHandler, UntrustedSenderError } from '../../../electron/shell/ipc.ts';

/** A thin stand-in for WebContents: an emitter plus the window-open handler slot. */
class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: 'deny' }): void {
    this.openHandler = h;
  }
  /** Emits like Electron and reports whether a listener cancelled the navigation. */
  attempt(event: string, url: string): boolean {
    let prevented = false;
    this.emit(event, { url, preventDefault: () => { prevented = true; } }, url);
    return prevented;
  }
}

describe('navigation guards', () => {
  it('recognises the app origin only', () => {
    expect(isAppUrl('chamber://app/index.html#/m/abc')).toBe(true);
    for (const u of ['chamber://app.evil/', 'chamber://evil/', 'https://app/', 'chamber://user@app/', 'chamber://app:99/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(isAppUrl(u), u).toBe(false);
    }
  });

  it('cancels every navigation away from the app, allows reloads of it', () => {
    const c = new FakeContents();
    const blocked: unknown[] = [];
    guardNavigation(c as unknown as GuardedContents, (msg, extra) => blocked.push([msg, extra]));
    for (const ev of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(c.attempt(ev, 'https://evil.example/'), ev).toBe(true);
      expect(c.attempt(ev, 'file:///etc/passwd'), ev).toBe(true);
      expect(c.attempt(ev, 'chamber://app/index.html'), ev).toBe(false);
    }
    expect(blocked).toHaveLength(6);
  });

  it('denies window.open and webviews', () => {
    const c = new FakeContents();
    guardNavigation(c as unknown as GuardedContents);
    expect(c.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(c.openHandler!({ url: 'chamber://app/index.html' })).toEqual({ action: 'deny' });
    expect(c.attempt('will-attach-webview', 'chamber://app/')).toBe(true);
  });

  it('refuses permission requests and checks', () => {
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] = null;
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] = null;
    let device: ((d: unknown) => boolean) | null = null;
    denyPermissions({
      setPermissionRequestHandler: (h) => { request = h; },
      setPermissionCheckHandler: (h) => { check = h; },
      setDevicePermissionHandler: (h) => { device = h; },
    });
    const answers: Array<[string, string, boolean]> = [];
    for (const [perm, origin] of [['media', 'chamber://app/'], ['geolocation', 'chamber://app/'], ['notifications', 'chamber://app/'], ['openExternal', 'chamber://app/'], ['clipboard-read', 'chamber://app/'], ['clipboard-sanitized-write', 'https://evil.example/'], ['clipboard-sanitized-write', 'chamber://app/']] as const) {
      request!(null, perm, (granted) => answers.push([perm, origin, granted]), { requestingUrl: origin });
    }
    expect(answers.filter(([, , g]) => g)).toEqual([['clipboard-sanitized-write', 'chamber://app/', true]]);
    expect(check!(null, 'media', 'chamber://app', {})).toBe(false);
    expect(check!(null, 'clipboard-sanitized-write', 'chamber://app', {})).toBe(true);
    expect(device!({})).toBe(false);
  });
});

describe('IPC sender checks', () => {
  const top = (url: string) => ({ senderFrame: { url, parent: null }, sender: { id: 7 } });

  it('trusts only the top frame of the app', () => {
    expect(isTrustedSender(top('chamber://app/index.html'))).toBe(true);
    expect(isTrustedSender(top('https://evil.example/'))).toBe(false);
    expect(isTrustedSender(top('file:///tmp/x.html'))).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'chamber://app/index.html', parent: {} }, sender: { id: 7 } })).toBe(false);
    expect(isTrustedSender({ senderFrame: null, sender: { id: 7 } })).toBe(false);
  });

  it('trusts only windows the shell opened, when told which', () => {
    const policy = { trustedContentsIds: () => new Set([7]) };
    expect(isTrustedSender(top('chamber://app/'), policy)).toBe(true);
    expect(isTrustedSender({ ...top('chamber://app/'), sender: { id: 8 } }, policy)).toBe(false);
  });

  it('wrapped handlers run for trusted senders and throw for others', () => {
    let calls = 0;
    const h = trustedHandler({}, (_e, n: number) => (calls += n));
    expect(h(top('chamber://app/'), 2)).toBe(2);
    expect(() => h(top('https://evil.example/'), 5)).toThrow(UntrustedSenderError);
    expect(calls).toBe(2);
  });
});
