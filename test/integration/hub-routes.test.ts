// The hub registers its HTTP API from the route table and nothing besides it: every entry the
// hub serves answers at its method and path, no /api route exists outside the table, and the
// table's rules and body limits decide before the body is read. The services under the routes
// work without HTTP (the upload service and the sign-in service here, on the hub's own SQLite).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/processes.ts';
import { createHub, type Hub } from '../../electron/hub/hub.ts';
import { hashPassword } from '../../electron/hub/passwords.ts';
import { createSessionService } from '../../electron/hub/sessions.ts';
import { SignInThrottle } from '../../electron/core/sign-in-throttle.ts';
import { HttpError } from '../../electron/core/http-common.ts';
import { ROUTE_LIST, ROUTES } from '../../shared/routes.ts';
import { meetingDocName } from '../../shared/doc-names.ts';
import * as meetingDoc from '../../shared/meeting-doc.ts';

const FIXTURE_PDF = path.resolve(import.meta.dirname, '../../../shared/fixtures/pdfs');

let hub: Hub;
const registered: Array<{ method: string; url: string }> = [];

beforeAll(async () => {
  hub = await createHub({ dataDir: tempDir('chamber-routes-'), port: 0, log: () => {}, distDir: tempDir('chamber-no-dist-') });
  // Fastify prints the routes it holds as a tree, one path segment per line, four columns per
  // level; HEAD twins of GET routes are left out.
  const stack: string[] = [];
  for (const line of hub.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^(.*?)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const url = stack.join('');
    if (m[3]) for (const method of m[3].split(', ')) if (method !== 'HEAD') registered.push({ method, url });
  }
});
afterAll(async () => {
  await hub?.close();
});

describe('the hub and the route table', () => {
  it('registers every route the table says the hub serves', () => {
    for (const r of ROUTE_LIST.filter((x) => x.servedBy === 'hub' && !x.plugin)) {
      expect(hub.app.hasRoute({ method: r.method, url: r.path }), `${r.method} ${r.path}`).toBe(true);
    }
  });

  it('has no /api route outside the table, and none of the planned or agent-only ones', () => {
    const api = registered.filter((r) => r.url.startsWith('/api/') || r.url === '/health');
    expect(api.length).toBeGreaterThan(20);
    for (const r of api) {
      const entry = ROUTE_LIST.find((x) => x.method === r.method && x.path === r.url);
      expect(entry?.servedBy, `${r.method} ${r.url}`).toBe('hub');
    }
  });

  it('decides a participant rule before the body: an outsider\'s upload is 404 with its body unread', async () => {
    const pwHash = await hashPassword('outsider-pw');
    hub.db.createAccount({ login: 'outsider', name: 'Outsider', role: 'secretary', pwHash });
    const m = hub.db.createMeeting({ title: 'Closed door' });
    const signIn = await fetch(`${hub.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'outsider', password: 'outsider-pw' }) });
    const { token } = (await signIn.json()) as { token: string };
    // Announced as 150 MB (under the upload limit) but never sent: only a refusal from the
    // headers can answer before the client gives up.
    const res = await fetch(`${hub.url}/api/meetings/${m.id}/documents?title=x`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf' },
      body: new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(1024)) }),
      duplex: 'half',
      signal: AbortSignal.timeout(10_000),
    } as RequestInit);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: 'no such meeting' });
    expect(hub.db.papersOf(m.id)).toEqual([]);
  });
});

describe('the services under the routes, without HTTP', () => {
  it('signs in, throttles and authenticates through the session service', async () => {
    const sessions = createSessionService({ db: hub.db, throttle: new SignInThrottle({ policy: { freeFailures: 0, baseDelayMs: 60_000, maxDelayMs: 60_000 } }) });
    hub.db.createAccount({ login: 'svc', name: 'Service test', role: 'delegate', pwHash: await hashPassword('svc-password') });
    const ok = await sessions.signIn('svc', 'svc-password', '10.0.0.1');
    expect(sessions.authenticate(ok.token)?.account.login).toBe('svc');
    expect(sessions.authenticate('not-a-token')).toBeNull();
    const wrong = await sessions.signIn('svc', 'nope', '10.0.0.2').catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(HttpError);
    expect((wrong as HttpError).status).toBe(401);
    // No free failures here: the next attempt waits, even with the right password.
    const throttled = await sessions.signIn('svc', 'svc-password', '10.0.0.3').catch((e: unknown) => e);
    expect((throttled as HttpError).status).toBe(429);
  });

  it('stores a paper through the upload service and mirrors it into the meeting document', async () => {
    const file = fs.readdirSync(FIXTURE_PDF).filter((f) => f.endsWith('.pdf')).map((f) => path.join(FIXTURE_PDF, f))
      .find((f) => fs.statSync(f).size < 200_000)!;
    const admin = hub.db.createAccount({ login: 'svc-admin', name: 'Admin', role: 'admin', pwHash: await hashPassword('svc-admin-pw') });
    const m = hub.db.createMeeting({ title: 'Service upload' });
    const res = await hub.addPaper(admin, m.id, fs.readFileSync(file), { title: 'Fixture' });
    expect(res.version).toBe(1);
    expect(hub.db.paperVersions(res.id).map((v) => v.sha256)).toEqual([res.sha256]);
    expect(hub.store.blobInfo(res.sha256)?.complete).toBe(true);
    expect(ROUTES.upload.response.parse(res)).toEqual(res);
    const mirrored = hub.core.withDoc(meetingDocName(m.id), (doc) => meetingDoc.papersMap(doc).get(res.id)?.get('title'));
    expect(mirrored).toBe('Fixture');
  });
});
