// `npm run hub -- --data DIR --port N [--host H] [--demo]`
import crypto from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createHub } from './hub.ts';
import { hashPassword } from './passwords.ts';
import { createLogger, logFunction, silentLog } from '../core/log.ts';

const USAGE = 'usage: npm run hub -- [--data DIR] [--port N] [--host H] [--demo] [--updates DIR] [--quiet] [--sync normal|full] [--compact-every N] [--unload-after-ms MS]';

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        data: { type: 'string', default: './data/hub' },
        port: { type: 'string', default: '4700' },
        host: { type: 'string', default: '127.0.0.1' },
        demo: { type: 'boolean', default: false },
        updates: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        // Tuning knobs (tests use them to see compaction and unloading without waiting).
        'compact-every': { type: 'string' },
        'unload-after-ms': { type: 'string' },
        sync: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535\n${USAGE}`);
    process.exit(2);
  }
  const positive = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`--${name} must be a positive whole number\n${USAGE}`);
      process.exit(2);
    }
    return n;
  };
  const compactEvery = positive('compact-every', args['compact-every']);
  const unloadAfterMs = positive('unload-after-ms', args['unload-after-ms']);
  const syncMode = args.sync?.toUpperCase();
  if (syncMode !== undefined && syncMode !== 'FULL' && syncMode !== 'NORMAL') {
    console.error(`--sync must be full or normal\n${USAGE}`);
    process.exit(2);
  }
  const dataDir = path.resolve(args.data!);
  // The log goes through pino (core/log.ts, tokens and passwords redacted); the lines below that
  // people and tests read stay plain text on standard output.
  const log = args.quiet ? silentLog : logFunction(createLogger('hub'));
  const updatesDir = args.updates === undefined ? undefined : path.resolve(args.updates);
  const hub = await createHub({ dataDir, port, host: args.host, log, updatesDir, sync: { compactEvery, unloadAfterMs }, db: syncMode ? { synchronous: syncMode } : undefined });
  if (args.demo) {
    // Loaded only here: pdf-lib and the embedded fonts cost a room hub ~20 MB it never needs.
    const { seedDemo } = await import('./demo-seed.ts');
    const r = await seedDemo(hub);
    if (r.seeded) console.log('demo room seeded: accounts admin, secretary, chair, delegate1-3 (password "demo")');
  } else if (hub.db.countAccounts() === 0) {
    // First start of a real room: one admin with a one-time password, shown once.
    const password = crypto.randomBytes(9).toString('base64url');
    hub.db.createAccount({ login: 'admin', name: 'Administrator', role: 'admin', pwHash: await hashPassword(password) });
    console.log(`created the first account: sign in as "admin" with password "${password}" and change it (PATCH /api/accounts/<id>).`);
  }
  console.log(`chamber hub listening on ${hub.url} (data: ${dataDir})`);
  const stop = async (signal: string) => {
    console.log(`${signal}: closing hub`);
    await hub.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`hub failed to start: ${(err as Error).message}`);
  process.exit(1);
});
