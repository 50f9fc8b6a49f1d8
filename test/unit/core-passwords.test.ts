// The one password-hashing module (electron/core/passwords.ts): the hub's accounts and the agent's
// offline verifier both go through it, every hash stored before it existed still verifies (values
// written by the code of commit ab367f6, and the hub and agent files of test/fixtures/schema-v0/),
// and a stored value outside the bounds verifies nothing instead of costing scrypt work.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/processes.ts';
import { CipherDriver } from '../../electron/core/cipher-db.ts';
import { hashPassword, parseStoredHash, SCRYPT_BOUNDS, verifyPassword } from '../../electron/core/passwords.ts';
import * as hub from '../../electron/hub/passwords.ts';
import { checkVerifier, makeVerifier } from '../../electron/agent/password-verifier.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/schema-v0');

/** A stored value with chosen parameters, made with Node's scrypt directly (not the module). */
function storedWith(password: string, N: number, r: number, p: number, salt = crypto.randomBytes(16)): string {
  const hash = crypto.scryptSync(password, salt, 32, { N, r, p, maxmem: 512 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Copies of fixture files in a scratch folder, so opening them never touches the fixture. */
function copyFixture(files: string[]): string {
  const dir = tempDir('chamber-passwords-');
  for (const f of files) fs.copyFileSync(path.join(FIXTURE, f), path.join(dir, f));
  return dir;
}

describe('core passwords: one module for hub and agent', () => {
  it('is the module the hub and the agent use', () => {
    expect(hub.hashPassword).toBe(hashPassword);
    expect(hub.verifyPassword).toBe(verifyPassword);
    expect(makeVerifier).toBe(hashPassword);
    expect(checkVerifier).toBe(verifyPassword);
  });

  it('hashes with a fresh salt and verifies only the right password', async () => {
    const a = await hashPassword('Correct horse 7');
    const b = await hashPassword('Correct horse 7');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(b).not.toBe(a);
    expect(await verifyPassword('Correct horse 7', a)).toBe(true);
    expect(await verifyPassword('Correct horse 7', b)).toBe(true);
    expect(await verifyPassword('correct horse 7', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('reads the parameters from the stored value, so raised ones verify without a migration', async () => {
    const raised = storedWith('Mật khẩu dài 2026', 32768, 8, 2);
    expect(await verifyPassword('Mật khẩu dài 2026', raised)).toBe(true);
    expect(await verifyPassword('Mat khau dai 2026', raised)).toBe(false);
  });
});

describe('core passwords: hashes stored before the module existed', () => {
  it('verifies a hub account hash and an agent verifier written by the code of ab367f6', async () => {
    // Made by `hashPassword` of electron/hub/passwords.ts and `makeVerifier` of
    // electron/agent/password-verifier.ts as they were at ab367f6 (git show ab367f6:<file>).
    const hubHash = 'scrypt$16384$8$1$WRHWGiOU3owgtVnDKhdl7A==$RSu/AHN9sqVeTS+8XgAsCa3H+46IzMTlcM3C261koPQ=';
    const agentVerifier = 'scrypt$16384$8$1$CqOTfvCxJX30xFtcZAzqdA==$NHv8WWDLOqV2WvfS5AEoCEOBLCcR/fERyYQ4cC6ksH8=';
    expect(await hub.verifyPassword('Correct horse 7', hubHash)).toBe(true);
    expect(await hub.verifyPassword('Correct horse 8', hubHash)).toBe(false);
    expect(await checkVerifier('Mật khẩu dài 2026', agentVerifier)).toBe(true);
    expect(await checkVerifier('Mật khẩu dài 2025', agentVerifier)).toBe(false);
  });

  it("verifies every account of the schema-v0 hub database with the demo password", async () => {
    const dir = copyFixture(['hub.sqlite']);
    const db = new BetterSqlite3(path.join(dir, 'hub.sqlite'), { readonly: true });
    const rows = db.prepare<[], { login: string; pw_hash: string }>('SELECT login, pw_hash FROM accounts ORDER BY login').all();
    db.close();
    expect(rows.length).toBe(6);
    for (const row of rows) {
      expect(await verifyPassword('demo', row.pw_hash), row.login).toBe(true);
      expect(await verifyPassword('demo!', row.pw_hash), row.login).toBe(false);
    }
  });

  it("verifies the offline verifier in the schema-v0 agent cache (encrypted, with its key file)", async () => {
    const dir = copyFixture(['agent.sqlite', 'agent.key']);
    const key = fs.readFileSync(path.join(dir, 'agent.key'), 'utf8').trim();
    const db = new CipherDriver(path.join(dir, 'agent.sqlite'), { readonly: true, fileMustExist: true });
    db.pragma(`key='${key}'`);
    const row = db.prepare<[string], { value: string }>('SELECT value FROM agent_meta WHERE key = ?').get('password_verifier');
    db.close();
    expect(row?.value).toMatch(/^scrypt\$/);
    expect(await checkVerifier('demo', row!.value)).toBe(true);
    expect(await checkVerifier('Demo', row!.value)).toBe(false);
  });
});

describe('core passwords: a stored value outside the bounds verifies nothing', () => {
  const salt = Buffer.alloc(16, 7).toString('base64');
  const hash = Buffer.alloc(32, 9).toString('base64');
  const hostile: Array<[string, string]> = [
    ['N far above the ceiling (gigabytes)', `scrypt$${2 ** 30}$8$1$${salt}$${hash}`],
    ['N one power above the ceiling', `scrypt$${SCRYPT_BOUNDS.maxN * 2}$8$1$${salt}$${hash}`],
    ['memory over the ceiling through r', `scrypt$${SCRYPT_BOUNDS.maxN}$16$1$${salt}$${hash}`],
    ['work over the ceiling through p', `scrypt$${SCRYPT_BOUNDS.maxN}$8$2$${salt}$${hash}`],
    ['r over its ceiling', `scrypt$1024$33$1$${salt}$${hash}`],
    ['p over its ceiling', `scrypt$1024$1$17$${salt}$${hash}`],
    ['N not a power of two', `scrypt$16385$8$1$${salt}$${hash}`],
    ['N below the floor', `scrypt$2$8$1$${salt}$${hash}`],
    ['zero r', `scrypt$16384$0$1$${salt}$${hash}`],
    ['negative p', `scrypt$16384$8$-1$${salt}$${hash}`],
    ['exponent notation', `scrypt$1e4$8$1$${salt}$${hash}`],
    ['leading zero', `scrypt$016384$8$1$${salt}$${hash}`],
    ['hash of the wrong length', `scrypt$16384$8$1$${salt}$${Buffer.alloc(16).toString('base64')}`],
    ['salt too short', `scrypt$16384$8$1$${Buffer.alloc(4).toString('base64')}$${hash}`],
    ['salt not base64', `scrypt$16384$8$1$not*base64$${hash}`],
    ['empty salt', `scrypt$16384$8$1$$${hash}`],
    ['another scheme', `bcrypt$16384$8$1$${salt}$${hash}`],
    ['an extra field', `scrypt$16384$8$1$${salt}$${hash}$x`],
    ['a very long value', `scrypt$16384$8$1$${'A'.repeat(100_000)}$${hash}`],
    ['empty', ''],
  ];

  for (const [what, stored] of hostile) {
    it(`${what}: refused before any scrypt work, without throwing`, async () => {
      expect(parseStoredHash(stored)).toBeNull();
      await expect(verifyPassword('demo', stored)).resolves.toBe(false);
    });
  }

  it('accepts the largest parameters the bounds allow, and what new hashes use', async () => {
    expect(parseStoredHash(`scrypt$${SCRYPT_BOUNDS.maxN}$8$1$${salt}$${hash}`)).toMatchObject({ N: SCRYPT_BOUNDS.maxN, r: 8, p: 1 });
    expect(parseStoredHash(`scrypt$1024$32$16$${salt}$${hash}`)).toMatchObject({ N: 1024, r: 32, p: 16 });
    expect(parseStoredHash(await hashPassword('demo'))).toMatchObject({ N: 16384, r: 8, p: 1 });
  });
});
