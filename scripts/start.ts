// `npm start -- [--data DIR] [--port N]`: a demo room on this machine. Starts a hub with the
// demo meeting and opens the desktop client; where the Electron binary is missing (as on
// machines that cannot download it) it says so and serves the client in the browser instead.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { createHub } from '../electron/hub/hub.ts';
import { seedDemo } from '../electron/hub/demo-seed.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: './data/demo' },
    port: { type: 'string', default: '4700' },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: true,
});

/**
 * The Electron executable, if it was installed. Read from the package's own path.txt rather than
 * by requiring 'electron': recent versions of that package try to download a missing binary
 * on require, which fails (slowly) on machines without internet access.
 */
function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkgDir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(pkgDir, 'path.txt');
    if (!fs.existsSync(pathFile)) return null;
    const bin = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

if (!fs.existsSync(path.join(root, 'dist', 'index.html'))) {
  console.log('building the client (first start)…');
  const r = spawn(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  const code: number = await new Promise((res) => r.on('exit', (c) => res(c ?? 1)));
  if (code !== 0) {
    console.error('the client build failed; the hub still starts, but / shows a placeholder');
  }
}

let hub: Awaited<ReturnType<typeof createHub>>;
try {
  hub = await createHub({ dataDir: path.resolve(values.data!), port: Number(values.port), host: values.host, log: () => {} });
} catch (err) {
  const code = (err as { code?: string }).code;
  console.error(code === 'EADDRINUSE'
    ? `port ${values.port} is already in use: stop what runs there, or choose another with npm start -- --port N`
    : `the hub could not start: ${(err as Error).message}`);
  process.exit(1);
}
const seeded = await seedDemo(hub);
if (seeded.seeded) console.log('demo room seeded: sign in as secretary, chair, delegate1, delegate2 or delegate3 with password "demo"');
console.log(`chamber hub listening on ${hub.url}`);

const bin = electronBinary();
if (bin) {
  // The main process and preload are bundled (the app loads only from dist-electron/).
  if (!fs.existsSync(path.join(root, 'dist-electron', 'main.cjs'))) {
    console.log('building the desktop shell (first start)…');
    const r = spawn('npm', ['run', '--silent', 'build:electron'], { cwd: root, stdio: 'inherit' });
    await new Promise((res) => r.on('exit', res));
  }
  console.log('starting the desktop client');
  // `electron .` makes the project root the app path, where main finds dist/ and dist-electron/.
  const app = spawn(bin, ['.', `--hub=${hub.url}`], { cwd: root, stdio: 'inherit' });
  app.on('exit', () => void hub.close().then(() => process.exit(0)));
} else {
  console.log('the Electron binary is missing (it cannot be downloaded on this machine): the desktop client cannot start here.');
  console.log(`open the client in a browser instead: ${hub.url}/`);
  console.log('(the desktop app itself is exercised here without the binary by `npm run test:desktop`)');
}

const stop = () => void hub.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
