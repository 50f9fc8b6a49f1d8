// The embedded agent's life in the desktop app: its cache key (kept through safeStorage, or in
// memory only when the OS offers no real keyring), its encrypted cache, start, stop, and what a
// wipe needs of it. Plain Node: electron/main passes Electron's safeStorage, the desktop harness
// a stand-in, and both run this code.
import path from 'node:path';
import type { AgentHandle, CarriedOutWipe, StartAgent } from './agent-handle.ts';
import { encryptedCacheOpener } from './encrypted-cache.ts';
import { CACHE_KEY_SECRET, SecretBox, discardCache, loadOrCreateCacheKey, type SafeStorageLike } from './secrets.ts';
import type { WipeDeps } from './wipe.ts';

export type ShellLog = (msg: string, extra?: Record<string, unknown>) => void;

export interface AgentRuntimeOptions {
  startAgent: StartAgent;
  hubUrl: string;
  /** The agent's folder (its cache file lives here). */
  dataDir: string;
  /** The safeStorage-encrypted secrets file (the cache key). */
  secretsFile: string;
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  onWipeOrder?: (order: CarriedOutWipe) => void;
  /** Passed to the agent as they are; only tests set them. */
  tuning?: { refreshMs?: number; backoff?: { baseMs: number; maxMs: number } };
  log: ShellLog;
}

export class AgentRuntime {
  private handle: AgentHandle | null = null;
  private starting: Promise<void> | null = null;
  private readonly opts: AgentRuntimeOptions;
  /** Whether the last start kept its key in the OS keyring (false: a key in memory only). */
  keyPersisted = false;

  constructor(opts: AgentRuntimeOptions) {
    this.opts = opts;
  }

  /** The running agent, or null while it starts, after it stopped, or during a wipe. */
  get agent(): AgentHandle | null {
    return this.handle;
  }

  get url(): string | null {
    return this.handle?.url ?? null;
  }

  get cacheFile(): string {
    return path.join(this.opts.dataDir, 'agent.sqlite');
  }

  start(): Promise<void> {
    this.starting ??= this.boot().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async boot(): Promise<void> {
    if (this.handle) return;
    const { opts } = this;
    const key = loadOrCreateCacheKey(opts.secretsFile, opts.safeStorage, opts.platform);
    opts.log('cache key', { persisted: key.persisted, reason: key.reason });
    // A cache whose key is gone is unreadable ciphertext: start afresh rather than fail.
    if (key.discardExistingCache) discardCache(opts.dataDir);
    this.keyPersisted = key.persisted;
    this.handle = await opts.startAgent({
      hubUrl: opts.hubUrl,
      dataDir: opts.dataDir,
      port: 0,
      host: '127.0.0.1',
      openDatabase: encryptedCacheOpener(key.key),
      log: (msg, extra) => opts.log(msg, { agent: true, ...extra }),
      onWipeOrder: opts.onWipeOrder,
      ...opts.tuning,
    });
    opts.log('agent started', { url: this.handle.url });
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => {});
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }

  /**
   * What executeWipe (wipe.ts) needs: the agent's own per-meeting purge, stop and start, the key
   * and the files. `beforeStop` closes what still talks to the agent (the sync bridges).
   */
  wipeDeps(extra: { beforeStop: () => void; clearRendererStorage: () => Promise<void> }): WipeDeps {
    const wipeMeeting = this.handle?.wipeMeeting ? (id: string) => this.handle!.wipeMeeting!(id) : undefined;
    return {
      wipeMeeting,
      stopAgent: async () => {
        extra.beforeStop();
        await this.stop();
      },
      startAgent: () => this.start(),
      forgetCacheKey: () => new SecretBox(this.opts.secretsFile, this.opts.safeStorage).delete(CACHE_KEY_SECRET),
      deleteCache: () => discardCache(this.opts.dataDir),
      clearRendererStorage: extra.clearRendererStorage,
      log: this.opts.log,
    };
  }
}
