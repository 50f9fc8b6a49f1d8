// What a paper's classification level means on screen (issue 17, docs/classification.md): its
// badge (the level's EN/VI name; none for the default level), the reader's watermark lines, and
// the export and print items (in the viewer's `More` menu) the level allows. When printing is not allowed the viewer offers
// none and marks itself `no-print`, whose `@media print` rule (viewer.css) leaves the pages out
// of anything printed; an export goes through the hub, which refuses or stamps it.
import { useState, type ReactNode } from 'react';
import { DEFAULT_LEVEL_ID, DEFAULT_LEVELS, resolveLevel, watermarkLines, type ClassificationLevel } from '../../shared/classification.ts';
import { pathFor, ROUTES } from '../../shared/routes.ts';
import { ApiError, apiUrl } from '../api.ts';
import { useI18n, useT } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { Icon } from '../ui/icons.tsx';

/**
 * The rules a paper is held to, from its answer: the hub's rules when it sent them, `normal` for
 * a paper of no level (an older hub), and the strictest rules for a level named without its rules.
 */
export function paperLevel(p: { level?: string; classification?: ClassificationLevel | null }): ClassificationLevel {
  if (p.classification) return p.classification;
  if (!p.level || p.level === DEFAULT_LEVEL_ID) return DEFAULT_LEVELS[0]!;
  return resolveLevel([], p.level);
}

/** The level's name in the reader's language, as a badge; nothing for the default level. */
export function LevelBadge({ level, className }: { level: ClassificationLevel; className?: string }) {
  const { locale } = useI18n();
  const t = useT();
  if (level.id === DEFAULT_LEVEL_ID) return null;
  const name = level.name[locale];
  const title = level.watermark ? `${t('classification.badge', { name })} — ${t('classification.watermarked')}` : t('classification.badge', { name });
  return (
    <span className={`level-badge level-rank-${level.rank >= 20 ? 'high' : 'mid'}${className ? ` ${className}` : ''}`} data-level={level.id} title={title}>
      {name}
    </span>
  );
}

/** Who is reading, for the watermark; the time is when the paper was opened. */
export interface Reader {
  name: string;
  login: string;
  deviceId: string | null;
}

/** The watermark lines joined by newlines ('' when the level does not watermark), fixed for as long as the paper is open. */
export function useWatermark(level: ClassificationLevel, reader: Reader): string {
  const [openedAt] = useState(() => Date.now());
  return level.watermark ? watermarkLines({ ...reader, at: openedAt }).join('\n') : '';
}

/** Downloads the export the hub makes (stamped when the level watermarks). */
async function downloadExport(paperId: string, title: string, token: string): Promise<void> {
  const res = await fetch(apiUrl(pathFor(ROUTES.exportPaper, { id: paperId })), { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (!res.ok) {
    let body: { error?: string; message?: string } = {};
    try {
      body = (await res.json()) as typeof body;
    } catch {
      /* not JSON: the status alone names it */
    }
    throw new ApiError(res.status, typeof body.error === 'string' ? body.error : 'http_error', body.message ?? `HTTP ${res.status}`);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `${title.replace(/[\\/:*?"<>|]/g, '_')}.pdf`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The export and print items the level allows (none at all for a level that allows neither), for
 * the viewer's `More` menu, and what the export says while it runs or when it fails. The state
 * lives here, not in the menu, so closing the menu as an item is chosen does not lose it.
 */
export function useClassifiedActions({ level, paperId, title, token }: { level: ClassificationLevel; paperId: string; title: string; token: string }): { items: ReactNode; status: ReactNode } {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!level.exportAllowed && !level.printAllowed) return { items: null, status: null };
  const onExport = () => {
    setBusy(true);
    setError(null);
    downloadExport(paperId, title, token).then(() => setBusy(false), (err: unknown) => {
      setBusy(false);
      setError(errorText(t, err));
    });
  };
  return {
    items: (
      <>
        {level.exportAllowed && <button type="button" role="menuitem" tabIndex={-1} onClick={onExport} disabled={busy}><Icon name="export" /><span>{t('classification.export')}</span></button>}
        {level.printAllowed && <button type="button" role="menuitem" tabIndex={-1} onClick={() => window.print()}><Icon name="print" /><span>{t('classification.print')}</span></button>}
      </>
    ),
    status: busy || error ? (
      <span className={`classified-status small${error ? ' error' : ''}`} role={error ? 'alert' : 'status'}>
        {error ? t('classification.exportFailed', { msg: error }) : t('classification.exporting')}
      </span>
    ) : null,
  };
}

/** Shown only on paper (viewer.css `@media print`) when the level does not allow printing: in place of the pages. */
export function PrintRefused({ level }: { level: ClassificationLevel }) {
  const { locale, t } = useI18n();
  if (level.printAllowed) return null;
  return <p className="print-refused">{t('classification.noPrint', { name: level.name[locale] })}</p>;
}
