// Helpers for the recall and offline-expiry tests (issue 17): agents started with a clock file the
// test moves (CHAMBER_TEST_CLOCK_FILE), papers uploaded at a level, and reads of the agent's own
// SQLite file, so what the tests prove is what is on the device's disk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { api, startProcess, type RunningProcess } from '../helpers/processes.ts';
import { openAgentCache } from './agent-helpers.ts';

export function startAgentWithClock(hubUrl: string, dataDir: string, login: string, opts: { refreshMs?: number; clockFile?: string } = {}): Promise<RunningProcess> {
  return startProcess('electron/agent/cli.ts', [
    '--hub', hubUrl, '--login', login, '--password', 'demo', '--data', dataDir, '--port', '0',
    '--refresh-ms', String(opts.refreshMs ?? 1000), '--retry-max-ms', '800',
  ], { env: opts.clockFile ? { CHAMBER_TEST_CLOCK_FILE: opts.clockFile } : {} });
}

/** Moves the agent's clocks: `monotonicOffsetMs` (time passing), `wallOffsetMs` (the device's clock set). */
export function setClock(file: string, o: { monotonicOffsetMs?: number; wallOffsetMs?: number }): void {
  fs.writeFileSync(file, JSON.stringify(o));
}

/** A one-page PDF, with `padBytes` of random bytes attached (to make a download long). */
export async function makePdf(text: string, padBytes = 0): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`${text} budget`, { x: 60, y: 700, size: 18, font });
  if (padBytes > 0) {
    // Random bytes: the PDF's compression cannot shrink them.
    await doc.attach(crypto.randomBytes(padBytes), 'pad.bin', { mimeType: 'application/octet-stream' });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

export async function uploadPaper(hubUrl: string, token: string, meetingId: string, title: string, opts: { level?: string; padBytes?: number } = {}): Promise<{ id: string; sha256: string }> {
  const q = `?title=${encodeURIComponent(title)}${opts.level ? `&level=${opts.level}` : ''}`;
  const r = await api<{ id: string; sha256: string }>(hubUrl, token, `/api/meetings/${meetingId}/documents${q}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(await makePdf(title, opts.padBytes)),
  });
  if (r.status !== 201) throw new Error(`upload ${title}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export interface CacheView {
  deviceId: string;
  blob: { complete: number } | null;
  chunks: number;
  indexed: number;
  key: { key: Buffer | null; destroyed_at: number | null } | null;
  firstChunk: Buffer | null;
}

/** What the agent's database file holds about one file, read beside the running agent. */
export function readCache(dataDir: string, sha256: string): CacheView {
  const db = openAgentCache(dataDir);
  try {
    const one = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T | undefined;
    return {
      deviceId: one<{ value: string }>("SELECT value FROM agent_meta WHERE key = 'device_id'")?.value ?? '',
      blob: one<{ complete: number }>('SELECT complete FROM blobs WHERE sha256 = ?', sha256) ?? null,
      chunks: one<{ n: number }>('SELECT COUNT(*) AS n FROM blob_chunks WHERE sha256 = ?', sha256)!.n,
      indexed: one<{ n: number }>('SELECT COUNT(*) AS n FROM search_papers WHERE sha256 = ?', sha256)!.n,
      key: one<{ key: Buffer | null; destroyed_at: number | null }>('SELECT key, destroyed_at FROM paper_keys WHERE sha256 = ?', sha256) ?? null,
      firstChunk: one<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 0', sha256)?.data ?? null,
    };
  } finally {
    db.close();
  }
}

/** Polls `read` until `pred` holds; the last value is in the error. */
export async function pollUntil<T>(read: () => T | Promise<T>, pred: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (pred(last)) return last;
    } catch (err) {
      last = String(err) as T;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, (k, v: unknown) => (k === 'firstChunk' || k === 'key' ? (v ? '<bytes>' : v) : v))}`);
}

export const clockFileIn = (dir: string) => path.join(dir, 'clock.json');
