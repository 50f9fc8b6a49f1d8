// The agent's cache, encrypted with SQLite3 Multiple Ciphers. The opener lives in electron/core
// since the headless agent (which may not import the shell) encrypts its cache the same way;
// the key comes from secrets.ts here.
export { CipherDriver, encryptedCacheOpener } from '../core/cipher-db.ts';
