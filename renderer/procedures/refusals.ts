// The hub's refusals in the reader's language. The hub words every refusal in English and names
// it with a code (electron/hub/procedures, electron/hub/routes; the agent's `hub_offline`); the
// codes that say one thing whatever the case get a sentence of their own in both languages, and
// the generic ones (`conflict`, `forbidden`, `bad_request`…) carry the hub's own explanation,
// which is then the most precise thing to show.
import type { MessageKey, Translate } from '../i18n/index.tsx';
import { ApiError } from '../api.ts';

export interface Refusal {
  status: number;
  code: string;
  /** The hub's own words. */
  message: string;
}

const BY_CODE: Readonly<Record<string, MessageKey>> = {
  already_voted: 'refusal.already_voted',
  not_present: 'refusal.not_present',
  not_entitled: 'refusal.not_entitled',
  poll_not_open: 'refusal.poll_not_open',
  poll_state: 'refusal.poll_state',
  no_quorum: 'refusal.no_quorum',
  not_published: 'refusal.not_published',
  poll_key_missing: 'refusal.poll_key_missing',
  hub_offline: 'proc.needsHub',
  unreachable: 'proc.needsHub',
  unauthorized: 'refusal.unauthorized',
  too_many_attempts: 'refusal.too_many_attempts',
};

export function refusalOf(err: unknown): Refusal {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message };
  return { status: 0, code: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** The key a refusal code has its own sentence under, if it has one. */
export const refusalKey = (code: string): MessageKey | null => BY_CODE[code] ?? null;

export function refusalText(t: Translate, r: Refusal): string {
  const key = refusalKey(r.code);
  return key ? t(key) : t('refusal.other', { message: r.message });
}
