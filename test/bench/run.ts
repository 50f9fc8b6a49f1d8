// `npm run bench [-- NAME...]`: runs each benchmark part (test/bench/*.bench.ts) in its own
// process, one after another so they do not compete for the machine's two cores.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = import.meta.dirname;
// `npm run bench -- procedures --sync full`: the names come first; everything from the first
// `--flag` on is passed to each part named (a part refuses a flag it does not know).
const argv = process.argv.slice(2);
const firstFlag = argv.findIndex((a) => a.startsWith('--'));
const wanted = firstFlag < 0 ? argv : argv.slice(0, firstFlag);
const flags = firstFlag < 0 ? [] : argv.slice(firstFlag);
const parts = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`);
let failed = 0;
for (const part of parts) {
  console.log(`\n=== ${part}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(dir, part), ...flags], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`${part} failed (exit ${r.status})`);
  }
}
process.exit(failed ? 1 : 0);
