// The agent's HTTP calls to the hub. Hub answers are untrusted input like any other: every JSON
// body is parsed with the shared zod schemas, and a network failure is told apart from a refusal
// so the agent can decide between "serve from cache" and "purge".
import { z } from 'zod';
import { meetingDetailSchema, type DeviceOrder, type MeetingDetail, type MeetingSummary, type PaperInfo, type SessionResponse, type User } from '../../shared/api.ts';
import { pathFor, ROUTES, type RouteDef } from '../../shared/routes.ts';
import { pendingRecallSchema, type PendingRecall } from '../../shared/recall.ts';

// The meeting detail's schema lives once in shared/api.ts; kept here under its old name.
export { meetingDetailSchema, type MeetingDetail };

/** A route of the table that answers JSON, and what its answer parses to. */
type JsonRoute = RouteDef & { response: z.ZodType };
type Answer<D extends JsonRoute> = z.output<D['response']>;

/** The hub could not be reached (refused, reset, timed out) or answered 5xx: try again later. */
export class HubUnreachableError extends Error {
  override name = 'HubUnreachableError';
}

/** The hub answered with a 4xx: a decision, not a fault. */
export class HubRefusedError extends Error {
  override name = 'HubRefusedError';
  readonly status: number;
  /** From a 429's Retry-After (whole seconds), when the hub sent one. */
  readonly retryAfterSec: number | null;
  constructor(status: number, message: string, retryAfterSec: number | null = null) {
    super(message);
    this.status = status;
    this.retryAfterSec = retryAfterSec;
  }
}

/** Retry-After in seconds (the delta form; the hub sends no dates), bounded to a day. */
function retryAfter(res: Response): number | null {
  const v = res.headers.get('retry-after');
  if (v === null || !/^\d{1,6}$/.test(v.trim())) return null;
  return Math.min(Number(v), 86_400);
}

export type RawInit = RequestInit & { timeoutMs?: number; serverErrors?: 'throw' | 'return' };

export class HubClient {
  readonly baseUrl: string;
  token: string | null = null;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, opts: { timeoutMs?: number } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  get wsUrl(): string {
    return this.baseUrl.replace(/^http/, 'ws') + '/sync';
  }

  /**
   * fetch that turns every transport failure and 5xx into HubUnreachableError; with
   * `serverErrors: 'return'` a 5xx is handed back instead, for a caller that tells the hub's own
   * error answers apart from an outage (hub-proxy.ts).
   */
  async raw(pathname: string, init: RawInit = {}): Promise<Response> {
    const { timeoutMs, serverErrors, ...rest } = init;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${pathname}`, {
        ...rest,
        signal: rest.signal ?? AbortSignal.timeout(timeoutMs ?? this.timeoutMs),
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(rest.headers as Record<string, string> | undefined) },
      });
    } catch (err) {
      throw new HubUnreachableError(`hub ${this.baseUrl} unreachable: ${(err as Error).cause ? String((err as Error & { cause: unknown }).cause) : (err as Error).message}`);
    }
    if (res.status >= 500 && serverErrors !== 'return') {
      await res.body?.cancel();
      throw new HubUnreachableError(`hub answered ${res.status}`);
    }
    return res;
  }

  /** Calls a route of the table and parses its answer with the table's response schema. */
  private call<D extends JsonRoute>(def: D, params: Record<string, string> = {}, init: RequestInit & { query?: string } = {}): Promise<Answer<D>> {
    const { query, ...rest } = init;
    return this.json(`${pathFor(def, params)}${query ?? ''}`, def.response as z.ZodType<Answer<D>>, { method: def.method, ...rest });
  }

  private async json<T>(pathname: string, schema: z.ZodType<T>, init: RequestInit & { onResponse?: (res: Response) => void } = {}): Promise<T> {
    const { onResponse, ...rest } = init;
    const res = await this.raw(pathname, rest);
    onResponse?.(res);
    const text = await res.text().catch((err: unknown) => {
      throw new HubUnreachableError(`hub connection lost while reading ${pathname}: ${String(err)}`);
    });
    if (res.status >= 400) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        /* not JSON: keep the text */
      }
      throw new HubRefusedError(res.status, message, retryAfter(res));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HubUnreachableError(`hub sent something that is not JSON for ${pathname}`);
    }
    const parsed = schema.safeParse(body);
    // A malformed answer is treated like an outage: nothing in the cache is replaced by it.
    if (!parsed.success) throw new HubUnreachableError(`hub answer for ${pathname} failed validation: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  }

  signIn(login: string, password: string): Promise<SessionResponse> {
    return this.call(ROUTES.signIn, {}, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });
  }

  async session(): Promise<User> {
    return (await this.call(ROUTES.session)).user;
  }

  meetings(): Promise<MeetingSummary[]> {
    return this.call(ROUTES.meetings);
  }

  meeting(id: string): Promise<MeetingDetail> {
    return this.call(ROUTES.meeting, { id });
  }

  papers(id: string): Promise<PaperInfo[]> {
    return this.call(ROUTES.papers, { id });
  }

  /** Wipe orders for this device and user that it has not acknowledged yet. */
  orders(deviceId: string): Promise<DeviceOrder[]> {
    return this.call(ROUTES.deviceOrders, {}, { query: `?deviceId=${encodeURIComponent(deviceId)}` });
  }

  /** Recalls this device has not confirmed, and the hub's clock (its answer's Date header). */
  async pendingRecalls(deviceId: string): Promise<{ recalls: PendingRecall[]; hubTime: number | null }> {
    let hubTime: number | null = null;
    const recalls = await this.json(`${pathFor(ROUTES.deviceRecalls)}?deviceId=${encodeURIComponent(deviceId)}`, z.array(pendingRecallSchema), {
      onResponse: (res) => {
        const t = Date.parse(res.headers.get('date') ?? '');
        hubTime = Number.isFinite(t) ? t : null;
      },
    });
    return { recalls, hubTime };
  }

  async ackRecall(id: string, deviceId: string): Promise<void> {
    await this.post(pathFor(ROUTES.ackRecall, { id }), { deviceId });
  }

  async ackOrder(id: number, deviceId: string): Promise<void> {
    await this.post(pathFor(ROUTES.ackOrder, { id: String(id) }), { deviceId });
  }

  /** A POST whose answer is only a status. */
  private async post(pathname: string, body: unknown): Promise<void> {
    const res = await this.raw(pathname, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text().catch(() => '');
    if (res.status >= 400) throw new HubRefusedError(res.status, text.slice(0, 300));
  }
}
