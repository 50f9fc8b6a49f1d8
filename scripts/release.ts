// Release signing tool.
//   npm run release -- keygen DIR                      writes DIR/private.pem and DIR/public.pem
//   npm run release -- sign --key private.pem FILE...  writes FILE.sig beside each FILE
//   npm run release -- verify --pubkey public.pem FILE [--sig FILE.sig]
// verify exits 0 only when FILE is exactly what was signed with the matching private key.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateSigningKeys, signFile, signaturePath, verifyFile } from '../electron/shell/update-verify.ts';

const USAGE = `usage:
  npm run release -- keygen DIR
  npm run release -- sign --key private.pem FILE...
  npm run release -- verify --pubkey public.pem FILE [--sig FILE.sig]`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    return fail(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const [command, ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  options: { key: { type: 'string' }, pubkey: { type: 'string' }, sig: { type: 'string' }, force: { type: 'boolean', default: false } },
  allowPositionals: true,
  strict: true,
});

switch (command) {
  case 'keygen': {
    const dir = positionals[0];
    if (!dir || positionals.length !== 1) fail(USAGE);
    const priv = path.join(dir, 'private.pem');
    const pub = path.join(dir, 'public.pem');
    if (!values.force && (fs.existsSync(priv) || fs.existsSync(pub))) {
      fail(`refusing to overwrite ${fs.existsSync(priv) ? priv : pub}: a lost release key cannot be replaced on installed devices (pass --force to overwrite)`);
    }
    const { privatePem, publicPem } = generateSigningKeys();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(priv, privatePem, { mode: 0o600 });
    fs.writeFileSync(pub, publicPem, { mode: 0o644 });
    console.log(`wrote ${priv} (keep it offline and secret) and ${pub} (copy it to build/update-public.pem)`);
    break;
  }
  case 'sign': {
    if (!values.key || positionals.length === 0) fail(USAGE);
    const keyPem = readText(values.key, 'private key');
    for (const file of positionals) {
      if (!fs.existsSync(file)) fail(`no such file: ${file}`);
      try {
        const sig = await signFile(file, keyPem);
        fs.writeFileSync(signaturePath(file), `${JSON.stringify(sig, null, 2)}\n`);
        console.log(`signed ${file} -> ${signaturePath(file)} (sha512 ${sig.sha512.slice(0, 16)}…)`);
      } catch (err) {
        fail(`cannot sign ${file}: ${(err as Error).message}`);
      }
    }
    break;
  }
  case 'verify': {
    const file = positionals[0];
    if (!values.pubkey || !file || positionals.length !== 1) fail(USAGE);
    const pubPem = readText(values.pubkey, 'public key');
    if (!fs.existsSync(file)) fail(`no such file: ${file}`, 1);
    const sigFile = values.sig ?? signaturePath(file);
    const sigText = fs.existsSync(sigFile) ? fs.readFileSync(sigFile, 'utf8') : null;
    const verdict = await verifyFile(file, sigText, pubPem);
    if (!verdict.ok) fail(`REFUSED ${file}: ${verdict.reason}`, 1);
    console.log(`OK ${file}: signature valid (sha512 ${verdict.sha512.slice(0, 16)}…, ${verdict.size} bytes)`);
    break;
  }
  default:
    fail(USAGE);
}
