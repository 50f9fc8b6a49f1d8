// `npm run bench -- devices`: room-scale fan-out built the way rooms are. One hub (--demo), N real
// agent processes (one per tablet: each its own data folder, cache and hub connection), a
// headless y-websocket client on each agent's loopback sync (the tablet's replica), and a few
// rendered followers in Chromium loaded from some of those agents. The secretary's device saves
// an agenda rename R times; we time save → arrived at each agent's client, and save → painted on
// the rendered followers, and read each agent's CPU and memory from /proc. Bounded: it exits by
// itself. Unlike the console bench (50 browsers on one machine), the cost of a tablet's screen is
// paid here by only a few followers; the 50 agents are the room's real fan-out.
import fs from 'node:fs';
import os from 'node:os';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { launchChromium } from '../e2e/browser.ts';
import { api, signIn, startProcess, tempDir, type RunningProcess } from '../helpers/processes.ts';
import { connectDoc, waitFor, waitSynced, type YClient } from '../helpers/yclient.ts';
import { giveUpAfter, ms, pct } from './stats.ts';
import { reportTrace, type TracedRound } from './trace-report.ts';

const DEVICES = Number(process.env.DEVICES_BENCH_AGENTS ?? 50);
const RENDERED = Number(process.env.DEVICES_BENCH_RENDERED ?? 3);
const ROUNDS = Number(process.env.DEVICES_BENCH_ROUNDS ?? 30);
const SYNC = process.env.DEVICES_BENCH_SYNC ?? 'normal';
/**
 * With DEVICES_BENCH_VERBOSE=1: each round's slowest agent and the painted times, and the hub's
 * trace (CHAMBER_TRACE=loop: its commit and fan-out of each save, WAL syncs, checkpoints, event-loop
 * stalls) lined up with the saves. DEVICES_BENCH_TRACE_AGENTS=1 traces the agents too.
 */
const VERBOSE = Boolean(process.env.DEVICES_BENCH_VERBOSE);
const TRACE_AGENTS = Boolean(process.env.DEVICES_BENCH_TRACE_AGENTS);
const DEADLINE_MS = 900_000;
// Long enough for the bench's own accounts to pass the hub's password rules.
const PASSWORD = 'bench-device-password';

giveUpAfter(DEADLINE_MS, 'devices');
const now = () => performance.timeOrigin + performance.now();
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/** utime + stime of a process, in seconds (Linux /proc; USER_HZ = 100). */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

declare global {
  interface Window {
    __seen?: Record<string, number>;
  }
}

/** In a rendered follower: the first animation frame after a new title entered its Agenda list. */
function watchAgenda(): void {
  window.__seen = {};
  const note = () => {
    const fresh = [...document.querySelectorAll('.agenda .agenda-title')]
      .map((e) => e.textContent ?? '')
      .filter((t) => t.startsWith('Round ') && !(t in window.__seen!));
    if (!fresh.length) return;
    for (const t of fresh) window.__seen![t] = -1;
    requestAnimationFrame(() => {
      const at = performance.timeOrigin + performance.now();
      for (const t of fresh) window.__seen![t] = at;
    });
  };
  new MutationObserver(note).observe(document, { subtree: true, childList: true, characterData: true });
}

const hubDir = tempDir('chamber-bench-devices-');
const hub = await startProcess('electron/hub/cli.ts', ['--data', hubDir, '--port', '0', '--quiet', '--demo', '--sync', SYNC], { env: VERBOSE ? { CHAMBER_TRACE: 'loop' } : {} });
const agents: RunningProcess[] = [];
const clients: YClient[] = [];
let browser: Browser | null = null;
const contexts: BrowserContext[] = [];
try {
  const admin = await signIn(hub.url, 'admin');
  const sec = await signIn(hub.url, 'secretary');
  const meetingId = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;

  // One account per tablet, each a delegate of the demo meeting, as in a real room.
  const logins: string[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const login = `member${String(i + 1).padStart(2, '0')}`;
    const made = await api<{ id: string }>(hub.url, admin.token, '/api/accounts', { method: 'POST', body: JSON.stringify({ login, name: `Member ${i + 1}`, role: 'delegate', password: PASSWORD }) });
    if (made.status !== 201) throw new Error(`could not create ${login}: ${made.status} ${JSON.stringify(made.body)}`);
    const joined = await api(hub.url, sec.token, `/api/meetings/${meetingId}/participants/${made.body.id}`, { method: 'PUT', body: JSON.stringify({ role: 'delegate' }) });
    if (joined.status !== 200) throw new Error(`could not add ${login}: ${joined.status} ${JSON.stringify(joined.body)}`);
    logins.push(login);
  }

  // A few at a time: fifty cold Node starts at once on two cores would only time the storm.
  const bootStart = now();
  for (let i = 0; i < DEVICES; i += 5) {
    const batch = await Promise.all(logins.slice(i, i + 5).map((login) => startProcess('electron/agent/cli.ts', [
      '--hub', hub.url, '--login', login, '--password', PASSWORD, '--data', tempDir('chamber-bench-device-'), '--port', '0', '--quiet',
    ], { timeoutMs: 120_000, env: TRACE_AGENTS ? { CHAMBER_TRACE: '1' } : {} })));
    agents.push(...batch);
  }
  const bootMs = now() - bootStart;

  // Each tablet's replica: a y-websocket client on its own agent's loopback sync.
  const docName = `meeting/${meetingId}`;
  for (let i = 0; i < DEVICES; i++) {
    const s = await signIn(agents[i]!.url, logins[i]!, PASSWORD);
    clients.push(connectDoc(agents[i]!.url, docName, s.token));
  }
  await Promise.all(clients.map((c) => waitSynced(c, 120_000)));

  // The secretary's device. It writes straight to the hub, so the save's instant is this
  // process's clock and the trip measured is hub → agent → tablet replica.
  const secretary = connectDoc(hub.url, docName, sec.token);
  clients.push(secretary);
  await waitSynced(secretary);
  const itemId = meetingDoc.readAgenda(secretary.doc)[0]!.id;

  // Arrival at each replica, noted by the replica's own observer as the update is applied.
  const arrived: Array<Map<string, number>> = clients.slice(0, DEVICES).map((c) => {
    const seen = new Map<string, number>();
    meetingDoc.agendaMap(c.doc).observeDeep(() => {
      const title = meetingDoc.readAgenda(c.doc).find((it) => it.id === itemId)?.title;
      if (title && !seen.has(title)) seen.set(title, now());
    });
    return seen;
  });
  // Every agent must already hold the item, or a round would time a full resync instead.
  await waitFor(() => clients.slice(0, DEVICES).every((c) => meetingDoc.readAgenda(c.doc).some((it) => it.id === itemId)), 60_000, 'the agenda on every agent');

  browser = await launchChromium(['--disable-frame-rate-limit']);
  const followers: Page[] = [];
  for (let i = 0; i < Math.min(RENDERED, DEVICES); i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await page.addInitScript(watchAgenda);
    await page.goto(`${agents[i]!.url}/`);
    await page.getByLabel('Login').fill(logins[i]!);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: /Council meeting/ }).click();
    await page.getByRole('list', { name: 'Agenda' }).waitFor({ timeout: 120_000 });
    followers.push(page);
  }

  const toClient: number[] = [];
  const toAll: number[] = [];
  const painted: number[] = [];
  const traced: TracedRound[] = [];
  const cpuA = agents.map((a) => cpuSeconds(a.proc.pid!));
  const hubCpuA = cpuSeconds(hub.proc.pid!);
  const roundsStart = now();
  // Round 0 warms every process's code paths and is not counted.
  for (let r = 0; r <= ROUNDS; r++) {
    const title = `Round ${r}`;
    const savedAt = now();
    meetingDoc.updateAgendaItem(secretary.doc, itemId, { title });
    await waitFor(() => arrived.every((m) => m.has(title)), 30_000, `round ${r} on every agent`);
    const seen: number[] = [];
    for (const f of followers) {
      const h = await f.waitForFunction((t) => ((window.__seen?.[t] ?? -1) > 0 ? window.__seen![t] : null), title, { timeout: 30_000, polling: 20 });
      seen.push((await h.jsonValue()) as number);
    }
    if (r > 0) {
      const lat = arrived.map((m) => m.get(title)! - savedAt);
      toClient.push(...lat);
      toAll.push(Math.max(...lat));
      painted.push(...seen.map((s) => s - savedAt));
      traced.push({ r, savedAt, latencies: lat });
      if (VERBOSE) console.log(`round ${r} at +${((savedAt - roundsStart) / 1000).toFixed(1)} s: last agent ${Math.max(...lat).toFixed(1)} ms, painted ${seen.map((s) => (s - savedAt).toFixed(1)).join(' / ')} ms`);
    }
    // Let the room settle so rounds do not overlap.
    await sleep(200);
  }
  const elapsed = (now() - roundsStart) / 1000;
  const cpuPerAgent = agents.map((a, i) => cpuSeconds(a.proc.pid!) - cpuA[i]!);
  const rss = agents.map((a) => rssMiB(a.proc.pid!));
  const hubCpu = cpuSeconds(hub.proc.pid!) - hubCpuA;

  console.log(`\n${DEVICES} agent processes (${RENDERED} rendered in Chromium ${browser.version()}) × ${ROUNDS} saves, hub --sync ${SYNC}; ${os.cpus().length} cores; agents started in ${(bootMs / 1000).toFixed(1)} s`);
  console.log('| measure | p50 | p99 | max | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| save → arrived at one agent's client (${toClient.length} samples) | ${ms(pct(toClient, 50))} | ${ms(pct(toClient, 99))} | ${ms(Math.max(...toClient))} | p99 < 100 ms |`);
  console.log(`| save → arrived at all ${DEVICES} agents' clients (per save) | ${ms(pct(toAll, 50))} | ${ms(pct(toAll, 99))} | ${ms(Math.max(...toAll))} | |`);
  console.log(`| save → painted on a rendered follower (${painted.length} samples) | ${ms(pct(painted, 50))} | ${ms(pct(painted, 99))} | ${ms(Math.max(...painted))} | p99 < 150 ms |`);
  console.log(`\nper agent over the ${elapsed.toFixed(1)} s of rounds: CPU p50 ${(pct(cpuPerAgent, 50) * 1000 / (ROUNDS + 1)).toFixed(1)} ms per save (max ${(Math.max(...cpuPerAgent) * 1000 / (ROUNDS + 1)).toFixed(1)} ms), RSS p50 ${pct(rss, 50).toFixed(0)} MiB (max ${Math.max(...rss).toFixed(0)} MiB, all ${DEVICES} agents ${rss.reduce((a, b) => a + b, 0).toFixed(0)} MiB); hub CPU ${(hubCpu * 1000 / (ROUNDS + 1)).toFixed(1)} ms per save, RSS ${rssMiB(hub.proc.pid!).toFixed(0)} MiB`);
  if (VERBOSE) reportTrace(traced, hub.output(), docName, TRACE_AGENTS ? agents.map((a) => a.output()) : null);
  const met = pct(toClient, 99) < 100 && pct(painted, 99) < 150;
  console.log(met ? '\ndevices bench: goal met' : '\ndevices bench: goal missed');
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  for (const c of clients) c.destroy();
  await Promise.all(agents.map((a) => a.stop()));
  await hub.stop();
}
process.exit(0);
