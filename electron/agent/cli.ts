// `npm run agent -- --hub URL --login L --password P --data DIR --port N [--host H]`: the device
// agent headless (kiosks, tests). The password is used to sign in to the hub and kept in memory
// only; the cache keeps a scrypt verifier of it for offline sign-in.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startAgent } from './agent.ts';

const USAGE = 'usage: npm run agent -- --hub URL [--login L --password P] [--data DIR] [--port N] [--host H] [--refresh-ms MS] [--retry-max-ms MS] [--quiet]';

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        hub: { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        data: { type: 'string', default: './data/agent' },
        port: { type: 'string', default: '4701' },
        host: { type: 'string', default: '127.0.0.1' },
        'refresh-ms': { type: 'string', default: '30000' },
        'retry-max-ms': { type: 'string', default: '30000' },
        quiet: { type: 'boolean', default: false },
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
  const fail = (msg: string) => {
    console.error(`${msg}\n${USAGE}`);
    process.exit(2);
  };
  if (!args.hub || !/^https?:\/\/[^/]+/.test(args.hub)) fail('--hub must be the hub\'s address, e.g. http://192.168.1.10:4700');
  if ((args.login === undefined) !== (args.password === undefined)) fail('--login and --password go together');
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a number from 0 to 65535');
  const refreshMs = Number(args['refresh-ms']);
  const retryMax = Number(args['retry-max-ms']);
  if (!(refreshMs >= 100) || !(retryMax >= 100)) fail('--refresh-ms and --retry-max-ms must be at least 100');
  const dataDir = path.resolve(args.data!);
  const agent = await startAgent({
    hubUrl: args.hub!, dataDir, port, host: args.host, login: args.login, password: args.password,
    refreshMs, backoff: { baseMs: Math.min(500, retryMax), maxMs: retryMax },
    log: args.quiet ? () => {} : undefined,
  });
  console.log(`chamber agent listening on ${agent.url} (hub: ${args.hub}, data: ${dataDir})`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing agent`);
    await agent.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`agent failed to start: ${(err as Error).message}`);
  process.exit(1);
});
