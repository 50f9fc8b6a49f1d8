// `npm run bench -- console`: time from a secretary's Save in the console to the change painted
// on 50 followers' screens. One hub process (--demo), one headless Chromium: the secretary's page
// and 50 delegate pages (three demo delegate accounts shared among them). Each round renames an
// agenda item through the console UI; each follower records the first animation frame after the
// new title entered its Agenda list. Times are wall-clock (performance.timeOrigin + now) read in
// the pages themselves, so Playwright's own round trips are not counted. Bounded: exits by itself.
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { launchChromium } from '../e2e/browser.ts';
import { api, signIn, startProcess, tempDir } from '../helpers/processes.ts';
import { giveUpAfter, ms, pct } from './stats.ts';

const FOLLOWERS = Number(process.env.CONSOLE_BENCH_FOLLOWERS ?? 50);
const ROUNDS = Number(process.env.CONSOLE_BENCH_ROUNDS ?? 30);
const DEADLINE_MS = 600_000;
/** With CONSOLE_BENCH_VERBOSE: sample follower 0's main thread after each Save (slows it down). */
const PROFILE = Boolean(process.env.CONSOLE_BENCH_PROFILE);
// The hub's durability mode: `normal` (the hub's default: WAL flushed every 200 ms) or `full`.
const SYNC = process.env.CONSOLE_BENCH_SYNC ?? 'normal';

giveUpAfter(DEADLINE_MS, 'console');

declare global {
  interface Window {
    __seen?: Record<string, number>;
    __recv?: Record<string, number>;
    __dom?: Record<string, number>;
    __lastMsgAt?: number;
    __vis?: string;
    __saveAt?: number[];
  }
}

/** In a follower: note when each agenda title first reaches a painted frame. */
function watchAgenda(): void {
  window.__seen = {};
  window.__recv = {};
  window.__dom = {};
  window.__lastMsgAt = 0;
  // When the last frame arrived on any socket: the frame carrying a change precedes the mutation.
  const NativeWS = window.WebSocket;
  window.WebSocket = class extends NativeWS {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', () => (window.__lastMsgAt = performance.timeOrigin + performance.now()));
    }
  };
  const note = () => {
    const titles = [...document.querySelectorAll('.agenda .agenda-title')].map((e) => e.textContent ?? '');
    const fresh = titles.filter((t) => t.startsWith('Round ') && !(t in window.__seen!));
    if (!fresh.length) return;
    const now = performance.timeOrigin + performance.now();
    for (const t of fresh) {
      window.__seen![t] = -1;
      window.__recv![t] = window.__lastMsgAt!;
      window.__dom![t] = now;
      window.__vis = document.visibilityState;
    }
    requestAnimationFrame(() => {
      const at = performance.timeOrigin + performance.now();
      for (const t of fresh) window.__seen![t] = at;
    });
  };
  const w = window as unknown as { __mutations: number };
  w.__mutations = 0;
  new MutationObserver((records) => {
    w.__mutations += records.length;
    note();
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}

interface CpuProfile { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] }
type CpuKind = 'hub' | 'renderer' | 'gpu' | 'browser' | 'utility';
type CpuSample = Record<CpuKind, number>;
const KINDS: CpuKind[] = ['hub', 'renderer', 'gpu', 'browser', 'utility'];
const kindOf = new Map<string, CpuKind | null>();

/** CPU seconds used so far by the hub and by each kind of Chromium process (utime + stime, /proc). */
function cpuSeconds(hubPid: number): CpuSample {
  const tick = 100; // USER_HZ on Linux
  const out: CpuSample = { hub: 0, renderer: 0, gpu: 0, browser: 0, utility: 0 };
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      let kind = kindOf.get(pid);
      if (kind === undefined) {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const exe = cmd.split('\0')[0] ?? '';
        kind = Number(pid) === hubPid ? 'hub'
          : !/chrom/.test(exe) ? null
          : cmd.includes('--type=renderer') ? 'renderer'
          : cmd.includes('--type=gpu-process') ? 'gpu'
          : cmd.includes('--type=') ? 'utility' : 'browser';
        kindOf.set(pid, kind);
      }
      if (!kind) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[kind] += (Number(f[11]) + Number(f[12])) / tick;
    } catch {
      // The process ended between listing and reading.
    }
  }
  return out;
}

/**
 * The anchor: the least a browser can do for the same trip. N pages, each holding one line of
 * text, updated from a WebSocket frame that a plain `ws` server in this process broadcasts; the
 * same Chromium, viewport, flags and measure (first frame after the DOM changed). What this costs
 * the machine per change is Chromium's own floor (IPC, frame, raster, compositing) for N windows.
 */
async function nullPageAnchor(browserArg: Browser, n: number, rounds: number): Promise<{ perFollower: number[]; perRound: number[]; cpuPerChange: number }> {
  const html = `<!doctype html><meta charset="utf-8"><title>anchor</title><body style="font: 16px sans-serif">
<h1>Agenda</h1><ol id="list"><li id="t">start</li><li>Second item</li><li>Third item</li><li>Fourth item</li></ol>
<script>
window.__seen = {};
const ws = new WebSocket('ws://' + location.host + '/ws');
ws.onmessage = (e) => {
  const d = JSON.parse(e.data);
  document.getElementById('t').textContent = d.title;
  requestAnimationFrame(() => { window.__seen[d.title] = performance.timeOrigin + performance.now(); });
};
ws.onopen = () => { window.__open = true; };
</script>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  const wss = new WebSocketServer({ server, path: '/ws' });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const ctx = await browserArg.newContext({ viewport: { width: 1000, height: 700 } });
  try {
    const pages: Page[] = [];
    for (let i = 0; i < n; i++) pages.push(await ctx.newPage());
    await Promise.all(pages.map(async (p) => {
      await p.goto(url);
      await p.waitForFunction(() => (window as unknown as { __open?: boolean }).__open === true);
    }));
    const perFollower: number[] = [];
    const perRound: number[] = [];
    const chromiumCpu = () => {
      const c = cpuSeconds(-1);
      return c.renderer + c.gpu + c.browser + c.utility;
    };
    let cpuChange = 0;
    for (let r = 0; r <= rounds; r++) {
      const title = `Anchor ${r}`;
      const cpuA = chromiumCpu();
      const sentAt = performance.timeOrigin + performance.now();
      const frame = JSON.stringify({ title });
      for (const c of wss.clients) c.send(frame);
      await new Promise((res) => setTimeout(res, 1500));
      if (r > 0) {
        const cpuB = chromiumCpu();
        await new Promise((res) => setTimeout(res, 1500));
        cpuChange += (cpuB - cpuA) - (chromiumCpu() - cpuB);
      }
      const seen: number[] = [];
      for (const p of pages) {
        const h = await p.waitForFunction((t) => ((window as unknown as { __seen: Record<string, number> }).__seen[t] ?? null), title, { timeout: 30_000, polling: 20 });
        seen.push((await h.jsonValue()) as number);
      }
      if (r === 0) continue;
      const lat = seen.map((x) => x - sentAt);
      perFollower.push(...lat);
      perRound.push(Math.max(...lat));
      await new Promise((res) => setTimeout(res, 150));
    }
    return { perFollower, perRound, cpuPerChange: (cpuChange * 1000) / rounds };
  } finally {
    await ctx.close();
    for (const c of wss.clients) c.terminate();
    wss.close();
    await new Promise((r) => server.close(r));
  }
}

const dataDir = tempDir('chamber-bench-console-');
const hub = await startProcess('electron/hub/cli.ts', ['--data', dataDir, '--port', '0', '--quiet', '--demo', '--sync', SYNC]);
// Headless Chromium has no display to pace frames: with dozens of windows it produced frames for
// some of them only once a second (their rAF fired ~1,000 ms after the DOM had changed, while the
// others painted in ~100 ms), which no tablet with its own screen does. --disable-frame-rate-limit
// lets each window draw as soon as it has a change; it also drops the wait for vsync (up to one
// 16.7 ms frame), so figures are that much kinder than a real screen's. CONSOLE_BENCH_ARGS
// replaces it (e.g. with an empty string to see the throttled behaviour).
const CHROMIUM_ARGS = (process.env.CONSOLE_BENCH_ARGS ?? '--disable-frame-rate-limit').split(' ').filter(Boolean);
const browser = await launchChromium(CHROMIUM_ARGS);
const contexts: BrowserContext[] = [];
try {
  const sec = await signIn(hub.url, 'secretary');
  const meetingId = (await api<Array<{ id: string }>>(hub.url, sec.token, '/api/meetings')).body[0]!.id;
  const sessions = await Promise.all(['delegate1', 'delegate2', 'delegate3'].map((l) => signIn(hub.url, l)));

  const openAs = async (session: { token: string; user: unknown }, viewport = { width: 1000, height: 700 }): Promise<BrowserContext> => {
    const ctx = await browser.newContext({ viewport, locale: 'en-US' });
    await ctx.addInitScript((s) => sessionStorage.setItem('chamber.session', s), JSON.stringify({ token: session.token, user: session.user }));
    contexts.push(ctx);
    return ctx;
  };
  const ready = async (page: Page) => {
    await page.goto(`${hub.url}/#/m/${meetingId}`);
    await page.getByRole('list', { name: 'Agenda' }).waitFor({ timeout: 180_000 });
  };

  const followerCtx = await Promise.all(sessions.map((s) => openAs(s)));
  const followers: Page[] = [];
  for (let i = 0; i < FOLLOWERS; i++) {
    const page = await followerCtx[i % followerCtx.length]!.newPage();
    await page.addInitScript(watchAgenda);
    followers.push(page);
  }
  // A few at a time: fifty cold React boots at once would only measure the start-up storm.
  for (let i = 0; i < followers.length; i += 10) await Promise.all(followers.slice(i, i + 10).map(ready));

  const secPage = await (await openAs(sec, { width: 1280, height: 900 })).newPage();
  await ready(secPage);
  await secPage.evaluate(() => {
    window.__saveAt = [];
    // When the secretary's socket sent its last frame (the change goes out right after Save).
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
      (window as unknown as { __sentAt: number }).__sentAt = performance.timeOrigin + performance.now();
      return send.call(this, data);
    };
    document.addEventListener('click', (e) => {
      if ((e.target as Element).closest('button[type="submit"]')?.textContent === 'Save') window.__saveAt!.push(performance.timeOrigin + performance.now());
    }, { capture: true });
  });
  const target = secPage.getByRole('list', { name: 'Items to edit' }).getByRole('listitem').first();

  const cdp = process.env.CONSOLE_BENCH_VERBOSE ? await followers[0]!.context().newCDPSession(followers[0]!) : null;
  if (cdp) {
    await cdp.send('Performance.enable');
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  }
  const metrics = async () => Object.fromEntries(((await cdp!.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }).metrics.map((m) => [m.name, m.value]));
  const before = cdp ? await metrics() : null;
  const perFollower: number[] = [];
  const perRound: number[] = [];
  const selfTime = new Map<string, number>();
  const addProfile = ({ profile }: { profile: CpuProfile }) => {
    const byNode = new Map<number, number>();
    profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const n of profile.nodes) {
      const t = byNode.get(n.id) ?? 0;
      if (!t) continue;
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      selfTime.set(key, (selfTime.get(key) ?? 0) + t);
    }
  };
  /** Follower 0's main-thread time per change (Save window minus idle window), from DevTools. */
  const follower0Change: Record<string, number> = {};
  // CPU used from each Save to 1.5 s later (the change's whole trip, then idle), and in as long
  // an idle window with no change, to tell the change's cost from the room's idle cost.
  const cpuSave: CpuSample = { hub: 0, renderer: 0, gpu: 0, browser: 0, utility: 0 };
  const cpuIdle: CpuSample = { hub: 0, renderer: 0, gpu: 0, browser: 0, utility: 0 };
  const addCpu = (acc: CpuSample, a: CpuSample, b: CpuSample) => {
    for (const k of KINDS) acc[k] += b[k] - a[k];
  };
  // Round 0 is a warm-up, not counted: the first change after boot pays one-off costs in every
  // page (code paths not yet compiled, first style recalc of the list) that no later change does.
  for (let r = 0; r <= ROUNDS; r++) {
    const title = `Round ${r}`;
    await target.getByRole('button', { name: 'Edit' }).click();
    await secPage.getByLabel('Title', { exact: true }).fill(title);
    const cpuA = cpuSeconds(hub.proc.pid!);
    const mA = cdp ? await metrics() : null;
    if (cdp && PROFILE && r > 0) await cdp.send('Profiler.start');
    await secPage.getByRole('button', { name: 'Save', exact: true }).click();
    const savedAt = await secPage.evaluate(() => window.__saveAt!.at(-1)!);
    const sentAt = await secPage.evaluate(() => (window as unknown as { __sentAt: number }).__sentAt);
    // Read the followers' timestamps once the change has had time to land: polling 50 pages while
    // they are still applying it would steal the very CPU being measured.
    if (cdp && PROFILE && r > 0) {
      // Follower 0's main thread in the 300 ms after the Save: the change's own work.
      await new Promise((res) => setTimeout(res, 300));
      addProfile((await cdp.send('Profiler.stop')) as { profile: CpuProfile });
      await new Promise((res) => setTimeout(res, 1200));
    } else await new Promise((res) => setTimeout(res, 1500));
    const cpuB = cpuSeconds(hub.proc.pid!);
    const mB = cdp ? await metrics() : null;
    if (r > 0) {
      addCpu(cpuSave, cpuA, cpuB);
      await new Promise((res) => setTimeout(res, 1500));
      addCpu(cpuIdle, cpuB, cpuSeconds(hub.proc.pid!));
      if (mA && mB) {
        const mC = await metrics();
        for (const k of ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration']) {
          follower0Change[k] = (follower0Change[k] ?? 0) + ((mB[k]! - mA[k]!) - (mC[k]! - mB[k]!)) * 1000;
        }
      }
    }
    const seen: number[] = [];
    for (const f of followers) {
      const at = await f.waitForFunction((t) => (window.__seen?.[t] ?? -1) > 0 ? window.__seen![t] : null, title, { timeout: 30_000, polling: 20 });
      seen.push((await at.jsonValue()) as number);
    }
    const lat = seen.map((s) => s - savedAt);
    if (r === 0) continue;
    if (process.env.CONSOLE_BENCH_VERBOSE) {
      const detail = await Promise.all(followers.map((f) => f.evaluate((t) => [window.__recv![t]!, window.__dom![t]!, window.__vis] as const, title)));
      const muts = await followers[0]!.evaluate(() => {
        const w = window as unknown as { __mutations: number };
        const n = w.__mutations;
        w.__mutations = 0;
        return n;
      });
      console.log(`round ${r}: secretary sent ${(sentAt - savedAt).toFixed(1)} ms after Save; follower 0 saw ${muts} DOM mutation records since the last round`);
      console.log(`round ${r}: ${lat.map((x, i) => `${x.toFixed(0)}(recv ${(detail[i]![0] - savedAt).toFixed(0)} dom ${(detail[i]![1] - savedAt).toFixed(0)} ${detail[i]![2]})`).join(' ')}`);
    }
    perFollower.push(...lat);
    perRound.push(Math.max(...lat));
    // Let the room settle so rounds do not overlap.
    await new Promise((res) => setTimeout(res, 150));
  }

  if (cdp && PROFILE) {
    const top = [...selfTime].filter(([k]) => !k.startsWith('(idle)')).sort((x, y) => y[1] - x[1]).slice(0, 25);
    console.log(`follower 0 self time in the 300 ms after each Save, per change (${ROUNDS} changes):`);
    for (const [k, us] of top) console.log(`  ${(us / 1000 / ROUNDS).toFixed(3)} ms  ${k}`);
  }
  if (cdp) console.log(`follower 0 main thread per change (save window minus idle window): ${Object.entries(follower0Change).map(([k, v]) => `${k} ${(v / ROUNDS).toFixed(2)} ms`).join(', ')}`);
  if (cdp && before) {
    const after = await metrics();
    const per = (k: string) => `${k} ${(((after[k] ?? 0) - (before[k] ?? 0)) * 1000 / (ROUNDS + 1)).toFixed(1)} ms`;
    console.log(`follower 0 main thread per save: ${['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'].map(per).join(', ')}`);
  }
  // The anchor runs with the room's pages closed, so each run has the machine to itself.
  for (const c of contexts.splice(0)) await c.close().catch(() => {});
  const anchor = process.env.CONSOLE_BENCH_NO_ANCHOR ? null : await nullPageAnchor(browser, FOLLOWERS, ROUNDS);
  console.log(`\n${FOLLOWERS} followers × ${ROUNDS} saves (one agenda item renamed per save), hub --sync ${SYNC}, Chromium ${browser.version()} ${CHROMIUM_ARGS.join(' ')}`);
  console.log('| measure | p50 | p99 | max | goal |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(`| Save → painted on one follower's screen (${perFollower.length} samples) | ${ms(pct(perFollower, 50))} | ${ms(pct(perFollower, 99))} | ${ms(Math.max(...perFollower))} | p99 < 100 ms |`);
  console.log(`| Save → painted on all ${FOLLOWERS} screens (per save) | ${ms(pct(perRound, 50))} | ${ms(pct(perRound, 99))} | ${ms(Math.max(...perRound))} | |`);
  if (anchor) {
    console.log(`| anchor: WebSocket frame → one line of text painted, per page, ${FOLLOWERS} plain pages | ${ms(pct(anchor.perFollower, 50))} | ${ms(pct(anchor.perFollower, 99))} | ${ms(Math.max(...anchor.perFollower))} | |`);
    console.log(`| anchor: painted on all ${FOLLOWERS} plain pages (per frame) | ${ms(pct(anchor.perRound, 50))} | ${ms(pct(anchor.perRound, 99))} | ${ms(Math.max(...anchor.perRound))} | |`);
  }
  // What the machine has to do for one change: with C cores the last of N followers cannot be
  // painted sooner than (Chromium CPU per change) / C.
  const perChange = (k: CpuKind) => ((cpuSave[k] - cpuIdle[k]) * 1000) / ROUNDS;
  const perIdle = (k: CpuKind) => (cpuIdle[k] * 1000) / ROUNDS;
  const chromiumKinds: CpuKind[] = ['renderer', 'gpu', 'browser', 'utility'];
  const allChange = chromiumKinds.reduce((n, k) => n + perChange(k), 0);
  console.log(`\nCPU per change (Save + 1.5 s, minus an idle 1.5 s), ${os.cpus().length} cores: all Chromium processes ${allChange.toFixed(0)} ms = ${(allChange / FOLLOWERS).toFixed(1)} ms per follower (${chromiumKinds.map((k) => `${k} ${perChange(k).toFixed(0)}`).join(', ')}); hub ${perChange('hub').toFixed(1)} ms`);
  if (anchor) console.log(`anchor CPU per change: all Chromium processes ${anchor.cpuPerChange.toFixed(0)} ms = ${(anchor.cpuPerChange / FOLLOWERS).toFixed(1)} ms per plain page`);
  console.log(`CPU while idle, per 1.5 s: ${chromiumKinds.map((k) => `${k} ${perIdle(k).toFixed(0)} ms`).join(', ')}`);
  console.log(pct(perFollower, 99) < 100 ? '\nconsole bench: goal met' : '\nconsole bench: goal missed');
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  await browser.close();
  await hub.stop();
}
process.exit(0);
