import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { api, signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import type { PaperInfo } from '../../shared/api.ts';

async function pdfWithPages(texts: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const t of texts) doc.addPage([400, 300]).drawText(t, { x: 40, y: 150, size: 18, font });
  return doc.save();
}

let hub: RunningProcess;
beforeAll(async () => {
  hub = await startHub(tempDir(), { demo: true });
});
afterAll(async () => hub?.stop());

describe('replacing a paper', () => {
  it('makes a new version that records which pages did not change, and keeps the old one', async () => {
    const sec = await signIn(hub.url, 'secretary');
    const [meeting] = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body;
    const v1 = await pdfWithPages(['Introduction', 'Budget lines', 'Risks', 'Decision']);
    const up1 = await api<{ id: string; sha256: string; version: number }>(hub.url, sec.token, `/api/meetings/${meeting!.id}/documents?title=Plan`, {
      method: 'POST', headers: { 'content-type': 'application/pdf' }, body: Buffer.from(v1),
    });
    expect(up1.status).toBe(201);
    const v2 = await pdfWithPages(['Introduction', 'A new page', 'Budget lines', 'Decision']);
    const up2 = await api<{ id: string; sha256: string; version: number }>(hub.url, sec.token, `/api/meetings/${meeting!.id}/documents?replace=${up1.body.id}`, {
      method: 'POST', headers: { 'content-type': 'application/pdf' }, body: Buffer.from(v2),
    });
    expect(up2.status).toBe(201);
    expect(up2.body.id).toBe(up1.body.id);
    expect(up2.body.version).toBe(2);
    const papers = (await api<PaperInfo[]>(hub.url, sec.token, `/api/meetings/${meeting!.id}/papers`)).body;
    const plan = papers.find((p) => p.id === up1.body.id)!;
    expect(plan.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(plan.versions[1]!.carriedFrom).toEqual({ sha256: up1.body.sha256, pages: [[1, 1], [2, 3], [4, 4]] });
    const old = await fetch(`${hub.url}/api/blobs/${up1.body.sha256}`, { headers: { authorization: `Bearer ${sec.token}` } });
    expect(old.status).toBe(200);
    expect(Buffer.from(await old.arrayBuffer()).equals(Buffer.from(v1))).toBe(true);
  });
});
