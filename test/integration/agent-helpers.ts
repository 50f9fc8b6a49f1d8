// Helpers for the agent's integration tests: real `npm run agent` processes on loopback, with
// short retry and refresh periods so outages and recoveries happen within a test's time.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startProcess, signIn, api, type RunningProcess } from '../helpers/processes.ts';
import type { AgentStatus } from '../../shared/api.ts';
import { CipherDriver } from '../../electron/core/cipher-db.ts';
import type { Database } from '../../electron/core/store.ts';

/**
 * Opens a headless agent's cache for reading beside it (WAL allows a second reader), with the
 * key from its key file: the cache is encrypted by default.
 */
export function openAgentCache(dir: string, keyFile = path.join(dir, 'agent.key')): Database {
  const key = fs.readFileSync(keyFile, 'utf8').trim();
  const db = new CipherDriver(path.join(dir, 'agent.sqlite'), { readonly: true, fileMustExist: true });
  try {
    db.pragma(`key='${key}'`);
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function startAgentProcess(hubUrl: string, dataDir: string, login: string, password = 'demo', extraArgs: string[] = []): Promise<RunningProcess> {
  return startProcess('electron/agent/cli.ts', [
    '--hub', hubUrl, '--login', login, '--password', password, '--data', dataDir, '--port', '0',
    '--refresh-ms', '1000', '--retry-max-ms', '800', ...extraArgs,
  ]);
}

export async function agentStatus(agentUrl: string, token: string): Promise<AgentStatus> {
  const r = await api<AgentStatus>(agentUrl, token, '/api/agent/status');
  if (r.status !== 200) throw new Error(`status: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** Polls the agent's status until `pred` holds. */
export async function waitStatus(agentUrl: string, token: string, pred: (s: AgentStatus) => boolean, what: string, timeoutMs = 20_000): Promise<AgentStatus> {
  const start = Date.now();
  let last: AgentStatus | null = null;
  while (Date.now() - start < timeoutMs) {
    last = await agentStatus(agentUrl, token).catch(() => null);
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for agent: ${what}; last status ${JSON.stringify(last)}`);
}

/** Signs in to an agent (retrying while it is still starting its first round). */
export async function signInAgent(agentUrl: string, login: string, password = 'demo') {
  return signIn(agentUrl, login, password);
}

/**
 * A TCP relay between agent and hub, so a test can hold a paper's bytes mid-flight (to kill the
 * hub at a known point) or alter them (to prove the sha256 check), with real sockets both sides.
 */
export class Relay {
  server: net.Server;
  port = 0;
  /** Request heads seen for the watched blob, in order. */
  readonly requests: string[] = [];
  /** Stop forwarding the watched blob's response after this many bytes (null: no stall). */
  stallAfter: number | null = null;
  /** Flip one body byte of the watched blob's next response. */
  corruptNext = false;
  forwarded = 0;
  private readonly sockets = new Set<net.Socket>();
  private stalled: Array<() => void> = [];
  private stalledSockets: net.Socket[] = [];
  watchSha = '';
  hubPort: number;

  constructor(hubPort: number) {
    this.hubPort = hubPort;
    this.server = net.createServer((client) => this.onClient(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** The held connections die (as they do when the hub's process is killed). */
  cutStalled(): void {
    for (const s of this.stalledSockets.splice(0)) s.destroy();
    this.stalled = [];
  }

  release(): void {
    this.stallAfter = null;
    for (const r of this.stalled.splice(0)) r();
  }

  private onClient(client: net.Socket): void {
    const upstream = net.connect(this.hubPort, '127.0.0.1');
    this.sockets.add(client);
    this.sockets.add(upstream);
    let watched = false;
    let bodyBytes = -1;
    let corrupt = false;
    let sent = 0;
    client.on('data', (d) => {
      const text = d.toString('latin1');
      if (this.watchSha && text.startsWith(`GET /api/blobs/${this.watchSha}`)) {
        watched = true;
        bodyBytes = -1;
        sent = 0;
        corrupt = this.corruptNext;
        this.corruptNext = false;
        this.requests.push(text.split('\r\n\r\n')[0]!);
      } else if (/^(GET|POST|PUT|PATCH|DELETE|HEAD) /.test(text)) {
        watched = false;
      }
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!watched) {
        client.write(d);
        return;
      }
      let chunk = d;
      if (bodyBytes < 0) {
        const end = chunk.indexOf('\r\n\r\n');
        if (end >= 0) bodyBytes = chunk.length - end - 4;
      } else {
        bodyBytes += chunk.length;
      }
      if (corrupt && bodyBytes > 5000) {
        chunk = Buffer.from(chunk);
        const i = chunk.length - 1;
        chunk[i] = chunk[i]! ^ 0xff;
        corrupt = false;
      }
      const limit = this.stallAfter;
      if (limit !== null && sent + chunk.length > limit) {
        const head = chunk.subarray(0, Math.max(0, limit - sent));
        client.write(head);
        sent += head.length;
        this.forwarded = sent;
        const rest = chunk.subarray(head.length);
        upstream.pause();
        this.stalledSockets.push(client, upstream);
        this.stalled.push(() => {
          client.write(rest);
          upstream.resume();
        });
        return;
      }
      sent += chunk.length;
      this.forwarded = sent;
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}
