// A WebSocket look-alike for y-websocket's WebsocketProvider (its WebSocketPolyfill option)
// that carries the sync protocol over a MessagePort to the Electron main process. The page
// has no network of its own in Electron; the main process relays frames to the device agent.
//
// The port comes from the preload: window.chamberShell.openSyncPort(url, id) creates a
// MessageChannel, hands one end to the main process and posts the other end to this window
// tagged with `id` (shared/shell-api.ts). Only the methods and fields the provider touches are
// implemented.
import { SHELL_API_VERSION, portControlSchema, syncPortMessageSchema, type ChamberShellApi } from '../../shared/shell-api.ts';

declare global {
  interface Window {
    /** Defined by the desktop shell's preload (shared/shell-api.ts); absent in a browser. */
    chamberShell?: ChamberShellApi;
  }
}

let counter = 0;

export class PortSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;

  readonly url: string;
  binaryType: BinaryType = 'arraybuffer';
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;

  private port: MessagePort | null = null;
  private readonly id: string;
  private readonly onWindowMessage: (ev: MessageEvent) => void;

  constructor(url: string | URL) {
    this.url = String(url);
    this.id = `${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2)}`;
    const shell = typeof window !== 'undefined' && window.chamberShell?.version === SHELL_API_VERSION ? window.chamberShell : undefined;
    this.onWindowMessage = (ev: MessageEvent) => {
      // The preload posts from this same window; anything else is not ours.
      if (ev.source !== window || ev.origin !== window.location.origin) return;
      const tag = syncPortMessageSchema.safeParse(ev.data);
      if (!tag.success || tag.data.id !== this.id || !ev.ports[0]) return;
      window.removeEventListener('message', this.onWindowMessage);
      this.attach(ev.ports[0]);
    };
    if (!shell) {
      // Not in the desktop shell: fail the way a refused socket does, so the provider retries.
      queueMicrotask(() => this.finish(1006, 'the desktop shell bridge is not available'));
      return;
    }
    window.addEventListener('message', this.onWindowMessage);
    shell.openSyncPort(this.url, this.id);
  }

  private attach(port: MessagePort): void {
    if (this.readyState >= 2) {
      port.close();
      return;
    }
    this.port = port;
    port.onmessage = (ev: MessageEvent) => {
      const data: unknown = ev.data;
      if (data instanceof Uint8Array || data instanceof ArrayBuffer) {
        if (this.readyState !== 1) return;
        const buf = data instanceof ArrayBuffer ? data : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
        this.onmessage?.(new MessageEvent('message', { data: buf }));
        return;
      }
      const parsed = portControlSchema.safeParse(data);
      if (!parsed.success) return this.finish(1007, 'unexpected message on the sync port');
      const ctl = parsed.data;
      if (ctl.t === 'open' && this.readyState === 0) {
        this.readyState = 1;
        this.onopen?.(new Event('open'));
      } else if (ctl.t === 'close') {
        this.finish(ctl.code, ctl.reason);
      } else if (ctl.t === 'error') {
        this.onerror?.(new Event('error'));
      }
    };
    port.start();
  }

  send(data: ArrayBufferLike | ArrayBufferView): void {
    if (this.readyState !== 1 || !this.port) throw new DOMException('the sync port is not open', 'InvalidStateError');
    const bytes = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
      : new Uint8Array(data as ArrayBuffer).slice();
    this.port.postMessage(bytes, [bytes.buffer]);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    try {
      this.port?.postMessage({ t: 'close', code, reason });
    } catch {
      /* the port is already gone */
    }
    this.finish(code, reason);
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === 3) return;
    const wasOpen = this.readyState === 1;
    this.readyState = 3;
    if (typeof window !== 'undefined') window.removeEventListener('message', this.onWindowMessage);
    this.port?.close();
    this.port = null;
    // Like a real socket, close is reported asynchronously: the provider detaches its handlers
    // inside close() and must not be re-entered from there.
    setTimeout(() => {
      if (!wasOpen && code !== 1000) this.onerror?.(new Event('error'));
      this.onclose?.(new CloseEvent('close', { code, reason, wasClean: code === 1000 }));
    }, 0);
  }
}

