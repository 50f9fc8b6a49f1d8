// `npm run bench -- viewer`: the delegate's viewer in Debian's Chromium on freeculture.pdf (352
// pages), against pdfjs-dist's own PDFViewer on the same file in the same run (the anchor):
// open → first page painted (cold and from cache), page → next page painted, JS heap after
// paging through the whole book; and ink latency (work per pointer event, event → next frame).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'playwright-core';
import { ROOT, FIXTURES, api, signIn, startHub, tempDir } from '../helpers/processes.ts';
import { CHROMIUM, launchChromium } from '../e2e/browser.ts';

const BOOK = path.join(FIXTURES, 'freeculture.pdf');
if (!fs.existsSync(BOOK)) {
  console.log('viewer bench: skipped (../shared/fixtures is absent)');
  process.exit(0);
}
if (!fs.existsSync(CHROMIUM)) {
  console.log(`viewer bench: skipped (no Chromium at ${CHROMIUM})`);
  process.exit(0);
}
if (!fs.existsSync(path.join(ROOT, 'dist', 'index.html'))) {
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

// Nothing here may hang the bench run: a hard stop.
const deadline = setTimeout(() => {
  console.error('viewer bench: timed out');
  process.exit(1);
}, 8 * 60_000);

const VIEW = { width: 1280, height: 860 };
const PANE = { width: 960, height: 700 }; // the anchor gets the pane our viewer has beside the sidebar
const TURNS = 30;
/**
 * VIEWER_BENCH_LEVEL=confidential: the book is uploaded at that classification level, so every
 * page is watermarked (docs/classification.md; the issue's goal is under 10 % added to first page
 * and page turn). VIEWER_BENCH_NO_BOOK=1 skips paging through the whole book (the turns are timed
 * as before), for runs that compare those two figures only.
 */
const LEVEL = process.env.VIEWER_BENCH_LEVEL;
const NO_BOOK = !!process.env.VIEWER_BENCH_NO_BOOK;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const ms = (v: number) => `${v.toFixed(1)} ms`;
const mb = (v: number) => `${(v / 2 ** 20).toFixed(1)} MB`;

async function heap(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const r = await cdp.send('Runtime.getHeapUsage');
  return r.usedSize;
}

/** A static server for the anchor page: pdfjs-dist's files and the book, on loopback. */
function anchorServer(): Promise<http.Server> {
  const pdfjs = path.join(ROOT, 'node_modules/pdfjs-dist');
  const page = `<!doctype html><meta charset="utf-8"><link rel="stylesheet" href="/pdfjs/web/pdf_viewer.css">
<style>html,body{margin:0}#viewerContainer{position:absolute;left:0;top:0;width:${PANE.width}px;height:${PANE.height}px;overflow:auto;background:#525a66}</style>
<div id="viewerContainer"><div id="viewer" class="pdfViewer"></div></div>
<script type="module">
import * as pdfjsLib from '/pdfjs/build/pdf.mjs';
globalThis.pdfjsLib = pdfjsLib;
pdfjsLib.GlobalWorkerOptions.workerSrc = '/pdfjs/build/pdf.worker.min.mjs';
const { PDFViewer, EventBus, PDFLinkService } = await import('/pdfjs/web/pdf_viewer.mjs');
const eventBus = new EventBus();
const linkService = new PDFLinkService({ eventBus });
const viewer = new PDFViewer({ container: document.getElementById('viewerContainer'), eventBus, linkService });
linkService.setViewer(viewer);
const rendered = new Set();
let current = null;
eventBus.on('pagerendered', (e) => { rendered.add(e.pageNumber); window.dispatchEvent(new CustomEvent('anchor:painted', { detail: e.pageNumber })); });
eventBus.on('pagesinit', () => { viewer.currentScaleValue = 'page-width'; });
window.anchor = {
  open: () => new Promise(async (resolve) => {
    const t0 = performance.now();
    rendered.clear();
    const onPaint = (e) => { if (e.detail === 1) { window.removeEventListener('anchor:painted', onPaint); resolve(performance.now() - t0); } };
    window.addEventListener('anchor:painted', onPaint);
    current = pdfjsLib.getDocument({ url: '/book.pdf', cMapUrl: '/pdfjs/cmaps/', cMapPacked: true, standardFontDataUrl: '/pdfjs/standard_fonts/' });
    const doc = await current.promise;
    viewer.setDocument(doc);
    linkService.setDocument(doc);
  }),
  close: async () => { viewer.setDocument(null); linkService.setDocument(null); await current?.destroy(); current = null; },
  turn: (n) => new Promise((resolve) => {
    const t0 = performance.now();
    performance.mark('turn-' + n);
    const done = () => requestAnimationFrame(() => { performance.mark('turned-' + n); resolve(performance.now() - t0); });
    const pv = viewer.getPageView(n - 1);
    viewer.currentPageNumber = n;
    if (pv && pv.renderingState === 3) return done();
    const onPaint = (e) => { if (e.detail === n) { window.removeEventListener('anchor:painted', onPaint); done(); } };
    window.addEventListener('anchor:painted', onPaint);
  }),
  pages: () => viewer.pagesCount,
  canvases: () => document.querySelectorAll('canvas').length,
};
window.dispatchEvent(new Event('anchor:ready'));
</script>`;
  const types: Record<string, string> = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.bcmap': 'application/octet-stream', '.pfb': 'application/octet-stream', '.ttf': 'font/ttf', '.wasm': 'application/wasm' };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (url === '/book.pdf') {
      const bytes = fs.readFileSync(BOOK);
      return void res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': bytes.length, 'cache-control': 'private, max-age=3600' }).end(bytes);
    }
    if (url.startsWith('/pdfjs/')) {
      const file = path.join(pdfjs, path.normalize(url.slice('/pdfjs/'.length)));
      if (file.startsWith(pdfjs + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return void res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'max-age=3600' }).end(fs.readFileSync(file));
      }
    }
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * With VIEWER_BENCH_TRACE=dir: a Chrome trace of the timed turns (anchor.json, chamber.json),
 * each turn bracketed by user-timing marks `turn-N` and `turned-N`, for chrome://tracing or
 * Perfetto. Tracing slows every turn; the figures of a traced run are not comparable.
 */
const TRACE_DIR = process.env.VIEWER_BENCH_TRACE;
const startTrace = async (page: Page, name: string) => {
  if (!TRACE_DIR) return;
  fs.mkdirSync(TRACE_DIR, { recursive: true });
  await page.context().browser()!.startTracing(page, {
    path: path.join(TRACE_DIR, `${name}.json`),
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink.user_timing', 'v8.execute', 'cc', 'blink'],
  });
};
const stopTrace = async (page: Page) => {
  if (TRACE_DIR) await page.context().browser()!.stopTracing();
};

interface Result { firstCold: number; firstCached: number; turns: number[]; bookTurns: number[]; heapEarly: number; heapAll: number; canvases: number }

async function benchAnchor(page: Page, cdp: CDPSession, url: string): Promise<Result> {
  await page.goto(url);
  await page.waitForFunction(() => 'anchor' in window);
  const firstCold = await page.evaluate(() => (window as unknown as { anchor: { open(): Promise<number> } }).anchor.open());
  await page.evaluate(() => (window as unknown as { anchor: { close(): Promise<void> } }).anchor.close());
  const firstCached = await page.evaluate(() => (window as unknown as { anchor: { open(): Promise<number> } }).anchor.open());
  const turn = (n: number) => page.evaluate((k) => (window as unknown as { anchor: { turn(n: number): Promise<number> } }).anchor.turn(k), n);
  const turns: number[] = [];
  await startTrace(page, 'anchor');
  for (let n = 2; n <= TURNS + 1; n++) turns.push(await turn(n));
  await stopTrace(page);
  const heapEarly = await heap(cdp);
  const total = await page.evaluate(() => (window as unknown as { anchor: { pages(): number } }).anchor.pages());
  const bookTurns = [...turns];
  for (let n = TURNS + 2; n <= total; n++) bookTurns.push(await turn(n));
  const heapAll = await heap(cdp);
  const canvases = await page.evaluate(() => (window as unknown as { anchor: { canvases(): number } }).anchor.canvases());
  return { firstCold, firstCached, turns, bookTurns, heapEarly, heapAll, canvases };
}

async function benchChamber(page: Page, cdp: CDPSession, hubUrl: string, session: unknown, meetingId: string, paperId: string, title: string): Promise<Result & { inkWork: number[]; inkFrame: number[]; pageFinish: number[] }> {
  page.on('pageerror', (e) => console.log('  page error:', e.message));
  // Each page's finish (its watermark, if any, and the transfer to the screen: page-canvas.ts),
  // collected from the first page on, to compare with and without VIEWER_BENCH_LEVEL.
  await page.addInitScript(() => {
    window.__chamberPageFinish = [];
  });
  await page.goto(hubUrl + '/');
  await page.evaluate((s) => sessionStorage.setItem('chamber.session', JSON.stringify(s)), session);
  await page.goto(`${hubUrl}/#/m/${meetingId}`);
  await page.reload();
  await page.getByRole('link', { name: title, exact: true }).waitFor().catch(async (err: unknown) => {
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'bench-viewer-failure.png') });
    throw err;
  });
  const open = () => page.evaluate(({ title }) => new Promise<number>((resolve) => {
    const link = [...document.querySelectorAll('a')].find((a) => a.textContent === title)!;
    const t0 = performance.now();
    const onPaint = (e: Event) => {
      if ((e as CustomEvent<{ page: number }>).detail.page === 1) {
        window.removeEventListener('chamber:page-painted', onPaint);
        resolve(performance.now() - t0);
      }
    };
    window.addEventListener('chamber:page-painted', onPaint);
    link.click();
  }), { title });
  const firstCold = await open();
  console.log('  chamber: opened cold');
  // Clicked from script, as every turn is: a mouse left over the page by the harness would make
  // Chromium hit-test under it after every scroll, a cost the anchor (never given a mouse) does not pay.
  await page.getByRole('button', { name: 'Close' }).evaluate((b) => (b as HTMLButtonElement).click());
  await page.waitForFunction(() => !document.querySelector('.page'));
  const firstCached = await open();
  console.log('  chamber: reopened');
  const next = page.getByRole('button', { name: 'Next page' });
  await next.waitFor();
  const turn = (n: number) => page.evaluate((k) => new Promise<number>((resolve) => {
    const t0 = performance.now();
    performance.mark(`turn-${k}`);
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      window.removeEventListener('chamber:page-painted', onPaint);
      requestAnimationFrame(() => {
        performance.mark(`turned-${k}`);
        resolve(performance.now() - t0);
      });
    };
    // Listen before clicking: the paint may land before the next frame.
    const onPaint = (e: Event) => {
      if ((e as CustomEvent<{ page: number }>).detail.page === k) done();
    };
    window.addEventListener('chamber:page-painted', onPaint);
    const btn = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === 'Next page')!;
    btn.click();
    // Already painted as a neighbour: the turn is the scroll and the next frame, which is this
    // one (measured as the anchor's is; waiting one more frame here counted two).
    requestAnimationFrame(() => {
      if (finished || !document.querySelector(`.page[data-page-number="${k}"] canvas`)) return;
      finished = true;
      window.removeEventListener('chamber:page-painted', onPaint);
      performance.mark(`turned-${k}`);
      resolve(performance.now() - t0);
    });
  }), n);
  const timedTurn = (n: number) => Promise.race([turn(n), new Promise<number>((_, reject) => setTimeout(() => {
    void page.evaluate(() => [document.querySelector<HTMLInputElement>('input[aria-label="Page"]')?.value, [...document.querySelectorAll('.page')].map((p) => `${p.getAttribute('data-page-number')}:${p.getAttribute('data-painted')}`).join(' ')])
      .then((d) => reject(new Error(`page ${n} not painted in 10 s (field ${d[0]}, pages ${d[1]})`)), reject);
  }, 10_000))]);
  const turns: number[] = [];
  await startTrace(page, 'chamber');
  for (let n = 2; n <= TURNS + 1; n++) turns.push(await timedTurn(n));
  await stopTrace(page);
  const heapEarly = await heap(cdp);
  const total = Number((await page.locator('.viewer-status').textContent())?.match(/of (\d+)/)?.[1] ?? 0);
  console.log(`  chamber: ${TURNS} turns timed; paging to ${total}`);
  const bookTurns = [...turns];
  const last = NO_BOOK ? TURNS + 1 : total;
  for (let n = TURNS + 2; n <= last; n++) bookTurns.push(await timedTurn(n));
  const heapAll = await heap(cdp);
  const canvases = await page.locator('canvas').count();
  const watermarked = await page.locator('section.viewer[data-watermarked="true"]').count();
  if (LEVEL && !watermarked) throw new Error(`the book at level ${LEVEL} was not watermarked`);
  const pageFinish = await page.evaluate(() => window.__chamberPageFinish ?? []);

  // Ink: a 300-sample stroke on the current page with the pen tool.
  await page.getByRole('button', { name: 'Pen' }).click();
  const layer = page.locator(`[data-testid="ann-layer-${last}"]`);
  const box = (await layer.boundingBox())!;
  await page.evaluate(() => {
    window.__chamberInk = [];
    (window as unknown as { __inkFrames: number[] }).__inkFrames = [];
    window.addEventListener('pointermove', (e) => {
      if (e.buttons) requestAnimationFrame(() => (window as unknown as { __inkFrames: number[] }).__inkFrames.push(performance.now() - e.timeStamp));
    }, { capture: true });
  });
  const x0 = box.x + box.width * 0.2;
  const y0 = box.y + Math.min(box.height, 600) * 0.3;
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  for (let i = 1; i <= 300; i++) await page.mouse.move(x0 + (i % 100) * 5, y0 + Math.sin(i / 6) * 40 + Math.floor(i / 100) * 60);
  await page.mouse.up();
  const inkWork = await page.evaluate(() => window.__chamberInk ?? []);
  const inkFrame = await page.evaluate(() => (window as unknown as { __inkFrames: number[] }).__inkFrames);
  return { firstCold, firstCached, turns, bookTurns, heapEarly, heapAll, canvases, inkWork, inkFrame, pageFinish };
}

const dataDir = tempDir('chamber-bench-viewer-');
const hub = await startHub(dataDir, { demo: true });
const server = await anchorServer();
const browser = await launchChromium();
try {
  const secretary = await signIn(hub.url, 'secretary');
  const meetings = await api<Array<{ id: string }>>(hub.url, secretary.token, '/api/meetings');
  const meetingId = meetings.body[0]!.id;
  const title = 'Free Culture (bench)';
  const up = await api<{ id: string }>(hub.url, secretary.token, `/api/meetings/${meetingId}/documents?title=${encodeURIComponent(title)}${LEVEL ? `&level=${LEVEL}` : ''}`, {
    method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(fs.readFileSync(BOOK)),
  });
  if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
  const delegate = await signIn(hub.url, 'delegate1');

  const anchorCtx = await browser.newContext({ viewport: { width: PANE.width, height: PANE.height } });
  const anchorPage = await anchorCtx.newPage();
  console.log('  anchor: running');
  const anchor = process.env.SKIP_ANCHOR ? { firstCold: 0, firstCached: 0, turns: [0], bookTurns: [0], heapEarly: 0, heapAll: 0, canvases: 0 } : await benchAnchor(anchorPage, await anchorCtx.newCDPSession(anchorPage), `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await anchorCtx.close();

  const ctx = await browser.newContext({ viewport: VIEW, locale: 'en-US' });
  const page = await ctx.newPage();
  const ours = await benchChamber(page, await ctx.newCDPSession(page), hub.url, { token: delegate.token, user: delegate.user }, meetingId, up.body.id, title);
  await ctx.close();

  const row = (name: string, a: string, b: string, goal: string) => console.log(`| ${name} | ${a} | ${b} | ${goal} |`);
  console.log(`\nfreeculture.pdf${LEVEL ? ` at level ${LEVEL} (watermarked)` : ''}, ${TURNS} page turns timed${NO_BOOK ? '' : ', then paged to the end'}; Chromium ${browser.version()}`);
  console.log('| measure | Chamber viewer | pdf.js PDFViewer (anchor) | goal |');
  console.log('| --- | --- | --- | --- |');
  row('open → page 1 painted, cold', ms(ours.firstCold), ms(anchor.firstCold), '≤ anchor');
  row('open → page 1 painted, from cache', ms(ours.firstCached), ms(anchor.firstCached), '< 300 ms, ≤ anchor');
  if (process.env.VIEWER_BENCH_VERBOSE) {
    console.log(`  chamber, whole book (ms): ${ours.bookTurns.map((t) => t.toFixed(0)).join(' ')}`);
    console.log(`  anchor, whole book (ms): ${anchor.bookTurns.map((t) => t.toFixed(0)).join(' ')}`);
    console.log(`  chamber turns (ms): ${ours.turns.map((t) => t.toFixed(0)).join(' ')}`);
    console.log(`  anchor turns (ms): ${anchor.turns.map((t) => t.toFixed(0)).join(' ')}`);
  }
  row('page turn, p50', ms(pct(ours.turns, 50)), ms(pct(anchor.turns, 50)), '≤ anchor');
  row('page turn, p95', ms(pct(ours.turns, 95)), ms(pct(anchor.turns, 95)), '≤ anchor');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const book = (r: Result) => `${ms(pct(r.bookTurns, 50))} / ${ms(pct(r.bookTurns, 95))} / ${ms(mean(r.bookTurns))}`;
  row(`page turn over the whole book (${ours.bookTurns.length} turns), p50 / p95 / mean`, book(ours), book(anchor), '≤ anchor');
  row(`JS heap after ${TURNS + 1} pages`, mb(ours.heapEarly), mb(anchor.heapEarly), '');
  row('JS heap after all pages', mb(ours.heapAll), mb(anchor.heapAll), 'no growth with pages read');
  row('canvases in the DOM at the end', String(ours.canvases), String(anchor.canvases), 'bounded');
  row(`ink: work per pointer event, p50 / p99 / max (${ours.inkWork.length} events)`, `${ms(pct(ours.inkWork, 50))} / ${ms(pct(ours.inkWork, 99))} / ${ms(Math.max(...ours.inkWork))}`, '—', '< 16 ms');
  row('ink: pointer event → next frame, p50 / p99', `${ms(pct(ours.inkFrame, 50))} / ${ms(pct(ours.inkFrame, 99))}`, '—', '');
  row(`page finish${LEVEL ? ' (watermark + transfer)' : ' (transfer)'}, p50 / p95 / mean (${ours.pageFinish.length} pages)`,
    `${ms(pct(ours.pageFinish, 50))} / ${ms(pct(ours.pageFinish, 95))} / ${ms(mean(ours.pageFinish))}`, '—', LEVEL ? 'adds < 10 % of a page turn' : '');
  const ok = ours.firstCached < 300 && pct(ours.inkWork, 99) < 16 && ours.heapAll < ours.heapEarly * 1.5 + 8 * 2 ** 20;
  console.log(ok ? '\nviewer bench: absolute goals met' : '\nviewer bench: an absolute goal was missed');
  if (!process.env.SKIP_ANCHOR) {
    // Against the anchor of the same run: first page (cold and cached) and the page turn.
    const behind = [
      ours.firstCold > anchor.firstCold && 'first page cold',
      ours.firstCached > anchor.firstCached && 'first page from cache',
      pct(ours.turns, 50) > pct(anchor.turns, 50) && 'page turn p50',
      pct(ours.bookTurns, 50) > pct(anchor.bookTurns, 50) && 'whole-book page turn p50',
      mean(ours.bookTurns) > mean(anchor.bookTurns) && 'whole-book page turn mean',
    ].filter(Boolean);
    console.log(behind.length ? `viewer bench: behind the anchor on ${behind.join(', ')}` : 'viewer bench: no slower than the anchor on first page and page turn');
  }
} finally {
  await browser.close();
  server.close();
  await hub.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  clearTimeout(deadline);
}
