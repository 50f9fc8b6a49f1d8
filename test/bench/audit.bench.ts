// Audit trail benchmark (`npm run bench -- audit`; issue 17's goal: verifying 100,000 entries
// takes under 2 s). Writes the entries through the hub's own insert path (HubDb.audit: one
// transaction each, chained, a signed checkpoint every 1,000 with the hub's key) into a temporary
// hub data folder, then times the verifier over the folder as `npm run audit -- verify DIR` runs
// it (read-only open, every hash recomputed, every checkpoint signature checked), in-process and
// through the CLI.
//
//   node test/bench/audit.bench.ts [--entries 100000] [--reps 3]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../electron/core/store.ts';
import { HubDb } from '../../electron/hub/hub-db.ts';
import { PollKeys } from '../../electron/hub/procedures/poll-keys.ts';
import { openAuditSource } from '../../electron/hub/audit/sources.ts';
import { verifyChain } from '../../electron/hub/audit/verify.ts';
import { ROOT, tempDir } from '../helpers/processes.ts';

const { values: args } = parseArgs({ options: { entries: { type: 'string', default: '100000' }, reps: { type: 'string', default: '3' } } });
const ENTRIES = Number(args.entries);
const REPS = Number(args.reps);
const GOAL_MS = 2000;

const dir = tempDir('chamber-bench-audit-');
const sqlite = openDatabase(path.join(dir, 'hub.sqlite'), { synchronous: 'NORMAL' });
const db = new HubDb(sqlite);
db.trail.attachSigner(new PollKeys(dir));
const actions = ['sign-in', 'paper-downloaded', 'paper-read', 'poll.ballot', 'participant-set'];
let t = performance.now();
for (let i = 0; i < ENTRIES; i++) {
  // Detail sizes like the hub's own rows (a reading record is the largest common one).
  db.audit(actions[i % actions.length]!, `user-${i % 40}`, `paper-${i % 300}`, i % 5 === 2 ? { meetingId: 'm-bench', pages: [1, 2, 3, 4, 5, 6], openedAt: '2026-11-29T08:00:00+07:00' } : undefined);
}
const writeMs = performance.now() - t;
db.trail.checkpoint('stop');
const cps = (sqlite.prepare('SELECT COUNT(*) AS n FROM audit_checkpoints').get() as { n: number }).n;
sqlite.close();
console.log(`wrote ${ENTRIES} entries through HubDb.audit in ${(writeMs / 1000).toFixed(2)} s (${Math.round(ENTRIES / (writeMs / 1000))}/s, ${(writeMs * 1000 / ENTRIES).toFixed(1)} µs each), ${cps} signed checkpoints`);

const inProcess: number[] = [];
for (let r = 0; r < REPS; r++) {
  t = performance.now();
  const src = openAuditSource(dir);
  const report = verifyChain(src);
  src.close();
  inProcess.push(performance.now() - t);
  if (!report.ok || report.entries !== ENTRIES) throw new Error(`verify failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
}
const cli: number[] = [];
for (let r = 0; r < REPS; r++) {
  t = performance.now();
  const run = spawnSync(process.execPath, [path.join(ROOT, 'electron/hub/audit-cli.ts'), 'verify', dir], { encoding: 'utf8' });
  cli.push(performance.now() - t);
  if (run.status !== 0) throw new Error(`CLI verify exited ${run.status}: ${run.stdout}${run.stderr}`);
}
const fmt = (xs: number[]) => xs.map((x) => `${Math.round(x)} ms`).join(', ');
console.log(`verify ${ENTRIES} entries, in-process: ${fmt(inProcess)}`);
console.log(`verify ${ENTRIES} entries, npm run audit -- verify (process start included): ${fmt(cli)}`);
const worst = Math.max(...inProcess, ...cli);
console.log(`goal: under ${GOAL_MS} ms — ${worst < GOAL_MS ? 'met' : 'MISSED'} (slowest run ${Math.round(worst)} ms)`);
process.exit(worst < GOAL_MS ? 0 : 1);
