import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { generateSigningKeys, signFile, signaturePath, verifyFile } from '../../../electron/shell/update-verify.ts';
import { fetchVerifiedUpdate, installPlan, isNewer, parseFeed } from '../../../electron/shell/updater.ts';

const root = path.resolve(import.meta.dirname, '../../..');
let dir: string;
const keys = generateSigningKeys();
const otherKeys = generateSigningKeys();

beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-update-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function signed(name: string, bytes: Buffer, privatePem = keys.privatePem): Promise<string> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  fs.writeFileSync(signaturePath(file), JSON.stringify(await signFile(file, privatePem)));
  return file;
}

describe('update signatures', () => {
  it('accepts an untouched file', async () => {
    const file = await signed('Chamber-1.0.0.AppImage', crypto.randomBytes(300_000));
    const v = await verifyFile(file, fs.readFileSync(signaturePath(file), 'utf8'), keys.publicPem);
    expect(v.ok).toBe(true);
  });

  it('refuses a tampered file, one flipped bit is enough', async () => {
    const file = await signed('Chamber-1.0.1.AppImage', crypto.randomBytes(300_000));
    const bytes = fs.readFileSync(file);
    bytes[123_456]! ^= 1;
    fs.writeFileSync(file, bytes);
    const v = await verifyFile(file, fs.readFileSync(signaturePath(file), 'utf8'), keys.publicPem);
    expect(v).toEqual({ ok: false, reason: expect.stringMatching(/modified after signing/) });
  });

  it('refuses unsigned, foreign-signed, forged and renamed files', async () => {
    const file = await signed('Chamber-1.0.2.exe', Buffer.from('installer'));
    const sig = fs.readFileSync(signaturePath(file), 'utf8');
    expect((await verifyFile(file, null, keys.publicPem)).ok).toBe(false);
    expect((await verifyFile(file, sig, otherKeys.publicPem)).ok).toBe(false);
    const foreign = await signed('Chamber-1.0.3.exe', Buffer.from('installer'), otherKeys.privatePem);
    expect((await verifyFile(foreign, fs.readFileSync(signaturePath(foreign), 'utf8'), keys.publicPem)).ok).toBe(false);
    // Editing the statement to match tampered bytes breaks the signature itself.
    const forged = { ...JSON.parse(sig), sha512: crypto.createHash('sha512').update('evil').digest('hex') };
    expect(await verifyFile(file, JSON.stringify(forged), keys.publicPem)).toEqual({ ok: false, reason: expect.stringMatching(/does not verify/) });
    // An old, validly signed installer offered under a new name.
    const renamed = path.join(dir, 'Chamber-9.9.9.exe');
    fs.copyFileSync(file, renamed);
    expect(await verifyFile(renamed, sig, keys.publicPem)).toEqual({ ok: false, reason: expect.stringMatching(/is for "Chamber-1.0.2.exe"/) });
    expect((await verifyFile(file, 'not json', keys.publicPem)).ok).toBe(false);
    expect(await verifyFile(file, sig, 'not a key')).toEqual({ ok: false, reason: expect.stringMatching(/bad public key/) });
  });

  it('supports ECDSA P-256 keys as well', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const file = await signed('Chamber-1.1.0.dmg', Buffer.from('dmg'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect((await verifyFile(file, fs.readFileSync(signaturePath(file), 'utf8'), pub)).ok).toBe(true);
    expect((await verifyFile(file, fs.readFileSync(signaturePath(file), 'utf8'), keys.publicPem)).ok).toBe(false);
  });
});

describe('update feed from the hub', () => {
  let server: http.Server;
  let base: string;
  const files = new Map<string, Buffer>();

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = files.get(decodeURIComponent(req.url!.replace(/^\/updates\//, '')));
      res.writeHead(body ? 200 : 404);
      res.end(body ?? 'not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/updates/`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const check = (currentVersion: string) => fetchVerifiedUpdate({
    feedUrl: base, platform: 'linux', arch: 'x64', currentVersion, publicKeyPem: keys.publicPem, downloadDir: path.join(dir, 'downloads'),
  });

  it('downloads and keeps a newer, correctly signed build', async () => {
    const file = await signed('Chamber-2.0.0.AppImage', Buffer.from('new build'));
    files.set('latest-linux.yml', Buffer.from('version: 2.0.0\nfiles:\n  - url: Chamber-2.0.0.AppImage\npath: Chamber-2.0.0.AppImage\nsha512: x\n'));
    files.set('Chamber-2.0.0.AppImage', fs.readFileSync(file));
    files.set('Chamber-2.0.0.AppImage.sig', fs.readFileSync(signaturePath(file)));
    const r = await check('1.0.0');
    expect(r).toMatchObject({ status: 'ready', version: '2.0.0' });
    expect(r.status === 'ready' && fs.readFileSync(r.file, 'utf8')).toBe('new build');
    expect(await check('2.0.0')).toEqual({ status: 'current', version: '2.0.0' });
  });

  it('refuses and deletes a build altered on the hub, or served unsigned', async () => {
    files.set('Chamber-2.0.0.AppImage', Buffer.from('new build, with a backdoor'));
    const r = await check('1.0.0');
    expect(r).toEqual({ status: 'refused', reason: expect.stringMatching(/modified after signing/) });
    expect(fs.existsSync(path.join(dir, 'downloads', 'Chamber-2.0.0.AppImage'))).toBe(false);
    files.delete('Chamber-2.0.0.AppImage.sig');
    expect(await check('1.0.0')).toEqual({ status: 'refused', reason: expect.stringMatching(/unsigned/) });
    files.set('latest-linux.yml', Buffer.from('version: 3.0.0\npath: ../../etc/passwd\n'));
    expect(await check('1.0.0')).toEqual({ status: 'refused', reason: 'the update feed is malformed' });
  });

  it('compares versions and plans installs per platform', () => {
    expect(parseFeed("version: '1.2.3'\npath: a.exe\n")).toEqual({ version: '1.2.3', path: 'a.exe' });
    expect(isNewer('1.10.0', '1.9.9')).toBe(true);
    expect(isNewer('1.2.3', '1.2.3-rc.1')).toBe(true);
    expect(isNewer('1.2.3-rc.1', '1.2.3')).toBe(false);
    expect(isNewer('1.2.2', '1.2.3')).toBe(false);
    expect(installPlan('/d/C.AppImage', 'linux', { APPIMAGE: '/opt/C.AppImage' })).toEqual({ kind: 'replace-appimage', from: '/d/C.AppImage', to: '/opt/C.AppImage' });
    expect(installPlan('/d/C.exe', 'win32', {}).kind).toBe('run-installer');
    expect(installPlan('/d/c.deb', 'linux', {}).kind).toBe('manual');
  });
});

describe('release CLI (child process)', () => {
  const run = (...args: string[]) => new Promise<{ code: number; out: string }>((resolve) => {
    execFile(process.execPath, [path.join(root, 'scripts/release.ts'), ...args], { cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: stdout + stderr });
    });
  });

  it('keygen, sign and verify round-trip; tampering and a wrong key fail', async () => {
    const kd = path.join(dir, 'keys');
    expect((await run('keygen', kd)).code).toBe(0);
    expect(fs.readFileSync(path.join(kd, 'private.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(fs.readFileSync(path.join(kd, 'public.pem'), 'utf8')).toContain('BEGIN PUBLIC KEY');
    expect(fs.statSync(path.join(kd, 'private.pem')).mode & 0o077).toBe(0);
    expect((await run('keygen', kd)).code).not.toBe(0);

    const file = path.join(dir, 'Chamber-Setup-4.0.0.exe');
    fs.writeFileSync(file, crypto.randomBytes(50_000));
    expect((await run('sign', '--key', path.join(kd, 'private.pem'), file)).code).toBe(0);
    expect(fs.existsSync(`${file}.sig`)).toBe(true);
    const ok = await run('verify', '--pubkey', path.join(kd, 'public.pem'), file);
    expect(ok).toMatchObject({ code: 0, out: expect.stringContaining('OK') });

    fs.appendFileSync(file, 'x');
    const bad = await run('verify', '--pubkey', path.join(kd, 'public.pem'), file);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/REFUSED .*modified after signing/);

    fs.writeFileSync(path.join(dir, 'other.pem'), otherKeys.publicPem);
    fs.writeFileSync(file, 'y');
    await run('sign', '--key', path.join(kd, 'private.pem'), file);
    expect((await run('verify', '--pubkey', path.join(dir, 'other.pem'), file)).code).toBe(1);
    fs.rmSync(`${file}.sig`);
    expect(await run('verify', '--pubkey', path.join(kd, 'public.pem'), file)).toMatchObject({ code: 1, out: expect.stringMatching(/unsigned/) });
    expect((await run('bogus')).code).toBe(2);
  });
});
