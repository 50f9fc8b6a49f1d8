// The renderer's HTTP client. It talks to whatever origin served the page (hub or agent; in
// Electron the privileged app protocol), with relative URLs. Every answer is untrusted: it is
// validated with the shared zod schemas before the UI sees it.
import { z } from 'zod';
import {
  agentStatusSchema, errorResponseSchema, meetingSummarySchema, paperSchema, participantSchema, presentSchema,
  sessionResponseSchema, userSchema, type AgentStatus, type MeetingSummary, type PresentRequest,
  type SessionResponse, type User,
} from '../shared/api.ts';
import { presentingSchema, type Presenting } from '../shared/meeting-doc.ts';

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

export const meetingDetailSchema = meetingSummarySchema.extend({
  participants: z.array(participantSchema.extend({ name: z.string(), login: z.string() })),
});
export type MeetingDetail = z.infer<typeof meetingDetailSchema>;

/** A paper as listed to this user; a manager also learns who a restricted paper is limited to. */
export const meetingPaperSchema = paperSchema.extend({ restrictTo: z.array(z.string()).optional() });
export type MeetingPaper = z.infer<typeof meetingPaperSchema>;

/** Base URL for API calls: '' means "the origin that served this page". */
let apiBase = '';
export function setApiBase(base: string): void {
  apiBase = base.replace(/\/$/, '');
}
export const apiUrl = (path: string): string => `${apiBase}${path}`;

async function request<T>(path: string, schema: z.ZodType<T> | null, init: RequestInit & { token?: string | null } = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`);
  if (typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  let res: Response;
  try {
    res = await fetch(apiUrl(path), { ...init, headers, credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    throw new ApiError(0, 'unreachable', err instanceof Error ? err.message : String(err));
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    const parsed = errorResponseSchema.safeParse(body);
    throw new ApiError(res.status, parsed.success ? parsed.data.error : 'http_error', parsed.success ? parsed.data.message : `HTTP ${res.status}`);
  }
  if (!schema) return undefined as T;
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError(res.status, 'bad_response', `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export async function signIn(login: string, password: string): Promise<SessionResponse> {
  return request('/api/session', sessionResponseSchema, { method: 'POST', body: JSON.stringify({ login, password }) });
}

/** One signed-in user's view of the API. The console (issue 5) builds on the same client. */
export class Api {
  readonly token: string;
  constructor(token: string) {
    this.token = token;
  }
  get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    return request(path, schema, { token: this.token });
  }
  send<T>(method: string, path: string, body: unknown, schema: z.ZodType<T> | null): Promise<T> {
    return request(path, schema, { method, token: this.token, body: body === undefined ? undefined : JSON.stringify(body) });
  }
  /** Raw request (uploads): the caller reads the response. */
  raw(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.token}`);
    return fetch(apiUrl(path), { ...init, headers, credentials: 'omit' });
  }
  session(): Promise<{ user: User }> {
    return this.get('/api/session', z.object({ user: userSchema }));
  }
  signOut(): Promise<void> {
    return this.send('DELETE', '/api/session', undefined, null);
  }
  meetings(): Promise<MeetingSummary[]> {
    return this.get('/api/meetings', z.array(meetingSummarySchema));
  }
  meeting(id: string): Promise<MeetingDetail> {
    return this.get(`/api/meetings/${encodeURIComponent(id)}`, meetingDetailSchema);
  }
  papers(meetingId: string): Promise<MeetingPaper[]> {
    return this.get(`/api/meetings/${encodeURIComponent(meetingId)}/papers`, z.array(meetingPaperSchema));
  }
  accounts(): Promise<User[]> {
    return this.get('/api/accounts', z.array(userSchema));
  }
  present(meetingId: string, req: PresentRequest): Promise<Presenting> {
    return this.send('POST', `/api/meetings/${encodeURIComponent(meetingId)}/present`, presentSchema.parse(req), presentingSchema);
  }
  stopPresenting(meetingId: string): Promise<void> {
    return this.send('DELETE', `/api/meetings/${encodeURIComponent(meetingId)}/present`, undefined, null);
  }
  /** Only an agent answers this; a hub says 404, which callers take as "not on an agent". */
  agentStatus(): Promise<AgentStatus> {
    return this.get('/api/agent/status', agentStatusSchema);
  }
  blobUrl(sha256: string): string {
    return apiUrl(`/api/blobs/${sha256}`);
  }
}
