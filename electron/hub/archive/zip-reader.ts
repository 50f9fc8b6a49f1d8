// Reads a ZIP's central directory and streams its entries, for the package verifier: the file is
// never loaded whole (a package holds every version of every paper), each entry is read from its
// local header on and inflated as it streams. Only what ZipWriter writes needs to be understood
// (stored and deflated entries, ZIP64 offsets), but a package handed around may have been
// re-zipped by another tool, so data descriptors and other extra fields are skipped, not refused.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, position + got);
    if (n === 0) throw new ZipFormatError('the file ends early');
    got += n;
  }
  return buf;
}

/** The entries the central directory lists, in its order. */
export function readZipDirectory(file: string): ZipEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tailLen = Math.min(size, 22 + MAX16);
    const tail = readAt(fd, size - tailLen, tailLen);
    let at = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) { at = i; break; }
    }
    if (at < 0) throw new ZipFormatError('not a ZIP file (no end of central directory)');
    let count = tail.readUInt16LE(at + 10);
    let cdSize = tail.readUInt32LE(at + 12);
    let cdOffset = tail.readUInt32LE(at + 16);
    if (count === MAX16 || cdSize === MAX32 || cdOffset === MAX32) {
      const locAt = size - tailLen + at - 20;
      if (locAt < 0) throw new ZipFormatError('ZIP64 locator missing');
      const loc = readAt(fd, locAt, 20);
      if (loc.readUInt32LE(0) !== 0x07064b50) throw new ZipFormatError('ZIP64 locator missing');
      const rec = readAt(fd, Number(loc.readBigUInt64LE(8)), 56);
      if (rec.readUInt32LE(0) !== 0x06064b50) throw new ZipFormatError('ZIP64 end record missing');
      count = Number(rec.readBigUInt64LE(32));
      cdSize = Number(rec.readBigUInt64LE(40));
      cdOffset = Number(rec.readBigUInt64LE(48));
    }
    if (cdOffset + cdSize > size) throw new ZipFormatError('the central directory lies past the end of the file');
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new ZipFormatError(`central directory entry ${i + 1} is damaged`);
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      const entry: ZipEntry = {
        name: cd.toString('utf8', p + 46, p + 46 + nameLen),
        method: cd.readUInt16LE(p + 10),
        crc32: cd.readUInt32LE(p + 16),
        compressedSize: cd.readUInt32LE(p + 20),
        size: cd.readUInt32LE(p + 24),
        localOffset: cd.readUInt32LE(p + 42),
      };
      // ZIP64 extra field: the values whose 32-bit fields are all ones, in this order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const next = () => { const v = Number(cd.readBigUInt64LE(q)); q += 8; return v; };
          if (entry.size === MAX32) entry.size = next();
          if (entry.compressedSize === MAX32) entry.compressedSize = next();
          if (entry.localOffset === MAX32) entry.localOffset = next();
        }
        e += 4 + len;
      }
      entries.push(entry);
      p = extraEnd + commentLen;
    }
    return entries;
  } finally {
    fs.closeSync(fd);
  }
}

/** The entry's uncompressed bytes as a stream. */
export function openZipEntry(file: string, entry: ZipEntry): Readable {
  const fd = fs.openSync(file, 'r');
  let start: number;
  try {
    const h = readAt(fd, entry.localOffset, 30);
    if (h.readUInt32LE(0) !== 0x04034b50) throw new ZipFormatError(`${entry.name}: its local header is damaged`);
    start = entry.localOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  } finally {
    fs.closeSync(fd);
  }
  if (entry.compressedSize === 0) return Readable.from([]);
  const raw = fs.createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  if (entry.method === 0) return raw;
  if (entry.method !== 8) throw new ZipFormatError(`${entry.name}: compression method ${entry.method} is not supported`);
  const inflate = zlib.createInflateRaw();
  raw.on('error', (err) => inflate.destroy(err));
  return raw.pipe(inflate);
}
