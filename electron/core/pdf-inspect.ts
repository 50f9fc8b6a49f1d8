// Checks that untrusted bytes are a PDF that opens, within a time and memory limit.
import { Worker } from 'node:worker_threads';

export interface PdfInspection {
  pages: number;
  /** Per-page content fingerprints, when asked for (used to carry annotations across versions). */
  fingerprints?: string[];
}

export class PdfRejectedError extends Error {
  override name = 'PdfRejectedError';
}

const MAGIC = Buffer.from('%PDF-');

export async function inspectPdf(bytes: Uint8Array, opts: { timeoutMs?: number; maxMemoryMb?: number; fingerprints?: boolean } = {}): Promise<PdfInspection> {
  if (bytes.length < 8) throw new PdfRejectedError('the file is empty or too short to be a PDF');
  // The header may follow up to 1 KiB of junk (PDF 1.7 §7.5.2 tolerance, as readers apply it).
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024));
  if (head.indexOf(MAGIC) < 0) throw new PdfRejectedError('the file is not a PDF (no %PDF- header)');
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const copy = new Uint8Array(bytes);
  return await new Promise<PdfInspection>((resolve, reject) => {
    const worker = new Worker(new URL('./pdf-inspect-worker.ts', import.meta.url), {
      workerData: { bytes: copy, fingerprints: opts.fingerprints ?? false },
      resourceLimits: { maxOldGenerationSizeMb: opts.maxMemoryMb ?? 512 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new PdfRejectedError(`the PDF took longer than ${timeoutMs / 1000} s to open`))), timeoutMs);
    worker.on('message', (r: { ok: boolean; pages?: number; fingerprints?: string[]; message?: string }) =>
      finish(() => (r.ok && r.pages ? resolve({ pages: r.pages, fingerprints: r.fingerprints }) : reject(new PdfRejectedError(r.message ?? 'the PDF could not be opened')))));
    worker.on('error', (err) => finish(() => reject(new PdfRejectedError(`the PDF could not be opened (${err.message})`))));
    worker.on('exit', (code) => finish(() => reject(new PdfRejectedError(`the PDF could not be opened (checker exited with ${code})`))));
  });
}
