// Text extraction in a child process (electron/core/pdf-text.ts): pages in order and in batches,
// Vietnamese text as printed, a scan as empty pages, and the limits: a broken file, a reading
// stopped, a reading over its time — each fails alone, and the reader goes on with the next paper.
import { describe, expect, it } from 'vitest';
import { extractPageTexts, PdfTextError, PdfTextReader } from '../../electron/core/pdf-text.ts';
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
