// Secrets at rest. The cache key (and with it, transitively, the hub credentials the agent
// keeps inside the encrypted cache) is stored only through Electron's safeStorage, and only
// when safeStorage is backed by the OS: Keychain, DPAPI, or a Linux keyring. On Linux without
// a keyring Electron falls back to `basic_text`, a fixed, public key: that is plain text with
// extra steps, so it is refused and nothing is persisted. The device then runs with a key that
// lives in memory only: the cache is rebuilt from the hub at each start and the user signs in
// with their password every time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The slice of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only in Electron; absent or irrelevant elsewhere. */
  getSelectedStorageBackend?(): string;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Linux backends that keep the key in a real keyring. */
export const TRUSTED_LINUX_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export type SecretStorageChoice =
  | { kind: 'os'; backend: string }
  | { kind: 'none'; reason: string };

export function chooseSecretStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform): SecretStorageChoice {
  if (!safeStorage.isEncryptionAvailable()) {
    return { kind: 'none', reason: 'the operating system offers no secret storage to this app' };
  }
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text') {
      return { kind: 'none', reason: 'no keyring is running (safeStorage fell back to basic_text, which is not encryption)' };
    }
    if (!TRUSTED_LINUX_BACKENDS.has(backend)) {
      return { kind: 'none', reason: `unrecognised safeStorage backend "${backend}"` };
    }
    return { kind: 'os', backend };
  }
  return { kind: 'os', backend: platform === 'darwin' ? 'keychain' : platform === 'win32' ? 'dpapi' : platform };
}

/**
 * A small file of named secrets, each encrypted by safeStorage. The file itself is not secret
 * (its entries are ciphertext); it is written atomically with owner-only permissions anyway.
 */
export class SecretBox {
  readonly file: string;
  private readonly safeStorage: SafeStorageLike;

  constructor(file: string, safeStorage: SafeStorageLike) {
    this.file = file;
    this.safeStorage = safeStorage;
  }

  private readAll(): Record<string, string> {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
      return Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    } catch {
      return {};
    }
  }

  private writeAll(entries: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, JSON.stringify(entries), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }

  /** The secret, or null when absent or no longer decryptable (keyring reset, other user). */
  get(name: string): string | null {
    const enc = this.readAll()[name];
    if (enc === undefined) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(enc, 'base64'));
    } catch {
      return null;
    }
  }

  set(name: string, value: string): void {
    const all = this.readAll();
    all[name] = this.safeStorage.encryptString(value).toString('base64');
    this.writeAll(all);
  }

  delete(name: string): void {
    const all = this.readAll();
    if (!(name in all)) return;
    delete all[name];
    this.writeAll(all);
  }
}

export const CACHE_KEY_SECRET = 'cache-key';

export interface CacheKey {
  key: string;
  /** True when the key survives a restart (kept in OS-backed safeStorage). */
  persisted: boolean;
  /** The existing cache cannot be opened with this key and must be discarded before use. */
  discardExistingCache: boolean;
  reason: string;
}

function newKey(): string {
  return crypto.randomBytes(32).toString('hex');
}

export function loadOrCreateCacheKey(secretsFile: string, safeStorage: SafeStorageLike, platform: NodeJS.Platform): CacheKey {
  const choice = chooseSecretStorage(safeStorage, platform);
  if (choice.kind === 'none') {
    // Also drop any key a previous, better-equipped session stored: it must not linger.
    try {
      fs.rmSync(secretsFile, { force: true });
    } catch {
      /* nothing to remove */
    }
    return { key: newKey(), persisted: false, discardExistingCache: true, reason: choice.reason };
  }
  const box = new SecretBox(secretsFile, safeStorage);
  const existing = box.get(CACHE_KEY_SECRET);
  if (existing && /^[0-9a-f]{64}$/.test(existing)) {
    return { key: existing, persisted: true, discardExistingCache: false, reason: `cache key kept in ${choice.backend}` };
  }
  const key = newKey();
  box.set(CACHE_KEY_SECRET, key);
  return {
    key,
    persisted: true,
    // A cache whose key is lost is unreadable ciphertext: start afresh rather than fail.
    discardExistingCache: true,
    reason: `new cache key stored in ${choice.backend}`,
  };
}

/** The agent's cache file and its SQLite companions. */
export function cacheFiles(dataDir: string): string[] {
  const base = path.join(dataDir, 'agent.sqlite');
  return [base, `${base}-wal`, `${base}-shm`, `${base}-journal`];
}

export function discardCache(dataDir: string): void {
  for (const f of cacheFiles(dataDir)) fs.rmSync(f, { force: true });
}
