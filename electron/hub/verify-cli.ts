// What the two offline checkers share (`npm run archive -- verify`, archive-cli.ts, and
// `npm run audit -- verify`, audit-cli.ts): the options, the exit codes an inspector's script
// relies on (0 all good, 1 something found, 2 a usage error or nothing readable), and the
// report printed for a person or as JSON.
import { parseArgs } from 'node:util';

export interface VerifyArgs {
  key: string | undefined;
  json: boolean;
  positionals: string[];
}

/** The command line, or null after printing the usage for --help; a bad option exits 2. */
export function parseVerifyArgs(usage: string): VerifyArgs | null {
  let parsed;
  try {
    parsed = parseArgs({ options: { key: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  } catch (err) {
    exitWith(`${(err as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return null;
  }
  return { key: values.key, json: values.json, positionals };
}

/** A usage error or a target that cannot be read: exit code 2. */
export function exitWith(message: string): never {
  console.error(message);
  process.exit(2);
}

/** Prints the report (JSON, or `print`'s lines for a person) and sets the exit code from `ok`. */
export function finishReport<R extends { ok: boolean }>(report: R, json: boolean, print: (r: R) => void): void {
  if (json) console.log(JSON.stringify(report, null, 2));
  else print(report);
  process.exitCode = report.ok ? 0 : 1;
}
