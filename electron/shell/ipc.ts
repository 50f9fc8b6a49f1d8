// IPC sender validation. Every ipcMain handler asks this first: a message is trusted only when
// it comes from the top frame of our own window showing chamber://app/. A subframe (there
// should be none, but frame-src is the CSP's job, not this one's) or a page that somehow
// navigated away gets nothing.
import { isAppUrl } from './guards.ts';

/** The slice of WebFrameMain that identifies a sender. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export interface IpcEventLike {
  readonly senderFrame: SenderFrame | null;
  readonly sender?: { readonly id: number };
}

export interface SenderPolicy {
  /** webContents ids of windows the shell opened; when given, other senders are refused. */
  trustedContentsIds?: () => ReadonlySet<number>;
}

export function isTrustedSender(event: IpcEventLike, policy: SenderPolicy = {}): boolean {
  const frame = event.senderFrame;
  // A frame that was destroyed or navigated before the message was handled has no identity.
  if (!frame) return false;
  if (frame.parent !== null) return false;
  if (!isAppUrl(frame.url)) return false;
  if (policy.trustedContentsIds) {
    const id = event.sender?.id;
    if (id === undefined || !policy.trustedContentsIds().has(id)) return false;
  }
  return true;
}

export class UntrustedSenderError extends Error {
  override name = 'UntrustedSenderError';
}

/** Wraps an ipcMain.handle() handler so an untrusted sender gets a rejection and no effect. */
export function trustedHandler<A extends unknown[], R>(
  policy: SenderPolicy,
  handler: (event: IpcEventLike, ...args: A) => R,
  log: (msg: string, extra?: Record<string, unknown>) => void = () => {},
): (event: IpcEventLike, ...args: A) => R {
  return (event, ...args) => {
    if (!isTrustedSender(event, policy)) {
      log('refused IPC from an untrusted sender', { url: event.senderFrame?.url ?? null });
      throw new UntrustedSenderError('IPC refused: the sender is not the Chamber app frame');
    }
    return handler(event, ...args);
  };
}

export { IPC, SYNC_PORT_MESSAGE } from '../../shared/shell-api.ts';
