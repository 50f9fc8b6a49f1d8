// Optional conversion of word-processor uploads (.docx, .odt) to PDF with LibreOffice, where the
// hub's machine has it. The PDF that comes out goes through the normal upload path (inspection,
// fingerprints, versions) exactly as if it had been uploaded; without LibreOffice the upload is
// refused with a message that says what to install.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HttpError } from '../core/http-common.ts';

export const OFFICE_TYPES = {
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.oasis.opendocument.text': 'odt',
} as const;
export type OfficeKind = (typeof OFFICE_TYPES)[keyof typeof OFFICE_TYPES];

export const INSTALL_HINT = 'Word and OpenDocument files need LibreOffice on the hub\'s machine to become PDFs: install LibreOffice '
  + '(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install --cask libreoffice; Windows: libreoffice.org) '
  + 'so that `soffice` is on the PATH, or upload a PDF instead';

const CONVERT_TIMEOUT_MS = 90_000;

/** What an upload is, from its Content-Type and (for application/octet-stream) its file name. */
export function officeKind(contentType: string, fileName: string | undefined): OfficeKind | null {
  const byType = (OFFICE_TYPES as Record<string, OfficeKind>)[contentType];
  if (byType) return byType;
  if (contentType === 'application/octet-stream' && fileName) {
    const ext = path.extname(fileName).toLowerCase();
    if (ext === '.docx' || ext === '.odt') return ext.slice(1) as OfficeKind;
  }
  return null;
}

/** The LibreOffice binary on PATH, looked up on every call so installing it needs no restart. */
export function findSoffice(envPath = process.env.PATH ?? ''): string | null {
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const file = path.join(dir, n);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        /* not here */
      }
    }
  }
  return null;
}

// LibreOffice instances fight over a profile and eat a core each: one conversion at a time.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Converts a .docx/.odt body to PDF bytes. Throws HttpError 415 (LibreOffice missing), 422 (not
 * a document LibreOffice can read) or 504 (took too long). The caller still inspects the PDF.
 */
export function convertToPdf(body: Buffer, kind: OfficeKind, opts: { soffice?: string | null; timeoutMs?: number } = {}): Promise<Buffer> {
  const soffice = opts.soffice === undefined ? findSoffice() : opts.soffice;
  if (!soffice) return Promise.reject(new HttpError(415, 'conversion_unavailable', INSTALL_HINT));
  // Both formats are zip containers: anything else is refused before LibreOffice parses it.
  if (body.length < 4 || body.readUInt32LE(0) !== 0x04034b50) {
    return Promise.reject(new HttpError(422, 'not_a_document', `this is not a .${kind} file (it is not a zip container)`));
  }
  const job = queue.then(() => runSoffice(soffice, body, kind, opts.timeoutMs ?? CONVERT_TIMEOUT_MS));
  queue = job.catch(() => {});
  return job;
}

async function runSoffice(soffice: string, body: Buffer, kind: OfficeKind, timeoutMs: number): Promise<Buffer> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'chamber-convert-'));
  try {
    const input = path.join(dir, `paper.${kind}`);
    await fs.promises.writeFile(input, body);
    const profile = path.join(dir, 'profile');
    await new Promise<void>((resolve, reject) => {
      execFile(soffice, [
        // A private profile: no shared lock with a desktop LibreOffice, nothing left behind.
        `-env:UserInstallation=file://${profile.split(path.sep).join('/')}`,
        '--headless', '--norestore', '--nolockcheck', '--nodefault', '--nologo',
        '--convert-to', 'pdf', '--outdir', dir, input,
      ], { timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true, maxBuffer: 1024 * 1024 }, (err, _stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException & { killed?: boolean }).killed) reject(new HttpError(504, 'conversion_timeout', `LibreOffice took longer than ${Math.round(timeoutMs / 1000)} s to convert the file`));
        else if (err) reject(new HttpError(422, 'conversion_failed', `LibreOffice could not convert the file: ${String(stderr || err.message).trim().slice(0, 300)}`));
        else resolve();
      });
    });
    const out = path.join(dir, 'paper.pdf');
    try {
      return await fs.promises.readFile(out);
    } catch {
      throw new HttpError(422, 'conversion_failed', 'LibreOffice produced no PDF from this file');
    }
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
