// `npm run hub` as a room would run it: first start on an empty folder, the demo seed (once),
// and the demo papers' Vietnamese text as pdf.js reads it back.
import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { api, signIn } from '../helpers/processes.ts';
import { openHubDb, startHubIn } from './hub-helpers.ts';
import { DEMO_PAPERS } from '../../electron/hub/demo-papers.ts';
import type { PaperInfo } from '../../shared/api.ts';

async function pdfText(bytes: Uint8Array): Promise<string> {
  const task = getDocument({ data: bytes, disableFontFace: true, useSystemFonts: false, verbosity: 0 });
  const doc = await task.promise;
  let text = '';
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    for (const item of content.items) if ('str' in item) text += item.str;
  }
  await task.destroy();
  return text;
}
const squash = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

describe('npm run hub', () => {
  it('on an empty folder creates an admin once and prints how to sign in', async () => {
    const hub = await startHubIn();
    try {
      const line = hub.output().split('\n').find((l) => l.includes('sign in as'));
      expect(line).toMatch(/sign in as "admin" with password "[^"]{8,}"/);
      expect(hub.output()).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
      const password = /password "([^"]+)"/.exec(line!)![1]!;
      const s = await signIn(hub.url, 'admin', password);
      expect(s.user.role).toBe('admin');
      await hub.stop();
      const again = await startHubIn(hub.dataDir);
      expect(again.output()).not.toMatch(/sign in as/);
      expect((await signIn(again.url, 'admin', password)).user.role).toBe('admin');
      await again.stop();
      const db = openHubDb(hub.dataDir);
      expect((db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n).toBe(1);
      db.close();
    } finally {
      await hub.stop();
    }
  });

  it('--demo seeds once, and the demo papers carry correct Vietnamese diacritics', async () => {
    const hub = await startHubIn(undefined, { demo: true });
    const counts = () => {
      const db = openHubDb(hub.dataDir);
      const n = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
      const r = { accounts: n('accounts'), meetings: n('meetings'), papers: n('papers'), versions: n('paper_versions'), participants: n('participants') };
      db.close();
      return r;
    };
    let second: Awaited<ReturnType<typeof startHubIn>> | null = null;
    try {
      expect(hub.output()).toMatch(/demo room seeded/);
      const first = counts();
      expect(first).toMatchObject({ accounts: 6, meetings: 1, papers: Object.keys(DEMO_PAPERS).length });
      const s = await signIn(hub.url, 'delegate1');
      const [meeting] = (await api<Array<{ id: string; title: string }>>(hub.url, s.token, '/api/meetings')).body;
      const papers = (await api<PaperInfo[]>(hub.url, s.token, `/api/meetings/${meeting!.id}/papers`)).body;
      for (const spec of Object.values(DEMO_PAPERS)) {
        const paper = papers.find((p) => p.title === spec.title);
        expect(paper, spec.title).toBeTruthy();
        const res = await fetch(`${hub.url}/api/blobs/${paper!.versions[0]!.sha256}`, { headers: { authorization: `Bearer ${s.token}` } });
        const text = squash(await pdfText(new Uint8Array(await res.arrayBuffer())));
        for (const piece of [spec.title, ...spec.sections.flatMap((x) => [x.heading, x.body])]) {
          expect(text, `${spec.fileName}: ${piece.slice(0, 40)}`).toContain(squash(piece));
        }
      }
      // The tell-tale letters are really there (not dropped or replaced by look-alikes).
      const budget = papers.find((p) => p.title === DEMO_PAPERS.budget!.title)!;
      const bytes = new Uint8Array(await (await fetch(`${hub.url}/api/blobs/${budget.versions[0]!.sha256}`, { headers: { authorization: `Bearer ${s.token}` } })).arrayBuffer());
      const text = (await pdfText(bytes)).normalize('NFC');
      for (const word of ['Tờ trình', 'ngân sách', 'Hội đồng', 'Ưu tiên', 'đầu tư', 'dự toán', 'Đề nghị']) expect(text).toContain(word);

      await hub.stop();
      second = await startHubIn(hub.dataDir, { demo: true });
      expect(second.output()).not.toMatch(/demo room seeded/);
      expect(counts()).toEqual(first);
    } finally {
      await second?.stop();
      await hub.stop();
    }
  });
});
