// The viewer's toolbar: close, page navigation (the `Page` field, `Next page`), zoom and rotation,
// the side panels, the annotation tools with Undo/Redo and their colours, and `Present`.
import { useState, type ReactNode } from 'react';
import type { ToolName } from '../annotations/tools/index.ts';
import { HIGHLIGHT_COLORS, PEN_COLORS, PEN_WIDTHS } from '../annotations/geometry.ts';
import { useT } from '../i18n/index.tsx';
import type { Undo } from './use-undo.ts';
import type { Zoom } from './use-viewport.ts';

export type Panel = 'none' | 'thumbnails' | 'outline' | 'search';

export interface ViewerToolbarProps {
  title: string;
  open: boolean;
  page: number;
  count: number;
  initialPage: number;
  onGo: (page: number) => void;
  onClose: () => void;
  zoom: Zoom;
  scale: number;
  onZoomStep: (dir: 1 | -1) => void;
  onFit: () => void;
  onRotate: () => void;
  panel: Panel;
  /** Toggles a panel. */
  onPanel: (p: Exclude<Panel, 'none'>) => void;
  tool: ToolName;
  /** Toggles a tool. */
  onTool: (t: ToolName) => void;
  color: string;
  onColor: (c: string) => void;
  width: number;
  onWidth: (w: number) => void;
  /** Fingers use the tool (`Draw with finger`); off once a pen was seen, unless turned on. */
  fingerDraws: boolean;
  onFingerDraws: (on: boolean) => void;
  undo: Undo;
  canPresent: boolean;
  presenting: boolean;
  onTogglePresent: () => void;
  /** Beside the title: the paper's classification badge (classification.tsx). */
  badge?: ReactNode;
  /** At the end: the export and print buttons its level allows. */
  actions?: ReactNode;
}

export function ViewerToolbar(p: ViewerToolbarProps) {
  const t = useT();
  // What the reader is typing into the page field; null shows the current page. Kept apart so a
  // page turn is one render of the viewer, not two.
  const [pageDraft, setPageDraft] = useState<string | null>(null);
  const submitPageField = () => {
    if (pageDraft === null) return;
    const n = Number.parseInt(pageDraft, 10);
    setPageDraft(null);
    if (Number.isFinite(n)) p.onGo(n);
  };
  const percent = Math.round(p.scale * 100);
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={p.title}>
      <div className="tb-group">
        <button type="button" onClick={p.onClose} aria-label={t('viewer.close')} title={t('viewer.close')}>✕</button>
        <h2 className="viewer-title" title={p.title}>{p.title}</h2>
        {p.badge}
      </div>
      <div className="tb-group">
        <button type="button" onClick={() => p.onGo(p.page - 1)} disabled={!p.open || p.page <= 1} aria-label={t('viewer.prev')} title={t('viewer.prev')}>‹</button>
        <div className="page-field">
          <span aria-hidden="true">{t('viewer.page')}</span>
          <input
            aria-label={t('viewer.page')}
            inputMode="numeric"
            value={pageDraft ?? (p.open ? String(p.page) : String(p.initialPage))}
            size={3}
            onChange={(e) => setPageDraft(e.target.value.replace(/[^0-9]/g, '').slice(0, 6))}
            onKeyDown={(e) => {
              if (e.key === 'Enter') submitPageField();
              if (e.key === 'Escape') setPageDraft(null);
            }}
            onBlur={submitPageField}
          />
          <span aria-hidden="true">{t('viewer.of', { m: p.count || '…' })}</span>
        </div>
        <button type="button" onClick={() => p.onGo(p.page + 1)} disabled={!p.open || p.page >= p.count} aria-label={t('viewer.next')} title={t('viewer.next')}>›</button>
      </div>
      <div className="tb-group">
        <button type="button" onClick={() => p.onZoomStep(-1)} aria-label={t('viewer.zoomOut')} title={t('viewer.zoomOut')}>−</button>
        <button type="button" onClick={p.onFit} aria-pressed={p.zoom === 'fit'} title={t('viewer.fitWidth')} aria-label={`${t('viewer.fitWidth')} (${percent}%)`}>{percent}%</button>
        <button type="button" onClick={() => p.onZoomStep(1)} aria-label={t('viewer.zoomIn')} title={t('viewer.zoomIn')}>+</button>
        <button type="button" onClick={p.onRotate} aria-label={t('viewer.rotate')} title={t('viewer.rotate')}>⟳</button>
      </div>
      <div className="tb-group">
        <button type="button" aria-pressed={p.panel === 'thumbnails'} onClick={() => p.onPanel('thumbnails')}>{t('viewer.thumbnails')}</button>
        <button type="button" aria-pressed={p.panel === 'outline'} onClick={() => p.onPanel('outline')}>{t('viewer.outline')}</button>
        <button type="button" aria-pressed={p.panel === 'search'} onClick={() => p.onPanel('search')}>{t('viewer.search')}</button>
      </div>
      <div className="tb-group tools" role="group" aria-label={t('tools.label')}>
        <button type="button" aria-pressed={p.tool === 'pen'} onClick={() => p.onTool('pen')}>{t('tools.pen')}</button>
        <button type="button" aria-pressed={p.tool === 'highlighter'} onClick={() => p.onTool('highlighter')}>{t('tools.highlighter')}</button>
        <button type="button" aria-pressed={p.tool === 'note'} onClick={() => p.onTool('note')}>{t('tools.note')}</button>
        <button type="button" aria-pressed={p.tool === 'eraser'} onClick={() => p.onTool('eraser')}>{t('tools.eraser')}</button>
        <button type="button" className="finger-toggle" aria-pressed={p.fingerDraws} onClick={() => p.onFingerDraws(!p.fingerDraws)}>{t('tools.finger')}</button>
        <button type="button" onClick={p.undo.undo} disabled={!p.undo.canUndo}>{t('tools.undo')}</button>
        <button type="button" onClick={p.undo.redo} disabled={!p.undo.canRedo}>{t('tools.redo')}</button>
      </div>
      {(p.tool === 'pen' || p.tool === 'highlighter' || p.tool === 'note') && (
        <div className="tb-group swatches">
          <div role="radiogroup" aria-label={t('tools.color')}>
            {(p.tool === 'highlighter' ? HIGHLIGHT_COLORS : PEN_COLORS).map((c) => (
              <button key={c} type="button" role="radio" aria-checked={p.color === c} aria-label={c} className="swatch" style={{ background: c }} onClick={() => p.onColor(c)} />
            ))}
          </div>
          {p.tool === 'pen' && (
            <div role="radiogroup" aria-label={t('tools.width')}>
              {PEN_WIDTHS.map((w) => (
                <button key={w} type="button" role="radio" aria-checked={p.width === w} aria-label={`${t('tools.width')} ${w}`} className="width-choice" onClick={() => p.onWidth(w)}>
                  <span style={{ height: Math.max(2, w * 2), background: p.color }} />
                </button>
              ))}
            </div>
          )}
        </div>
      )}
      {p.canPresent && (
        <div className="tb-group">
          <button type="button" className="present" aria-pressed={p.presenting} onClick={p.onTogglePresent}>{t('live.present')}</button>
        </div>
      )}
      {p.actions}
    </div>
  );
}
