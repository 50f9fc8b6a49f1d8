// `Export with my notes` as an item of the viewer's More menu (the open paper and version), with
// its status beside the menu: the viewer mounts it through its `actions` / `actionStatus` slots,
// keeping the state itself (the menu's items leave the page when it closes).
import { useState, type ReactNode } from 'react';
import { useT } from '../i18n/index.tsx';
import { errorInfo, errorText } from '../i18n/error-text.ts';
import { Icon } from '../ui/icons.tsx';
import { NOTES_EXPORT_ERRORS } from '../../shared/notes-export.ts';
import { exportWithNotes } from './export-notes.ts';

export interface ExportWithNotesInput {
  paperId: string;
  sha256: string;
  title: string;
  token: string;
  /** The paper's level allows export (the hub refuses otherwise anyway). */
  allowed: boolean;
}

export function useExportWithNotesAction({ paperId, sha256, title, token, allowed }: ExportWithNotesInput): { item: ReactNode; status: ReactNode } {
  const t = useT();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  if (!allowed) return { item: null, status: null };
  const onExport = () => {
    setState({ busy: true, error: null });
    exportWithNotes(paperId, sha256, title, token).then(
      () => setState({ busy: false, error: null }),
      (err: unknown) => setState({ busy: false, error: errorInfo(err).code === NOTES_EXPORT_ERRORS.tooMany ? t('notes.tooMany') : errorText(t, err) }),
    );
  };
  return {
    item: (
      <button type="button" role="menuitem" tabIndex={-1} onClick={onExport} disabled={state.busy}>
        <Icon name="notes" /><span>{t('notes.export')}</span>
      </button>
    ),
    status: state.busy || state.error ? (
      <span className={`classified-status small${state.error ? ' error' : ''}`} role={state.error ? 'alert' : 'status'}>
        {state.error ? t('notes.exportFailed', { msg: state.error }) : t('notes.exporting')}
      </span>
    ) : null,
  };
}
