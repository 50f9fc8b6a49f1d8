// The narrowest stand-ins for the Electron objects the shell's main-process modules take:
// ipcMain, MessagePortMain, safeStorage and powerSaveBlocker. Each does what Electron's does at
// the surface the shell uses, and records what a test needs to see.
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IpcMainEventLike, IpcMainLike } from '../../electron/shell/ipc-handlers.ts';
import type { PowerSaveBlockerLike } from '../../electron/shell/room-policy.ts';
import type { SafeStorageLike } from '../../electron/shell/secrets.ts';
import type { MainPortLike } from '../../electron/shell/sync-bridge.ts';

/** ipcMain: listeners per channel; the harness emits what the page sent. */
export class FakeIpcMain implements IpcMainLike {
  private readonly emitter = new EventEmitter();
  on(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): this {
    this.emitter.on(channel, listener);
    return this;
  }
  removeListener(channel: string, listener: (event: IpcMainEventLike, ...args: unknown[]) => void): this {
    this.emitter.removeListener(channel, listener);
    return this;
  }
  emitFromPage(channel: string, event: IpcMainEventLike, ...args: unknown[]): void {
    this.emitter.emit(channel, event, ...args);
  }
}

/**
 * MessagePortMain: messages are queued until start(), as Electron's are; `close` is emitted when
 * the other end goes away (here: the page's document was replaced or closed).
 */
export class HarnessPort extends EventEmitter implements MainPortLike {
  readonly id: string;
  private started = false;
  private closed = false;
  private readonly queued: unknown[] = [];
  private readonly toPage: (data: unknown) => void;
  private readonly closePage: () => void;

  constructor(id: string, toPage: (data: unknown) => void, closePage: () => void) {
    super();
    this.id = id;
    this.toPage = toPage;
    this.closePage = closePage;
  }
  postMessage(data: unknown): void {
    if (!this.closed) this.toPage(data);
  }
  start(): void {
    this.started = true;
    for (const data of this.queued.splice(0)) this.emit('message', { data, ports: [] });
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closePage();
  }
  /** A message from the page's end. */
  deliver(data: unknown): void {
    if (this.closed) return;
    if (!this.started) this.queued.push(data);
    else this.emit('message', { data, ports: [] });
  }
  /** The page's end is gone. */
  remoteClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }
}

/**
 * safeStorage backed by a keyring: AES-256-GCM under a key the "keyring" (this object) holds.
 * `backend: 'basic_text'` reports what Electron does on Linux without a keyring.
 */
export class FakeSafeStorage implements SafeStorageLike {
  private readonly key = crypto.randomBytes(32);
  readonly backend: string;
  constructor(backend = 'gnome_libsecret') {
    this.backend = backend;
  }
  isEncryptionAvailable(): boolean {
    return true;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }
  decryptString(enc: Buffer): string {
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, enc.subarray(0, 12));
    d.setAuthTag(enc.subarray(12, 28));
    return Buffer.concat([d.update(enc.subarray(28)), d.final()]).toString('utf8');
  }
}

/** powerSaveBlocker: ids handed out, and every start and stop recorded. */
export class FakePowerSaveBlocker implements PowerSaveBlockerLike {
  private next = 1;
  private readonly running = new Set<number>();
  readonly calls: Array<{ call: 'start' | 'stop'; id: number; type?: string }> = [];
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number {
    const id = this.next++;
    this.running.add(id);
    this.calls.push({ call: 'start', id, type });
    return id;
  }
  stop(id: number): boolean {
    this.calls.push({ call: 'stop', id });
    return this.running.delete(id);
  }
  isStarted(id: number): boolean {
    return this.running.has(id);
  }
  /** True while any blocker is held. */
  get held(): boolean {
    return this.running.size > 0;
  }
}
