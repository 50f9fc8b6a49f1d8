// The keys of secret votes, kept in `<data>/poll-keys/` (0700, files 0600), never in the database:
// - a master key (32 random bytes) that seals every other key;
// - the hub's Ed25519 signing key (sealed), which signs ballot receipts and tallied results;
// - one ECDH P-256 key per open secret poll (sealed), whose public half ballots are encrypted to.
// A poll's key is its own file so that destroying it after the tally is an unlink: were it a
// database row, old copies could outlive the delete in the WAL and in freed pages. Every file is
// written to a temporary name, fsynced and renamed, so a key an answer relied on survives a crash.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../../core/private-files.ts';

const MASTER = 'master.key';
const SIGNING = 'signing.key';
const POLL_SUFFIX = '.poll';
const POLL_FILE = /^([a-z0-9_-]{1,64})\.poll$/;

export class PollKeyError extends Error {
  override name = 'PollKeyError';
}

/** AES-256-GCM under the master key, bound to what it seals (`aad`): iv ‖ tag ‖ ciphertext. */
function seal(master: Buffer, aad: string, plain: Buffer): Buffer {
  const iv = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', master, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function unseal(master: Buffer, aad: string, sealed: Buffer): Buffer {
  const d = crypto.createDecipheriv('aes-256-gcm', master, sealed.subarray(0, 12));
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([d.update(sealed.subarray(28)), d.final()]);
}

function writeDurably(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  syncDir(path.dirname(file));
}

/** The rename (or unlink) itself must reach the disk too. */
function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export class PollKeys {
  private readonly dir: string;
  private readonly master: Buffer;
  private readonly signing: crypto.KeyObject;
  /** The hub's Ed25519 public key, SPKI DER in base64: what a verifier checks signatures with. */
  readonly publicKey: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'poll-keys');
    ensurePrivateDir(this.dir);
    this.master = this.loadOrCreate(MASTER, () => crypto.randomBytes(32));
    if (this.master.length !== 32) throw new PollKeyError(`${path.join(this.dir, MASTER)} is damaged (not 32 bytes): restore it from the backup of the data folder`);
    const sealed = this.loadOrCreate(SIGNING, () => {
      const { privateKey } = crypto.generateKeyPairSync('ed25519');
      return seal(this.master, SIGNING, privateKey.export({ type: 'pkcs8', format: 'der' }));
    });
    try {
      this.signing = crypto.createPrivateKey({ key: unseal(this.master, SIGNING, sealed), format: 'der', type: 'pkcs8' });
    } catch {
      throw new PollKeyError(`${path.join(this.dir, SIGNING)} does not open with ${MASTER}: restore both from the same backup`);
    }
    this.publicKey = crypto.createPublicKey(this.signing).export({ type: 'spki', format: 'der' }).toString('base64');
  }

  private loadOrCreate(name: string, make: () => Buffer): Buffer {
    const file = path.join(this.dir, name);
    try {
      return fs.readFileSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const bytes = make();
    writeDurably(file, bytes);
    return bytes;
  }

  private pollFile(pollId: string): string {
    if (!/^[a-z0-9_-]{1,64}$/.test(pollId)) throw new PollKeyError('not a poll id');
    return path.join(this.dir, pollId + POLL_SUFFIX);
  }

  /** A fresh key for the poll (replacing any earlier one): its public half, raw (65 bytes). */
  create(pollId: string): Buffer {
    const ecdh = crypto.createECDH('prime256v1');
    const pub = ecdh.generateKeys();
    writeDurably(this.pollFile(pollId), seal(this.master, `poll:${pollId}`, ecdh.getPrivateKey()));
    return pub;
  }

  /** The poll's private key (raw, 32 bytes), or null when it is gone. */
  privateKey(pollId: string): Buffer | null {
    let sealed: Buffer;
    try {
      sealed = fs.readFileSync(this.pollFile(pollId));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return unseal(this.master, `poll:${pollId}`, sealed);
    } catch {
      throw new PollKeyError(`the key of poll ${pollId} does not open with the master key`);
    }
  }

  has(pollId: string): boolean {
    return fs.existsSync(this.pollFile(pollId));
  }

  /** Destroys the poll's key: its ballots can never be decrypted again. */
  destroy(pollId: string): void {
    const file = this.pollFile(pollId);
    try {
      // Overwritten before the unlink, so the bytes do not linger in the file's old blocks either.
      const size = fs.statSync(file).size;
      const fd = fs.openSync(file, 'r+');
      try {
        fs.writeSync(fd, Buffer.alloc(size), 0, size, 0);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.unlinkSync(file);
      syncDir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  /** Poll ids that have a key file. */
  heldPolls(): string[] {
    return fs.readdirSync(this.dir).map((f) => POLL_FILE.exec(f)?.[1]).filter((id): id is string => id !== undefined);
  }

  /** Ed25519 over the text, base64. */
  sign(text: string): string {
    return crypto.sign(null, Buffer.from(text), this.signing).toString('base64');
  }
}

/** Checks a signature of PollKeys.sign against the public key it publishes. */
export function verifySignature(publicKeySpkiB64: string, text: string, signatureB64: string): boolean {
  const key = crypto.createPublicKey({ key: Buffer.from(publicKeySpkiB64, 'base64'), format: 'der', type: 'spki' });
  return crypto.verify(null, Buffer.from(text), key, Buffer.from(signatureB64, 'base64'));
}

/**
 * The hub's public key read from a data folder without creating anything (the audit verifier
 * opens a stopped hub's folder read-only); null when the folder holds no keys.
 */
export function readHubPublicKey(dataDir: string): string | null {
  const dir = path.join(dataDir, 'poll-keys');
  let master: Buffer;
  let sealed: Buffer;
  try {
    master = fs.readFileSync(path.join(dir, MASTER));
    sealed = fs.readFileSync(path.join(dir, SIGNING));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  let signing: crypto.KeyObject;
  try {
    signing = crypto.createPrivateKey({ key: unseal(master, SIGNING, sealed), format: 'der', type: 'pkcs8' });
  } catch {
    throw new PollKeyError(`${path.join(dir, SIGNING)} does not open with ${MASTER}`);
  }
  return crypto.createPublicKey(signing).export({ type: 'spki', format: 'der' }).toString('base64');
}
