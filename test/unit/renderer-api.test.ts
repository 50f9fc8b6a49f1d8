// The renderer's client (renderer/api.ts, renderer/console/console-api.ts) against a fake fetch and
// a fake XMLHttpRequest that record what is sent: every call goes out as its route in the table
// says (method, path, params, query, body), input the table's schemas refuse is never sent, and
// answers are read as the table says (the server's refusals, malformed answers, no answer).
// That these paths are the ones the real hub serves is proven by the e2e tests.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError, prepareRequest, readAnswer, setApiBase, signIn } from '../../renderer/api.ts';
import {
  createMeeting, deletePaper, handPresenter, patchPaper, removeParticipant, setParticipant, updateMeeting, uploadPaper,
} from '../../renderer/console/console-api.ts';
import { ROUTES } from '../../shared/routes.ts';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

const SHA = 'a'.repeat(64);
const meeting = { id: 'm1', title: 'Budget', startsAt: null, room: null, status: 'draft', myRole: 'secretary' };
const user = { id: 'u1', login: 'sec', name: 'Sec', role: 'secretary' };
const paper = { id: 'p1', meetingId: 'm1', title: 'Minutes', restricted: false, versions: [] };

let sent: Sent[] = [];
let answers: Array<() => Promise<Response>> = [];
const answer = (status: number, body?: unknown) =>
  answers.push(async () => new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), { status }));

beforeEach(() => {
  sent = [];
  answers = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    sent.push({
      method: init.method ?? 'GET',
      url,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body,
    });
    const next = answers.shift();
    if (!next) throw new Error('the test gave no answer for this request');
    return next();
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setApiBase('');
});

describe('requests come from the route table', () => {
  const api = new Api('tok');

  it('sends each reader call as its route, with the token and no body', async () => {
    answer(200, { user });
    answer(200, [meeting]);
    answer(200, { ...meeting, participants: [{ userId: 'u1', role: 'secretary', name: 'Sec', login: 'sec' }] });
    answer(200, [paper]);
    answer(200, [user]);
    answer(200, { hub: 'online', prefetch: [] });
    await api.session();
    await api.meetings();
    await api.meeting('m-1');
    await api.papers('m_2');
    await api.accounts();
    await api.agentStatus();
    expect(sent.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /api/session', 'GET /api/meetings', 'GET /api/meetings/m-1', 'GET /api/meetings/m_2/papers', 'GET /api/accounts', 'GET /api/agent/status',
    ]);
    for (const s of sent) {
      expect(s.headers.authorization).toBe('Bearer tok');
      expect(s.body).toBeUndefined();
      expect(s.headers['content-type']).toBeUndefined();
    }
  });

  it('sends each change as its route with a JSON body, and reads 204 as nothing', async () => {
    answer(200, { userId: 'u1', paperId: 'p1', sha256: SHA, page: 3, at: 1 });
    answer(204);
    answer(204);
    answer(201, meeting);
    answer(200, meeting);
    answer(200, [{ userId: 'u2', role: 'delegate', name: 'D', login: 'd' }]);
    answer(204);
    answer(200, paper);
    answer(204);
    answer(200, { presenterId: null });
    expect(await api.present('m1', { paperId: 'p1', page: 3 })).toMatchObject({ page: 3 });
    expect(await api.stopPresenting('m1')).toBeUndefined();
    expect(await api.signOut()).toBeUndefined();
    expect(await createMeeting(api, { title: 'Budget' })).toEqual(meeting);
    await updateMeeting(api, 'm1', { status: 'published' });
    expect(await setParticipant(api, 'm1', 'u2', 'delegate')).toHaveLength(1);
    await removeParticipant(api, 'm1', 'u2');
    await patchPaper(api, 'p1', { restrictTo: ['u2'] });
    expect(await deletePaper(api, 'p1')).toBeUndefined();
    expect(await handPresenter(api, 'm1', null)).toEqual({ presenterId: null });
    expect(sent.map((s) => [`${s.method} ${s.url}`, s.body])).toEqual([
      ['POST /api/meetings/m1/present', { paperId: 'p1', page: 3 }],
      ['DELETE /api/meetings/m1/present', undefined],
      ['DELETE /api/session', undefined],
      ['POST /api/meetings', { title: 'Budget' }],
      ['PATCH /api/meetings/m1', { status: 'published' }],
      ['PUT /api/meetings/m1/participants/u2', { role: 'delegate' }],
      ['DELETE /api/meetings/m1/participants/u2', undefined],
      ['PATCH /api/papers/p1', { restrictTo: ['u2'] }],
      ['DELETE /api/papers/p1', undefined],
      ['PUT /api/meetings/m1/presenter', { userId: null }],
    ]);
    for (const s of sent) expect(s.headers['content-type']).toBe(s.body === undefined ? undefined : 'application/json');
  });

  it('signs in without a token, and sends what the body schema parsed', async () => {
    answer(200, { token: 't', user, expiresAt: '2030-01-01T00:00:00Z' });
    await signIn('sec', 'pw');
    answer(201, meeting);
    await createMeeting(new Api('tok'), { title: '  Budget  ' });
    expect(sent[0]).toMatchObject({ method: 'POST', url: '/api/session', body: { login: 'sec', password: 'pw' } });
    expect(sent[0]!.headers.authorization).toBeUndefined();
    // The hub trims the title too; what is sent is what it will store.
    expect(sent[1]!.body).toEqual({ title: 'Budget' });
  });

  it('puts the base in front of every URL, the file URL too', async () => {
    setApiBase('http://127.0.0.1:9/base/');
    answer(200, []);
    await api.meetings();
    expect(sent[0]!.url).toBe('http://127.0.0.1:9/base/api/meetings');
    expect(api.blobUrl(SHA)).toBe(`http://127.0.0.1:9/base/api/blobs/${SHA}`);
  });

  it('fills, encodes and checks parameters, and builds the query from its schema', () => {
    const up = prepareRequest(ROUTES.upload, { params: { id: 'm1' }, query: { title: ' Budget ', fileName: 'a b&c.pdf', restrictTo: 'u1,u2' } });
    expect(up).toEqual({ method: 'POST', url: '/api/meetings/m1/documents?title=Budget&fileName=a+b%26c.pdf&restrictTo=u1%2Cu2' });
    expect(prepareRequest(ROUTES.wipeOrders, { query: { meetingId: 'm1' } }).url).toBe('/api/devices/wipe?meetingId=m1');
    // A number parameter is checked as the path segment the hub will see.
    expect(prepareRequest(ROUTES.ackOrder, { params: { id: 7 }, body: { deviceId: 'd1' } })).toEqual({ method: 'POST', url: '/api/devices/orders/7/ack', body: '{"deviceId":"d1"}' });
  });
});

describe('input the table refuses is never sent', () => {
  const api = new Api('tok');
  const refused = async (p: Promise<unknown>, message: RegExp) => {
    const err = await p.then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'bad_request' });
    expect((err as ApiError).message).toMatch(message);
  };

  it('refuses bad parameters, bodies and queries with the message the hub would give', async () => {
    await refused(api.meeting('../accounts'), /^invalid meeting id: must be an id/);
    await refused(setParticipant(api, 'm1', 'U 2', 'delegate'), /^invalid user id: /);
    await refused(api.present('m1', { paperId: 'p1', page: 0 }), /^invalid presentation: page: /);
    await refused(createMeeting(api, { title: '   ' }), /^invalid meeting: title: /);
    await refused(updateMeeting(api, 'm1', { status: 'gone' as 'draft' }), /^invalid meeting: status: /);
    await refused(signIn('', 'pw'), /^invalid sign-in request: login: /);
    expect(() => prepareRequest(ROUTES.upload, { params: { id: 'm1' }, query: { title: 'x'.repeat(301) } })).toThrow(/^invalid upload parameters: title: /);
    expect(() => prepareRequest(ROUTES.wipeOrders, { query: { meetingId: 'm1', extra: 1 } as { meetingId: string } })).toThrow(/^invalid query: /);
    expect(sent).toEqual([]);
  });

  it('types each call by its route', () => {
    // Compile-time checks (npm run typecheck); at run time each is refused before sending.
    // @ts-expect-error: the route has a parameter
    expect(() => prepareRequest(ROUTES.meeting, {})).toThrow(/^invalid meeting id: /);
    // @ts-expect-error: not a field of the presentation
    expect(() => prepareRequest(ROUTES.present, { params: { id: 'm1' }, body: { paperId: 'p1', page: 1, zoom: 2 } })).toThrow(/unrecognized key|zoom/i);
    // @ts-expect-error: the route takes no query
    void (() => api.call(ROUTES.meetings, { query: { q: 'x' } }));
  });
});

describe('answers are read as the table says', () => {
  const api = new Api('tok');
  const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as ApiError);

  it('turns a refusal into ApiError with the server\'s code and message', async () => {
    answer(403, { error: 'forbidden', message: 'only an admin may do this' });
    answer(401, { error: 'unauthorized', message: 'sign in first' });
    answer(502, '<html>bad gateway</html>');
    expect(await failure(api.accounts())).toMatchObject({ status: 403, code: 'forbidden', message: 'only an admin may do this' });
    expect(await failure(api.meetings())).toMatchObject({ status: 401, code: 'unauthorized', message: 'sign in first', unreachable: false });
    expect(await failure(api.session())).toMatchObject({ status: 502, code: 'http_error', message: 'HTTP 502' });
  });

  it('turns a malformed answer into a clear error naming the route and the field', async () => {
    answer(200, [{ ...meeting, title: 5 }]);
    answer(200, 'not json at all');
    answer(200, { ...paper, versions: [{ version: 1 }] });
    const bad = await failure(api.meetings());
    expect(bad).toMatchObject({ status: 200, code: 'bad_response' });
    expect(bad.message).toMatch(/^unexpected answer from GET \/api\/meetings: 0\.title: /);
    expect(await failure(api.agentStatus())).toMatchObject({ code: 'bad_response', message: 'unexpected answer from GET /api/agent/status: not JSON' });
    expect((await failure(patchPaper(api, 'p1', { title: 'x' }))).message).toMatch(/^unexpected answer from PATCH \/api\/papers\/:id: versions\.0\.sha256: /);
  });

  it('tells no answer at all apart from an answer', async () => {
    answers.push(() => Promise.reject(new TypeError('Failed to fetch')));
    const err = await failure(api.meetings());
    expect(err).toMatchObject({ status: 0, code: 'unreachable', message: 'Failed to fetch', unreachable: true });
  });

  it('reads a route without a response schema as nothing, whatever came', () => {
    expect(readAnswer(ROUTES.signOut, 204, '')).toBeUndefined();
    expect(readAnswer(ROUTES.removePaper, 200, '{"x":1}')).toBeUndefined();
    expect(() => readAnswer(ROUTES.removePaper, 404, '{"error":"not_found","message":"no such paper"}')).toThrow('no such paper');
  });
});

// ---- the upload: XMLHttpRequest, for its progress events --------------------------------------
class FakeXhr {
  static last: FakeXhr | null = null;
  opened: [string, string] | null = null;
  headers: Record<string, string> = {};
  sentBody: unknown = null;
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.opened = [method, url];
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: unknown) {
    this.sentBody = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = typeof body === 'string' ? body : JSON.stringify(body);
    this.onload?.();
  }
}

describe('the upload', () => {
  const api = new Api('tok');
  const file = Object.assign(new Blob(['%PDF-1.4']), { name: 'Budget plan.docx' });
  beforeEach(() => {
    FakeXhr.last = null;
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  });

  it('posts the file to the route with its query, media type and token, and reports progress', async () => {
    const progress: number[] = [];
    const h = uploadPaper(api, { meetingId: 'm1', file, kind: 'docx', title: 'Budget plan', replace: 'p1', restrictTo: ['u1', 'u2'], onProgress: (f) => progress.push(f) });
    const xhr = FakeXhr.last!;
    expect(xhr.opened).toEqual(['POST', '/api/meetings/m1/documents?title=Budget+plan&fileName=Budget+plan.docx&replace=p1&restrictTo=u1%2Cu2']);
    expect(xhr.headers).toEqual({ authorization: 'Bearer tok', 'content-type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(xhr.sentBody).toBe(file);
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 1, total: 4 });
    xhr.answer(201, { id: 'p1', sha256: SHA, pages: 2, version: 2 });
    expect(await h.promise).toEqual({ id: 'p1', sha256: SHA, pages: 2, version: 2 });
    expect(progress).toEqual([0.25, 1]);
  });

  it('leaves out what was not given, and refuses what the query schema refuses without sending', async () => {
    uploadPaper(api, { meetingId: 'm1', file, kind: 'pdf', title: '', restrictTo: [] });
    expect(FakeXhr.last!.opened).toEqual(['POST', '/api/meetings/m1/documents?fileName=Budget+plan.docx']);
    expect(FakeXhr.last!.headers['content-type']).toBe('application/pdf');
    const h = uploadPaper(api, { meetingId: 'm1', file, kind: 'pdf', replace: 'P 1' });
    await expect(h.promise).rejects.toMatchObject({ status: 400, code: 'bad_request', message: expect.stringMatching(/^invalid upload parameters: replace: /) });
    expect(FakeXhr.last!.opened).toBeNull();
  });

  it('reads refusals, malformed answers, a lost connection and a cancel as ApiErrors', async () => {
    const refusedUpload = uploadPaper(api, { meetingId: 'm1', file, kind: 'pdf' });
    FakeXhr.last!.answer(415, { error: 'unsupported_media_type', message: 'unsupported content type' });
    await expect(refusedUpload.promise).rejects.toMatchObject({ status: 415, code: 'unsupported_media_type', message: 'unsupported content type' });
    const malformed = uploadPaper(api, { meetingId: 'm1', file, kind: 'pdf' });
    FakeXhr.last!.answer(201, { id: 'p1', pages: 2 });
    await expect(malformed.promise).rejects.toMatchObject({ code: 'bad_response', message: expect.stringMatching(/^unexpected answer from POST \/api\/meetings\/:id\/documents: sha256: /) });
    const lost = uploadPaper(api, { meetingId: 'm1', file, kind: 'pdf' });
    FakeXhr.last!.onerror?.();
    await expect(lost.promise).rejects.toMatchObject({ status: 0, code: 'unreachable' });
    const cancelled = uploadPaper(api, { meetingId: 'm1', file, kind: 'pdf' });
    cancelled.abort();
    await expect(cancelled.promise).rejects.toMatchObject({ status: 0, code: 'aborted' });
  });
});
