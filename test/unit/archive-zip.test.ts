// The package's ZIP writer and the verifier's reader, on real files: stored and deflated entries
// round-trip, the ZIP64 records written past the 32-bit limit (lowered here, as a package past
// 4 GiB is too large for a test) are read back by the reader and by Info-ZIP's unzip where
// installed, bytes that change between the check and the write are caught, and a client that goes
// away stops the writing.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/processes.ts';
import { SinkClosedError, ZipWriter } from '../../electron/core/zip-writer.ts';
import { openZipEntry, readZipDirectory } from '../../electron/hub/archive/zip-reader.ts';

const haveUnzip = spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status === 0;

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) parts.push(c);
  return Buffer.concat(parts);
}

async function writeZip(file: string, files: Record<string, Buffer>, zip64Above?: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const closed = new Promise<void>((resolve) => out.once('close', () => resolve()));
  const zip = new ZipWriter(out, { zip64Above });
  const at = new Date(Date.UTC(2026, 10, 26, 9, 30, 14));
  for (const [name, bytes] of Object.entries(files)) {
    if (name.endsWith('.pdf')) await zip.addStored(name, bytes.length, zlib.crc32(bytes), [bytes.subarray(0, 100), bytes.subarray(100)], at);
    else await zip.addDeflated(name, bytes, at);
  }
  await zip.finish();
  await closed;
}

describe('the package ZIP', () => {
  const files = {
    'manifest.json': Buffer.from(JSON.stringify({ title: 'Kỳ họp thứ nhất', n: 1 })),
    'papers/Bao-cao--p1/v1.pdf': crypto.randomBytes(3000),
    'attendance/attendance.csv': Buffer.from('\ufeffuser_id,name\r\nu1,Lê Minh Tuấn\r\n'),
    'empty.json': Buffer.alloc(0),
  };

  for (const [label, limit] of [['small', undefined], ['ZIP64 (offsets past the limit)', 64]] as const) {
    it(`round-trips stored and deflated files: ${label}`, async () => {
      const file = path.join(tempDir('chamber-zip-'), 'p.zip');
      await writeZip(file, files, limit);
      const entries = readZipDirectory(file);
      expect(entries.map((e) => e.name)).toEqual(Object.keys(files));
      expect(entries.find((e) => e.name.endsWith('.pdf'))!.method).toBe(0);
      for (const e of entries) expect((await bytesOf(openZipEntry(file, e))).equals(files[e.name as keyof typeof files]), e.name).toBe(true);
      if (limit) expect(entries.at(-1)!.localOffset).toBeGreaterThan(limit);
      if (haveUnzip) {
        const t = spawnSync('unzip', ['-tq', file], { encoding: 'utf8' });
        expect(t.status, t.stdout + t.stderr).toBe(0);
      }
    });
  }

  it('refuses a file whose bytes differ from the CRC-32 and size checked beforehand', async () => {
    const zip = new ZipWriter(new PassThrough().resume());
    const bytes = crypto.randomBytes(500);
    await expect(zip.addStored('x.pdf', bytes.length, zlib.crc32(bytes) ^ 1, [bytes], new Date())).rejects.toThrow(/changed while it was written/);
    await expect(zip.addStored('y.pdf', bytes.length + 1, zlib.crc32(bytes), [bytes], new Date())).rejects.toThrow(/changed while it was written/);
  });

  it('stops writing once the client is gone', async () => {
    const sink = new PassThrough({ highWaterMark: 1024 });
    const zip = new ZipWriter(sink);
    const big = crypto.randomBytes(64 * 1024);
    const chunks = Array.from({ length: 16 }, () => big);
    const writing = zip.addStored('big.pdf', big.length * 16, chunks.reduce((crc, c) => zlib.crc32(c, crc), 0), chunks, new Date());
    sink.destroy();
    await expect(writing).rejects.toBeInstanceOf(SinkClosedError);
  });
});
