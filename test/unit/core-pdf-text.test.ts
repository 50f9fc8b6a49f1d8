// Text extraction in a child process (electron/core/pdf-text.ts): pages in order and in batches,
// Vietnamese text as printed, a scan as empty pages, and the limits: a broken file, a reading
// stopped, a reading over its time — each fails alone, and the reader goes on with the next paper.
import crypto from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPageTexts, PdfTextError, PdfTextReader } from '../../electron/core/pdf-text.ts';
import { openDatabase } from '../../electron/core/store.ts';
import { BlobStore, BLOB_CHUNK } from '../../electron/core/blob-store.ts';
import { tempDir } from '../helpers/processes.ts';
import { scannedPdf, textPdf } from '../integration/search-helpers.ts';

describe('extractPageTexts', () => {
  it('gives one string per page, in batches as they are read, with the text as printed', async () => {
    const pdf = await textPdf(Array.from({ length: 7 }, (_, i) => `Trang ${i + 1}: Ngân sách của Đảng bộ\ndòng thứ hai`));
    const batches: Array<[number, number]> = [];
    const pages = await extractPageTexts(pdf, { batch: 3, onPages: (from, texts) => void batches.push([from, texts.length]) });
    expect(pages).toHaveLength(7);
    expect(pages[4]).toBe('Trang 5: Ngân sách của Đảng bộ\ndòng thứ hai');
    expect(batches).toEqual([[1, 3], [4, 3], [7, 1]]);
  });

  it('gives empty pages for a scan, and a clear error for a file pdf.js cannot read', async () => {
    expect(await extractPageTexts(await scannedPdf(2))).toEqual(['', '']);
    await expect(extractPageTexts(Buffer.from('%PDF-1.7\nnot really'))).rejects.toBeInstanceOf(PdfTextError);
  });
});

describe('PdfTextReader', () => {
  it('reads papers one after another, and a failed, stopped or overdue one does not stop the next', async () => {
    const reader = new PdfTextReader({ idleMs: 1_000 });
    try {
      const a = await textPdf(['một'], 'a');
      const b = await textPdf(['hai', 'ba'], 'b');
      const big = await textPdf(Array.from({ length: 300 }, (_, i) => `trang ${i}`), 'big');
      const [ra, bad, rb] = await Promise.allSettled([reader.extract(a), reader.extract(Buffer.from('%PDF-1.4 junk')), reader.extract(b)]);
      expect(ra).toEqual({ status: 'fulfilled', value: ['một'] });
      expect(bad.status).toBe('rejected');
      expect(rb).toEqual({ status: 'fulfilled', value: ['hai', 'ba'] });

      const stop = new AbortController();
      const stopped = reader.extract(big, { batch: 5, signal: stop.signal, onPages: () => stop.abort() });
      await expect(stopped).rejects.toThrow(/stopped/);
      await expect(reader.extract(big, { timeoutMs: 1 })).rejects.toThrow(/longer than/);
      expect(await reader.extract(a)).toEqual(['một']);
      // A batch its receiver cannot store fails the paper, not the reader.
      await expect(reader.extract(b, { onPages: () => { throw new Error('disk full'); } })).rejects.toThrow(/could not be stored \(disk full\)/);
      expect(await reader.extract(b)).toEqual(['hai', 'ba']);
    } finally {
      reader.close();
    }
  }, 60_000);
});

describe('PdfTextReader on a stored paper', () => {
  it('reads a paper out of a database file itself (the hub\'s way), and says so when it is missing or cut short', async () => {
    const file = path.join(tempDir('chamber-pdftext-'), 'store.sqlite');
    const db = openDatabase(file);
    const blobs = new BlobStore(db);
    // Longer than one chunk (random text does not compress), so the child joins several in order.
    const pdf = await textPdf(Array.from({ length: 40 }, (_, i) => `Trang ${i + 1}: tờ trình về ngân sách ${crypto.randomBytes(4_000).toString('hex')}`));
    expect(pdf.length).toBeGreaterThan(BLOB_CHUNK);
    const sha = crypto.createHash('sha256').update(pdf).digest('hex');
    blobs.putBlob(sha, pdf);
    const half = 'f'.repeat(64);
    blobs.beginBlob(half, pdf.length);
    const reader = new PdfTextReader({ idleMs: 0 });
    try {
      const pages = await reader.extract({ file, sha256: sha });
      expect(pages).toHaveLength(40);
      expect(pages[39]).toMatch(/^Trang 40: tờ trình về ngân sách [0-9a-f]+$/);
      await expect(reader.extract({ file, sha256: '0'.repeat(64) })).rejects.toThrow('the paper is not stored');
      await expect(reader.extract({ file, sha256: half })).rejects.toThrow('the paper is not stored');
      // The reader goes on with the next one.
      expect(await reader.extract({ file, sha256: sha })).toHaveLength(40);
    } finally {
      reader.close();
      db.close();
    }
  });
});
