// Pieces the search tests share: PDFs with real Vietnamese text (pdf-lib with DejaVu Sans, so
// the text layer holds ngân, Đảng… as a reader's PDF would), a "scan" (a page that is only an
// image, no text layer), and asking the hub until the index has caught up.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { api } from '../helpers/processes.ts';
import { searchResponseSchema, type SearchResponse } from '../../shared/search.ts';
import type { UploadResponse } from '../../shared/api.ts';

const require = createRequire(import.meta.url);
const FONT = fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));

/** One page per string; each string's lines are drawn as lines of text. */
export async function textPdf(pages: readonly string[], trailer?: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(FONT, { subset: true });
  for (const text of pages) {
    const page = doc.addPage([595, 842]);
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 18, size: 12, font }));
  }
  // Different bytes for the same text (a trailer in the metadata), when a test needs two files.
  if (trailer) doc.setSubject(trailer);
  doc.setCreationDate(new Date(Date.UTC(2026, 0, 1)));
  doc.setModificationDate(new Date(Date.UTC(2026, 0, 1)));
  return Buffer.from(await doc.save());
}

/** A PNG of w×h grey noise-free stripes: enough of an image to stand for a scanned page. */
function stripesPng(w: number, h: number): Buffer {
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0;
    for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = (y >> 3) % 2 ? 40 : 220;
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A scanned paper: every page an image, no text layer at all. */
export async function scannedPdf(pages = 2, trailer?: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const png = await doc.embedPng(stripesPng(120, 160));
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawImage(png, { x: 40, y: 40, width: 515, height: 760 });
  if (trailer) doc.setSubject(trailer);
  return Buffer.from(await doc.save());
}

export async function uploadPdf(url: string, token: string, meetingId: string, pdf: Buffer, query: string): Promise<UploadResponse> {
  const res = await api<UploadResponse>(url, token, `/api/meetings/${meetingId}/documents?${query}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(pdf),
  });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** GET /api/search, checked against the shared schema. */
export async function search(url: string, token: string, q: string): Promise<SearchResponse> {
  const res = await api<unknown>(url, token, `/api/search?q=${encodeURIComponent(q)}`);
  if (res.status !== 200) throw new Error(`search ${JSON.stringify(q)}: ${res.status} ${JSON.stringify(res.body)}`);
  return searchResponseSchema.parse(res.body);
}

/** Asks again until `done` holds (the index works in the background), up to a deadline. */
export async function searchUntil(url: string, token: string, q: string, done: (r: SearchResponse) => boolean, timeoutMs = 30_000): Promise<SearchResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await search(url, token, q);
    if (done(r)) return r;
    if (Date.now() > deadline) throw new Error(`search ${JSON.stringify(q)} did not come to the expected answer in time: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The text a snippet marks, joined: what a reader sees highlighted. */
export const marked = (hit: { snippet: string; marks: Array<[number, number]> }): string[] => hit.marks.map(([a, b]) => hit.snippet.slice(a, b));
