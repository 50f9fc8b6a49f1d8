// The layer table and the cycle check (eslint.config.js) fail on a deliberately bad import and
// pass the imports the layout allows. Everything is linted as text at a path inside the tree
// (ESLint's lintText), so nothing is written there: the imports it names resolve to real files.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers/processes.ts';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

/** The rule ids ESLint reports for `code` as if it were the file at `file` (relative to the root). */
async function rulesFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}
const probe = (from: string) => `import * as probe from '${from}';\nexport const used = probe;\n`;
const LAYER = 'import-x/no-restricted-paths';
const CYCLE = 'import-x/no-cycle';

describe('lint: layers', () => {
  it.each([
    ['electron/hub/probe.ts', '../agent/agent.ts', 'hub and agent never import each other'],
    ['electron/agent/probe.ts', '../hub/access.ts', 'hub and agent never import each other'],
    ['electron/core/probe.ts', '../hub/hub-db.ts', 'the core is under hub and agent'],
    ['electron/core/probe.ts', '../shell/csp.ts', 'the core is under the shell'],
    ['electron/shell/probe.ts', '../hub/hub.ts', 'the shell runs the agent, not a hub'],
    ['electron/preload/probe.ts', '../shell/csp.ts', 'the preload sees shared/ only'],
    ['shared/probe.ts', '../renderer/api.ts', 'shared/ imports nothing of ours'],
    ['shared/probe.ts', '../electron/core/store.ts', 'shared/ imports nothing of ours'],
    ['renderer/probe.ts', '../electron/core/sync-limits.ts', 'the renderer sees shared/ only'],
    ['renderer/sync/probe.ts', '../../test/helpers/yclient.ts', 'tests are not code'],
    ['renderer/console/probe.ts', '../app/App.tsx', 'features sit on the plumbing: console never imports app'],
    ['renderer/viewer/probe.ts', '../console/index.tsx', 'the viewer never imports the console'],
    ['renderer/annotations/probe.ts', '../viewer/Viewer.tsx', 'the annotation model is under the viewer'],
    ['renderer/sync/probe.ts', '../data/queries.ts', 'replicas do not know about REST data'],
  ])('%s importing %s fails (%s)', async (file, from) => {
    expect(await rulesFor(file, probe(from))).toContain(LAYER);
  });

  it.each([
    ['electron/hub/probe.ts', '../core/store.ts'],
    ['electron/agent/probe.ts', '../core/sync-core.ts'],
    ['electron/shell/probe.ts', '../agent/agent.ts'],
    ['electron/main/probe.ts', '../agent/agent.ts'],
    ['electron/core/probe.ts', '../../shared/api.ts'],
    ['renderer/app/probe.ts', '../console/index.tsx'],
    ['renderer/viewer/probe.ts', '../annotations/geometry.ts'],
    ['test/unit/probe.ts', '../../electron/hub/hub.ts'],
    ['scripts/probe.ts', '../electron/hub/demo-seed.ts'],
  ])('%s importing %s passes', async (file, from) => {
    expect(await rulesFor(file, probe(from))).toEqual([]);
  });

  it('keeps Node and Node-only packages out of the browser side', async () => {
    expect(await rulesFor('shared/probe.ts', probe('node:fs'))).toContain('no-restricted-imports');
    expect(await rulesFor('renderer/probe.ts', probe('ws'))).toContain('no-restricted-imports');
    expect(await rulesFor('renderer/probe.ts', probe('better-sqlite3'))).toContain('no-restricted-imports');
  });
});

describe('lint: import cycles', () => {
  it('fails a two-file cycle: the renderer client importing the console module that imports it', async () => {
    const file = 'renderer/api.ts';
    const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(await rulesFor(file, code)).toEqual([]);
    expect(await rulesFor(file, `${code}\nimport './console/console-api.ts';\n`)).toContain(CYCLE);
  });

  it('fails a longer cycle through the tree: i18n importing the meeting list that imports i18n', async () => {
    const file = 'renderer/i18n/format-probe.ts';
    // format-probe.ts is imported by nobody: no cycle. As i18n/index.tsx itself, the same import closes one.
    expect(await rulesFor(file, `import '../app/MeetingList.tsx';\n`)).not.toContain(CYCLE);
    const index = 'renderer/i18n/index.tsx';
    const code = fs.readFileSync(path.join(ROOT, index), 'utf8');
    expect(await rulesFor(index, `${code}\nimport '../app/MeetingList.tsx';\n`)).toContain(CYCLE);
  });

  it('fails on the electron side too: the core importing the hub, which imports the core', async () => {
    const file = 'electron/core/store.ts';
    const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(await rulesFor(file, `${code}\nimport '../hub/hub.ts';\n`)).toEqual(expect.arrayContaining([CYCLE, LAYER]));
  });

  it('finds none in the renderer as it is (App ↔ MeetingView and app/ ↔ console/ were circles)', async () => {
    const results = await eslint.lintFiles(['renderer/app/*.tsx', 'renderer/console/*.tsx']);
    const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === CYCLE || m.ruleId === LAYER).map((m) => `${path.relative(ROOT, r.filePath)}: ${m.message}`));
    expect(found).toEqual([]);
  });
});

describe('lint: what CI runs', () => {
  it('the eslint command exits non-zero on a hub module importing the agent', () => {
    const bin = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');
    const run = (code: string) => spawnSync(process.execPath, [bin, '--stdin', '--stdin-filename', 'electron/hub/probe.ts'], { cwd: ROOT, input: code, encoding: 'utf8' });
    const bad = run(probe('../agent/agent.ts'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('electron/hub may import only electron/core, shared');
    expect(run(probe('../core/store.ts')).status).toBe(0);
  });
});
