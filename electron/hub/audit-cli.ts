// `npm run audit -- verify DIR|FILE [--key KEY] [--json]` checks a hub's audit trail: every
// entry against its hash and its place in the chain, every checkpoint against the hub's
// signature. Exit 0 when nothing is wrong, 1 when something is (each problem named with where),
// 2 on a usage error or a trail that cannot be read. `npm run audit -- export DIR OUT` writes the
// inspector's export (JSONL) of a data folder, which `verify OUT` checks offline. docs/audit.md.
import fs from 'node:fs';
import { auditExportLines } from './audit/export.ts';
import { openAuditSource } from './audit/sources.ts';
import { verifyChain, type AuditReport } from './audit/verify.ts';
import { readHubPublicKey } from './procedures/poll-keys.ts';
import { exitWith, finishReport, parseVerifyArgs } from './verify-cli.ts';
import BetterSqlite3 from 'better-sqlite3';
import path from 'node:path';

const USAGE = 'usage: npm run audit -- verify DIR|FILE [--key KEY] [--json]\n'
  + '       npm run audit -- export DIR OUT\n'
  + '  DIR        a hub\'s data folder (hub.sqlite and its key); FILE a hub.sqlite or an export (JSONL)\n'
  + '  --key KEY  the hub\'s key (base64, or its sha256 fingerprint) as GET /api/hub/key gives it; without it\n'
  + '             checkpoints are checked with the key the folder or the export holds\n'
  + '  --json     print the report as JSON';

function print(target: string, r: AuditReport): void {
  const out = [`audit trail: ${target}`];
  out.push(`entries: ${r.entries}${r.entries ? ` (ids ${r.firstId}–${r.lastId})` : ''}; checkpoints: ${r.checkpoints}`);
  out.push(`hub key: ${r.keyFingerprint} (${r.keySource === 'given' ? 'the key given' : `from the ${r.keySource}${r.keySource === 'export' ? ': pass --key to check it is the hub\'s' : ''}`})`);
  if (r.lastCheckpoint) {
    const c = r.lastCheckpoint;
    out.push(`last checkpoint: ${c.id} sealing entry ${c.lastId}, ${c.at} (${c.reason})`);
  }
  if (r.uncheckpointed > 0) out.push(`not yet checkpointed: ${r.uncheckpointed} entr${r.uncheckpointed === 1 ? 'y' : 'ies'} after the last checkpoint (the hub signs them every 1,000 entries and when it starts or stops)`);
  const shown = r.problems.slice(0, 200);
  for (const p of shown) out.push(`${p.kind.toUpperCase()} ${p.where}: ${p.detail}`);
  if (r.problems.length > shown.length) out.push(`… and ${r.problems.length - shown.length} more (--json lists all)`);
  out.push(r.ok ? `OK: ${r.entries} entries chain and every checkpoint's signature is valid` : `FAILED: ${r.problems.length} problem(s); the trail was changed outside the hub. Keep these files as they are.`);
  console.log(out.join('\n'));
}

function verify(target: string, key: string | undefined, json: boolean): void {
  const src = openAuditSource(target);
  let report: AuditReport;
  try {
    report = verifyChain(src, { key });
  } finally {
    src.close();
  }
  finishReport(report, json, (r) => print(target, r));
}

function exportTrail(dir: string, out: string): void {
  const publicKey = readHubPublicKey(dir);
  if (!publicKey) throw new Error(`${dir} holds no hub key (poll-keys/): not a hub's data folder`);
  const db = new BetterSqlite3(path.join(dir, 'hub.sqlite'), { readonly: true, fileMustExist: true });
  const fd = fs.openSync(out, 'wx', 0o600);
  try {
    // One read transaction: entries and checkpoints from the same moment, even beside a running hub.
    db.transaction(() => {
      for (const chunk of auditExportLines(db, publicKey)) fs.writeSync(fd, chunk);
    })();
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
    db.close();
  }
  console.log(`wrote ${out}: check it with npm run audit -- verify ${out} --key ${publicKey.slice(0, 16)}… (or the fingerprint)`);
}

function main(): void {
  const args = parseVerifyArgs(USAGE);
  if (!args) return;
  const [command, ...rest] = args.positionals;
  const fits = (command === 'verify' && rest.length === 1) || (command === 'export' && rest.length === 2 && args.key === undefined);
  if (!fits) exitWith(USAGE);
  try {
    if (command === 'verify') verify(rest[0]!, args.key, args.json);
    else exportTrail(rest[0]!, rest[1]!);
  } catch (err) {
    exitWith(`cannot ${command} ${rest[0]}: ${(err as Error).message}`);
  }
}

main();
