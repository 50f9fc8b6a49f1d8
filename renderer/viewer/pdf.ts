// pdf.js set-up, in one place. Everything pdf.js fetches besides the paper itself (its worker,
// CMaps, standard fonts, wasm decoders, ICC profiles) ships inside the app build, so a tablet
// with no network still renders every paper. Papers are untrusted: the generic pdf.js display
// layer never runs a PDF's JavaScript (that needs the scripting sandbox, which we never load),
// XFA forms are off, and the page's CSP forbids eval.
import { getDocument, GlobalWorkerOptions, PDFWorker, type PDFDocumentLoadingTask, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/** Folder with cmaps/, standard_fonts/, wasm/, iccs/ (copied by the build, see vite.config.ts). */
export function pdfAssetBase(): string {
  return new URL('./pdfjs/', document.baseURI).href;
}

// One worker for the app's lifetime: booting pdf.js's worker (parsing ~1.3 MB of script) would
// otherwise be paid on every paper opened.
let sharedWorker: PDFWorker | null = null;
export function pdfWorker(): PDFWorker {
  if (!sharedWorker || sharedWorker.destroyed) sharedWorker = new PDFWorker();
  return sharedWorker;
}

/** Starts the worker ahead of need (when a meeting opens, before any paper is). */
export function warmUpPdf(): void {
  void pdfWorker().promise.catch(() => {});
}

export interface OpenOptions {
  url: string;
  token: string;
  onProgress?: (loaded: number, total: number) => void;
}

function load({ url, token, onProgress }: OpenOptions): PDFDocumentLoadingTask {
  const base = pdfAssetBase();
  const task = getDocument({
    url: new URL(url, document.baseURI).href,
    httpHeaders: { Authorization: `Bearer ${token}` },
    withCredentials: false,
    worker: pdfWorker(),
    cMapUrl: `${base}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${base}standard_fonts/`,
    wasmUrl: `${base}wasm/`,
    iccUrl: `${base}iccs/`,
    useSystemFonts: false,
    enableXfa: false,
    // A hostile file must not make us allocate unbounded canvases.
    maxImageSize: 64 * 1024 * 1024,
    canvasMaxAreaInBytes: 256 * 1024 * 1024,
  });
  if (onProgress) task.onProgress = ({ loaded, total }: { loaded: number; total: number }) => onProgress(loaded, total);
  return task;
}

// Recently read papers stay open (a delegate flips between the budget and the minutes all
// meeting long); the oldest beyond KEEP are destroyed, so memory stays bounded.
const KEEP = 3;
interface Entry { key: string; task: PDFDocumentLoadingTask; users: number; lastUsed: number }
const open = new Map<string, Entry>();

function evict(): void {
  const idle = [...open.values()].filter((e) => e.users === 0).sort((a, b) => a.lastUsed - b.lastUsed);
  while (open.size > KEEP && idle.length) {
    const e = idle.shift()!;
    open.delete(e.key);
    void e.task.destroy();
  }
}

/** Opens (or reuses) a paper; call release() when the viewer lets go of it. */
export function acquirePdf(opts: OpenOptions): { promise: Promise<PDFDocumentProxy>; release: () => void } {
  const key = `${opts.token}\u0000${opts.url}`;
  let e = open.get(key);
  if (!e) {
    e = { key, task: load(opts), users: 0, lastUsed: 0 };
    open.set(key, e);
    const entry = e;
    // A failed load is not kept: the next attempt starts afresh.
    entry.task.promise.catch(() => {
      if (open.get(key) === entry) open.delete(key);
    });
  } else if (opts.onProgress) opts.onProgress(1, 1);
  const entry = e;
  entry.users++;
  let released = false;
  return {
    promise: entry.task.promise,
    release: () => {
      if (released) return;
      released = true;
      entry.users--;
      entry.lastUsed = performance.now();
      evict();
    },
  };
}

/** Drops every open paper (sign-out). */
export function closeAllPdfs(): void {
  for (const e of open.values()) void e.task.destroy();
  open.clear();
}
