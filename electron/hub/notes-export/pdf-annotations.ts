// A reader's annotations written into their paper as real PDF annotations (ISO 32000-1 §12.5),
// so any other reader shows them and lists them: pen and highlighter strokes as /Ink, text
// highlights as /Highlight with /QuadPoints, notes as /Text (sticky notes) with the note's text
// and the reader's name. Coordinates need no conversion: the notes document keeps them in the
// page's PDF user space already (shared/notes-doc.ts).
//
// Each annotation carries its own appearance stream (/AP): the standard lets a reader draw
// an annotation without one from its other entries, and Acrobat and poppler do, but not every
// reader does (and pdf.js only for some kinds), so the look is fixed here.
import { PDFDocument, PDFHexString, PDFName, PDFString, type PDFDict, type PDFPage, type PDFRef } from 'pdf-lib';
import type { Annotation } from '../../../shared/notes-doc.ts';
import { stampPages } from '../classification/stamp.ts';

export interface NotesPdfJob {
  bytes: Uint8Array;
  /** The caller's annotations on this version, oldest first; bookmarks are skipped (no PDF annotation says "bookmark"). */
  annotations: readonly Annotation[];
  /** The /T of every annotation: who wrote it. */
  author: string;
  /** The watermark's lines when the paper's level watermarks, stamped first: the notes sit over it. */
  watermark: readonly string[] | null;
  /** When the export was made: /M when an annotation has no time of its own. */
  at: number;
}

type Rgb = [number, number, number];
const PEN_DEFAULT: Rgb = [0, 0, 0];
const HIGHLIGHT_DEFAULT: Rgb = [1, 0.88, 0.4];
const NOTE_DEFAULT: Rgb = [1, 0.83, 0.23];
/** Print: on paper as on screen (the brief's /F). Notes also keep their size and stay upright (NoZoom, NoRotate). */
const FLAG_PRINT = 4;
const FLAGS_NOTE = FLAG_PRINT | 8 | 16;
/** The sticky note's icon, in page units. */
const NOTE_SIZE = 20;
/** A highlighter stroke is see-through over the text, as on screen. */
const HIGHLIGHTER_OPACITY = 0.4;

/** '#rgb' or '#rrggbb' → 0..1 components; anything else is the kind's default. */
export function parseColor(color: string | undefined, fallback: Rgb): Rgb {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color?.trim() ?? '');
  if (!m) return fallback;
  const hex = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255) as Rgb;
}

/** A PDF date string in UTC: D:YYYYMMDDHHmmSSZ. */
export function pdfDate(ms: number): string {
  const d = new Date(Number.isFinite(ms) ? ms : 0);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `D:${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** Numbers for a content stream: short, and never in exponent form. */
const n = (v: number): string => (Math.round(v * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';

type Box = [number, number, number, number];

function bounds(xs: readonly number[], ys: readonly number[], pad: number): Box {
  return [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad];
}

/** A form XObject over `box` (in page space, so its matrix only moves it by nothing: BBox is the rect). */
function appearance(pdf: PDFDocument, box: Box, ops: string, opacity?: { ca: number; multiply: boolean }): PDFRef {
  const resources = opacity
    ? { ExtGState: { GS0: { Type: 'ExtGState', CA: opacity.ca, ca: opacity.ca, ...(opacity.multiply ? { BM: 'Multiply' } : {}) } } }
    : {};
  const body = opacity ? `/GS0 gs\n${ops}` : ops;
  // Not deflated: pako's set-up per stream (a 64 KiB window each) was most of the time — 3.5 s
  // for 6,000 annotations, 33 s for 20,000 — for streams of a few hundred bytes.
  const stream = pdf.context.stream(`q\n${body}\nQ\n`, { Type: 'XObject', Subtype: 'Form', BBox: box, Resources: resources });
  return pdf.context.register(stream);
}

/** The entries every kind carries: where it is, on which page, its colour, id, times and author. */
function common(pdf: PDFDocument, page: PDFPage, a: Annotation, job: NotesPdfJob, subtype: string, rect: Box, color: Rgb, flags: number): PDFDict {
  return pdf.context.obj({
    Type: 'Annot', Subtype: subtype, Rect: rect, P: page.ref, F: flags, C: color,
    NM: PDFString.of(a.id.replace(/[()\\]/g, '_')),
    M: PDFString.of(pdfDate(a.createdAt || job.at)),
    CreationDate: PDFString.of(pdfDate(a.createdAt || job.at)),
    T: PDFHexString.fromText(job.author),
  });
}

function writeInk(pdf: PDFDocument, page: PDFPage, a: Extract<Annotation, { kind: 'ink' }>, job: NotesPdfJob): PDFDict | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + 1 < a.points.length; i += 3) {
    xs.push(a.points[i]!);
    ys.push(a.points[i + 1]!);
  }
  if (xs.length === 0) return null;
  const rect = bounds(xs, ys, a.width / 2 + 1);
  const color = parseColor(a.color, PEN_DEFAULT);
  const dict = common(pdf, page, a, job, 'Ink', rect, color, FLAG_PRINT);
  dict.set(PDFName.of('InkList'), pdf.context.obj([xs.flatMap((x, i) => [x, ys[i]!])]));
  dict.set(PDFName.of('BS'), pdf.context.obj({ Type: 'Border', W: a.width, S: 'S' }));
  const highlighter = a.tool === 'highlighter';
  if (highlighter) dict.set(PDFName.of('CA'), pdf.context.obj(HIGHLIGHTER_OPACITY));
  // A single tap is a dot: a zero-length segment with round caps draws one.
  const path = xs.length === 1
    ? `${n(xs[0]!)} ${n(ys[0]!)} m ${n(xs[0]!)} ${n(ys[0]!)} l`
    : xs.map((x, i) => `${n(x)} ${n(ys[i]!)} ${i === 0 ? 'm' : 'l'}`).join('\n');
  const ops = `${color.map(n).join(' ')} RG\n${n(a.width)} w 1 J 1 j\n${path}\nS`;
  setAppearance(pdf, dict, appearance(pdf, rect, ops, highlighter ? { ca: HIGHLIGHTER_OPACITY, multiply: true } : undefined));
  return dict;
}

function writeHighlight(pdf: PDFDocument, page: PDFPage, a: Extract<Annotation, { kind: 'highlight' }>, job: NotesPdfJob): PDFDict | null {
  const quads: number[] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  let fills = '';
  for (let i = 0; i + 3 < a.rects.length; i += 4) {
    const [x, y, w, h] = [a.rects[i]!, a.rects[i + 1]!, a.rects[i + 2]!, a.rects[i + 3]!];
    if (!(w > 0 && h > 0)) continue;
    // Upper left, upper right, lower left, lower right: the order readers use (Acrobat, pdf.js,
    // poppler), although the standard's text describes them counter-clockwise.
    quads.push(x, y + h, x + w, y + h, x, y, x + w, y);
    xs.push(x, x + w);
    ys.push(y, y + h);
    fills += `${n(x)} ${n(y)} ${n(w)} ${n(h)} re\n`;
  }
  if (quads.length === 0) return null;
  const rect = bounds(xs, ys, 0);
  const color = parseColor(a.color, HIGHLIGHT_DEFAULT);
  const dict = common(pdf, page, a, job, 'Highlight', rect, color, FLAG_PRINT);
  dict.set(PDFName.of('QuadPoints'), pdf.context.obj(quads));
  if (a.text) dict.set(PDFName.of('Contents'), PDFHexString.fromText(a.text));
  setAppearance(pdf, dict, appearance(pdf, rect, `${color.map(n).join(' ')} rg\n${fills}f`, { ca: 1, multiply: true }));
  return dict;
}

function writeNote(pdf: PDFDocument, page: PDFPage, a: Extract<Annotation, { kind: 'note' }>, job: NotesPdfJob): PDFDict {
  // The note's point is the icon's centre, as it is the viewer's marker's.
  const [x0, y0] = [a.x - NOTE_SIZE / 2, a.y - NOTE_SIZE / 2];
  const rect: Box = [x0, y0, x0 + NOTE_SIZE, y0 + NOTE_SIZE];
  const color = parseColor(a.color, NOTE_DEFAULT);
  const dict = common(pdf, page, a, job, 'Text', rect, color, FLAGS_NOTE);
  dict.set(PDFName.of('Contents'), PDFHexString.fromText(a.text));
  dict.set(PDFName.of('Name'), PDFName.of('Comment'));
  dict.set(PDFName.of('Open'), pdf.context.obj(false));
  // A folded sheet in the note's colour with three lines of "text".
  const s = NOTE_SIZE;
  const fold = s * 0.3;
  const sheet = `${n(x0 + 0.5)} ${n(y0 + 0.5)} m ${n(x0 + s - 0.5)} ${n(y0 + 0.5)} l ${n(x0 + s - 0.5)} ${n(y0 + s - fold)} l ${n(x0 + s - fold)} ${n(y0 + s - 0.5)} l ${n(x0 + 0.5)} ${n(y0 + s - 0.5)} l h`;
  const lines = [0.62, 0.45, 0.28].map((f) => `${n(x0 + s * 0.2)} ${n(y0 + s * f)} m ${n(x0 + s * (f === 0.28 ? 0.55 : 0.8))} ${n(y0 + s * f)} l`).join('\n');
  // The lines in white on a dark note (the pen's blue), dark on a light one (the default yellow).
  const light = 0.2126 * color[0] + 0.7152 * color[1] + 0.0722 * color[2] > 0.5;
  const ops = `${color.map(n).join(' ')} rg 0.25 0.25 0.25 RG 1 w 1 j\n${sheet}\nB\n${light ? '0.25 0.25 0.25' : '1 1 1'} RG\n${lines}\nS`;
  setAppearance(pdf, dict, appearance(pdf, rect, ops));
  return dict;
}

function setAppearance(pdf: PDFDocument, dict: PDFDict, normal: PDFRef): void {
  dict.set(PDFName.of('AP'), pdf.context.obj({ N: normal }));
}

/** The paper with the annotations added to their pages (an annotation on a page the file lacks is left out). */
export async function writeNotesPdf(job: NotesPdfJob): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(job.bytes, { updateMetadata: false });
  if (job.watermark) await stampPages(pdf, job.watermark);
  const pages = pdf.getPages();
  for (const a of job.annotations) {
    const page = pages[a.page - 1];
    if (!page || a.kind === 'bookmark') continue;
    const dict = a.kind === 'ink' ? writeInk(pdf, page, a, job) : a.kind === 'highlight' ? writeHighlight(pdf, page, a, job) : writeNote(pdf, page, a, job);
    if (dict) page.node.addAnnot(pdf.context.register(dict));
  }
  return pdf.save({ useObjectStreams: true });
}
