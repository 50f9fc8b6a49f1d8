// The fan-out measurement the hub bench made (hub.bench.ts), shared so other parts measure the
// same thing the same way (search.bench.ts: the fan-out while papers are indexed): one writer and
// N readers (real y-websocket providers over loopback) on one meeting document; the writer
// pushes agenda changes at a steady pace and every reader's doc reports when it has each one.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as meetingDoc from '../../shared/meeting-doc.ts';
import { pct } from './stats.ts';

// Every WebsocketProvider in Node adds a process 'exit' listener; hundreds of readers are intended.
process.setMaxListeners(0);

export interface FanoutTarget {
  url: string;
  docName: string;
  writerToken: string | null;
  /** Reader i uses token i modulo their number (null: the reference server takes none). */
  readerTokens: Array<string | null>;
}

export interface FanoutResult {
  updates: number;
  /** Per reader and change: from the writer's change to that reader having it. */
  p50: number;
  p99: number;
  max: number;
  /** Per change: until the last reader had it. */
  allP50: number;
  allP99: number;
  lost: number;
  /** Server CPU per agenda change, fan-out to N readers included (NaN without a pid). */
  cpuPerUpdate: number;
}

export interface FanoutSession {
  n: number;
  /** Seconds to connect and sync every reader. */
  connectS: number;
  /**
   * `updates` changes at `paceMs` after `warmup` unmeasured ones; `pid`: the server's, for its
   * CPU time. Can be called again on the same readers (the sequence goes on).
   */
  measure(opts: { updates: number; warmup: number; paceMs: number; pid?: number }): Promise<FanoutResult>;
  close(): void;
}

const ITEM = 'item-bench';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const whenSynced = (p: WebsocketProvider) => new Promise<void>((resolve) => (p.synced ? resolve() : p.once('sync', (s: boolean) => s && resolve())));

function connect(t: FanoutTarget, token: string | null, presence: Record<string, unknown> | null): { doc: Y.Doc; provider: WebsocketProvider } {
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

/** CPU time (user + system) the process has used, in ms. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Connects the writer and `n` readers (in batches of 25), each announcing presence if asked. */
export async function openFanout(t: FanoutTarget, n: number, presence: boolean): Promise<FanoutSession> {
  const writer = connect(t, t.writerToken, { user: { name: 'secretary' } });
  await whenSynced(writer.provider);
  if (!meetingDoc.readAgenda(writer.doc).some((i) => i.id === ITEM)) meetingDoc.addAgendaItem(writer.doc, ITEM, { title: 'bench 0' });

  const connectStart = performance.now();
  const readers: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];
  for (let i = 0; i < n; i += 25) {
    const batch = Array.from({ length: Math.min(25, n - i) }, (_, k) => connect(t, t.readerTokens[(i + k) % t.readerTokens.length] ?? null,
      presence ? { user: { name: `reader ${i + k}` }, page: 1 } : null));
    readers.push(...batch);
    await Promise.all(batch.map((r) => whenSynced(r.provider)));
  }
  const connectS = (performance.now() - connectStart) / 1000;

  // Per update: when it was sent, and when each reader first saw it (only while measuring).
  const sentAt = new Map<number, number>();
  const seenBy = new Map<number, number>();
  let deliveries: number[] = [];
  let allSeen: number[] = [];
  let measuring = false;
  let seq = 0;
  for (const r of readers) {
    let last = -1;
    r.doc.on('update', () => {
      const m = /^bench (\d+)$/.exec(meetingDoc.agendaMap(r.doc).get(ITEM)?.get('title') as string ?? '');
      const got = m ? Number(m[1]) : -1;
      if (got <= last) return;
      const now = performance.now();
      // A reader that skipped a sequence number saw it merged into a later one: count both.
      for (let s = last + 1; s <= got; s++) {
        const sent = sentAt.get(s);
        if (sent === undefined || !measuring) continue;
        deliveries.push(now - sent);
        const count = (seenBy.get(s) ?? 0) + 1;
        seenBy.set(s, count);
        if (count === readers.length) allSeen.push(now - sent);
      }
      last = got;
    });
  }
  await sleep(500);

  return {
    n,
    connectS,
    async measure({ updates, warmup, paceMs, pid }) {
      deliveries = [];
      allSeen = [];
      sentAt.clear();
      seenBy.clear();
      let cpuStart = 0;
      for (let k = 1; k <= warmup + updates; k++) {
        if (k === warmup + 1) {
          await sleep(200);
          measuring = true;
          if (pid) cpuStart = cpuMs(pid);
        }
        seq++;
        if (measuring) sentAt.set(seq, performance.now());
        meetingDoc.updateAgendaItem(writer.doc, ITEM, { title: `bench ${seq}` });
        await sleep(paceMs);
      }
      const deadline = performance.now() + 15_000;
      while (allSeen.length < updates && performance.now() < deadline) await sleep(50);
      measuring = false;
      const cpuPerUpdate = pid ? (cpuMs(pid) - cpuStart) / updates : NaN;
      return {
        updates, p50: pct(deliveries, 50), p99: pct(deliveries, 99), max: deliveries.length ? deliveries.reduce((a, b) => Math.max(a, b)) : NaN,
        allP50: pct(allSeen, 50), allP99: pct(allSeen, 99), lost: updates * n - deliveries.length, cpuPerUpdate,
      };
    },
    close() {
      for (const r of readers) r.provider.destroy();
      writer.provider.destroy();
    },
  };
}
