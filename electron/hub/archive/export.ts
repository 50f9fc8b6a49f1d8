// Writes a meeting's package (contents.ts plans it) into a ZIP stream: first every paper file is
// read once and checked against its sha256 (a damaged one is refused with a clear error before a
// byte is sent), then the small files and the papers are written, each one's sha256 and size
// going into the manifest, and last the manifest and its Ed25519 signature. Papers are read from
// the store a chunk at a time and only as fast as the client takes them, and the hashing yields
// to the event loop every few megabytes, so a package of hundreds of MB neither fills the
// hub's memory nor holds up the room.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { HttpError } from '../../core/http-common.ts';
import { BLOB_CHUNK, type DocStore } from '../../core/store.ts';
import type { PackagePlan } from './contents.ts';
import { keyFingerprint, type Signer } from './signing.ts';
import type { ZipWriter } from '../../core/zip-writer.ts';
import {
  MANIFEST_PATH, PACKAGE_FORMAT, SIGNATURE_PATH,
  type PackageFile, type PackageManifest, type PackageSignature,
} from '../../../shared/archive.ts';

/**
 * Bytes read (one SQLite query, then hashed or sent) between two turns of the event loop: a
 * multiple of the store's chunk. With 1 MB the hub answered /health in 28 ms at p95 (16 ms idle)
 * while a 200 MB package went out (docs/archive.md, "Figures").
 */
const SLICE = 4 * BLOB_CHUNK;
const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A stored file's chunks, read SLICE bytes at a time with the event loop let go in between. */
async function* chunksOf(store: DocStore, sha256: string, size: number): AsyncGenerator<Buffer> {
  for (let from = 0; from < size; from += SLICE) {
    yield* store.readBlob(sha256, from, Math.min(from + SLICE, size) - 1);
    await yieldNow();
  }
}

/**
 * Reads every paper file once: its bytes must hash to its name and add up to its size. Answers
 * each one's CRC-32 (the ZIP headers need it before the bytes), or throws 500 `paper_damaged`.
 */
export async function checkPaperFiles(store: DocStore, files: ReadonlyArray<{ sha256: string; size: number; path: string }>): Promise<Map<string, number>> {
  const crcs = new Map<string, number>();
  for (const f of files) {
    if (crcs.has(f.sha256)) continue;
    const info = store.blobInfo(f.sha256);
    const damaged = (why: string) => new HttpError(500, 'paper_damaged', `${f.path}: the stored file ${f.sha256} ${why}; restore the hub's data folder from a backup before exporting`);
    if (!info?.complete || info.size !== f.size) throw damaged('is missing or incomplete');
    const hash = crypto.createHash('sha256');
    let crc = 0;
    let read = 0;
    for await (const chunk of chunksOf(store, f.sha256, f.size)) {
      hash.update(chunk);
      crc = zlib.crc32(chunk, crc);
      read += chunk.length;
    }
    if (read !== f.size) throw damaged(`holds ${read} of ${f.size} bytes`);
    if (hash.digest('hex') !== f.sha256) throw damaged('does not match its sha256');
    crcs.set(f.sha256, crc >>> 0);
  }
  return crcs;
}

export interface WrittenPackage {
  manifest: PackageManifest;
  /** sha256 of manifest.json's bytes. */
  manifestSha256: string;
  bytes: number;
}

export interface WriteOptions {
  store: DocStore;
  signer: Signer;
  roomId: string | null;
  exportedBy: { id: string; name: string };
  final: boolean;
  /** From checkPaperFiles. */
  crcs: Map<string, number>;
  now?: () => number;
}

export async function writePackage(zip: ZipWriter, plan: PackagePlan, o: WriteOptions): Promise<WrittenPackage> {
  const now = o.now ?? Date.now;
  const exportedAt = new Date(now());
  const listed: PackageFile[] = [];
  for (const f of plan.files) {
    if (f.kind === 'paper') {
      const crc = o.crcs.get(f.sha256);
      if (crc === undefined) throw new Error(`${f.path} was not checked before writing`);
      await zip.addStored(f.path, f.size, crc, chunksOf(o.store, f.sha256, f.size), exportedAt);
      listed.push({ path: f.path, size: f.size, sha256: f.sha256, kind: 'paper' });
    } else {
      await zip.addDeflated(f.path, f.bytes, exportedAt);
      listed.push({ path: f.path, size: f.bytes.length, sha256: crypto.createHash('sha256').update(f.bytes).digest('hex'), kind: f.kind });
    }
  }
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    final: o.final,
    meeting: plan.meeting,
    hub: { roomId: o.roomId, publicKey: o.signer.publicKey, keyFingerprint: keyFingerprint(o.signer.publicKey) },
    exportedAt: exportedAt.toISOString(),
    exportedBy: o.exportedBy,
    files: listed,
    papers: plan.papers,
    missing: plan.missing,
  };
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  const signature: PackageSignature = { algorithm: 'Ed25519', signed: MANIFEST_PATH, publicKey: o.signer.publicKey, signature: o.signer.sign(text) };
  await zip.addDeflated(MANIFEST_PATH, Buffer.from(text, 'utf8'), exportedAt);
  await zip.addDeflated(SIGNATURE_PATH, Buffer.from(`${JSON.stringify(signature, null, 2)}\n`, 'utf8'), exportedAt);
  await zip.finish();
  return { manifest, manifestSha256: crypto.createHash('sha256').update(text).digest('hex'), bytes: zip.bytes };
}
