// What a headless agent leaves on disk, and what it trusts from there: the cache encrypted by
// default with a key in a 0600 file, owner-only folders and files on agent and hub, the hub
// token kept only inside the encrypted cache (never written with the plaintext opt-out), an old
// plain cache encrypted in place, passwords from a file or stdin, and paper bytes checked against
// their sha256 before they are served. Real hub and agent processes; the files read with fs.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { api, ROOT, signIn, startHub, startProcess, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { waitFor } from '../helpers/yclient.ts';
import { openAgentCache, startAgentProcess, waitStatus } from './agent-helpers.ts';
import { CipherDriver } from '../../electron/core/cipher-db.ts';

let hub: RunningProcess;
let hubDir: string;
const running: RunningProcess[] = [];
const mode = (p: string) => fs.statSync(p).mode & 0o777;
const replicated = (s: { hub: string; prefetch: Array<{ papersDone: number; papersTotal: number }> }) =>
  s.hub === 'online' && s.prefetch.length === 1 && s.prefetch[0]!.papersTotal > 0 && s.prefetch[0]!.papersDone === s.prefetch[0]!.papersTotal;

/** An agent process with the test's short periods and the given flags. */
function agentWith(dataDir: string, flags: string[], hubUrl = hub.url): Promise<RunningProcess> {
  return startProcess('electron/agent/cli.ts', ['--hub', hubUrl, '--data', dataDir, '--port', '0', '--refresh-ms', '1000', '--retry-max-ms', '800', ...flags]);
}

/** A folder that exists with the permissive mode an older install (or a umask of 022) left. */
function looseDir(): string {
  const d = path.join(tempDir(), 'data');
  fs.mkdirSync(d, { mode: 0o755 });
  fs.chmodSync(d, 0o755);
  return d;
}

function cacheMeetings(db: { prepare(sql: string): { get(): unknown } }): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM agent_meetings').get() as { n: number }).n;
}

beforeAll(async () => {
  hubDir = looseDir();
  hub = await startHub(hubDir, { demo: true });
});
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await hub?.stop();
});

describe('agent cache at rest', () => {
  it('is encrypted by default, with owner-only files; the hub token is only inside it', async () => {
    const dir = looseDir();
    const agent = await startAgentProcess(hub.url, dir, 'delegate1');
    running.push(agent);
    const t = (await signIn(agent.url, 'delegate1')).token;
    await waitStatus(agent.url, t, replicated, 'replicated');

    expect(mode(dir)).toBe(0o700);
    for (const f of ['agent.key', 'agent.sqlite', 'agent.sqlite-wal', 'agent.sqlite-shm']) expect(mode(path.join(dir, f)), f).toBe(0o600);
    // The hub too: its folder (which existed as 0755) and its database files.
    expect(mode(hubDir)).toBe(0o700);
    for (const f of ['hub.sqlite', 'hub.sqlite-wal', 'hub.sqlite-shm']) expect(mode(path.join(hubDir, f)), f).toBe(0o600);

    const file = path.join(dir, 'agent.sqlite');
    expect(fs.readFileSync(file).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    const plain = new Database(file, { readonly: true, fileMustExist: true });
    try {
      expect(() => plain.prepare('SELECT COUNT(*) FROM agent_meetings').get()).toThrow(/not a database/);
    } finally {
      plain.close();
    }
    const db = openAgentCache(dir);
    let hubToken: string;
    try {
      expect(cacheMeetings(db)).toBe(1);
      hubToken = (db.prepare("SELECT value FROM agent_meta WHERE key = 'hub_token'").get() as { value: string }).value;
    } finally {
      db.close();
    }
    expect(hubToken.length).toBeGreaterThan(20);
    const bytes = Buffer.concat(['agent.sqlite', 'agent.sqlite-wal'].map((f) => fs.readFileSync(path.join(dir, f))));
    for (const secret of [hubToken, '"login":"delegate1"', '%PDF-', 'scrypt$']) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
  });

  it('refuses a key file other accounts may read; --key-file puts the key elsewhere', async () => {
    const dir = tempDir();
    const keyDir = tempDir();
    const keyFile = path.join(keyDir, 'tablet.key');
    const agent = await agentWith(dir, ['--key-file', keyFile]);
    await agent.stop();
    expect(fs.existsSync(path.join(dir, 'agent.key'))).toBe(false);
    expect(mode(keyFile)).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    openAgentCache(dir, keyFile).close();

    fs.chmodSync(keyFile, 0o644);
    await expect(agentWith(dir, ['--key-file', keyFile])).rejects.toThrow(/may be read by other accounts[\s\S]*chmod 600/);
  });

  it('with --insecure-plaintext-cache writes no hub token and signs in again at start; a later normal start encrypts that cache in place', async () => {
    const dir = tempDir();
    let agent = await agentWith(dir, ['--login', 'delegate2', '--password', 'demo', '--insecure-plaintext-cache']);
    expect(agent.output()).toMatch(/warning: --insecure-plaintext-cache/);
    let t = (await signIn(agent.url, 'delegate2')).token;
    await waitStatus(agent.url, t, replicated, 'replicated in plain mode');
    await agent.stop();
    const plain = new Database(path.join(dir, 'agent.sqlite'), { readonly: true });
    try {
      expect(cacheMeetings(plain)).toBe(1);
      expect(plain.prepare("SELECT COUNT(*) AS n FROM agent_meta WHERE key IN ('hub_token', 'hub_expires_at')").get()).toEqual({ n: 0 });
    } finally {
      plain.close();
    }
    expect(fs.existsSync(path.join(dir, 'agent.key'))).toBe(false);

    // Restarted in plain mode, it signs itself in with its password (no token was kept).
    agent = await agentWith(dir, ['--login', 'delegate2', '--password', 'demo', '--insecure-plaintext-cache']);
    t = (await signIn(agent.url, 'delegate2')).token;
    await waitStatus(agent.url, t, (s) => s.hub === 'online', 'online again');
    await agent.stop();

    // An upgrade to the default: the same cache, now encrypted, with what it held.
    agent = await agentWith(dir, []);
    running.push(agent);
    expect(agent.output()).toMatch(/encrypted in place/);
    expect(fs.readFileSync(path.join(dir, 'agent.sqlite')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    const db = openAgentCache(dir);
    try {
      expect(cacheMeetings(db)).toBe(1);
    } finally {
      db.close();
    }
    const again = await signIn(agent.url, 'delegate2');
    await waitStatus(agent.url, again.token, replicated, 'replicated from the encrypted cache');
  });
});

describe('agent passwords', () => {
  it('reads the password from a file or from stdin, never from the command line', async () => {
    const dir = tempDir();
    const pwFile = path.join(tempDir(), 'password');
    fs.writeFileSync(pwFile, 'demo\n', { mode: 0o600 });
    const agent = await agentWith(dir, ['--login', 'delegate3', '--password-file', pwFile]);
    running.push(agent);
    // The agent signed itself in with the file's password: its cache fills with no client.
    await waitFor(() => fs.existsSync(path.join(dir, 'agent.sqlite')) && cacheMeetings(openCloseable(dir)) === 1, 20_000, 'meetings replicated');
    expect(fs.readFileSync(`/proc/${agent.proc.pid}/cmdline`, 'utf8')).not.toContain('demo');

    const dir2 = tempDir();
    const proc = spawn(process.execPath, [path.join(ROOT, 'electron/agent/cli.ts'), '--hub', hub.url, '--login', 'delegate3', '--password-stdin', '--data', dir2, '--port', '0', '--refresh-ms', '1000'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
    proc.stdin.end('demo\n');
    try {
      await waitFor(() => /listening on/.test(out), 20_000, 'the stdin agent to start');
      await waitFor(() => fs.existsSync(path.join(dir2, 'agent.sqlite')) && cacheMeetings(openCloseable(dir2)) === 1, 20_000, 'meetings replicated (stdin)');
    } finally {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }

    await expect(agentWith(tempDir(), ['--login', 'delegate3', '--password', 'demo', '--password-file', pwFile])).rejects.toThrow(/exited with 2[\s\S]*one way/);
    await expect(agentWith(tempDir(), ['--password-file', pwFile])).rejects.toThrow(/exited with 2/);
  });
});

describe('agent paper integrity', () => {
  it('never serves a cached paper whose bytes no longer match its sha256, and fetches it again', async () => {
    const dir = tempDir();
    let agent = await startAgentProcess(hub.url, dir, 'delegate1');
    const t = (await signIn(agent.url, 'delegate1')).token;
    const s = await waitStatus(agent.url, t, replicated, 'replicated');
    const papers = await api<Array<{ versions: Array<{ sha256: string }> }>>(agent.url, t, `/api/meetings/${s.prefetch[0]!.meetingId}/papers`);
    const sha = papers.body[0]!.versions[0]!.sha256;
    await agent.stop();

    // One byte flipped in the stored paper, as a failing disk would.
    const key = fs.readFileSync(path.join(dir, 'agent.key'), 'utf8').trim();
    const rw = new CipherDriver(path.join(dir, 'agent.sqlite'));
    try {
      rw.pragma(`key='${key}'`);
      const row = rw.prepare('SELECT data FROM blob_chunks WHERE sha256 = ? AND idx = 0').get(sha) as { data: Buffer };
      row.data[100] = row.data[100]! ^ 0xff;
      rw.prepare('UPDATE blob_chunks SET data = ? WHERE sha256 = ? AND idx = 0').run(row.data, sha);
    } finally {
      rw.close();
    }

    // With the hub away the damaged copy is refused (and discarded), not served.
    const port = hub.port;
    await hub.kill9();
    agent = await startAgentProcess(`http://127.0.0.1:${port}`, dir, 'delegate1');
    running.push(agent);
    const off = await signIn(agent.url, 'delegate1');
    const bad = await fetch(`${agent.url}/api/blobs/${sha}`, { headers: { authorization: `Bearer ${off.token}` } });
    const badBody = Buffer.from(await bad.arrayBuffer());
    expect(bad.status).toBe(503);
    expect(badBody.includes(Buffer.from('%PDF-'))).toBe(false);
    // The log line is written by the agent process; its pipe may deliver it a moment later.
    await waitFor(() => /does not match its sha256/.test(agent.output()), 10_000, 'the damaged paper logged');

    // The hub back: the paper is fetched again and served intact.
    hub = await startHub(hubDir, { port });
    await waitStatus(agent.url, off.token, replicated, 'paper fetched again', 30_000);
    const good = await fetch(`${agent.url}/api/blobs/${sha}`, { headers: { authorization: `Bearer ${off.token}` } });
    expect(good.status).toBe(200);
    expect(crypto.createHash('sha256').update(Buffer.from(await good.arrayBuffer())).digest('hex')).toBe(sha);
  });
});

/** Opens the cache, and returns a reader that closes it after one query. */
function openCloseable(dir: string): { prepare(sql: string): { get(): unknown } } {
  return {
    prepare: (sql: string) => ({
      get: () => {
        let db;
        try {
          db = openAgentCache(dir);
          return db.prepare(sql).get();
        } catch {
          return { n: -1 };
        } finally {
          db?.close();
        }
      },
    }),
  };
}
