// Reads a PDF's annotations back, twice over: the raw dictionaries with pdf-lib (what the file
// says: subtype, /P, /QuadPoints, /InkList, ...) and what pdf.js — another reader — makes of
// them (`getAnnotations()`). Used by the export-with-notes tests.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface RawAnnot {
  page: number;
  subtype: string;
  /** /P points at the page the annotation sits on. */
  pageRefOk: boolean;
  flags: number;
  rect: number[];
  color: number[];
  nm: string | null;
  m: string | null;
  author: string | null;
  contents: string | null;
  quadPoints: number[] | null;
  inkList: number[][] | null;
  borderWidth: number | null;
  hasAppearance: boolean;
}

function text(v: PDFObject | undefined): string | null {
  if (v instanceof PDFString || v instanceof PDFHexString) return v.decodeText();
  return null;
}

function numbers(v: PDFObject | undefined): number[] | null {
  if (!(v instanceof PDFArray)) return null;
  return v.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : Number.NaN));
}

export async function rawAnnotations(bytes: Uint8Array): Promise<RawAnnot[]> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
  const out: RawAnnot[] = [];
  pdf.getPages().forEach((page, i) => {
    const annots = page.node.Annots();
    if (!annots) return;
    for (const ref of annots.asArray()) {
      const dict = pdf.context.lookup(ref);
      if (!(dict instanceof PDFDict)) continue;
      const get = (k: string) => dict.get(PDFName.of(k));
      const p = get('P');
      const ink = get('InkList');
      const bs = get('BS');
      const w = bs instanceof PDFDict ? bs.get(PDFName.of('W')) : undefined;
      out.push({
        page: i + 1,
        subtype: (get('Subtype') as PDFName | undefined)?.decodeText() ?? '',
        pageRefOk: p instanceof PDFRef && p === page.ref,
        flags: (get('F') as PDFNumber | undefined)?.asNumber() ?? 0,
        rect: numbers(get('Rect')) ?? [],
        color: numbers(get('C')) ?? [],
        nm: text(get('NM')),
        m: text(get('M')),
        author: text(get('T')),
        contents: text(get('Contents')),
        quadPoints: numbers(get('QuadPoints')),
        inkList: ink instanceof PDFArray ? ink.asArray().map((s) => numbers(s) ?? []) : null,
        borderWidth: w instanceof PDFNumber ? w.asNumber() : null,
        hasAppearance: get('AP') instanceof PDFDict,
      });
    }
  });
  return out;
}

export interface ReaderAnnot {
  page: number;
  subtype: string;
  contents: string;
  title: string;
  id: string;
}

/** What pdf.js lists on each page: the annotations another reader sees. */
export async function readerAnnotations(bytes: Uint8Array): Promise<ReaderAnnot[]> {
  const task = getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const doc = await task.promise;
  const out: ReaderAnnot[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      for (const a of await (await doc.getPage(n)).getAnnotations()) {
        const x = a as { subtype: string; contentsObj?: { str: string }; titleObj?: { str: string }; id: string };
        out.push({ page: n, subtype: x.subtype, contents: x.contentsObj?.str ?? '', title: x.titleObj?.str ?? '', id: x.id });
      }
    }
  } finally {
    await task.destroy();
  }
  return out;
}
