// `npm run agent -- --hub URL [--login L (--password-file F | --password-stdin | --password P)]
// [--data DIR] [--port N] [--host H] [--key-file F | --insecure-plaintext-cache]`: the device
// agent headless (kiosks, tests). The password signs in to the hub and is kept in memory only;
// the cache keeps a scrypt verifier of it for offline sign-in. `--password` is for the demo and
// tests: any account on the machine can read it in the process list.
//
// The cache is encrypted (SQLite3 Multiple Ciphers) with a key read from a 0600 file, created on
// first run (`<data>/agent.key` unless --key-file says elsewhere). A plain cache left by an older
// version is encrypted in place on the first start, keeping what it holds.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { encryptedCacheOpener, encryptPlainDatabase, isPlainSqliteFile } from '../core/cipher-db.ts';
import { silentLog } from '../core/log.ts';
import { ensurePrivateDir, restrictDatabaseFiles } from '../core/private-files.ts';
import { startAgent, type AgentOptions } from './agent.ts';
import { CacheKeyError, loadOrCreateKeyFile } from './cache-key.ts';
import { fileShiftedTime } from './offline-clock.ts';

const USAGE = [
  'usage: npm run agent -- --hub URL [--login L (--password-file FILE | --password-stdin | --password P)]',
  '         [--data DIR] [--port N] [--host H] [--key-file FILE | --insecure-plaintext-cache]',
  '         [--refresh-ms MS] [--retry-max-ms MS] [--session-ttl-ms MS] [--max-download-bytes N] [--quiet]',
  '  --password P shows in the process list: use --password-file or --password-stdin outside demos.',
].join('\n');

/** The most a password source may hold (the API's own limit is 1000 characters). */
const MAX_PASSWORD_BYTES = 4096;

/** A password as a file or pipe holds it: one trailing newline (an editor's, echo's) is not part of it. */
function stripNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function readPasswordFile(file: string): string {
  const st = fs.statSync(file);
  if (!st.isFile()) throw new Error(`--password-file ${file} is not a file`);
  if (st.size > MAX_PASSWORD_BYTES) throw new Error(`--password-file ${file} is too large to be a password`);
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    console.error(`warning: ${file} may be read by other accounts (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
  }
  return stripNewline(fs.readFileSync(file, 'utf8'));
}

async function readPasswordStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of process.stdin) {
    const b = chunk as Buffer;
    n += b.length;
    if (n > MAX_PASSWORD_BYTES) throw new Error('--password-stdin: more than a password on standard input');
    chunks.push(b);
  }
  return stripNewline(Buffer.concat(chunks).toString('utf8'));
}

/** Opens the cache encrypted with the key file's key, encrypting a plain cache first. */
function encryptedCache(dataDir: string, keyFile: string): { openDatabase: AgentOptions['openDatabase']; note: string } {
  ensurePrivateDir(dataDir);
  const { key, created } = loadOrCreateKeyFile(keyFile);
  const cacheFile = path.join(dataDir, 'agent.sqlite');
  let note = created ? `new cache key in ${keyFile}` : `cache key from ${keyFile}`;
  if (isPlainSqliteFile(cacheFile)) {
    restrictDatabaseFiles(cacheFile);
    encryptPlainDatabase(cacheFile, key);
    note += '; the plain cache was encrypted in place';
  }
  return { openDatabase: encryptedCacheOpener(key), note };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        hub: { type: 'string' },
        login: { type: 'string' },
        password: { type: 'string' },
        'password-file': { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        data: { type: 'string', default: './data/agent' },
        'key-file': { type: 'string' },
        'insecure-plaintext-cache': { type: 'boolean', default: false },
        port: { type: 'string', default: '4701' },
        host: { type: 'string', default: '127.0.0.1' },
        'refresh-ms': { type: 'string', default: '30000' },
        'retry-max-ms': { type: 'string', default: '30000' },
        'session-ttl-ms': { type: 'string' },
        'max-download-bytes': { type: 'string' },
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
  const fail = (msg: string): never => {
    console.error(`${msg}\n${USAGE}`);
    process.exit(2);
  };
  if (!args.hub || !/^https?:\/\/[^/]+/.test(args.hub)) fail('--hub must be the hub\'s address, e.g. http://192.168.1.10:4700');
  const sources = [args.password !== undefined, args['password-file'] !== undefined, args['password-stdin']].filter(Boolean).length;
  if (sources > 1) fail('give the password one way: --password-file, --password-stdin or --password');
  if ((args.login === undefined) !== (sources === 0)) fail('--login goes with a password (--password-file, --password-stdin or --password)');
  if (args['insecure-plaintext-cache'] && args['key-file'] !== undefined) fail('--key-file and --insecure-plaintext-cache exclude each other');
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be a number from 0 to 65535');
  const refreshMs = Number(args['refresh-ms']);
  const retryMax = Number(args['retry-max-ms']);
  if (!(refreshMs >= 100) || !(retryMax >= 100)) fail('--refresh-ms and --retry-max-ms must be at least 100');
  const sessionTtlMs = args['session-ttl-ms'] === undefined ? undefined : Number(args['session-ttl-ms']);
  if (sessionTtlMs !== undefined && !(Number.isInteger(sessionTtlMs) && sessionTtlMs >= 1000)) fail('--session-ttl-ms must be a whole number of at least 1000');
  const maxDownloadBytes = args['max-download-bytes'] === undefined ? undefined : Number(args['max-download-bytes']);
  if (maxDownloadBytes !== undefined && !(Number.isSafeInteger(maxDownloadBytes) && maxDownloadBytes >= 1)) fail('--max-download-bytes must be a whole number of bytes');
  const dataDir = path.resolve(args.data!);

  let password = args.password;
  try {
    if (args['password-file'] !== undefined) password = readPasswordFile(path.resolve(args['password-file']));
    if (args['password-stdin']) password = await readPasswordStdin();
  } catch (err) {
    fail((err as NodeJS.ErrnoException).code === 'ENOENT' ? `no such password file: ${args['password-file']}` : (err as Error).message);
  }
  if (password !== undefined && password.length === 0) fail('the password is empty');

  let cache: { openDatabase: AgentOptions['openDatabase']; note: string };
  if (args['insecure-plaintext-cache']) {
    console.error('warning: --insecure-plaintext-cache: the cache (papers, notes, the password verifier) is written unencrypted; the hub token is not written at all');
    cache = { openDatabase: undefined, note: 'cache NOT encrypted (--insecure-plaintext-cache)' };
  } else {
    try {
      cache = encryptedCache(dataDir, path.resolve(args['key-file'] ?? path.join(dataDir, 'agent.key')));
    } catch (err) {
      if (!(err instanceof CacheKeyError)) throw err;
      console.error(`agent failed to start: ${err.message}`);
      process.exit(1);
    }
  }

  const agent = await startAgent({
    hubUrl: args.hub!, dataDir, port, host: args.host, login: args.login, password,
    openDatabase: cache.openDatabase, keepHubToken: !args['insecure-plaintext-cache'],
    refreshMs, backoff: { baseMs: Math.min(500, retryMax), maxMs: retryMax }, sessionTtlMs, maxDownloadBytes,
    // Without --quiet the agent's own pino logger (subsystem `agent`) writes to standard output.
    log: args.quiet ? silentLog : undefined,
    // The test harness moves the offline clock of classified papers through a file (offline-clock.ts);
    // only the headless agent reads it, never the desktop app.
    ...(process.env.CHAMBER_TEST_CLOCK_FILE ? { time: fileShiftedTime(process.env.CHAMBER_TEST_CLOCK_FILE) } : {}),
  });
  console.log(`chamber agent listening on ${agent.url} (hub: ${args.hub}, data: ${dataDir}; ${cache.note})`);
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
