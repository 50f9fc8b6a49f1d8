// The viewer's toolbar, two rows at most on a portrait tablet. The first: close, the title, page
// navigation (the `Page` field, `Next page`), zoom, the `View` choice (fit width, fit page, two
// pages), `Search`, the `More` menu (thumbnails, outline, rotate, and the export and print the
// paper's level allows) and `Present`. The second: the annotation tools, each an icon beside its
// name, with Undo/Redo, and the colours and width of the tool in hand.
import { useState, type ReactNode } from 'react';
import type { ToolName } from '../annotations/tools/index.ts';
import { HIGHLIGHT_COLORS, PEN_COLORS, PEN_WIDTHS } from '../annotations/geometry.ts';
import { useT } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/en.ts';
import { Icon, type IconName } from '../ui/icons.tsx';
import { MenuButton } from './menu-button.tsx';
import { RadioGroup } from './radio-group.tsx';
import type { Undo } from './use-undo.ts';
import type { ViewMode, Zoom } from './use-viewport.ts';

export type Panel = 'none' | 'thumbnails' | 'outline' | 'search';

export interface ViewerToolbarProps {
  title: string;
  open: boolean;
  page: number;
  count: number;
  initialPage: number;
  onGo: (page: number) => void;
  /** A page (or, two pages at a time, a spread) forward or back. */
  onStep: (dir: 1 | -1) => void;
  onClose: () => void;
  zoom: Zoom;
  scale: number;
  onZoomStep: (dir: 1 | -1) => void;
  /** Back to the view's own fit. */
  onFit: () => void;
  view: ViewMode;
  onView: (v: ViewMode) => void;
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
  /** In the `More` menu: the export and print items its level allows; beside it, their status. */
  actions?: ReactNode;
  actionStatus?: ReactNode;
}

/** Colours are read out by name, not by their hex code. */
const COLOR_NAMES: Record<string, MessageKey> = {
  '#1f3a93': 'color.blue', '#c0392b': 'color.red', '#1e8449': 'color.green', '#111111': 'color.black', '#8e44ad': 'color.purple',
  '#ffe066': 'color.yellow', '#8ce99a': 'color.green', '#74c0fc': 'color.blue', '#faa2c1': 'color.pink',
};
const WIDTH_NAMES: MessageKey[] = ['width.thin', 'width.medium', 'width.thick'];
const VIEWS: Array<{ value: ViewMode; key: MessageKey; icon: IconName }> = [
  { value: 'width', key: 'view.fitWidth', icon: 'fitWidth' },
  { value: 'page', key: 'view.fitPage', icon: 'fitPage' },
  { value: 'two', key: 'view.twoPages', icon: 'twoPage' },
];
const TOOLS: Array<{ tool: ToolName; key: MessageKey; icon: IconName }> = [
  { tool: 'pen', key: 'tools.pen', icon: 'pen' },
  { tool: 'highlighter', key: 'tools.highlighter', icon: 'highlighter' },
  { tool: 'note', key: 'tools.note', icon: 'note' },
  { tool: 'eraser', key: 'tools.eraser', icon: 'eraser' },
];

/** An icon beside its visible name: the name is the button's accessible name. */
const Labelled = ({ icon, children }: { icon: IconName; children: ReactNode }) => (
  <><Icon name={icon} /><span className="tb-label">{children}</span></>
);

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
  const colors = p.tool === 'highlighter' ? HIGHLIGHT_COLORS : PEN_COLORS;
  const widthIndex = Math.max(0, PEN_WIDTHS.indexOf(p.width as (typeof PEN_WIDTHS)[number]));
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={p.title}>
      <div className="tb-row tb-main">
        <div className="tb-group tb-title">
          <button type="button" className="tb-icon" onClick={p.onClose} aria-label={t('viewer.close')} title={t('viewer.close')}><Icon name="close" /></button>
          <h2 className="viewer-title" title={p.title}>{p.title}</h2>
          {p.badge}
        </div>
        <div className="tb-group" role="group" aria-label={t('tools.navigation')}>
          <button type="button" className="tb-icon" onClick={() => p.onStep(-1)} disabled={!p.open || p.page <= 1} aria-label={t('viewer.prev')} title={t('viewer.prev')}><Icon name="prev" /></button>
          <div className="page-field">
            <span aria-hidden="true" className="tb-label">{t('viewer.page')}</span>
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
          <button type="button" className="tb-icon" onClick={() => p.onStep(1)} disabled={!p.open || p.page >= p.count} aria-label={t('viewer.next')} title={t('viewer.next')}><Icon name="next" /></button>
        </div>
        <div className="tb-group" role="group" aria-label={t('viewer.zoom')}>
          <button type="button" className="tb-icon" onClick={() => p.onZoomStep(-1)} aria-label={t('viewer.zoomOut')} title={t('viewer.zoomOut')}><Icon name="zoomOut" /></button>
          {/* Named by its content (the hidden word and the figure): pressing it returns to the view's fit. */}
          <button type="button" className="tb-zoom" onClick={p.onFit} aria-pressed={p.zoom === 'fit'} title={t('viewer.zoom')}>
            <span className="visually-hidden">{t('viewer.zoom')} </span>{percent}%
          </button>
          <button type="button" className="tb-icon" onClick={() => p.onZoomStep(1)} aria-label={t('viewer.zoomIn')} title={t('viewer.zoomIn')}><Icon name="zoomIn" /></button>
        </div>
        <RadioGroup
          label={t('view.label')} className="tb-group tb-views" value={p.view} onChange={p.onView}
          options={VIEWS.map((v) => ({ value: v.value, label: t(v.key), content: <Labelled icon={v.icon}>{t(v.key)}</Labelled> }))}
        />
        <div className="tb-group">
          <button type="button" className="tb-icon" aria-pressed={p.panel === 'search'} onClick={() => p.onPanel('search')} aria-label={t('viewer.search')} title={t('viewer.search')}><Icon name="search" /></button>
          <MenuButton label={t('tools.more')} buttonLabel={t('tools.more')} className="tb-more" button={<Labelled icon="menu">{t('tools.more')}</Labelled>}>
            <button type="button" role="menuitemcheckbox" tabIndex={-1} aria-checked={p.panel === 'thumbnails'} onClick={() => p.onPanel('thumbnails')}><Icon name="thumbnails" /><span>{t('viewer.thumbnails')}</span></button>
            <button type="button" role="menuitemcheckbox" tabIndex={-1} aria-checked={p.panel === 'outline'} onClick={() => p.onPanel('outline')}><Icon name="outline" /><span>{t('viewer.outline')}</span></button>
            <button type="button" role="menuitem" tabIndex={-1} onClick={p.onRotate}><Icon name="rotate" /><span>{t('viewer.rotate')}</span></button>
            {p.actions}
          </MenuButton>
          {p.actionStatus}
        </div>
        {p.canPresent && (
          <div className="tb-group">
            <button type="button" className="present" aria-pressed={p.presenting} onClick={p.onTogglePresent}><Labelled icon="present">{t('live.present')}</Labelled></button>
          </div>
        )}
      </div>
      <div className="tb-row tb-tools">
        <div className="tb-group tools" role="group" aria-label={t('tools.label')}>
          {TOOLS.map((x) => (
            <button key={x.tool} type="button" className="tool" aria-pressed={p.tool === x.tool} onClick={() => p.onTool(x.tool)}><Labelled icon={x.icon}>{t(x.key)}</Labelled></button>
          ))}
          <button type="button" className="tool finger-toggle" aria-pressed={p.fingerDraws} onClick={() => p.onFingerDraws(!p.fingerDraws)}><Labelled icon="finger">{t('tools.finger')}</Labelled></button>
          <button type="button" className="tool" onClick={p.undo.undo} disabled={!p.undo.canUndo}><Labelled icon="undo">{t('tools.undo')}</Labelled></button>
          <button type="button" className="tool" onClick={p.undo.redo} disabled={!p.undo.canRedo}><Labelled icon="redo">{t('tools.redo')}</Labelled></button>
        </div>
        {(p.tool === 'pen' || p.tool === 'highlighter' || p.tool === 'note') && (
          <div className="tb-group swatches">
            <RadioGroup
              label={t('tools.color')} value={p.color} onChange={p.onColor}
              options={colors.map((c) => ({ value: c, label: t(COLOR_NAMES[c] ?? 'tools.color'), className: 'swatch', style: { background: c } }))}
            />
            {p.tool === 'pen' && (
              <MenuButton
                label={t('tools.width')} buttonLabel={t('tools.width')} className="tb-width"
                button={<><span className="width-line" style={{ height: Math.max(2, p.width * 2), background: p.color }} /><span className="tb-label">{t('tools.width')}</span></>}
              >
                {PEN_WIDTHS.map((w, i) => (
                  <button key={w} type="button" role="menuitemradio" tabIndex={-1} aria-checked={i === widthIndex} onClick={() => p.onWidth(w)}>
                    <span className="width-line" style={{ height: Math.max(2, w * 2), background: p.color }} /><span>{t(WIDTH_NAMES[i]!)}</span>
                  </button>
                ))}
              </MenuButton>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
