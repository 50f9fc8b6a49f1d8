// The one ZIP writer (the meeting package: electron/hub/archive/; the minutes DOCX, an OOXML
// package of XML parts: electron/hub/minutes/docx.ts). Streaming: every file's CRC-32 and size are
// known before it is written (the package hashes each paper first, to refuse a damaged one
// before a byte is sent), so each local header is complete and no data descriptor is needed;
// small files are deflated in memory (zlib's deflateRaw), papers are stored as they are (a PDF's
// streams are compressed already: deflating 100 MB of them again cost the hub seconds of CPU for
// a few per cent). Writes wait for the sink to drain, so a slow client holds back the reading,
// not memory. ZIP64 records are added only where an offset or a count no longer fits 32 bits.
import { Writable } from 'node:stream';
import zlib from 'node:zlib';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const END64 = 0x06064b50;
const LOCATOR64 = 0x07064b50;
/** Bit 11: names are UTF-8. */
const UTF8 = 0x0800;
const STORED = 0;
const DEFLATED = 8;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

interface Written {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

/** The sink went away (the client disconnected): stop reading, nothing more is sent. */
export class SinkClosedError extends Error {
  override name = 'SinkClosedError';
}

function dosTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export interface ZipWriterOptions {
  /** Above this, offsets and counts go into ZIP64 records (lowered only to test that path). */
  zip64Above?: number;
}

export class ZipWriter {
  private readonly out: Writable;
  private readonly limit: number;
  private readonly entries: Written[] = [];
  private offset = 0;
  private finished = false;

  constructor(out: Writable, opts: ZipWriterOptions = {}) {
    this.out = out;
    this.limit = opts.zip64Above ?? MAX32;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.offset;
  }

  private async write(buf: Buffer): Promise<void> {
    const out = this.out;
    if (out.destroyed || out.writableEnded) throw new SinkClosedError('the download was cancelled');
    this.offset += buf.length;
    if (out.write(buf)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        out.off('drain', onDrain);
        out.off('close', onClose);
        out.off('error', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = () => done();
      const onClose = () => done(new SinkClosedError('the download was cancelled'));
      out.on('drain', onDrain);
      out.on('close', onClose);
      out.on('error', onClose);
    });
  }

  private header(e: Omit<Written, 'offset'>): Buffer {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(LOCAL, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(UTF8, 6);
    h.writeUInt16LE(e.method, 8);
    h.writeUInt16LE(e.time, 10);
    h.writeUInt16LE(e.date, 12);
    h.writeUInt32LE(e.crc >>> 0, 14);
    h.writeUInt32LE(e.compressed, 18);
    h.writeUInt32LE(e.size, 22);
    h.writeUInt16LE(e.name.length, 26);
    h.writeUInt16LE(0, 28);
    return Buffer.concat([h, e.name]);
  }

  private begin(name: string, method: number, crc: number, compressed: number, size: number, mtime: Date): Written {
    if (this.finished) throw new Error('the archive is finished');
    // One file of a package is at most a paper (LIMITS.maxPaperBytes), far below 4 GiB.
    if (compressed > MAX32 || size > MAX32) throw new Error(`${name}: a file over 4 GiB is not supported`);
    const nameBytes = Buffer.from(name, 'utf8');
    if (nameBytes.length > MAX16) throw new Error('file name too long');
    return { name: nameBytes, method, crc, compressed, size, offset: this.offset, ...dosTime(mtime) };
  }

  /** A small file held in memory, deflated (level 6 unless told: a package's small files are a few KB). */
  async addDeflated(name: string, bytes: Buffer, mtime: Date, level = 6): Promise<void> {
    const packed = zlib.deflateRawSync(bytes, { level });
    const e = this.begin(name, DEFLATED, zlib.crc32(bytes), packed.length, bytes.length, mtime);
    await this.write(this.header(e));
    await this.write(packed);
    this.entries.push(e);
  }

  /**
   * A file stored as it is, from its chunks; `crc` and `size` were computed beforehand and the
   * chunks must add up to them (checked: a mismatch throws and the archive is left unfinished).
   */
  async addStored(name: string, size: number, crc: number, chunks: Iterable<Buffer> | AsyncIterable<Buffer>, mtime: Date): Promise<void> {
    const e = this.begin(name, STORED, crc, size, size, mtime);
    await this.write(this.header(e));
    let n = 0;
    let check = 0;
    for await (const chunk of chunks) {
      n += chunk.length;
      check = zlib.crc32(chunk, check);
      await this.write(chunk);
    }
    if (n !== size || check >>> 0 !== crc >>> 0) throw new Error(`${name}: its bytes changed while it was written`);
    this.entries.push(e);
  }

  /** The central directory and its end record; then the sink is ended. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const cdStart = this.offset;
    for (const e of this.entries) {
      const far = e.offset >= this.limit;
      const extra = far ? Buffer.alloc(12) : Buffer.alloc(0);
      if (far) {
        extra.writeUInt16LE(0x0001, 0);
        extra.writeUInt16LE(8, 2);
        extra.writeBigUInt64LE(BigInt(e.offset), 4);
      }
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CENTRAL, 0);
      h.writeUInt16LE((3 << 8) | 45, 4); // made on unix, ZIP 4.5 (ZIP64)
      h.writeUInt16LE(far ? 45 : 20, 6);
      h.writeUInt16LE(UTF8, 8);
      h.writeUInt16LE(e.method, 10);
      h.writeUInt16LE(e.time, 12);
      h.writeUInt16LE(e.date, 14);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.compressed, 20);
      h.writeUInt32LE(e.size, 24);
      h.writeUInt16LE(e.name.length, 28);
      h.writeUInt16LE(extra.length, 30);
      h.writeUInt16LE(0, 32); // comment
      h.writeUInt16LE(0, 34); // disk
      h.writeUInt16LE(0, 36); // internal attributes
      h.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
      h.writeUInt32LE(far ? MAX32 : e.offset, 42);
      await this.write(Buffer.concat([h, e.name, extra]));
    }
    const cdSize = this.offset - cdStart;
    const count = this.entries.length;
    const zip64 = cdStart >= this.limit || cdSize >= this.limit || count >= MAX16;
    if (zip64) {
      const end64At = this.offset;
      const r = Buffer.alloc(56);
      r.writeUInt32LE(END64, 0);
      r.writeBigUInt64LE(44n, 4);
      r.writeUInt16LE(45, 12);
      r.writeUInt16LE(45, 14);
      r.writeUInt32LE(0, 16);
      r.writeUInt32LE(0, 20);
      r.writeBigUInt64LE(BigInt(count), 24);
      r.writeBigUInt64LE(BigInt(count), 32);
      r.writeBigUInt64LE(BigInt(cdSize), 40);
      r.writeBigUInt64LE(BigInt(cdStart), 48);
      const loc = Buffer.alloc(20);
      loc.writeUInt32LE(LOCATOR64, 0);
      loc.writeUInt32LE(0, 4);
      loc.writeBigUInt64LE(BigInt(end64At), 8);
      loc.writeUInt32LE(1, 16);
      await this.write(Buffer.concat([r, loc]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(END, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(zip64 ? MAX16 : count, 8);
    end.writeUInt16LE(zip64 ? MAX16 : count, 10);
    end.writeUInt32LE(zip64 ? MAX32 : cdSize, 12);
    end.writeUInt32LE(zip64 ? MAX32 : cdStart, 16);
    end.writeUInt16LE(0, 20);
    await this.write(end);
    await new Promise<void>((resolve) => this.out.end(resolve));
  }
}

export interface ZipEntry {
  name: string;
  data: Buffer | string;
}

/** A whole archive of small files, in memory (a DOCX: a dozen XML parts, deflated at level 9). */
export async function zipInMemory(entries: readonly ZipEntry[], mtime: Date, level = 9): Promise<Buffer> {
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      done();
    },
  });
  const zip = new ZipWriter(sink);
  for (const e of entries) await zip.addDeflated(e.name, typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data, mtime, level);
  await zip.finish();
  return Buffer.concat(parts);
}
