// The agent's half of `npm run bench -- search` (issue 15): a tablet whose hub is gone indexes
// the papers it holds and answers searches from its own index. Bounded; exits by itself.
//
// Set-up, as a tablet would hold it after its prefetch: an encrypted agent cache with one meeting
// of 30 copies of the 352-page fixture and 30 of the 5-page Vietnamese one (each copy a distinct
// file: a comment appended after %%EOF, so 60 files and 10,710 pages to index rather than two
// files shared), the hub's bench's papers (search.bench.ts). Then the real agent (startAgent, in
// this process) starts on it with its hub unreachable, the user signs in offline, and
//  1. indexing: pages per second from the agent's start until its answers say nothing is pending
//     (verifying each held file, extracting its text in a child process, writing the index),
//     and the agent's event-loop delay meanwhile (it must keep serving its reader);
//  2. query p95 through the agent's HTTP API (`GET /api/search`, its own answer) for the hub
//     bench's queries: one word, two words, accent-free Vietnamese (goal < 50 ms).
//
//   node test/bench/search-agent.bench.ts [--copies 30] [--vi-copies 30] [--queries 100]
// (`npm run bench -- search --copies 5` hands both search parts the same flags; this part takes
// the hub part's --reps, --n and --updates too, and does not use them.)
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startAgent } from '../../electron/agent/agent.ts';
import { openCache } from '../../electron/agent/cache-file.ts';
import { makeVerifier } from '../../electron/agent/password-verifier.ts';
import { downloadBlob } from '../../electron/agent/prefetch.ts';
import { encryptedCacheOpener } from '../../electron/core/cipher-db.ts';
import type { PaperInfo, User } from '../../shared/api.ts';
import type { SearchResponse } from '../../shared/search.ts';
import { FIXTURES, haveFixtures } from '../helpers/processes.ts';
import { giveUpAfter, ms, pct } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    copies: { type: 'string', default: '30' },
    'vi-copies': { type: 'string', default: '30' },
    queries: { type: 'string', default: '100' },
    reps: { type: 'string' },
    n: { type: 'string' },
    updates: { type: 'string' },
  },
});
const COPIES = Number(args.copies);
const VI_COPIES = Number(args['vi-copies']);
const QUERY_RUNS = Number(args.queries);
/** The hub bench's queries (search.bench.ts), so the two halves compare. */
const QUERIES: Array<[string, string]> = [
  ['one word', 'culture'],
  ['one word', 'property'],
  ['two words', 'free culture'],
  ['two words', 'public domain'],
  ['Vietnamese, accent-free', 'ngan sach'],
  ['Vietnamese, accent-free', 'phong hop khong giay'],
  ['Vietnamese, accent-free', 'dang'],
];
const quiet = () => {};

giveUpAfter(20 * 60_000, 'search-agent');
if (!haveFixtures) {
  console.log('search-agent bench: ../shared/fixtures/pdfs is absent; nothing measured');
  process.exit(0);
}

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** A distinct file with the same pages: bytes after %%EOF are ignored by PDF readers. */
const copyOf = (bytes: Buffer, n: number) => Buffer.concat([bytes, Buffer.from(`\n% chamber bench copy ${n}\n`)]);

async function seedCache(dir: string, key: string): Promise<{ pages: number; user: User }> {
  const cache = openCache(path.join(dir, 'agent.sqlite'), encryptedCacheOpener(key), quiet);
  const user: User = { id: 'bench-user', login: 'reader', name: 'Bench Reader', role: 'delegate' };
  cache.db.saveSignIn(user, await makeVerifier('pw'), null);
  const meetingId = 'bench-meeting';
  cache.db.putSummary({ id: meetingId, title: 'Bench meeting', startsAt: null, room: null, status: 'published', myRole: 'delegate' });
  const papers: PaperInfo[] = [];
  let pages = 0;
  const add = async (file: string, count: number, pageCount: number, title: string) => {
    const original = fs.readFileSync(path.join(FIXTURES, file));
    for (let i = 0; i < count; i++) {
      const bytes = copyOf(original, i);
      const sha = sha256(bytes);
      await downloadBlob({ store: cache.store, sha256: sha, size: bytes.length, signal: AbortSignal.timeout(60_000), fetchBlob: async () => new Response(bytes) });
      papers.push({
        id: `p-${file.replace(/\W/g, '')}-${i}`, meetingId, title: `${title} (${i + 1})`, restricted: false,
        versions: [{ version: 1, sha256: sha, pages: pageCount, size: bytes.length, fileName: file, createdAt: new Date().toISOString() }],
      });
      pages += pageCount;
    }
  };
  await add('freeculture.pdf', COPIES, 352, 'Free Culture');
  await add('to-trinh-vi.pdf', VI_COPIES, 5, 'Tờ trình phòng họp không giấy');
  cache.db.putDetailAndPapers(meetingId, { id: meetingId, title: 'Bench meeting', participants: [] }, papers);
  cache.sqlite.close();
  return { pages, user };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-bench-search-agent-'));
  const key = 'ab'.repeat(32);
  const { pages } = await seedCache(dir, key);
  console.log(`held: ${COPIES} × freeculture.pdf (352 pages) + ${VI_COPIES} × to-trinh-vi.pdf (5 pages) = ${pages} pages, distinct files`);
  if (COPIES < 1 || VI_COPIES < 0 || QUERY_RUNS < 1) throw new Error('--copies and --queries must be at least 1');

  const loop = monitorEventLoopDelay({ resolution: 5 });
  const started = performance.now();
  // A port nothing listens on: the hub is gone for the whole run.
  const agent = await startAgent({
    hubUrl: 'http://127.0.0.1:9', dataDir: dir, port: 0, log: quiet, keepHubToken: false,
    openDatabase: encryptedCacheOpener(key), distDir: path.join(dir, 'no-dist'), refreshMs: 60_000,
  });
  try {
    const signIn = await fetch(`${agent.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'reader', password: 'pw' }) });
    const { token } = (await signIn.json()) as { token: string };
    // From here on: the agent's start and the offline sign-in's scrypt are behind us.
    loop.enable();
    const search = async (q: string): Promise<SearchResponse> => {
      const res = await fetch(`${agent.url}/api/search?q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${await res.text()}`);
      return (await res.json()) as SearchResponse;
    };

    // 1. indexing. Progress is read every 500 ms from a search for a word no paper holds (the
    // answer's pendingPapers, at next to no cost of its own), and every 4th time a reader's
    // one-word search is timed, so the loop delay is mostly the indexing's.
    let pending = Infinity;
    const during: number[] = [];
    for (let round = 1; pending > 0; round++) {
      await new Promise((r) => setTimeout(r, 500));
      const answer = await search('zzqxjv');
      if (answer.source !== 'agent') throw new Error('expected the agent\'s own answer');
      pending = answer.pendingPapers;
      if (round % 4 === 0) {
        const t0 = performance.now();
        await search('copyright');
        during.push(performance.now() - t0);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    loop.disable();
    console.log(`agent indexing: ${pages} pages in ${seconds.toFixed(1)} s = ${(pages / seconds).toFixed(0)} pages/s (from the agent's start, files verified, text read in a child process)`);
    console.log(`agent event loop while indexing: p50 ${ms(loop.percentile(50) / 1e6)}, p99 ${ms(loop.percentile(99) / 1e6)}, max ${ms(loop.max / 1e6)}; a search meanwhile: p50 ${ms(pct(during, 50))}, p95 ${ms(pct(during, 95))} (${during.length})`);

    // 2. query latency over the full index, through the agent's HTTP API.
    for (const [what, q] of QUERIES) {
      const first = await search(q);
      const times: number[] = [];
      for (let i = 0; i < QUERY_RUNS; i++) {
        const t0 = performance.now();
        await search(q);
        times.push(performance.now() - t0);
      }
      const p95 = pct(times, 95);
      console.log(`agent query, ${what} ("${q}", ${first.hits.length} hits): p50 ${ms(pct(times, 50))}, p95 ${ms(p95)} (goal < 50 ms: ${p95 < 50 ? 'met' : 'NOT met'})`);
    }
  } finally {
    await agent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
