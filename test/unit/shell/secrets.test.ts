import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE_KEY_SECRET, SecretBox, cacheFiles, chooseSecretStorage, discardCache, loadOrCreateCacheKey, type SafeStorageLike } from '../../../electron/shell/secrets.ts';
import { encryptedCacheOpener } from '../../../electron/shell/encrypted-cache.ts';
import { CorruptStoreError } from '../../../electron/core/store.ts';

/** A stand-in for safeStorage: a reversible transform, and the backend Electron would report. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike & { encrypted: number } {
  return {
    encrypted: 0,
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string) {
      this.encrypted++;
      return Buffer.from(`${backend}:${Buffer.from(plain).toString('base64')}`);
    },
    decryptString(enc: Buffer) {
      const [b, body] = enc.toString().split(':');
      if (b !== backend) throw new Error('wrong keyring');
      return Buffer.from(body!, 'base64').toString();
    },
  };
}

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-secrets-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('secret storage choice', () => {
  it('uses a Linux keyring and refuses basic_text', () => {
    expect(chooseSecretStorage(fakeSafeStorage('gnome_libsecret'), 'linux')).toEqual({ kind: 'os', backend: 'gnome_libsecret' });
    expect(chooseSecretStorage(fakeSafeStorage('kwallet6'), 'linux')).toEqual({ kind: 'os', backend: 'kwallet6' });
    const plain = chooseSecretStorage(fakeSafeStorage('basic_text'), 'linux');
    expect(plain.kind).toBe('none');
    expect(plain.kind === 'none' && plain.reason).toMatch(/basic_text/);
    expect(chooseSecretStorage(fakeSafeStorage('unknown'), 'linux').kind).toBe('none');
  });

  it('uses Keychain and DPAPI, and refuses when encryption is unavailable', () => {
    expect(chooseSecretStorage(fakeSafeStorage('n/a'), 'darwin')).toEqual({ kind: 'os', backend: 'keychain' });
    expect(chooseSecretStorage(fakeSafeStorage('n/a'), 'win32')).toEqual({ kind: 'os', backend: 'dpapi' });
    expect(chooseSecretStorage(fakeSafeStorage('gnome_libsecret', false), 'linux').kind).toBe('none');
  });
});

describe('cache key', () => {
  const file = () => path.join(dir, 'secrets.json');

  it('is created once in a keyring and found again', () => {
    const ss = fakeSafeStorage('gnome_libsecret');
    const first = loadOrCreateCacheKey(file(), ss, 'linux');
    expect(first).toMatchObject({ persisted: true, discardExistingCache: true });
    expect(first.key).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(file(), 'utf8')).not.toContain(first.key);
    const again = loadOrCreateCacheKey(file(), ss, 'linux');
    expect(again).toMatchObject({ key: first.key, persisted: true, discardExistingCache: false });
  });

  it('is never persisted with basic_text, and a stored one is removed', () => {
    loadOrCreateCacheKey(file(), fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(fs.existsSync(file())).toBe(true);
    const ss = fakeSafeStorage('basic_text');
    const k1 = loadOrCreateCacheKey(file(), ss, 'linux');
    const k2 = loadOrCreateCacheKey(file(), ss, 'linux');
    expect(k1).toMatchObject({ persisted: false, discardExistingCache: true });
    expect(k1.key).not.toBe(k2.key);
    expect(ss.encrypted).toBe(0);
    expect(fs.existsSync(file())).toBe(false);
  });

  it('starts a fresh cache when the keyring can no longer decrypt the key', () => {
    const old = loadOrCreateCacheKey(file(), fakeSafeStorage('kwallet5'), 'linux');
    const now = loadOrCreateCacheKey(file(), fakeSafeStorage('gnome_libsecret'), 'linux');
    expect(now.key).not.toBe(old.key);
    expect(now.discardExistingCache).toBe(true);
  });

  it('SecretBox forgets on delete', () => {
    const box = new SecretBox(file(), fakeSafeStorage('gnome_libsecret'));
    box.set(CACHE_KEY_SECRET, 'k');
    box.set('other', 'o');
    box.delete(CACHE_KEY_SECRET);
    expect(box.get(CACHE_KEY_SECRET)).toBeNull();
    expect(box.get('other')).toBe('o');
  });
});

describe('encrypted cache', () => {
  it('stores nothing readable without the key', () => {
    const key = 'a'.repeat(64);
    const dbFile = path.join(dir, 'agent.sqlite');
    const db = encryptedCacheOpener(key)(dbFile);
    db.exec('CREATE TABLE t (v TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run('CONFIDENTIAL-PAPER-TEXT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(fs.readFileSync(dbFile).includes(Buffer.from('CONFIDENTIAL-PAPER-TEXT'))).toBe(false);
    expect(fs.readFileSync(dbFile).subarray(0, 15).toString()).not.toBe('SQLite format 3');

    const again = encryptedCacheOpener(key)(dbFile);
    expect(again.prepare('SELECT v FROM t').get()).toEqual({ v: 'CONFIDENTIAL-PAPER-TEXT' });
    again.close();
    expect(() => encryptedCacheOpener('b'.repeat(64))(dbFile)).toThrow(CorruptStoreError);
  });

  it('refuses a weak key and discards all cache files', () => {
    expect(() => encryptedCacheOpener('password')).toThrow(/32 random bytes/);
    for (const f of cacheFiles(dir)) fs.writeFileSync(f, 'x');
    discardCache(dir);
    for (const f of cacheFiles(dir)) expect(fs.existsSync(f)).toBe(false);
  });
});
