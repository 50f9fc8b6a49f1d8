// Checks that untrusted bytes are a PDF that opens, within a time and memory limit.
//
// The check runs in a short-lived child process rather than a worker thread: a worker's isolate
// is freed into this process's malloc arenas, which glibc does not hand back, so a hub that had
// checked a few papers sat at ~350 MB RSS; a child process gives every byte back when it exits
// (and a hostile file that crashes pdf.js takes only the child with it).
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
    const child = fork(fileURLToPath(new URL('./pdf-inspect-worker.ts', import.meta.url)), [], {
      execArgv: [`--max-old-space-size=${opts.maxMemoryMb ?? 512}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new PdfRejectedError(`the PDF took longer than ${timeoutMs / 1000} s to open`))), timeoutMs);
    child.on('message', (r: { ok: boolean; pages?: number; fingerprints?: string[]; message?: string }) =>
      finish(() => (r.ok && r.pages ? resolve({ pages: r.pages, fingerprints: r.fingerprints }) : reject(new PdfRejectedError(r.message ?? 'the PDF could not be opened')))));
    child.on('error', (err) => finish(() => reject(new PdfRejectedError(`the PDF could not be checked (${err.message})`))));
    // 'close', not 'exit': the checker exits right after sending its answer, and 'exit' can come
    // before that answer is read (seen once in CI as "exited with 0" for a good PDF, the demo
    // seed's). 'close' waits for the IPC channel; the timer covers a channel that never closes.
    child.on('close', (code, signal) => finish(() => reject(new PdfRejectedError(`the PDF could not be opened (checker ${signal ? `killed by ${signal}` : `exited with ${code}`})`))));
    child.send({ bytes: copy, fingerprints: opts.fingerprints ?? false });
  });
}
