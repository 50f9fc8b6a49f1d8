// The hub's refusals of procedure commands in the reader's language, through the one mapping of
// error codes (../i18n/error-text.ts). Procedures are decided by the hub, so no answer at all
// means the hub is needed (`proc.needsHub`), as for the agent's `hub_offline`.
import type { MessageKey, Translate } from '../i18n/index.tsx';
import { ApiError } from '../api.ts';
import { errorKey, errorText } from '../i18n/error-text.ts';

export interface Refusal {
  status: number;
  code: string;
  /** The hub's own words. */
  message: string;
}

export function refusalOf(err: unknown): Refusal {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message };
  return { status: 0, code: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** The key a refusal code has its own sentence under, if it has one (the one shared mapping). */
export const refusalKey = (code: string): MessageKey | null => errorKey(code);

/** In the reader's language by its code; a code with no sentence of its own gets a translated generic one. */
export function refusalText(t: Translate, r: Refusal): string {
  return r.code === 'unreachable' ? t('proc.needsHub') : errorText(t, r);
}
