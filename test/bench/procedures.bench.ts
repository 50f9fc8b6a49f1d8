// Procedures benchmark (issue 14, "Performance"): a room of M members on a real hub process.
//   1. Check-in: every member checks in (spread over --checkin-ms); for each check-in, the time
//      until the quorum figure it produced is on every member's live document.
//   2. Votes (--polls of them): the chair opens an approval poll, every member casts a ballot
//      within --ballot-ms of the start (each acknowledged, its latency measured), the chair stops
//      and publishes, and the time until the result is on every member's live document.
// The members' live documents are real y-websocket clients, split over --client-procs child
// processes so their event loops are not the hub's bottleneck; every time is the machine's clock
// (performance.timeOrigin + now), comparable across the processes.
//
//   node test/bench/procedures.bench.ts [--members 200] [--checkin-ms 2000] [--ballot-ms 2000]
//        [--polls 3] [--reps 3] [--sync normal|full] [--visibility named|open|secret] [--client-procs 2]
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { api, signIn, startProcess, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { attendanceSummary, polls } from '../../shared/live-doc.ts';
import { giveUpAfter, pct } from './stats.ts';

const clock = () => performance.timeOrigin + performance.now();
/** CPU time (user + system) a process has used, in ms: what each command costs the hub, whatever else the machine runs. */
const cpuMs = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- a child process: some of the members' live documents -----------------------------------
type ToChild = { type: 'connect'; url: string; meetingId: string; tokens: string[] } | { type: 'checkin'; n: number } | { type: 'poll'; pollId: string };
type FromChild = { type: 'hello' } | { type: 'ready' } | { type: 'checkin'; seen: Record<number, number[]> } | { type: 'poll'; seen: number[] };

async function child(): Promise<void> {
  process.setMaxListeners(0);
  const docs: Y.Doc[] = [];
  const seenPresent: Array<Map<number, number>> = [];
  const seenPoll: Array<Map<string, number>> = [];
  const send = (m: FromChild) => process.send!(m);
  const waitAll = async (done: () => boolean) => {
    const deadline = clock() + 20_000;
    while (!done() && clock() < deadline) await sleep(5);
  };
  process.on('message', (m: ToChild) => void (async () => {
    if (m.type === 'connect') {
      for (const [i, token] of m.tokens.entries()) {
        const doc = new Y.Doc();
        const provider = new WebsocketProvider(m.url.replace(/^http/, 'ws') + '/sync', `live/${m.meetingId}`, doc, {
          params: { token }, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true,
        });
        const present = new Map<number, number>();
        const published = new Map<string, number>();
        let last = -1;
        doc.getMap('attendance').observe(() => {
          const k = attendanceSummary(doc)?.present ?? -1;
          const now = clock();
          for (let v = last + 1; v <= k; v++) present.set(v, now);
          last = Math.max(last, k);
        });
        doc.getMap('polls').observe(() => {
          const now = clock();
          for (const p of polls(doc)) if (p.state === 'published' && p.result && !published.has(p.id)) published.set(p.id, now);
        });
        docs.push(doc);
        seenPresent.push(present);
        seenPoll.push(published);
        await new Promise<void>((r) => (provider.synced ? r() : provider.once('sync', () => r())));
        if (i % 25 === 24) await sleep(10);
      }
      send({ type: 'ready' });
    } else if (m.type === 'checkin') {
      await waitAll(() => seenPresent.every((s) => s.has(m.n)));
      const seen: Record<number, number[]> = {};
      for (let k = 1; k <= m.n; k++) seen[k] = seenPresent.map((s) => s.get(k) ?? NaN);
      send({ type: 'checkin', seen });
    } else {
      await waitAll(() => seenPoll.every((s) => s.has(m.pollId)));
      send({ type: 'poll', seen: seenPoll.map((s) => s.get(m.pollId) ?? NaN) });
    }
  })());
  // Told only now what to connect: a message sent before this listener existed would be lost.
  send({ type: 'hello' });
}

// ---- the parent: a hub, the room's accounts, the commands and the figures ---------------------
const { values: args } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    members: { type: 'string', default: '200' },
    'checkin-ms': { type: 'string', default: '2000' },
    'ballot-ms': { type: 'string', default: '2000' },
    polls: { type: 'string', default: '3' },
    reps: { type: 'string', default: '3' },
    sync: { type: 'string', default: 'normal' },
    visibility: { type: 'string', default: 'named' },
    'client-procs': { type: 'string', default: '2' },
  },
});

interface Room {
  hub: RunningProcess;
  meetingId: string;
  chair: string;
  members: string[];
}

/** In batches, so setup does not open hundreds of requests at once (each sign-in is a scrypt). */
async function batched<T>(n: number, size: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) out.push(...await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, k) => fn(i + k))));
  return out;
}

async function setUp(members: number, sync: string): Promise<Room> {
  const hub = await startProcess('electron/hub/cli.ts', ['--data', tempDir('chamber-bench-proc-'), '--port', '0', '--quiet', '--sync', sync]);
  const admin = (await signIn(hub.url, 'admin', /password "([^"]+)"/.exec(hub.output())![1]!)).token;
  const call = async <T>(path: string, body: unknown, method = 'POST') => {
    const r = await api<T>(hub.url, admin, path, { method, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const meeting = await call<{ id: string }>('/api/meetings', { title: 'Procedures benchmark' });
  const password = 'bench-password';
  const logins = ['bench-chair', ...Array.from({ length: members }, (_, i) => `member${String(i + 1).padStart(3, '0')}`)];
  await batched(logins.length, 8, async (i) => {
    const chair = i === 0;
    const user = await call<{ id: string }>('/api/accounts', { login: logins[i], name: logins[i], role: chair ? 'chair' : 'delegate', password });
    await call(`/api/meetings/${meeting.id}/participants/${user.id}`, { role: chair ? 'chair' : 'delegate' }, 'PUT');
  });
  await call(`/api/meetings/${meeting.id}`, { status: 'published' }, 'PATCH');
  const tokens = await batched(logins.length, 8, async (i) => (await signIn(hub.url, logins[i]!, password)).token);
  return { hub, meetingId: meeting.id, chair: tokens[0]!, members: tokens.slice(1) };
}

function startClients(room: Room, procs: number): Promise<ChildProcess[]> {
  return Promise.all(Array.from({ length: procs }, (_, p) => new Promise<ChildProcess>((resolve, reject) => {
    const c = fork(import.meta.filename, ['--child'], { stdio: 'inherit' });
    c.once('exit', (code) => reject(new Error(`client process exited ${code}`)));
    c.once('message', () => {
      c.once('message', (m: FromChild) => (m.type === 'ready' ? resolve(c) : reject(new Error(`unexpected ${m.type}`))));
      c.send({ type: 'connect', url: room.hub.url, meetingId: room.meetingId, tokens: room.members.filter((_, i) => i % procs === p) } satisfies ToChild);
    });
  })));
}

function ask<T extends FromChild>(clients: ChildProcess[], m: ToChild): Promise<T[]> {
  return Promise.all(clients.map((c) => new Promise<T>((resolve) => {
    c.once('message', (r: T) => resolve(r));
    c.send(m);
  })));
}

/** Fires `n` calls at evenly spaced moments over `spreadMs`, each timed from its own send. */
async function spread(n: number, spreadMs: number, fn: (i: number) => Promise<{ status: number; body: unknown }>) {
  const t0 = clock();
  return Promise.all(Array.from({ length: n }, async (_, i) => {
    const at = t0 + (i * spreadMs) / n;
    const wait = at - clock();
    if (wait > 0) await sleep(wait);
    const sent = clock();
    const r = await fn(i);
    return { sent, acked: clock(), ...r };
  }));
}

interface RunFigures {
  checkinAckP99: number;
  /** Hub CPU per command, fan-out to every client included. */
  checkinCpuMs: number;
  ballotCpuMs: number;
  quorumAllP50: number;
  quorumAllP99: number;
  quorumAllMax: number;
  quorumPerClientP99: number;
  ballots: number;
  ballotsAcked: number;
  ballotP50: number;
  ballotP99: number;
  ballotMax: number;
  publishP50: number;
  publishP99: number;
  publishMax: number;
}

async function run(sync: string): Promise<RunFigures> {
  const M = Number(args.members);
  const room = await setUp(M, sync);
  const clients = await startClients(room, Number(args['client-procs']));
  try {
    const t = (i: number) => room.members[i]!;
    const pid = room.hub.proc.pid!;
    // Tablets hold their connections to the hub before the meeting starts: open them (one small
    // request each) so the check-in burst is not also 200 TCP handshakes.
    await spread(M, 1000, (i) => api(room.hub.url, t(i), `/api/meetings/${room.meetingId}/speakers`));
    // ---- check-in ----
    const cpu0 = cpuMs(pid);
    const checkins = await spread(M, Number(args['checkin-ms']), (i) => api(room.hub.url, t(i), `/api/meetings/${room.meetingId}/attendance`, { method: 'POST', body: JSON.stringify({ status: 'present' }) }));
    const failed = checkins.filter((c) => c.status !== 200);
    if (failed.length) throw new Error(`${failed.length} check-ins failed: ${JSON.stringify(failed[0]!.body)}`);
    const seen = await ask<Extract<FromChild, { type: 'checkin' }>>(clients, { type: 'checkin', n: M });
    const checkinCpuMs = (cpuMs(pid) - cpu0) / M;
    const allClients: number[] = [];
    const perClient: number[] = [];
    for (const c of checkins) {
      const k = (c.body as { present: number }).present;
      const times = seen.flatMap((s) => s.seen[k] ?? []);
      allClients.push(Math.max(...times) - c.sent);
      for (const x of times) perClient.push(x - c.sent);
    }
    // ---- votes ----
    const ballotMs: number[] = [];
    const publishMs: number[] = [];
    let ballots = 0;
    let acked = 0;
    let ballotCpu = 0;
    const chair = (path: string, body?: unknown) => api<{ id: string }>(room.hub.url, room.chair, path, { method: 'POST', ...(body ? { body: JSON.stringify(body) } : {}) });
    for (let p = 0; p < Number(args.polls); p++) {
      const created = await chair(`/api/meetings/${room.meetingId}/polls`, { title: `Bench vote ${p + 1}`, method: 'approval', visibility: args.visibility });
      if (created.status !== 201) throw new Error(`create poll: ${created.status} ${JSON.stringify(created.body)}`);
      const pollId = created.body.id;
      const started = await chair(`/api/polls/${pollId}/start`);
      if (started.status !== 200) throw new Error(`start poll: ${started.status} ${JSON.stringify(started.body)}`);
      const values = ['yes', 'no', 'abstain'];
      const cpuB = cpuMs(pid);
      const cast = await spread(M, Number(args['ballot-ms']), (i) => api(room.hub.url, t(i), `/api/polls/${pollId}/ballots`, { method: 'POST', body: JSON.stringify({ value: values[i % 3] }) }));
      // Let the last "voted n of m" reach the clients before the CPU is read.
      await sleep(200);
      ballotCpu += cpuMs(pid) - cpuB;
      ballots += cast.length;
      acked += cast.filter((c) => c.status === 201).length;
      ballotMs.push(...cast.filter((c) => c.status === 201).map((c) => c.acked - c.sent));
      const stopped = await chair(`/api/polls/${pollId}/stop`);
      if (stopped.status !== 200) throw new Error(`stop poll: ${stopped.status} ${JSON.stringify(stopped.body)}`);
      const sent = clock();
      const published = chair(`/api/polls/${pollId}/publish`);
      const views = await ask<Extract<FromChild, { type: 'poll' }>>(clients, { type: 'poll', pollId });
      if ((await published).status !== 200) throw new Error(`publish: ${(await published).status}`);
      publishMs.push(...views.flatMap((v) => v.seen).map((x) => x - sent));
    }
    return {
      checkinAckP99: pct(checkins.map((c) => c.acked - c.sent), 99), checkinCpuMs, ballotCpuMs: ballotCpu / ballots,
      quorumAllP50: pct(allClients, 50), quorumAllP99: pct(allClients, 99), quorumAllMax: Math.max(...allClients), quorumPerClientP99: pct(perClient, 99),
      ballots, ballotsAcked: acked, ballotP50: pct(ballotMs, 50), ballotP99: pct(ballotMs, 99), ballotMax: Math.max(...ballotMs),
      publishP50: pct(publishMs, 50), publishP99: pct(publishMs, 99), publishMax: Math.max(...publishMs),
    };
  } finally {
    for (const c of clients) c.kill();
    await room.hub.stop();
  }
}

if (args.child) {
  await child();
} else {
  giveUpAfter(30 * 60_000, 'procedures');
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
  const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`procedures bench: ${args.members} members, check-in over ${args['checkin-ms']} ms, ${args.polls} ${args.visibility} approval polls a run with ballots over ${args['ballot-ms']} ms, --sync ${args.sync}, ${args['client-procs']} client processes`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load average ${load()}`);
  const results: RunFigures[] = [];
  for (let rep = 0; rep < Number(args.reps); rep++) {
    const r = await run(args.sync!);
    results.push(r);
    console.log(`  run ${rep + 1}: quorum on all clients p50 ${f(r.quorumAllP50)} / p99 ${f(r.quorumAllP99)} / max ${f(r.quorumAllMax)} ms (per client p99 ${f(r.quorumPerClientP99)}, check-in ack p99 ${f(r.checkinAckP99)}, hub CPU ${r.checkinCpuMs.toFixed(2)} ms each); `
      + `ballots ${r.ballotsAcked}/${r.ballots} acknowledged, p50 ${f(r.ballotP50)} / p99 ${f(r.ballotP99)} / max ${f(r.ballotMax)} ms (hub CPU ${r.ballotCpuMs.toFixed(2)} ms each); `
      + `result on clients p50 ${f(r.publishP50)} / p99 ${f(r.publishP99)} / max ${f(r.publishMax)} ms; load ${load()}`);
  }
  const med = (k: keyof RunFigures) => [...results.map((r) => r[k])].sort((a, b) => a - b)[Math.floor((results.length - 1) / 2)]!;
  console.log(`\nMedians over ${results.length} runs (--sync ${args.sync}):\n`);
  console.log('| figure | value | target |\n| --- | ---: | ---: |');
  console.log(`| quorum figure on all ${args.members} clients after a check-in, p99 | ${f(med('quorumAllP99'))} ms | < 200 ms |`);
  console.log(`| ballots acknowledged | ${results.reduce((n, r) => n + r.ballotsAcked, 0)} of ${results.reduce((n, r) => n + r.ballots, 0)} | all |`);
  console.log(`| ballot p99 | ${f(med('ballotP99'))} ms | < 50 ms |`);
  console.log(`| published result on each client, p99 | ${f(med('publishP99'))} ms | < 200 ms |`);
  console.log(`| hub CPU per check-in / per ballot (fan-out included) | ${med('checkinCpuMs').toFixed(2)} / ${med('ballotCpuMs').toFixed(2)} ms | — |`);
  const ok = results.every((r) => r.ballotsAcked === r.ballots);
  process.exit(ok ? 0 : 1);
}
