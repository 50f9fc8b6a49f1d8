// Procedure commands and reads through the route table, like every other call (renderer/api.ts
// builds and checks the request and the answer), with two additions: every answer's `serverTime`
// feeds the hub-clock estimate (clock.ts), and the raw answer is kept beside the parsed one so a
// field the table's response schema does not (yet) name is still readable. Nothing here retries
// or queues: a procedure command the hub did not take is the user's to send again (the brief —
// a queued command could reorder speakers or arrive after a vote closed).
import { ApiError, readAnswer, sendRoute, type AnswerOf, type Api, type JsonRoute, type RequestOf } from '../api.ts';
import { observeHubTime } from './clock.ts';

export interface ProcedureAnswer<D extends JsonRoute> {
  answer: AnswerOf<D>;
  /** The JSON as the server sent it (undefined for an empty answer). */
  raw: unknown;
}

export async function procedureCall<D extends JsonRoute>(api: Api, def: D, input: RequestOf<D>): Promise<ProcedureAnswer<D>> {
  const { status, text } = await sendRoute(def, input, api.token);
  let raw: unknown = undefined;
  try {
    raw = text ? JSON.parse(text) : undefined;
  } catch {
    /* readAnswer says what was wrong with it */
  }
  const serverTime = (raw as { serverTime?: unknown } | undefined)?.serverTime;
  if (typeof serverTime === 'number') observeHubTime(serverTime);
  return { answer: readAnswer(def, status, text), raw };
}

/**
 * The hub was not reached: the tablet's agent answers 503 without its hub, and a page served by
 * the hub itself gets no answer at all when the hub is gone.
 */
export const needsHub = (err: unknown): boolean => err instanceof ApiError && (err.status === 503 || err.status === 0);

export const isConflict = (err: unknown, code?: string): boolean => err instanceof ApiError && err.status === 409 && (code === undefined || err.code === code);
