// Hub benchmark: one writer and N readers (real y-websocket providers over loopback) on one
// meeting document; the writer pushes agenda changes at a steady pace and every reader's doc
// reports when it has each one. Run against the hub (authenticating, checking permissions and
// committing each update to SQLite before forwarding it) and against the reference server from
// @y/websocket-server 0.1.1 (none of that), each in its own process.
//
//   node test/bench/hub.bench.ts [--n 50,200,500] [--updates 200] [--reps 3] [--servers hub,reference,hub-full]
//                                [--presence on|off] [--warmup 20]
//
// `hub` is the default configuration (synchronous=NORMAL + WAL flushed off the event loop every
// 200 ms); `hub-full` fsyncs every commit on the event loop (--sync full). With `--presence on`
// (the default) every reader also announces a presence state, as a delegate's client does in a
// real room, so the servers relay awareness (each client renews it every 15 s) beside the edits.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startProcess, signIn, api, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { openFanout, type FanoutResult, type FanoutTarget } from './fanout.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '50,200,500' },
    updates: { type: 'string', default: '200' },
    servers: { type: 'string', default: 'hub,reference' },
    reps: { type: 'string', default: '3' },
    presence: { type: 'string', default: 'on' },
    warmup: { type: 'string', default: '20' },
  },
});
const SIZES = args.n!.split(',').map(Number);
const UPDATES = Number(args.updates);
const WARMUP = Number(args.warmup);
const SERVERS = args.servers!.split(',') as ServerKind[];
/** Runs per server and N, interleaved, so a burst of load from elsewhere on the machine hits both. */
const REPS = Number(args.reps);
const PRESENCE = args.presence !== 'off';
type ServerKind = 'hub' | 'hub-full' | 'reference';

/**
 * Pace between agenda changes. All readers live in this one client process, whose event loop has
 * to apply every update N times; the pace keeps the client side from saturating, so what is
 * measured is the server, the same way for both servers.
 */
const paceMs = (n: number) => Math.max(20, Math.round(n * 0.2));

interface Target extends FanoutTarget {
  proc: RunningProcess;
}

async function startTarget(kind: ServerKind): Promise<Target> {
  if (kind === 'reference') {
    const proc = await startProcess('test/bench/ref-server.ts', []);
    return { url: proc.url, docName: 'meeting/bench', writerToken: null, readerTokens: [null], proc };
  }
  const extra = kind === 'hub-full' ? ['--sync', 'full'] : [];
  // A hub set up the way a real room is (no demo seed): first-start admin, then accounts, a
  // published meeting and its participants through the API.
  const proc = await startProcess('electron/hub/cli.ts', ['--data', tempDir('chamber-bench-'), '--port', '0', '--quiet', ...extra]);
  const adminPassword = /password "([^"]+)"/.exec(proc.output())![1]!;
  const admin = (await signIn(proc.url, 'admin', adminPassword)).token;
  const post = async <T>(path: string, body: unknown, method = 'POST') => {
    const r = await api<T>(proc.url, admin, path, { method, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const meeting = await post<{ id: string }>('/api/meetings', { title: 'Benchmark meeting' });
  const logins = ['secretary', 'delegate1', 'delegate2', 'delegate3'];
  for (const login of logins) {
    const user = await post<{ id: string }>('/api/accounts', { login, name: login, role: login === 'secretary' ? 'secretary' : 'delegate', password: 'bench-password' });
    await post(`/api/meetings/${meeting.id}/participants/${user.id}`, { role: login === 'secretary' ? 'secretary' : 'delegate' }, 'PUT');
  }
  await post(`/api/meetings/${meeting.id}`, { status: 'published' }, 'PATCH');
  const writer = await signIn(proc.url, 'secretary', 'bench-password');
  // Each reader connection is authenticated and permission-checked on its own; sessions are
  // shared by a few readers only because signing in costs a deliberate scrypt.
  const readerTokens: Array<string | null> = [];
  for (const login of logins.slice(1)) for (let k = 0; k < 3; k++) readerTokens.push((await signIn(proc.url, login, 'bench-password')).token);
  return { url: proc.url, docName: `meeting/${meeting.id}`, writerToken: writer.token, readerTokens, proc };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** One server at one N: the fan-out figures (./fanout.ts) with the process's memory and connect time. */
interface Result extends FanoutResult {
  server: ServerKind;
  n: number;
  rssIdle: number;
  rssPeak: number;
  connectS: number;
}

async function run(kind: ServerKind, n: number): Promise<Result> {
  const t = await startTarget(kind);
  const pid = t.proc.proc.pid!;
  try {
    await sleep(300);
    const rssIdle = rssMb(pid);
    const session = await openFanout(t, n, PRESENCE);
    let rssPeak = rssMb(pid);
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 100);
    const r = await session.measure({ updates: UPDATES, warmup: WARMUP, paceMs: paceMs(n), pid });
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, rssMb(pid));
    session.close();
    return { server: kind, n, ...r, rssIdle, rssPeak, connectS: session.connectS };
  } finally {
    await t.proc.stop();
  }
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
console.log(`hub bench: ${UPDATES} agenda changes per run (after ${WARMUP} warm-up), pace ${SIZES.map((n) => `${paceMs(n)} ms @ N=${n}`).join(', ')}, readers' presence ${PRESENCE ? 'on' : 'off'}`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`);
const results: Result[] = [];
for (const n of SIZES) {
  for (let rep = 0; rep < REPS; rep++) {
    for (const kind of SERVERS) {
      const r = await run(kind, n);
      results.push(r);
      console.log(`  ${kind.padEnd(10)} N=${String(n).padStart(3)}  p50 ${f(r.p50)} ms  p99 ${f(r.p99)} ms  max ${f(r.max)} ms  last-reader p50 ${f(r.allP50)} / p99 ${f(r.allP99)} ms  cpu ${r.cpuPerUpdate.toFixed(2)} ms/update  RSS ${f(r.rssIdle)} → ${f(r.rssPeak)} MB  lost ${r.lost}  connect ${r.connectS.toFixed(1)} s`);
    }
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
console.log(`\nMedians over ${REPS} interleaved runs:\n`);
console.log('| server | N | per-reader p50 (ms) | per-reader p99 (ms) | last reader p50 (ms) | last reader p99 (ms) | server CPU per change (ms) | server RSS idle → peak (MB) | lost |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const n of SIZES) {
  for (const kind of SERVERS) {
    const rs = results.filter((r) => r.n === n && r.server === kind);
    const m = (k: keyof Result) => median(rs.map((r) => r[k] as number));
    console.log(`| ${kind} | ${n} | ${f(m('p50'))} | ${f(m('p99'))} | ${f(m('allP50'))} | ${f(m('allP99'))} | ${m('cpuPerUpdate').toFixed(2)} | ${f(m('rssIdle'))} → ${f(Math.max(...rs.map((r) => r.rssPeak)))} | ${rs.reduce((a, r) => a + r.lost, 0)} |`);
  }
}
const bad = results.filter((r) => r.lost > 0);
process.exit(bad.length ? 1 : 0);
