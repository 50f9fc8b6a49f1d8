// Checks a meeting package — the ZIP as exported, or a folder it was unpacked into — against its
// manifest: the manifest's Ed25519 signature (with the key the package names, or one the caller
// knows from the hub: `GET /api/hub/key`), then each listed file's size and sha256, and no file
// beside them. Every problem is named by file; nothing is trusted before the signature is checked
// except to read it, and a folder's manifest cannot send the reader outside the folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { openZipEntry, readZipDirectory } from './zip-reader.ts';
import { keyFingerprint } from './signing.ts';
import {
  MANIFEST_PATH, PACKAGE_FORMAT, SIGNATURE_PATH, packageManifestSchema, packageSignatureSchema, type PackageManifest,
} from '../../../shared/archive.ts';

export type ProblemKind = 'changed' | 'missing' | 'extra' | 'duplicate' | 'unreadable';

export interface Problem {
  path: string;
  kind: ProblemKind;
  detail: string;
}

export type SignatureVerdict = 'valid' | 'invalid' | 'missing' | 'wrong-key';

export interface VerifyReport {
  ok: boolean;
  manifest: PackageManifest | null;
  signature: SignatureVerdict;
  /** The fingerprint of the key the package names (sha256 of its DER bytes, hex). */
  packageKey: string | null;
  /** A key was given and the signature was checked against it rather than the package's own. */
  keyGiven: boolean;
  problems: Problem[];
  /** Files whose bytes matched the manifest. */
  matched: string[];
}

interface Entry {
  name: string;
  open(): Readable;
}

/** A manifest larger than this is not one the hub wrote (thousands of files are a few MB). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

function zipEntries(file: string): Entry[] {
  return readZipDirectory(file).filter((e) => !e.name.endsWith('/')).map((e) => ({ name: e.name, open: () => openZipEntry(file, e) }));
}

function folderEntries(dir: string): Entry[] {
  const out: Entry[] = [];
  const walk = (rel: string) => {
    for (const d of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) walk(name);
      else out.push({ name, open: () => fs.createReadStream(path.join(dir, name)) });
    }
  };
  walk('');
  return out;
}

async function digest(stream: Readable, limit = Infinity): Promise<{ sha256: string; size: number; bytes?: Buffer }> {
  const hash = crypto.createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    if (limit !== Infinity) {
      if (size > limit) throw new Error(`larger than ${limit} bytes`);
      kept.push(chunk);
    }
  }
  return { sha256: hash.digest('hex'), size, ...(limit !== Infinity ? { bytes: Buffer.concat(kept) } : {}) };
}

/** A key as given on the command line: the SPKI DER in base64, or its fingerprint (hex). */
export function keyMatches(given: string, publicKeySpkiB64: string): boolean {
  const g = given.trim();
  if (/^[0-9a-fA-F]{64}$/.test(g)) return g.toLowerCase() === keyFingerprint(publicKeySpkiB64);
  return g === publicKeySpkiB64;
}

function checkSignature(manifestBytes: Buffer, sigBytes: Buffer | null, manifest: PackageManifest, key: string | undefined): SignatureVerdict {
  if (!sigBytes) return 'missing';
  let sig;
  try {
    sig = packageSignatureSchema.parse(JSON.parse(sigBytes.toString('utf8')));
  } catch {
    return 'invalid';
  }
  // The package names its key twice (manifest and signature file); the manifest's is the one signed.
  if (sig.publicKey !== manifest.hub.publicKey) return 'invalid';
  if (key !== undefined && !keyMatches(key, manifest.hub.publicKey)) return 'wrong-key';
  try {
    const pub = crypto.createPublicKey({ key: Buffer.from(manifest.hub.publicKey, 'base64'), format: 'der', type: 'spki' });
    return crypto.verify(null, manifestBytes, pub, Buffer.from(sig.signature, 'base64')) ? 'valid' : 'invalid';
  } catch {
    return 'invalid';
  }
}

export async function verifyPackage(target: string, opts: { key?: string } = {}): Promise<VerifyReport> {
  const entries = fs.statSync(target).isDirectory() ? folderEntries(target) : zipEntries(target);
  const problems: Problem[] = [];
  const byName = new Map<string, Entry>();
  for (const e of entries) {
    if (byName.has(e.name)) problems.push({ path: e.name, kind: 'duplicate', detail: 'the package holds two files of this name' });
    else byName.set(e.name, e);
  }
  const report = (manifest: PackageManifest | null, signature: SignatureVerdict, matched: string[] = []): VerifyReport => ({
    ok: problems.length === 0 && signature === 'valid', manifest, signature, packageKey: manifest ? keyFingerprint(manifest.hub.publicKey) : null,
    keyGiven: opts.key !== undefined, problems, matched,
  });

  const manifestEntry = byName.get(MANIFEST_PATH);
  if (!manifestEntry) {
    problems.push({ path: MANIFEST_PATH, kind: 'missing', detail: 'the package has no manifest' });
    return report(null, 'missing');
  }
  let manifestBytes: Buffer;
  let manifest: PackageManifest;
  try {
    manifestBytes = (await digest(manifestEntry.open(), MAX_MANIFEST_BYTES)).bytes!;
    const raw = JSON.parse(manifestBytes.toString('utf8')) as { format?: unknown };
    if (raw.format !== PACKAGE_FORMAT) throw new Error(`format ${JSON.stringify(raw.format)} is not ${PACKAGE_FORMAT}`);
    manifest = packageManifestSchema.parse(raw);
  } catch (err) {
    problems.push({ path: MANIFEST_PATH, kind: 'unreadable', detail: `not a package manifest: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}` });
    return report(null, 'missing');
  }
  const sigEntry = byName.get(SIGNATURE_PATH);
  let sigBytes: Buffer | null = null;
  if (sigEntry) {
    try {
      sigBytes = (await digest(sigEntry.open(), 64 * 1024)).bytes!;
    } catch {
      sigBytes = Buffer.alloc(0);
    }
  }
  const signature = checkSignature(manifestBytes, sigBytes, manifest, opts.key);
  if (signature === 'missing') problems.push({ path: SIGNATURE_PATH, kind: 'missing', detail: 'the manifest is not signed' });

  const matched: string[] = [];
  const listed = new Set<string>([MANIFEST_PATH, SIGNATURE_PATH]);
  for (const f of manifest.files) {
    listed.add(f.path);
    const e = byName.get(f.path);
    if (!e) {
      problems.push({ path: f.path, kind: 'missing', detail: 'listed in the manifest but not in the package' });
      continue;
    }
    let got;
    try {
      got = await digest(e.open());
    } catch (err) {
      problems.push({ path: f.path, kind: 'unreadable', detail: err instanceof Error ? err.message : String(err) });
      continue;
    }
    if (got.size !== f.size) problems.push({ path: f.path, kind: 'changed', detail: `${got.size} bytes, the manifest says ${f.size}` });
    else if (got.sha256 !== f.sha256) problems.push({ path: f.path, kind: 'changed', detail: `sha256 ${got.sha256}, the manifest says ${f.sha256}` });
    else matched.push(f.path);
  }
  for (const name of byName.keys()) {
    if (!listed.has(name)) problems.push({ path: name, kind: 'extra', detail: 'not listed in the manifest' });
  }
  return report(manifest, signature, matched);
}
