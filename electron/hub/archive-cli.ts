// `npm run archive -- verify FILE|DIR [--key KEY] [--json]`: checks a meeting package (the ZIP the
// hub exported, or the folder it was unpacked into) against its signed manifest; every changed,
// missing or extra file is named. Exit 0 when everything matches and the signature is good, 1 when
// not, 2 on a usage error or a file that cannot be read. docs/archive.md explains the output.
import { verifyPackage, type VerifyReport } from './archive/verify.ts';
import { exitWith, finishReport, parseVerifyArgs } from './verify-cli.ts';

const USAGE = 'usage: npm run archive -- verify FILE|DIR [--key KEY] [--json]\n'
  + '  --key KEY  the hub\'s key (base64, or its sha256 fingerprint) as GET /api/hub/key gives it; without it the\n'
  + '             signature is checked with the key the package itself names\n'
  + '  --json     print the report as JSON';

const SIGNATURE_WORDS: Record<VerifyReport['signature'], string> = {
  valid: 'valid',
  invalid: 'INVALID: the manifest was changed after the hub signed it, or the signature is not the hub\'s',
  missing: 'MISSING: the package carries no signature',
  'wrong-key': 'WRONG KEY: the package was signed with another key than the one given',
};

function print(target: string, r: VerifyReport): void {
  const out: string[] = [`package: ${target}`];
  if (r.manifest) {
    const m = r.manifest.meeting;
    out.push(`meeting: ${m.title} (${m.id}), ${m.status}${m.closedAt ? ` on ${m.closedAt}` : ''}; ${r.manifest.final ? 'final' : 'DRAFT, not final'}`);
    out.push(`exported: ${r.manifest.exportedAt} by ${r.manifest.exportedBy.name}; ${r.manifest.files.length} files listed`);
    out.push(`hub key: ${r.packageKey}${r.keyGiven ? (r.signature === 'wrong-key' ? ' (not the key given)' : ' (the key given)') : ' (named by the package itself: pass --key to check it is the hub\'s)'}`);
    if (r.manifest.missing.length) out.push(`not in this package: ${r.manifest.missing.join(', ')}`);
  }
  out.push(`signature: ${SIGNATURE_WORDS[r.signature]}`);
  for (const p of r.problems) out.push(`${p.kind.toUpperCase()} ${p.path}: ${p.detail}`);
  out.push(r.ok ? `OK: all ${r.matched.length} files match the signed manifest` : `FAILED: ${r.problems.length} file problem(s), signature ${r.signature}`);
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  const args = parseVerifyArgs(USAGE);
  if (!args) return;
  const { positionals } = args;
  if (positionals[0] !== 'verify' || positionals.length !== 2) exitWith(USAGE);
  const target = positionals[1]!;
  let report: VerifyReport;
  try {
    report = await verifyPackage(target, { key: args.key });
  } catch (err) {
    exitWith(`cannot read ${target}: ${(err as Error).message}`);
  }
  finishReport(report, args.json, (r) => print(target, r));
}

void main();
