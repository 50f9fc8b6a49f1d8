// Hub benchmark: one writer and N readers (real y-websocket providers over loopback) on one
// meeting document; the writer pushes agenda changes at a steady pace and every reader's doc
// reports when it has each one. Run against the hub (authenticating, checking permissions and
// committing each update to SQLite before forwarding it) and against the reference server from
// @y/websocket-server 0.1.1 (none of that), each in its own process.
//
//   node test/bench/hub.bench.ts [--n 50,200,500] [--updates 200] [--reps 3] [--servers hub,reference,hub-full]
//                                [--presence on|off]
//
// `hub` is the default configuration (synchronous=NORMAL + WAL flushed off the event loop every
// 200 ms); `hub-full` fsyncs every commit on the event loop (--sync full). With `--presence on`
// (the default) every reader also announces a presence state, as a delegate's client does in a
// real room, so the servers relay awareness (each client renews it every 15 s) beside the edits.
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { startProcess, signIn, api, tempDir, type RunningProcess } from '../helpers/processes.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '50,200,500' },
    updates: { type: 'string', default: '200' },
    servers: { type: 'string', default: 'hub,reference' },
    reps: { type: 'string', default: '3' },
    presence: { type: 'string', default: 'on' },
  },
});
const SIZES = args.n!.split(',').map(Number);
// Every WebsocketProvider in Node adds a process 'exit' listener; hundreds of readers are intended.
process.setMaxListeners(0);
const UPDATES = Number(args.updates);
const WARMUP = 20;
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

interface Target {
  url: string;
  docName: string;
  writerToken: string | null;
  readerTokens: Array<string | null>;
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

function connect(t: Target, token: string | null, presence: Record<string, unknown> | null): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(t.url.replace(/^http/, 'ws') + '/sync', t.docName, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: false,
  });
  provider.awareness.setLocalState(presence);
  provider.connect();
  return { doc, provider };
}

const whenSynced = (p: WebsocketProvider) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', (s: boolean) => s && resolve())));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time (user + system) the process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Result {
  server: ServerKind;
  n: number;
  updates: number;
  p50: number;
  p99: number;
  max: number;
  allP50: number;
  allP99: number;
  rssIdle: number;
  rssPeak: number;
  lost: number;
  connectS: number;
  /** Server CPU per agenda change, fan-out to N readers included. */
  cpuPerUpdate: number;
}

async function run(kind: ServerKind, n: number): Promise<Result> {
  const t = await startTarget(kind);
  const pid = t.proc.proc.pid!;
  try {
    await sleep(300);
    const rssIdle = rssMb(pid);
    const writer = connect(t, t.writerToken, { user: { name: 'secretary' } });
    await whenSynced(writer.provider);
    const item = 'item-bench';
    if (!meetingDoc.readAgenda(writer.doc).some((i) => i.id === item)) meetingDoc.addAgendaItem(writer.doc, item, { title: 'bench 0' });

    const connectStart = performance.now();
    const readers: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];
    for (let i = 0; i < n; i += 25) {
      const batch = Array.from({ length: Math.min(25, n - i) }, (_, k) => connect(t, t.readerTokens[(i + k) % t.readerTokens.length] ?? null,
        PRESENCE ? { user: { name: `reader ${i + k}` }, page: 1 } : null));
      readers.push(...batch);
      await Promise.all(batch.map((r) => whenSynced(r.provider)));
    }
    const connectS = (performance.now() - connectStart) / 1000;

    // Per update: when it was sent, and when each reader first saw it.
    const sentAt = new Map<number, number>();
    const seenBy = new Map<number, number>();
    const deliveries: number[] = [];
    const allSeen: number[] = [];
    let measuring = false;
    for (const r of readers) {
      let last = -1;
      r.doc.on('update', () => {
        const m = /^bench (\d+)$/.exec(meetingDoc.agendaMap(r.doc).get(item)?.get('title') as string ?? '');
        const seq = m ? Number(m[1]) : -1;
        if (seq <= last) return;
        const now = performance.now();
        // A reader that skipped a sequence number saw it merged into a later one: count both.
        for (let s = last + 1; s <= seq; s++) {
          const sent = sentAt.get(s);
          if (sent === undefined || !measuring) continue;
          deliveries.push(now - sent);
          const count = (seenBy.get(s) ?? 0) + 1;
          seenBy.set(s, count);
          if (count === readers.length) allSeen.push(now - sent);
        }
        last = seq;
      });
    }
    await sleep(500);

    let rssPeak = rssMb(pid);
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 100);
    const pace = paceMs(n);
    let cpuStart = 0;
    for (let seq = 1; seq <= WARMUP + UPDATES; seq++) {
      if (seq === WARMUP + 1) {
        await sleep(200);
        measuring = true;
        cpuStart = cpuMs(pid);
      }
      sentAt.set(seq, performance.now());
      meetingDoc.updateAgendaItem(writer.doc, item, { title: `bench ${seq}` });
      await sleep(pace);
    }
    const deadline = performance.now() + 15_000;
    while (allSeen.length < UPDATES && performance.now() < deadline) await sleep(50);
    clearInterval(sampler);
    const cpuPerUpdate = (cpuMs(pid) - cpuStart) / UPDATES;
    rssPeak = Math.max(rssPeak, rssMb(pid));
    const sorted = [...deliveries].sort((a, b) => a - b);
    const all = [...allSeen].sort((a, b) => a - b);
    for (const r of readers) r.provider.destroy();
    writer.provider.destroy();
    return {
      server: kind, n, updates: UPDATES, p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN,
      allP50: pct(all, 50), allP99: pct(all, 99), rssIdle, rssPeak, lost: UPDATES * n - deliveries.length, connectS, cpuPerUpdate,
    };
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
