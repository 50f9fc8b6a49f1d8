// Pieces the archive tests share: a ZIP reader of the test's own (not the product's, so a mistake
// made the same way in the hub's writer and its verifier cannot hide), small PDFs, the export
// downloaded whole, and the package verifier run as `npm run archive` runs it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { expect } from 'vitest';
import { ROOT } from '../helpers/processes.ts';

export interface UnzippedEntry {
  name: string;
  method: number;
  bytes: Buffer;
  /** Where its data starts in the archive (to damage it in place). */
  dataOffset: number;
}

/** Every entry of a ZIP (no ZIP64: test packages are small), checked against its CRC-32 (also the minutes' DOCX). */
export function unzip(zip: Buffer): UnzippedEntry[] {
  let end = -1;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) throw new Error('no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const out: UnzippedEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`central directory entry ${i} damaged`);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const csize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: local header damaged`);
    const dataOffset = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataOffset, dataOffset + csize);
    const bytes = method === 8 ? zlib.inflateRawSync(raw) : method === 0 ? Buffer.from(raw) : null;
    if (!bytes) throw new Error(`${name}: unknown method ${method}`);
    if (bytes.length !== size) throw new Error(`${name}: ${bytes.length} bytes, the directory says ${size}`);
    if (zlib.crc32(bytes) !== crc) throw new Error(`${name}: CRC-32 mismatch`);
    out.push({ name, method, bytes, dataOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Writes the entries under `dir` (a package unpacked as an archivist would). */
export function extractTo(entries: readonly UnzippedEntry[], dir: string): void {
  for (const e of entries) {
    const file = path.join(dir, ...e.name.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, e.bytes);
  }
}

export async function smallPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([400, 300]).drawText(text, { x: 40, y: 150, size: 18, font });
  return Buffer.from(await doc.save());
}

export interface Download {
  status: number;
  headers: Headers;
  body: Buffer;
}

export async function download(url: string, token: string): Promise<Download> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

type Call = <T = Record<string, unknown>>(login: string, method: string, p: string, body?: unknown) => Promise<{ status: number; body: T }>;

/** An approval vote on the budget item, run to its published result by the chair; the voters' trackers. */
export async function publishedPoll(call: Call, meetingId: string, o: { visibility: 'named' | 'secret'; title: string; votes: Record<string, 'yes' | 'no' | 'abstain'> }): Promise<{ id: string; trackers: string[] }> {
  const created = await call<{ id: string }>('chair', 'POST', `/api/meetings/${meetingId}/polls`, { title: o.title, method: 'approval', visibility: o.visibility, agendaItemId: 'item-budget' });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await call('chair', 'POST', `/api/polls/${id}/start`)).status).toBe(200);
  const trackers: string[] = [];
  for (const [login, value] of Object.entries(o.votes)) {
    const r = await call<{ tracker: string }>(login, 'POST', `/api/polls/${id}/ballots`, { value });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    trackers.push(r.body.tracker);
  }
  for (const step of ['stop', 'publish']) expect((await call('chair', 'POST', `/api/polls/${id}/${step}`)).status, step).toBe(200);
  return { id, trackers };
}

export interface CliRun {
  code: number | null;
  out: string;
}

/** `npm run archive -- <args>`, as a child process. */
export function archiveCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'electron/hub/archive-cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('error', reject);
    proc.once('exit', (code) => resolve({ code, out }));
  });
}
