// Runs in a child process forked by pdf-inspect.ts (or, as before, a worker thread): opens an
// untrusted PDF with pdf.js, reports its page count and, when asked, a fingerprint of every
// page's content. Kept out of the server's process so a hostile file that spins or balloons is
// killed by the parent's time and memory limits without touching the server's event loop.
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

interface Input { bytes: Uint8Array; fingerprints?: boolean }
type Output = { ok: true; pages: number; fingerprints?: string[] } | { ok: false; message: string };

/**
 * A page's fingerprint covers what a reader sees: its size and rotation, its text with positions,
 * and its drawing operators with their arguments (binary arguments such as inline images by hash).
 * Two versions of a paper share a fingerprint on a page whose content did not change.
 */
async function fingerprint(page: PDFPageProxy): Promise<string> {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify([page.view, page.rotate]));
  const text = await page.getTextContent();
  for (const item of text.items) {
    if ('str' in item) h.update(JSON.stringify([item.str, item.transform.map((n: number) => Math.round(n * 100) / 100)]));
  }
  const ops = await page.getOperatorList();
  h.update(new Uint8Array(Int32Array.from(ops.fnArray).buffer));
  h.update(JSON.stringify(ops.argsArray, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v)) return `bin:${crypto.createHash('sha256').update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest('hex')}`;
    if (typeof v === 'number') return Math.round(v * 1000) / 1000;
    return v;
  }));
  page.cleanup();
  return h.digest('hex');
}

async function inspect({ bytes, fingerprints }: Input): Promise<Output> {
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
    const first = await doc.getPage(1);
    if (!fingerprints) return { ok: true, pages };
    const prints: string[] = [await fingerprint(first)];
    for (let n = 2; n <= pages; n++) prints.push(await fingerprint(await doc.getPage(n)));
    return { ok: true, pages, fingerprints: prints };
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'PasswordException') return { ok: false, message: 'the PDF is password-protected; upload an unprotected copy' };
    return { ok: false, message: `the file could not be opened as a PDF (${(err as Error).message ?? String(err)})` };
  } finally {
    await task.destroy().catch(() => {});
  }
}

const failed = (err: unknown): Output => ({ ok: false, message: String(err) });
if (parentPort) {
  inspect(workerData as Input).then((r) => parentPort!.postMessage(r), (err) => parentPort!.postMessage(failed(err)));
} else if (process.send) {
  process.once('message', (input: Input) => {
    void inspect(input).catch(failed).then((r) => process.send!(r, () => process.exit(0)));
  });
}
