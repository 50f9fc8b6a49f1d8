// Detached signatures for releases. Linux packages carry no OS signature and the update feed
// is served by the room hub, so the app trusts an update only when its detached signature
// verifies against the public key built into the app (inside the integrity-checked ASAR).
//
// What is signed is a short statement naming the file, its size and its SHA-512, not the raw
// bytes: the file can then be hashed as a stream (installers are hundreds of megabytes, and
// Ed25519 has no streaming mode), and the name binds the signature to one artifact so an older
// signed installer cannot be replayed under a newer name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SIGNATURE_FORMAT = 'chamber-signature-v1';

export interface SignatureFile {
  format: typeof SIGNATURE_FORMAT;
  algorithm: 'ed25519' | 'ecdsa-p256-sha256';
  file: string;
  size: number;
  sha512: string;
  /** base64 */
  signature: string;
}

export class SignatureError extends Error {
  override name = 'SignatureError';
}

export function statement(file: string, size: number, sha512: string): Buffer {
  return Buffer.from(`${SIGNATURE_FORMAT}\nfile=${file}\nsize=${size}\nsha512=${sha512}\n`, 'utf8');
}

export async function hashFile(file: string): Promise<{ size: number; sha512: string }> {
  const hash = crypto.createHash('sha512');
  let size = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha512: hash.digest('hex') };
}

function algorithmOf(key: crypto.KeyObject): SignatureFile['algorithm'] {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ecdsa-p256-sha256';
  throw new SignatureError(`unsupported key type ${key.asymmetricKeyType ?? 'unknown'}: use Ed25519 (or ECDSA P-256)`);
}

export function generateSigningKeys(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export async function signFile(file: string, privatePem: string): Promise<SignatureFile> {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPrivateKey(privatePem);
  } catch (err) {
    throw new SignatureError(`not a private key: ${(err as Error).message}`);
  }
  const algorithm = algorithmOf(key);
  const { size, sha512 } = await hashFile(file);
  const name = path.basename(file);
  const msg = statement(name, size, sha512);
  const sig = algorithm === 'ed25519' ? crypto.sign(null, msg, key) : crypto.sign('sha256', msg, key);
  return { format: SIGNATURE_FORMAT, algorithm, file: name, size, sha512, signature: sig.toString('base64') };
}

export function parseSignatureFile(text: string): SignatureFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SignatureError('the signature file is not valid JSON');
  }
  const s = json as Partial<SignatureFile> | null;
  if (!s || typeof s !== 'object' || s.format !== SIGNATURE_FORMAT) throw new SignatureError(`the signature file is not in ${SIGNATURE_FORMAT} format`);
  if (s.algorithm !== 'ed25519' && s.algorithm !== 'ecdsa-p256-sha256') throw new SignatureError('the signature file names an unsupported algorithm');
  if (typeof s.file !== 'string' || typeof s.size !== 'number' || !Number.isSafeInteger(s.size) || s.size < 0) throw new SignatureError('the signature file lacks the file name or size');
  if (typeof s.sha512 !== 'string' || !/^[0-9a-f]{128}$/.test(s.sha512)) throw new SignatureError('the signature file lacks a SHA-512');
  if (typeof s.signature !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(s.signature)) throw new SignatureError('the signature file lacks a signature');
  return s as SignatureFile;
}

export type Verdict = { ok: true; sha512: string; size: number } | { ok: false; reason: string };

/**
 * Checks `file` against its detached signature. Every failure is a refusal with a reason; there
 * is no "unsigned but allowed" path.
 */
export async function verifyFile(file: string, signatureText: string | null, publicPem: string): Promise<Verdict> {
  if (signatureText === null) return { ok: false, reason: 'the update is unsigned: no signature file' };
  let sig: SignatureFile;
  let key: crypto.KeyObject;
  try {
    sig = parseSignatureFile(signatureText);
    key = crypto.createPublicKey(publicPem);
    if (key.type !== 'public') throw new SignatureError('the verification key is not a public key');
    if (algorithmOf(key) !== sig.algorithm) throw new SignatureError(`the signature is ${sig.algorithm} but the key is not`);
  } catch (err) {
    return { ok: false, reason: err instanceof SignatureError ? err.message : `bad public key: ${(err as Error).message}` };
  }
  const msg = statement(sig.file, sig.size, sig.sha512);
  const raw = Buffer.from(sig.signature, 'base64');
  const good = sig.algorithm === 'ed25519' ? crypto.verify(null, msg, key, raw) : crypto.verify('sha256', msg, key, raw);
  if (!good) return { ok: false, reason: 'the signature does not verify against the trusted public key (forged, or signed with another key)' };
  if (path.basename(file) !== sig.file) return { ok: false, reason: `the signature is for "${sig.file}", not "${path.basename(file)}"` };
  let actual: { size: number; sha512: string };
  try {
    actual = await hashFile(file);
  } catch (err) {
    return { ok: false, reason: `cannot read ${file}: ${(err as Error).message}` };
  }
  if (actual.size !== sig.size || actual.sha512 !== sig.sha512) {
    return { ok: false, reason: 'the file was modified after signing: its SHA-512 does not match the signed one' };
  }
  return { ok: true, sha512: actual.sha512, size: actual.size };
}

export function signaturePath(file: string): string {
  return `${file}.sig`;
}
