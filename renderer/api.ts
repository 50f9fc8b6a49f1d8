// The renderer's HTTP client. It talks to whatever origin served the page (hub or agent; in
// Electron the privileged app protocol), with relative URLs. Every request is built from the
// route table (shared/routes.ts): its method, its path with the parameters filled in, and its
// parameters, query and body checked with the route's own schemas, so a request the hub would
// refuse as malformed is refused here the same way and never sent. Every answer is untrusted:
// it is checked with the route's response schema before the UI sees it.
import type { z } from 'zod';
import { errorResponseSchema, type AgentStatus, type MeetingDetail, type MeetingSummary, type PresentRequest, type SessionResponse, type User } from '../shared/api.ts';
import { pathFor, ROUTES, type RouteDef } from '../shared/routes.ts';
import type { Presenting } from '../shared/meeting-doc.ts';

export type { MeetingDetail };

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
  /** No answer at all (network down, server gone), as opposed to an answer that says no. */
  get unreachable(): boolean {
    return this.status === 0;
  }
}

// ---- what a caller hands a route and gets back, read off the table ---------------------------
type ParamValues<P> = P extends z.ZodObject ? { [K in keyof z.output<P>]: string | number } : never;

/** A route's parameters, query and JSON body, each as its schema takes it (before parsing). */
export type RequestOf<D extends RouteDef> =
  & (D['params'] extends z.ZodObject ? { params: ParamValues<D['params']> } : { params?: undefined })
  & (D['query'] extends z.ZodObject ? { query: z.input<D['query']> } : { query?: undefined })
  & (D['body'] extends { kind: 'json'; schema: infer S extends z.ZodType } ? { body: z.input<S> } : { body?: undefined });

/** What a route's answer parses to; void for a route that answers nothing (204). */
export type AnswerOf<D extends RouteDef> = D['response'] extends z.ZodType ? z.output<D['response']> : void;

/** A route this client calls with fetch: JSON or nothing in, JSON or nothing out. */
export type JsonRoute = RouteDef & { body: { kind: 'none' } | { kind: 'json' }; response?: z.ZodType };

/** The input may be left out when the route needs none. */
type InputArgs<D extends RouteDef> = object extends RequestOf<D> ? [input?: RequestOf<D>] : [input: RequestOf<D>];

/** A paper in a meeting's list; its managers also learn who a restricted paper is limited to. */
export type MeetingPaper = AnswerOf<typeof ROUTES.papers>[number];

/** Base URL for API calls: '' means "the origin that served this page". */
let apiBase = '';
export function setApiBase(base: string): void {
  apiBase = base.replace(/\/$/, '');
}
export const apiUrl = (path: string): string => `${apiBase}${path}`;

/** A route's method and path, as error messages name it. */
const routeName = (def: RouteDef) => `${def.method} ${def.path}`;

function firstIssue(err: z.ZodError): string {
  const first = err.issues[0];
  if (!first) return 'invalid';
  return `${first.path.length ? `${first.path.join('.')}: ` : ''}${first.message}`;
}

/** Parses outgoing input; a failure is the 400 the hub would answer, raised before sending. */
function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, 'bad_request', `invalid ${what}: ${firstIssue(parsed.error)}`);
  return parsed.data;
}

export interface PreparedRequest {
  method: RouteDef['method'];
  /** apiUrl of the path with its parameters filled and encoded, and the query. */
  url: string;
  /** The JSON body, serialized from what its schema parsed; absent when the route reads none. */
  body?: string;
}

/**
 * A route's request from its table entry, every part checked with the entry's schemas (throws
 * ApiError 400 `bad_request` on bad input). A raw `paper` body is the caller's to send.
 */
export function prepareRequest<D extends RouteDef>(def: D, input: RequestOf<D>): PreparedRequest {
  const given = input as { params?: Record<string, string | number>; query?: unknown; body?: unknown };
  const params: Record<string, string> = {};
  for (const [name, schema] of Object.entries((def.params?.shape ?? {}) as Record<string, z.ZodType>)) {
    // The hub sees every parameter as a path segment, a string: check it the way it will.
    const raw = given.params?.[name];
    const value = raw === undefined ? undefined : String(raw);
    check(schema, value, schema.description ?? name);
    if (value !== undefined) params[name] = value;
  }
  let search = '';
  if (def.query) {
    const query = check(def.query, given.query ?? {}, def.query.description ?? 'query') as Record<string, unknown>;
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
    search = q.size ? `?${q}` : '';
  }
  const out: PreparedRequest = { method: def.method, url: apiUrl(`${pathFor(def, params)}${search}`) };
  if (def.body.kind === 'json') out.body = JSON.stringify(check(def.body.schema, given.body, def.body.what));
  return out;
}

/**
 * A route's answer from its status and text: a refusal becomes ApiError with the server's code
 * and message; a success is checked with the route's response schema (a malformed one becomes
 * ApiError `bad_response`, never a crash further in). Shared by fetch and the upload's XHR.
 */
export function readAnswer<D extends RouteDef>(def: D, status: number, text: string): AnswerOf<D> {
  let body: unknown = undefined;
  let isJson = false;
  if (text) {
    try {
      body = JSON.parse(text);
      isJson = true;
    } catch {
      body = text;
    }
  }
  if (status < 200 || status >= 300) {
    const err = errorResponseSchema.safeParse(body);
    throw new ApiError(status, err.success ? err.data.error : 'http_error', err.success ? err.data.message : `HTTP ${status}`);
  }
  if (typeof def.response !== 'object') return undefined as AnswerOf<D>;
  if (!isJson) throw new ApiError(status, 'bad_response', `unexpected answer from ${routeName(def)}: not JSON`);
  const parsed = def.response.safeParse(body);
  if (!parsed.success) throw new ApiError(status, 'bad_response', `unexpected answer from ${routeName(def)}: ${firstIssue(parsed.error)}`);
  return parsed.data as AnswerOf<D>;
}

/**
 * Sends a route's request and reads the whole answer as text; status 0 never comes back (ApiError
 * instead). Cookies stay out (`omit`) but for the device-session routes (session.ts), which pass
 * `same-origin`: the agent's HttpOnly cookie travels with those and nothing else.
 */
export async function sendRoute<D extends JsonRoute>(def: D, input: RequestOf<D>, token: string | null, credentials: RequestCredentials = 'omit'): Promise<{ status: number; text: string }> {
  const req = prepareRequest(def, input);
  const headers = new Headers();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  if (req.body !== undefined) headers.set('Content-Type', 'application/json');
  try {
    const res = await fetch(req.url, { method: req.method, headers, body: req.body, credentials, cache: 'no-store' });
    return { status: res.status, text: await res.text() };
  } catch (err) {
    // No answer, or the connection dropped inside it: either way nothing was said.
    throw new ApiError(0, 'unreachable', err instanceof Error ? err.message : String(err));
  }
}

export async function callRoute<D extends JsonRoute>(def: D, input: RequestOf<D>, token: string | null, credentials?: RequestCredentials): Promise<AnswerOf<D>> {
  const { status, text } = await sendRoute(def, input, token, credentials);
  return readAnswer(def, status, text);
}

export function signIn(login: string, password: string): Promise<SessionResponse> {
  return callRoute(ROUTES.signIn, { body: { login, password } }, null);
}

/** One signed-in user's view of the API. The console builds on the same client. */
export class Api {
  readonly token: string;
  constructor(token: string) {
    this.token = token;
  }
  /** Calls a route of the table as this user. */
  call<D extends JsonRoute>(def: D, ...[input]: InputArgs<D>): Promise<AnswerOf<D>> {
    return callRoute(def, input ?? ({} as RequestOf<D>), this.token);
  }
  session(): Promise<{ user: User }> {
    return this.call(ROUTES.session);
  }
  /** With the cookie: on an agent, signing out also clears the device session's cookie. */
  signOut(): Promise<void> {
    return callRoute(ROUTES.signOut, {}, this.token, 'same-origin');
  }
  meetings(): Promise<MeetingSummary[]> {
    return this.call(ROUTES.meetings);
  }
  meeting(id: string): Promise<MeetingDetail> {
    return this.call(ROUTES.meeting, { params: { id } });
  }
  papers(meetingId: string): Promise<MeetingPaper[]> {
    return this.call(ROUTES.papers, { params: { id: meetingId } });
  }
  accounts(): Promise<User[]> {
    return this.call(ROUTES.accounts);
  }
  present(meetingId: string, req: PresentRequest): Promise<Presenting> {
    return this.call(ROUTES.present, { params: { id: meetingId }, body: req });
  }
  stopPresenting(meetingId: string): Promise<void> {
    return this.call(ROUTES.stopPresenting, { params: { id: meetingId } });
  }
  /** Only an agent answers this; a hub says 404, which callers take as "not on an agent". */
  agentStatus(): Promise<AgentStatus> {
    return this.call(ROUTES.agentStatus);
  }
  /** The viewer fetches files itself (pdf.js, with the token); this is where. */
  blobUrl(sha256: string): string {
    return apiUrl(pathFor(ROUTES.blob, { sha: sha256 }));
  }
}
