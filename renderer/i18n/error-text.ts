// One mapping from the codes the hub and the agent answer errors with to a sentence in the
// reader's language. The hub words its errors in English for logs and API callers; the interface
// shows them by code, and a code with no sentence of its own gets a translated generic one that
// names the code. The hub's words stay available (errorDetail) for a tooltip or a log.
import type { MessageKey, Translate } from './index.tsx';
import { errorsEn } from './en-errors.ts';

/** What an error says about itself: an ApiError, pdf.js's response error (status only), or anything. */
export interface ErrorInfo {
  status: number;
  code: string;
  message: string;
}

// Codes whose sentence lives elsewhere (procedures' refusals, the network, recall).
const OTHER_KEYS: Readonly<Record<string, MessageKey>> = {
  already_voted: 'refusal.already_voted',
  not_present: 'refusal.not_present',
  not_entitled: 'refusal.not_entitled',
  poll_not_open: 'refusal.poll_not_open',
  poll_state: 'refusal.poll_state',
  no_quorum: 'refusal.no_quorum',
  not_published: 'refusal.not_published',
  poll_key_missing: 'refusal.poll_key_missing',
  hub_offline: 'proc.needsHub',
  unauthorized: 'refusal.unauthorized',
  too_many_attempts: 'refusal.too_many_attempts',
  unreachable: 'error.network',
  offline_expired: 'recall.expired',
};

// A status without a code (pdf.js reports only the HTTP status of a failed download).
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  0: 'unreachable', 400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found',
  409: 'conflict', 410: 'offline_expired', 413: 'too_large', 415: 'unsupported_media_type', 429: 'too_many_attempts', 503: 'hub_offline',
};

export function errorInfo(err: unknown): ErrorInfo {
  const e = (err ?? {}) as { status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : 0;
  const message = typeof e.message === 'string' ? e.message : String(err);
  // An ApiError's code is the hub's; a bare status (pdf.js) or a failed fetch gets the status's.
  const hubCode = typeof e.code === 'string' && e.code !== 'http_error' ? e.code : null;
  const named = (err as { name?: unknown } | null)?.name === 'InvalidPDFException' ? 'not_a_pdf' : null;
  const byStatus = typeof e.status === 'number' ? CODE_OF_STATUS[status] ?? `http_${status}` : null;
  // fetch() rejects with a TypeError when no answer came at all.
  const code = hubCode ?? named ?? byStatus ?? (err instanceof TypeError ? 'unreachable' : 'error');
  return { status, code, message };
}

/** The catalogue key that says what `code` means, if one does. */
export function errorKey(code: string): MessageKey | null {
  const own = `err.${code}`;
  if (Object.hasOwn(errorsEn, own)) return own as MessageKey;
  return OTHER_KEYS[code] ?? null;
}

/** The error in the reader's language, from its code. */
export function errorText(t: Translate, err: unknown): string {
  const info = isInfo(err) ? err : errorInfo(err);
  const key = errorKey(info.code);
  if (key) return t(key);
  return t(info.status >= 500 ? 'err.server' : 'err.generic', { code: info.code });
}

/** The hub's (or the library's) own words, for a tooltip or a log: not translated. */
export const errorDetail = (err: unknown): string => (isInfo(err) ? err : errorInfo(err)).message;

function isInfo(v: unknown): v is ErrorInfo {
  return typeof v === 'object' && v !== null && !(v instanceof Error) && typeof (v as ErrorInfo).code === 'string'
    && typeof (v as ErrorInfo).status === 'number' && typeof (v as ErrorInfo).message === 'string';
}
