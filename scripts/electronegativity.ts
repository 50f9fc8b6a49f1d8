// `node scripts/electronegativity.ts`: runs Electronegativity over the Electron shell, offline,
// and fails on any finding. Part of `npm test`.
//
// Two adjustments make it usable here: Electronegativity fetches translations over the network
// at start (and crashes on the timeout's retry without one), so its HTTP client is replaced by
// one that fails at once; and it scans one input folder, so the shell's folders are copied into
// a temporary tree first. AvailableSecurityFixesGlobalCheck compares against the latest Electron
// release online and is excluded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import Module from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const SCANNED = ['electron/main', 'electron/preload', 'electron/shell'];
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = loader._load;
loader._load = function (request: string, ...rest: unknown[]) {
  if (request === 'got') return () => Promise.reject(new Error('offline: no translation download'));
  return originalLoad.call(this, request, ...rest);
};

const require = createRequire(import.meta.url);
const electronVersion = (require('electron/package.json') as { version: string }).version;
type Runner = (o: Record<string, unknown>, forCli: boolean) => Promise<unknown>;
const runnerModule = require('@doyensec/electronegativity/dist/runner.js') as Runner | { default: Runner };
const run: Runner = typeof runnerModule === 'function' ? runnerModule : runnerModule.default;

interface Report {
  atomicChecks: number;
  globalChecks: number;
  errors: Array<{ file: string; message: string; tolerable?: boolean }>;
  issues: Array<{ id: string; file: string; description: string; location: { line: number; column: number }; severity: { name: string }; confidence: { name: string } }>;
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-eneg-'));
try {
  for (const dir of SCANNED) fs.cpSync(path.join(root, dir), path.join(stage, dir), { recursive: true });
  const result = await run({
    input: stage,
    customScan: [],
    excludeFromScan: EXCLUDED_CHECKS.map((c) => c.toLowerCase()),
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  }, false) as Report;
  // A file Electronegativity cannot parse is a file it did not check: that fails the run too.
  const broken = result.errors.filter((e) => !e.tolerable);
  for (const e of broken) console.error(`electronegativity could not parse ${e.file}: ${e.message}`);
  for (const i of result.issues) {
    console.error(`${i.id} [${i.severity.name}/${i.confidence.name}] ${i.file}:${i.location.line}:${i.location.column} ${i.description}`);
  }
  const checks = result.atomicChecks + result.globalChecks;
  if (result.issues.length > 0 || broken.length > 0 || checks === 0) {
    console.error(`electronegativity: ${result.issues.length} finding(s), ${broken.length} unparsed file(s), ${checks} checks`);
    process.exitCode = 1;
  } else {
    console.log(`electronegativity: ${checks} checks, no findings in ${SCANNED.join(', ')} (Electron ${electronVersion}; excluded: ${EXCLUDED_CHECKS.join(', ')})`);
  }
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
