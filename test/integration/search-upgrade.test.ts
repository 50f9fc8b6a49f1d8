// A hub database written before search existed (test/fixtures/schema-v0/, the demo room as an
// older release stored it): the starting hub adds the index (schema step 4) and indexes the
// papers and agenda titles already stored, without anyone uploading or editing anything.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signIn, startHub, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { searchUntil } from './search-helpers.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/schema-v0/hub.sqlite');
let hub: RunningProcess | undefined;
afterAll(async () => {
  await hub?.stop();
});

describe('a hub database from before the index', () => {
  it('has its stored papers and agenda titles indexed at start', async () => {
    const dir = tempDir('chamber-search-upgrade-');
    fs.copyFileSync(FIXTURE, path.join(dir, 'hub.sqlite'));
    fs.chmodSync(path.join(dir, 'hub.sqlite'), 0o600);
    hub = await startHub(dir);
    const { token } = await signIn(hub.url, 'delegate1');
    const r = await searchUntil(hub.url, token, 'ngan sach', (x) => x.pendingPapers === 0 && x.hits.length > 0);
    expect(r.hits.map((h) => [h.paperTitle, h.page, h.version])).toContainEqual(['Tờ trình ngân sách năm 2027', 1, 1]);
    expect(r.records).toContainEqual(expect.objectContaining({ kind: 'agenda', agendaItemId: 'item-budget', snippet: 'Ngân sách 2027 / Budget 2027' }));
    expect(r.untextedPapers).toBe(0);
    // The 12-page English paper too, on a page past the first.
    const strategy = await searchUntil(hub.url, token, 'appendix', (x) => x.hits.length > 0);
    expect(strategy.hits.every((h) => h.paperTitle === 'Digital Strategy 2027–2030' && h.page > 1)).toBe(true);
  });
});
