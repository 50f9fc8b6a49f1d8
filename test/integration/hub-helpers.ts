// Pieces the hub's integration tests share: a hub process that remembers its data folder, raw
// WebSocket connections for the cases a well-behaved provider never produces, and a second
// read-only look at the hub's SQLite file to prove what was (not) stored.
import crypto from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { api, signIn, startProcess, tempDir, type RunningProcess } from '../helpers/processes.ts';

export interface HubUnderTest extends RunningProcess {
  dataDir: string;
}

/** The real `npm run hub` process, with optional extra flags (e.g. --compact-every). */
export async function startHubIn(dataDir = tempDir('chamber-hub-'), opts: { demo?: boolean; args?: string[] } = {}): Promise<HubUnderTest> {
  const args = ['--data', dataDir, '--port', '0', '--quiet', ...(opts.demo ? ['--demo'] : []), ...(opts.args ?? [])];
  const proc = await startProcess('electron/hub/cli.ts', args);
  return Object.assign(proc, { dataDir });
}

export interface RawSocket {
  ws: WebSocket;
  /** Resolves with the close code and reason the server sent (or 1006 when the link just dropped). */
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  received: Buffer[];
}

export function rawSync(baseUrl: string, docName: string, token: string | null): RawSocket {
  const url = `${baseUrl.replace(/^http/, 'ws')}/sync/${docName}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const ws = new WebSocket(url);
  const received: Buffer[] = [];
  ws.on('message', (d: Buffer) => received.push(Buffer.from(d)));
  ws.on('error', () => {});
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before opening')));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  return { ws, closed, opened, received };
}

/** A bare TCP socket to the server behind `baseUrl`, connected (errors after that are ignored). */
export async function connectRaw(baseUrl: string): Promise<net.Socket> {
  const u = new URL(baseUrl);
  const sock = net.connect(Number(u.port), u.hostname);
  sock.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  return sock;
}

/**
 * Opens `/sync/<docName>` over a bare TCP socket (hand-made upgrade), writes `bytes` as they are,
 * and resolves with the code of the close frame the hub sends (null if the link drops without
 * one). For frames a WebSocket library will not send, such as a header announcing more than the
 * hub accepts, so the hub's answer to the header alone is seen.
 */
export async function rawFrameClose(baseUrl: string, docName: string, token: string, bytes: Buffer, timeoutMs = 10_000): Promise<number | null> {
  const u = new URL(baseUrl);
  const sock = await connectRaw(baseUrl);
  const key = crypto.randomBytes(16).toString('base64');
  sock.write(`GET /sync/${docName}?token=${encodeURIComponent(token)} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n`
    + `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  let buf = Buffer.alloc(0);
  let upgraded = false;
  return await new Promise<number | null>((resolve) => {
    const done = (code: number | null) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(code);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    sock.on('close', () => done(null));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buf.subarray(0, 12).toString().startsWith('HTTP/1.1 101')) return done(null);
        upgraded = true;
        buf = buf.subarray(end + 4);
        sock.write(bytes);
      }
      // Server frames are unmasked: opcode, 7-bit length (126/127: 16/64-bit length follows).
      while (buf.length >= 2) {
        const opcode = buf[0]! & 0x0f;
        let len = buf[1]! & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        if (buf.length < at + len) return;
        if (opcode === 0x8) return done(len >= 2 ? buf.readUInt16BE(at) : null);
        buf = buf.subarray(at + len);
      }
    });
  });
}

/** A second connection to the hub's database (WAL lets it read while the hub writes). */
export function openHubDb(dataDir: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.join(dataDir, 'hub.sqlite'));
  db.pragma('busy_timeout = 5000');
  return db;
}

/** A connection to the hub's page index (its own file since schema step 13: search/index-file.ts). */
export function openSearchDb(dataDir: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path.join(dataDir, 'search.sqlite'));
  db.pragma('busy_timeout = 5000');
  return db;
}

export function storedRows(db: BetterSqlite3.Database, doc: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM doc_updates WHERE doc = ?').get(doc) as { n: number }).n;
}

/** The document as the hub has committed it: snapshot plus log, merged into a fresh Y.Doc. */
export function storedDoc(db: BetterSqlite3.Database, doc: string): Y.Doc {
  const snap = db.prepare('SELECT data FROM doc_snapshots WHERE doc = ?').get(doc) as { data: Buffer } | undefined;
  const rows = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY id').all(doc) as Array<{ data: Buffer }>;
  const ydoc = new Y.Doc();
  const updates = [...(snap ? [snap.data] : []), ...rows.map((r) => r.data)];
  if (updates.length) Y.applyUpdate(ydoc, Y.mergeUpdates(updates));
  return ydoc;
}

export async function health(baseUrl: string): Promise<{ ok: boolean; docsLoaded: number }> {
  return (await (await fetch(`${baseUrl}/health`)).json()) as { ok: boolean; docsLoaded: number };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DemoHub {
  hub: HubUnderTest;
  /** The hub's database, open beside the process for the test to read. */
  db: BetterSqlite3.Database;
  /** The demo meeting (as delegate1, or else the first login, lists it first). */
  meetingId: string;
}

/** A demo hub with the named demo accounts signed in: their tokens and user ids go into `tokens` and `users`. */
export async function startDemoHub(tokens: Record<string, string>, users: Record<string, string>,
  logins: readonly string[] = ['admin', 'secretary', 'chair', 'delegate1', 'delegate2']): Promise<DemoHub> {
  const hub = await startHubIn(undefined, { demo: true });
  const db = openHubDb(hub.dataDir);
  for (const login of logins) {
    const s = await signIn(hub.url, login);
    tokens[login] = s.token;
    users[login] = s.user.id;
  }
  const meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.delegate1 ?? tokens[logins[0]!]!, '/api/meetings')).body[0]!.id;
  return { hub, db, meetingId };
}
