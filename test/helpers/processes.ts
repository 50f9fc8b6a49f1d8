// Starts the real hub and agent as child processes on loopback, exactly as a user would with
// `npm run hub` / `npm run agent`, and waits for their "listening on" line.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface RunningProcess {
  url: string;
  port: number;
  proc: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop: () => Promise<void>;
  /** SIGKILL (kill -9) and wait for exit. */
  kill9: () => Promise<void>;
}

export function tempDir(prefix = 'chamber-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function waitExit(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
  });
}

export async function startProcess(script: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunningProcess> {
  const proc = spawn(process.execPath, [path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start in time:\n${out}`)), opts.timeoutMs ?? 30_000);
    const onData = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    port: Number(new URL(url).port),
    proc,
    output: () => out,
    stop: async () => {
      proc.kill('SIGTERM');
      await waitExit(proc);
    },
    kill9: async () => {
      proc.kill('SIGKILL');
      await waitExit(proc);
    },
  };
}

/** `npm run hub -- --data DIR --port 0 [--demo]` as a real process. Port 0 picks a free port. */
export function startHub(dataDir: string, opts: { demo?: boolean; port?: number } = {}): Promise<RunningProcess> {
  const args = ['--data', dataDir, '--port', String(opts.port ?? 0), '--quiet'];
  if (opts.demo) args.push('--demo');
  return startProcess('electron/hub/cli.ts', args);
}

export async function signIn(baseUrl: string, login: string, password = 'demo'): Promise<{ token: string; user: { id: string; name: string; role: string } }> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${login} failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { token: string; user: { id: string; name: string; role: string } };
}

export async function api<T = unknown>(baseUrl: string, token: string, pathname: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body && typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: body as T };
}

export const FIXTURES = path.resolve(ROOT, '../shared/fixtures/pdfs');
export const haveFixtures = fs.existsSync(FIXTURES);
