// Agent benchmarks (`npm run bench -- agent`): bounded, exits by itself.
//  1. catch-up: 10,000 updates made on the hub while the agent was away; time from startAgent()
//     until the agent's replica holds all of them (goal < 1 s);
//  2. cold start with 20 cached meetings (40 documents), hub unreachable (goal < 500 ms);
//  3. paper distribution: one hub process, 50 agents (in this process), a 20 MB paper each,
//     against Debian's nginx serving the same file from disk to 50 concurrent clients
//     (goal: >= 80% of nginx's throughput).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { createHub } from '../../electron/hub/hub.ts';
import { hashPassword } from '../../electron/hub/passwords.ts';
import { startAgent, type Agent } from '../../electron/agent/agent.ts';
import { DocStore, openDatabase } from '../../electron/core/store.ts';
import { downloadBlob } from '../../electron/agent/prefetch.ts';
import { encryptedCacheOpener, encryptPlainDatabase } from '../../electron/core/cipher-db.ts';
import { startHub, signIn, api } from '../helpers/processes.ts';
import { meetingDocName, notesDocName } from '../../shared/doc-names.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import * as notesDoc from '../../shared/notes-doc.ts';

const quiet = () => {};
const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), `chamber-bench-${p}-`));
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const results: string[] = [];
const report = (line: string) => {
  console.log(line);
  results.push(line);
};

async function waitUntil(cond: () => boolean, timeoutMs: number, what: string, stepMs = 2): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

async function seededHub(dir: string, meetings: number) {
  const hub = await createHub({ dataDir: dir, port: 0, log: quiet, distDir: path.join(dir, 'no-dist'), db: { synchronous: 'NORMAL' } });
  const pw = await hashPassword('pw');
  const user = hub.db.createAccount({ login: 'del', name: 'Delegate', role: 'delegate', pwHash: pw });
  const sec = hub.db.createAccount({ login: 'sec', name: 'Secretary', role: 'secretary', pwHash: pw });
  const ids: string[] = [];
  for (let i = 0; i < meetings; i++) {
    const m = hub.db.createMeeting({ title: `Meeting ${i}`, status: 'published' });
    hub.db.setParticipant(m.id, user.id, 'delegate');
    hub.db.setParticipant(m.id, sec.id, 'secretary');
    ids.push(m.id);
  }
  return { hub, userId: user.id, ids };
}

// ---- 1. catch-up -------------------------------------------------------------------------------
async function catchUp(): Promise<void> {
  const dir = tmp('catchup');
  const { hub, ids } = await seededHub(path.join(dir, 'hub'), 1);
  const id = ids[0]!;
  const agentDir = path.join(dir, 'agent');
  let agent = await startAgent({ hubUrl: hub.url, dataDir: agentDir, port: 0, login: 'del', password: 'pw', log: quiet, refreshMs: 60_000 });
  await waitUntil(() => agent.status().hub === 'online' && agent.status().prefetch.length === 1, 20_000, 'agent online', 10);
  await agent.close();
  // 10,000 separate updates (each its own transaction and log row on the hub), made while away.
  const t0 = process.hrtime.bigint();
  hub.core.withDoc(meetingDocName(id), (doc) => {
    for (let i = 0; i < 10_000; i++) {
      if (i % 10 === 0) meetingDoc.addAgendaItem(doc, `item-${i}`, { title: `Item ${i}` });
      else meetingDoc.updateAgendaItem(doc, `item-${i - (i % 10)}`, { durationMin: i });
    }
  });
  console.log(`  (made 10,000 updates on the hub in ${ms(t0).toFixed(0)} ms)`);
  const t1 = process.hrtime.bigint();
  agent = await startAgent({ hubUrl: hub.url, dataDir: agentDir, port: 0, log: quiet, refreshMs: 60_000 });
  const started = ms(t1);
  const doc = agent.core.pin(meetingDocName(id));
  await waitUntil(() => meetingDoc.agendaMap(doc).size === 1000 && meetingDoc.agendaMap(doc).get('item-9990')?.get('durationMin') === 9999, 20_000, 'caught up', 1);
  const total = ms(t1);
  report(`catch-up after 10,000 hub updates: ${total.toFixed(0)} ms from startAgent() to converged (of which start-up ${started.toFixed(0)} ms) — goal < 1000 ms: ${total < 1000 ? 'met' : 'MISSED'}`);
  agent.core.unpin(meetingDocName(id));
  await agent.close();
  await hub.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- 2. cold start ---------------------------------------------------------------------------------
async function coldStart(): Promise<void> {
  const dir = tmp('cold');
  const { hub, ids, userId } = await seededHub(path.join(dir, 'hub'), 20);
  for (const id of ids) {
    hub.core.withDoc(meetingDocName(id), (doc) => {
      for (let i = 0; i < 30; i++) meetingDoc.addAgendaItem(doc, `item-${i}`, { title: `Agenda item ${i} of meeting ${id}` });
    });
    hub.core.withDoc(notesDocName(id, userId), (doc) => {
      for (let i = 0; i < 100; i++) notesDoc.putAnnotation(doc, { id: `n${i}`, kind: 'ink', tool: 'pen', color: '#000', width: 2, paperId: 'p', sha256: 'a'.repeat(64), page: 1 + (i % 10), createdAt: i, points: Array.from({ length: 150 }, (_, k) => k) });
    });
  }
  const agentDir = path.join(dir, 'agent');
  const first = await startAgent({ hubUrl: hub.url, dataDir: agentDir, port: 0, login: 'del', password: 'pw', log: quiet, refreshMs: 60_000 });
  await waitUntil(() => first.status().hub === 'online' && first.status().prefetch.length === 20, 30_000, 'replicated 20 meetings', 10);
  await first.close();
  await hub.close();
  // The same cache encrypted (the default for the desktop app and the headless agent alike).
  const encDir = path.join(dir, 'agent-encrypted');
  fs.cpSync(agentDir, encDir, { recursive: true });
  const key = crypto.randomBytes(32).toString('hex');
  const keyFile = path.join(dir, 'agent.key');
  fs.writeFileSync(keyFile, key, { mode: 0o600 });
  encryptPlainDatabase(path.join(encDir, 'agent.sqlite'), key);
  // The hub is gone (its port closed): the agent starts from its cache alone.
  for (const [label, dataDir, openDb] of [['plain cache', agentDir, undefined], ['encrypted cache', encDir, encryptedCacheOpener(key)]] as const) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = process.hrtime.bigint();
      const a = await startAgent({ hubUrl: hub.url, dataDir, port: 0, log: quiet, refreshMs: 60_000, openDatabase: openDb });
      const res = await fetch(`${a.url}/health`);
      await res.text();
      runs.push(ms(t0));
      if (a.core.loadedDocs().length !== 40) throw new Error(`expected 40 loaded docs, got ${a.core.loadedDocs().length}`);
      await a.close();
    }
    runs.sort((x, y) => x - y);
    const median = runs[2]!;
    report(`cold start, ${label}, 20 cached meetings (40 docs, 600 agenda items, 2,000 annotations), hub down: median ${median.toFixed(0)} ms (min ${runs[0]!.toFixed(0)}, max ${runs[4]!.toFixed(0)}) from startAgent() to listening with every doc loaded — goal < 500 ms: ${median < 500 ? 'met' : 'MISSED'}`);
  }
  // A fresh process as well: Node start-up, type stripping and module loading on top.
  const t0 = process.hrtime.bigint();
  const proc = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../electron/agent/cli.ts'), '--hub', hub.url, '--data', encDir, '--key-file', keyFile, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/listening on/.test(out)) resolve();
    });
    proc.once('exit', (c) => reject(new Error(`agent exited ${c}`)));
  });
  const procMs = ms(t0);
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  report(`cold start as a fresh process, encrypted cache (node start-up + module loading included): ${procMs.toFixed(0)} ms to its "listening" line`);
  fs.rmSync(dir, { recursive: true, force: true });
}

// ---- 3. distribution ----------------------------------------------------------------------------------
async function bigPdf(bytes: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]).drawText('Chamber distribution benchmark', { x: 50, y: 780, size: 18 });
  // Random bytes do not compress: the file on the wire is as big as it says.
  await pdf.attach(crypto.randomBytes(bytes), 'payload.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function startNginx(root: string): Promise<{ url: string; stop: () => Promise<void> } | null> {
  const which = spawnSync('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx']);
  const bin = which.stdout.toString().trim().split('\n')[0];
  if (which.status !== 0 || !bin) return null;
  const port = await freePort();
  const conf = path.join(root, 'nginx.conf');
  fs.writeFileSync(conf, `
daemon off;
worker_processes 1;
${process.getuid?.() === 0 ? 'user root;' : ''}
pid ${root}/nginx.pid;
error_log ${root}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${root}/tmp-body;
  proxy_temp_path ${root}/tmp-proxy;
  fastcgi_temp_path ${root}/tmp-fcgi;
  uwsgi_temp_path ${root}/tmp-uwsgi;
  scgi_temp_path ${root}/tmp-scgi;
  server { listen 127.0.0.1:${port}; root ${root}/files; }
}
`);
  const proc = spawn(bin, ['-c', conf, '-p', root], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAsync(async () => (await fetch(`${url}/`).then((r) => (r.body?.cancel(), true)).catch(() => false)), 10_000);
  return { url, stop: async () => { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); } };
}

async function waitUntilAsync(cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await cond())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** 50 clients doing exactly what an agent's prefetch does (stream, sha256, chunked SQLite writes). */
async function prefetchLikeClients(n: number, url: (i: number) => string, headers: Record<string, string>, sha: string, size: number, dir: string): Promise<number> {
  const stores = Array.from({ length: n }, (_, i) => new DocStore(openDatabase(path.join(dir, `c${i}.sqlite`))));
  const t0 = process.hrtime.bigint();
  await Promise.all(stores.map((store, i) => downloadBlob({
    store, sha256: sha, size, signal: new AbortController().signal,
    fetchBlob: (range, signal) => fetch(url(i), { headers: { ...headers, ...(range ? { range } : {}) }, signal }),
  })));
  const t = ms(t0);
  for (const s of stores) s.close();
  return t;
}

/** 50 clients that only read the bytes (the server's raw capacity). */
async function plainClients(n: number, url: string, headers: Record<string, string>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: n }, async () => {
    const res = await fetch(url, { headers });
    const reader = res.body!.getReader();
    for (;;) if ((await reader.read()).done) break;
  }));
  return ms(t0);
}

async function distribution(): Promise<void> {
  const N = 50;
  const dir = tmp('dist');
  const bytes = await bigPdf(20 * 1024 * 1024);
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  const mb = (bytes.length * N) / 1e6;
  const hubProc = await startHub(path.join(dir, 'hub'), { demo: true });
  const agents: Agent[] = [];
  try {
    const sec = await signIn(hubProc.url, 'secretary');
    const meetingId = (await api<Array<{ id: string }>>(hubProc.url, sec.token, '/api/meetings')).body[0]!.id;
    // 50 devices of the room, all replicated (demo papers prefetched) before the big upload.
    for (let i = 0; i < N; i++) {
      agents.push(await startAgent({ hubUrl: hubProc.url, dataDir: path.join(dir, `agent-${i}`), port: 0, login: `delegate${1 + (i % 3)}`, password: 'demo', log: quiet, refreshMs: 120_000 }));
    }
    await waitUntil(() => agents.every((a) => a.status().hub === 'online'), 120_000, 'agents online', 50);
    const up = await fetch(`${hubProc.url}/api/meetings/${meetingId}/documents?title=Big`, { method: 'POST', headers: { authorization: `Bearer ${sec.token}`, 'content-type': 'application/pdf' }, body: new Uint8Array(bytes) });
    if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${await up.text()}`);
    const t0 = process.hrtime.bigint();
    // No nudge from here: each agent learns of the paper from the meeting document (papersRev).
    await waitUntil(() => agents.every((a) => a.store.blobInfo(sha)?.complete), 300_000, 'all agents have the paper', 20);
    const hubToAgents = ms(t0);
    report(`distribution: 1 hub → ${N} agents × ${(bytes.length / 1e6).toFixed(1)} MB: ${hubToAgents.toFixed(0)} ms, ${(mb / (hubToAgents / 1000)).toFixed(0)} MB/s (from upload done; includes noticing the paper through the meeting doc, listing, sha256, SQLite writes)`);
    for (const a of agents.splice(0)) await a.close();

    const tok = (await signIn(hubProc.url, 'delegate1')).token;
    const hubPlain = await plainClients(N, `${hubProc.url}/api/blobs/${sha}`, { authorization: `Bearer ${tok}` });
    report(`  hub → ${N} plain clients (read and discard): ${hubPlain.toFixed(0)} ms, ${(mb / (hubPlain / 1000)).toFixed(0)} MB/s`);
    const hubPrefetch = await prefetchLikeClients(N, () => `${hubProc.url}/api/blobs/${sha}`, { authorization: `Bearer ${tok}` }, sha, bytes.length, fs.mkdtempSync(path.join(dir, 'hc-')));
    report(`  hub → ${N} prefetch-like clients: ${hubPrefetch.toFixed(0)} ms, ${(mb / (hubPrefetch / 1000)).toFixed(0)} MB/s`);

    const nroot = path.join(dir, 'nginx');
    fs.mkdirSync(path.join(nroot, 'files'), { recursive: true });
    fs.writeFileSync(path.join(nroot, 'files', `${sha}.pdf`), bytes);
    const nginx = await startNginx(nroot);
    if (!nginx) {
      report('  nginx anchor: NOT RUN — nginx is not installed (apt-get install -y nginx); no comparison made');
      return;
    }
    try {
      const ngPlain = await plainClients(N, `${nginx.url}/${sha}.pdf`, {});
      report(`  nginx (1 worker, sendfile) → ${N} plain clients: ${ngPlain.toFixed(0)} ms, ${(mb / (ngPlain / 1000)).toFixed(0)} MB/s`);
      const ngPrefetch = await prefetchLikeClients(N, () => `${nginx.url}/${sha}.pdf`, {}, sha, bytes.length, fs.mkdtempSync(path.join(dir, 'nc-')));
      report(`  nginx → ${N} prefetch-like clients: ${ngPrefetch.toFixed(0)} ms, ${(mb / (ngPrefetch / 1000)).toFixed(0)} MB/s`);
      const ratioAgents = ngPrefetch / hubToAgents;
      const ratioRaw = ngPlain / hubPlain;
      report(`  hub→agents vs nginx→same client work: ${(ratioAgents * 100).toFixed(0)}% — goal >= 80%: ${ratioAgents >= 0.8 ? 'met' : 'MISSED'}`);
      report(`  hub vs nginx, raw serving to plain clients: ${(ratioRaw * 100).toFixed(0)}%`);
    } finally {
      await nginx.stop();
    }
  } finally {
    for (const a of agents) await a.close();
    await hubProc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const which = process.argv.slice(2);
const parts: Array<[string, () => Promise<void>]> = [['catch-up', catchUp], ['cold-start', coldStart], ['distribution', distribution]];
for (const [name, fn] of parts) {
  if (which.length > 0 && !which.includes(name)) continue;
  console.log(`-- ${name}`);
  await fn();
}
console.log('\nagent bench summary:\n' + results.join('\n'));
process.exit(0);
