// Runs in a child process forked by pdf-text.ts: reads every page's text layer out of an
// untrusted PDF with pdf.js and sends the pages back in batches as it goes, so the parent can
// index a long paper page range by page range instead of holding it all and writing it at once.
// It takes one paper after another (a queue of uploads costs one pdf.js start, not one each);
// the parent kills it when a paper runs over its limits, and lets it go when idle.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** `bytes`, or `stored`: a paper in a database file's blob tables, read here (pdf-text.ts). */
export interface TextJob { job: number; bytes?: Uint8Array; stored?: { file: string; sha256: string }; batch: number; maxPageChars: number }
export type TextMessage =
  | { job: number; kind: 'pages'; from: number; texts: string[] }
  | { job: number; kind: 'done'; pages: number }
  | { job: number; kind: 'error'; message: string };

/** Controls other than tab and line ends become spaces: they are never words. */
function stripControls(s: string): string {
  let out = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    out += (code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r') || code === 0x7f ? ' ' : c;
  }
  return out;
}

/**
 * A stored paper's bytes, through a read-only connection of this process (WAL: the writer goes
 * on). The driver is loaded only here: the desktop app's agent hands bytes and never needs it.
 */
async function readStored(file: string, sha256: string): Promise<Uint8Array> {
  const { default: BetterSqlite3 } = await import('better-sqlite3');
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const info = db.prepare('SELECT size, complete FROM blobs WHERE sha256 = ?').get(sha256) as { size: number; complete: number } | undefined;
    if (!info || info.complete !== 1) throw new Error('the paper is not stored');
    const chunks = db.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? ORDER BY idx').all(sha256) as Array<{ data: Buffer }>;
    const joined = Buffer.concat(chunks.map((c) => c.data));
    if (joined.length !== info.size) throw new Error('the stored paper is incomplete');
    // pdf.js takes a plain Uint8Array, not a Buffer (the same memory, viewed as one).
    return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
  } finally {
    db.close();
  }
}

async function extract({ job, bytes: given, stored, batch, maxPageChars }: TextJob, send: (m: TextMessage) => Promise<void>): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = given ?? await readStored(stored!.file, stored!.sha256);
  } catch (err) {
    return send({ job, kind: 'error', message: `the paper could not be read from the store (${(err as Error).message})` });
  }
  const task = getDocument({ data: bytes, disableFontFace: true, useSystemFonts: false, stopAtErrors: false, verbosity: 0 });
  try {
    const doc = await task.promise;
    let texts: string[] = [];
    let from = 1;
    for (let n = 1; n <= doc.numPages; n++) {
      let text = '';
      try {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        // pdf.js puts the spaces it infers from glyph gaps into `str` and flags line ends, so
        // joining the items rebuilds the words and lines a reader sees.
        for (const item of content.items) {
          if (!('str' in item)) continue;
          text += item.str;
          if (item.hasEOL) text += '\n';
          if (text.length > maxPageChars) break;
        }
        page.cleanup();
      } catch {
        // One broken page loses its own text, not the paper's.
        text = '';
      }
      texts.push(stripControls(text.slice(0, maxPageChars)).trim());
      if (texts.length >= batch) {
        await send({ job, kind: 'pages', from, texts });
        from = n + 1;
        texts = [];
      }
    }
    if (texts.length) await send({ job, kind: 'pages', from, texts });
    await send({ job, kind: 'done', pages: doc.numPages });
  } catch (err) {
    const name = (err as { name?: string }).name;
    await send({ job, kind: 'error', message: name === 'PasswordException' ? 'the PDF is password-protected' : `the PDF could not be read (${(err as Error).message ?? String(err)})` });
  } finally {
    await task.destroy().catch(() => {});
  }
}

if (process.send) {
  const send = (m: TextMessage) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
  // One paper at a time, in the order they come.
  let chain = Promise.resolve();
  process.on('message', (input: TextJob) => {
    chain = chain.then(() => extract(input, send).catch((err: unknown) => send({ job: input.job, kind: 'error', message: String(err) })));
  });
  process.on('disconnect', () => process.exit(0));
}
