// Runs inside a worker thread: opens an untrusted PDF with pdf.js and reports its page count.
// Kept in its own thread so a hostile file that spins or balloons is killed by the parent's
// time and memory limits without touching the server's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

interface Input { bytes: Uint8Array }

async function inspect({ bytes }: Input): Promise<{ ok: true; pages: number } | { ok: false; message: string }> {
  const task = getDocument({
    data: bytes,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages = doc.numPages;
    if (!Number.isInteger(pages) || pages < 1) return { ok: false, message: 'the PDF has no pages' };
    // Opening the first page parses its resources: a file whose page tree is broken fails here.
    await doc.getPage(1);
    return { ok: true, pages };
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') return { ok: false, message: 'the PDF is password-protected; upload an unprotected copy' };
    return { ok: false, message: `the file could not be opened as a PDF (${(err as Error).message ?? String(err)})` };
  } finally {
    await task.destroy().catch(() => {});
  }
}

inspect(workerData as Input).then((r) => parentPort?.postMessage(r), (err) => parentPort?.postMessage({ ok: false, message: String(err) }));
