// Every HTTP request path of the real hub process is total: malformed addresses, headers and
// bodies get a bounded 4xx that repeats nothing of the input, the process lives, nothing is
// stored; a body is read only by a route that takes it, from a caller allowed to send it, and
// hostile bodies in flight do not stall anyone else.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type BetterSqlite3 from 'better-sqlite3';
import { api, signIn } from '../helpers/processes.ts';
import { openHubDb, startHubIn, type HubUnderTest } from './hub-helpers.ts';
import { headOf, rawRequest, type RawResponse } from './raw-http.ts';

let hub: HubUnderTest;
let db: BetterSqlite3.Database;
let meetingId: string;
const tokens: Record<string, string> = {};
const MB = 1024 * 1024;
/** Written into hostile input; an answer that contains it has echoed the request. */
const MARK = 'ECHO-MARK-7f3a';

/** Rows in every table a request could write to: equal before and after means nothing was stored. */
function footprint(): Record<string, number> {
  const tables = ['accounts', 'sessions', 'meetings', 'participants', 'papers', 'paper_versions', 'blobs', 'blob_chunks', 'doc_updates', 'doc_snapshots', 'audit', 'devices'];
  return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n]));
}

async function alive(): Promise<void> {
  const res = await fetch(`${hub.url}/health`);
  expect(res.status).toBe(200);
}

function expectRefusal(what: string, res: RawResponse, status: number | [number, number]): void {
  const [lo, hi] = typeof status === 'number' ? [status, status] : status;
  expect({ what, status: res.status }, what).toEqual({ what, status: res.status >= lo && res.status <= hi ? res.status : `${lo}-${hi}` });
  expect(res.body.length, `${what}: answer size`).toBeLessThan(1024);
  expect(res.body, `${what}: echoes input`).not.toContain(MARK);
  if (res.body) expect(() => JSON.parse(res.body), `${what}: JSON error`).not.toThrow();
}

beforeAll(async () => {
  hub = await startHubIn(undefined, { demo: true });
  db = openHubDb(hub.dataDir);
  for (const login of ['secretary', 'delegate1']) tokens[login] = (await signIn(hub.url, login)).token;
  meetingId = (await api<Array<{ id: string }>>(hub.url, tokens.secretary!, '/api/meetings')).body[0]!.id;
});
afterAll(async () => {
  db?.close();
  await hub?.stop();
});

describe('bodies are refused from the headers, unread', () => {
  it('answers before the body is sent: wrong type on sign-in, no session, not a manager, no such route', async () => {
    const before = footprint();
    const upload = `POST /api/meetings/${meetingId}/documents?title=x HTTP/1.1`;
    const cases: Array<[string, string, number]> = [
      ['10 MB application/pdf to sign-in', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/pdf', 'Content-Length': 10 * MB }), 415],
      ['10 MB JSON to sign-in', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': 10 * MB }), 413],
      ['anonymous 150 MB upload', headOf(upload, { 'Content-Type': 'application/pdf', 'Content-Length': 150 * MB }), 401],
      ['a delegate\'s 150 MB upload', headOf(upload, { 'Content-Type': 'application/pdf', 'Content-Length': 150 * MB, Authorization: `Bearer ${tokens.delegate1}` }), 403],
      ['a 150 MB upload with an unknown parameter', headOf(`${upload}&bogus=${MARK}`, { 'Content-Type': 'application/pdf', 'Content-Length': 150 * MB, Authorization: `Bearer ${tokens.secretary}` }), 400],
      ['a 250 MB upload', headOf(upload, { 'Content-Type': 'application/pdf', 'Content-Length': 250 * MB, Authorization: `Bearer ${tokens.secretary}` }), 413],
      ['10 MB to an account route without a session', headOf('PATCH /api/accounts/x HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': 10 * MB }), 401],
      ['10 MB PDF to a JSON route', headOf(`PATCH /api/meetings/${meetingId} HTTP/1.1`, { 'Content-Type': 'application/pdf', 'Content-Length': 10 * MB, Authorization: `Bearer ${tokens.secretary}` }), 415],
      ['10 MB to no route', headOf('POST /api/nowhere HTTP/1.1', { 'Content-Type': 'application/pdf', 'Content-Length': 10 * MB }), 404],
      ['chunked body to sign-in as text', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked' }), 415],
    ];
    for (const [what, head, status] of cases) {
      // Only the headers go out: an answer now proves the body was never needed.
      const res = await rawRequest(hub.url, head, { bodySize: 10 * MB, sendAtMost: 0 });
      expectRefusal(what, res, status);
      expect(res.bodySentBeforeAnswer, what).toBe(0);
    }
    await alive();
    expect(footprint()).toEqual(before);
  });

  it('keeps answering /health while hostile bodies are in flight, and stores none of them', async () => {
    const before = footprint();
    const keys = Object.fromEntries(Array.from({ length: 8000 }, (_, i) => [`${MARK}-${i}`, MARK]));
    const hostile = [
      // Sent whole, as fast as the hub takes them.
      rawRequest(hub.url, headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/pdf', 'Content-Length': 10 * MB }), { bodySize: 10 * MB }),
      rawRequest(hub.url, headOf(`POST /api/meetings/${meetingId}/documents?title=noise HTTP/1.1`, {
        'Content-Type': 'application/pdf', 'Content-Length': 40 * MB, Authorization: `Bearer ${tokens.secretary}`,
      }), { bodySize: 40 * MB, timeoutMs: 60_000 }),
      fetch(`${hub.url}/api/meetings/${meetingId}`, {
        method: 'PATCH', headers: { authorization: `Bearer ${tokens.secretary}`, 'content-type': 'application/json' }, body: JSON.stringify(keys).slice(0, 60_000) + '}',
      }).then(async (r) => ({ status: r.status, headers: {}, body: await r.text(), bodySentBeforeAnswer: -1 })),
      fetch(`${hub.url}/api/meetings/${meetingId}`, {
        method: 'PATCH', headers: { authorization: `Bearer ${tokens.secretary}`, 'content-type': 'application/json' }, body: JSON.stringify(Object.fromEntries(Object.entries(keys).slice(0, 1200))),
      }).then(async (r) => ({ status: r.status, headers: {}, body: await r.text(), bodySentBeforeAnswer: -1 })),
    ];
    let settled = false;
    const all = Promise.allSettled(hostile).finally(() => (settled = true));
    let probes = 0;
    while (!settled) {
      const t = performance.now();
      const res = await fetch(`${hub.url}/health`);
      expect(res.status).toBe(200);
      await res.text();
      // A deadline, not a speed goal: before the guards one such body held the loop for 29 s.
      expect(performance.now() - t).toBeLessThan(3000);
      probes++;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(probes).toBeGreaterThan(0);
    const [signInPdf, noise, brokenJson, manyKeys] = (await all).map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    expectRefusal('10 MB PDF to sign-in, sent whole', signInPdf!, 415);
    expectRefusal('40 MB upload that is not a PDF', noise!, 422);
    expectRefusal('60 KB of broken JSON', brokenJson!, 400);
    // 1,200 unknown fields (48 KB): the answer names a few, cut short, and never a value.
    expect(manyKeys!.status).toBe(400);
    expect(manyKeys!.body.length).toBeLessThan(1024);
    expect(manyKeys!.body).toMatch(/unknown fields .* and 1195 more/);
    expect(manyKeys!.body).not.toContain(`:"${MARK}`);
    await alive();
    expect(footprint()).toEqual(before);
  }, 90_000);
});

describe('a well-behaved client whose body is refused unread', () => {
  it('reads the refusal (not a dropped connection), and its next requests work', async () => {
    const post = (path: string, type: string, size: number, token?: string) => fetch(`${hub.url}${path}`, {
      method: 'POST', headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: new Uint8Array(size).fill(0x25),
    });
    for (let round = 0; round < 3; round++) {
      expect((await post('/api/session', 'application/pdf', 1 * MB)).status).toBe(415);
      expect((await post(`/api/meetings/${meetingId}/documents?title=x`, 'application/pdf', 5 * MB, 'expired-token')).status).toBe(401);
      expect((await post('/api/session', 'application/json', 100 * 1024)).status).toBe(413);
      expect((await post(`/api/meetings/${meetingId}/documents?title=x`, 'application/pdf', 5 * MB, tokens.delegate1)).status).toBe(403);
      // The same client (and its pool of connections) carries on.
      await alive();
      expect((await api(hub.url, tokens.secretary!, '/api/meetings')).status).toBe(200);
    }
  });
});

describe('a refused body that keeps coming', () => {
  it('is not read: the connection stops taking it and is cut a few seconds after the answer', async () => {
    const u = new URL(hub.url);
    const sock = net.connect(Number(u.port), u.hostname);
    await new Promise<void>((resolve) => sock.once('connect', resolve));
    sock.write(headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/pdf', 'Content-Length': 4096 * MB }));
    let answer = '';
    let sent = 0;
    sock.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    const ended = new Promise<void>((resolve) => {
      sock.once('close', () => resolve());
      sock.on('error', () => {});
    });
    const piece = Buffer.alloc(256 * 1024, 0x42);
    const started = performance.now();
    // Keeps writing a 4 GB body the hub refused, as a hostile client would.
    const pump = () => {
      while (!sock.destroyed && performance.now() - started < 30_000) {
        sent += piece.length;
        if (!sock.write(piece)) return void sock.once('drain', pump);
      }
    };
    pump();
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 415 /);
    // A whole answer, marked as the connection's last, with the headers every answer carries.
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
    expect(head).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
    expect(Number(/\r\ncontent-length: (\d+)/i.exec(head!)?.[1])).toBe(Buffer.byteLength(body!));
    expect(JSON.parse(body!)).toMatchObject({ error: 'unsupported_media_type' });
    // Only what the two sockets' buffers hold was ever written: the hub stopped reading at its answer.
    expect(sent).toBeLessThan(64 * MB);
    expect(performance.now() - started).toBeLessThan(25_000);
    await alive();
  }, 40_000);
});

describe('malformed requests', () => {
  it('each gets a bounded 4xx that repeats nothing, the hub lives, nothing is stored', async () => {
    const before = footprint();
    const auth = { Authorization: `Bearer ${tokens.secretary}` };
    const json = (line: string, body: string, extra: Record<string, string> = {}) =>
      headOf(line, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...auth, ...extra }) + body;
    const cases: Array<[string, string, number | [number, number], { head?: boolean }?]> = [
      ['bad escape in an API path', headOf(`GET /api/meetings/%ff${MARK} HTTP/1.1`, auth), 400],
      ['truncated escape in a path', headOf(`GET /%E0%A4%A-${MARK} HTTP/1.1`), 400],
      ['bad escape in the sync path', headOf(`GET /sync/%ff${MARK} HTTP/1.1`), 400],
      ['bad escape in the update feed', headOf(`GET /updates/%ff${MARK} HTTP/1.1`), 400],
      ['bad escape in a query', headOf(`GET /api/devices/orders?deviceId=%ff${MARK} HTTP/1.1`, auth), 400],
      ['bad escape in an upload\'s title', headOf(`POST /api/meetings/${meetingId}/documents?title=%E0%A4-${MARK} HTTP/1.1`, { ...auth, 'Content-Type': 'application/pdf', 'Content-Length': 10 }) + '%PDF-1.7\n\n', 400],
      ['a NUL in an id', headOf('GET /api/meetings/%00 HTTP/1.1', auth), 400],
      ['an over-long id', headOf(`GET /api/meetings/${MARK}${'a'.repeat(800)} HTTP/1.1`, auth), [400, 414]],
      ['100 KB of headers', headOf('GET /health HTTP/1.1', { 'X-Big': MARK + 'a'.repeat(100_000) }), 431],
      ['a 20 KB address', headOf(`GET /api/meetings?${MARK}=${'a'.repeat(20_000)} HTTP/1.1`, auth), 431],
      ['a header line without a colon', headOf('GET /health HTTP/1.1', {}).replace('\r\n\r\n', `\r\n${MARK} no colon\r\n\r\n`), 400],
      ['an unknown method', headOf(`BREW /${MARK} HTTP/1.1`), 400],
      ['Content-Length that is not a number', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': `12${MARK}` }), 400],
      ['Content-Length and chunked together', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': 5, 'Transfer-Encoding': 'chunked' }) + '0\r\n\r\n', 400],
      ['broken JSON', json('POST /api/session HTTP/1.1', `{"login":"${MARK}",`), 400],
      ['a JSON string', json('POST /api/session HTTP/1.1', `"${MARK}"`), 400],
      ['a JSON array', json('POST /api/session HTTP/1.1', `["${MARK}"]`), 400],
      ['a JSON number', json(`PATCH /api/meetings/${meetingId} HTTP/1.1`, '42'), 400],
      ['JSON null', json(`PUT /api/meetings/${meetingId}/participants/abc HTTP/1.1`, 'null'), 400],
      ['a JSON string where a participant goes', json(`PUT /api/meetings/${meetingId}/participants/abc HTTP/1.1`, `"${MARK}${'x'.repeat(5000)}"`), 400],
      ['__proto__ in JSON', json('POST /api/session HTTP/1.1', `{"__proto__":{"x":"${MARK}"},"login":"a","password":"b"}`), 400],
      ['a wrong value', json(`PATCH /api/meetings/${meetingId} HTTP/1.1`, `{"status":"${MARK}"}`), 400],
      ['an empty JSON body', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/json', 'Content-Length': 0 }), 400],
      ['a form', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': 20 }) + `login=${MARK}&p=1`.padEnd(20, 'x'), 415],
      ['a malformed content type', headOf('POST /api/session HTTP/1.1', { 'Content-Type': `;;${MARK};`, 'Content-Length': 2 }) + '{}', 415],
      ['a body without a content type', headOf('POST /api/session HTTP/1.1', { 'Content-Length': 2 }) + '{}', 415],
      ['a charset JSON cannot have', headOf('POST /api/session HTTP/1.1', { 'Content-Type': 'application/json; charset=utf-16', 'Content-Length': 2 }) + '{}', [400, 415]],
      ['OPTIONS', headOf('OPTIONS /api/session HTTP/1.1'), 404],
      ['HEAD without a session', headOf('HEAD /api/meetings HTTP/1.1'), 401, { head: true }],
      ['HEAD of a blob that is not one', headOf(`HEAD /api/blobs/${MARK} HTTP/1.1`, auth), 400, { head: true }],
      ['an unknown API route', headOf(`GET /api/${MARK} HTTP/1.1`, auth), 404],
      ['DELETE on no route', headOf(`DELETE /api/${MARK} HTTP/1.1`, auth), 404],
    ];
    for (const [what, request, status, opts] of cases) {
      const res = await rawRequest(hub.url, request, { head: opts?.head });
      expectRefusal(what, res, status);
      await alive();
    }
    expect(footprint()).toEqual(before);
  });

  it('a refused sign-in body gets the same bounded answer through fetch', async () => {
    const res = await fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'a', password: 'b', [MARK]: MARK }) });
    const body = await res.text();
    expect(res.status).toBe(400);
    expect(body).toContain('unknown field');
    // The name of an unknown field is cut short; its value is never repeated.
    expect(body.match(new RegExp(MARK, 'g'))!.length).toBeLessThanOrEqual(2);
    const long = await fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'a', password: 'b', [`${'k'.repeat(3000)}${MARK}`]: 1 }) });
    expect(long.status).toBe(400);
    expect(await long.text()).not.toContain(MARK);
  });
});
