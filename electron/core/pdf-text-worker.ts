// Runs in a child process forked by pdf-text.ts: reads every page's text layer out of an
// untrusted PDF with pdf.js and sends the pages back in batches as it goes, so the parent can
// index a long paper page range by page range instead of holding it all and writing it at once.
// It takes one paper after another (a queue of uploads costs one pdf.js start, not one each);
// the parent kills it when a paper runs over its limits, and lets it go when idle.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface TextJob { job: number; bytes: Uint8Array; batch: number; maxPageChars: number }
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

async function extract({ job, bytes, batch, maxPageChars }: TextJob, send: (m: TextMessage) => Promise<void>): Promise<void> {
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
