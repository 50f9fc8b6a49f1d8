// The paper viewer: a virtualised column of pages (only the visible pages and their neighbours
// exist in the DOM, so a 352-page book costs what three pages cost). This component puts the
// parts together: document loading (use-pdf-document.ts), viewport and gestures (use-viewport.ts,
// use-gestures.ts), the toolbar and its tools (ViewerToolbar.tsx, annotations/tools/), keyboard
// shortcuts (shortcuts.ts), undo (use-undo.ts), search (use-search.ts, SearchBar.tsx) and the
// side panels (panels.tsx).
import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { Annotation } from '../../shared/notes-doc.ts';
import { addAnnotation, removeAnnotation } from '../annotations/annotation-model.ts';
import { PageAnnotations } from '../annotations/page-annotations.ts';
import { isDrawingTool, type ToolName } from '../annotations/tools/index.ts';
import { HIGHLIGHT_COLORS, PEN_COLORS, PEN_WIDTHS } from '../annotations/geometry.ts';
import { useT } from '../i18n/index.tsx';
import { PageView } from './PageView.tsx';
import { Outline, Thumbnails } from './panels.tsx';
import { CSS_PER_PT } from './layout.ts';
import { RenderQueue } from './render-queue.ts';
import { SearchBar } from './SearchBar.tsx';
import { isEditable, spaceStep, viewerShortcut } from './shortcuts.ts';
import { useGestures } from './use-gestures.ts';
import { announcePainted, usePageReport } from './use-page-report.ts';
import { usePdfDocument } from './use-pdf-document.ts';
import { useSearch } from './use-search.ts';
import { useUndo } from './use-undo.ts';
import { useViewport } from './use-viewport.ts';
import { ViewerToolbar, type Panel } from './ViewerToolbar.tsx';

export interface ViewerProps {
  paperId: string;
  title: string;
  sha256: string;
  blobUrl: string;
  token: string;
  notesDoc: Y.Doc | null;
  initialPage: number;
  /** A navigation from outside (follow mode): go to this page whenever `seq` changes. */
  navRequest: { page: number; seq: string } | null;
  onPageChange: (page: number) => void;
  canPresent: boolean;
  presenting: boolean;
  onTogglePresent: () => void;
  onClose: () => void;
}

export function Viewer(props: ViewerProps) {
  const t = useT();
  const { paperId, sha256, notesDoc, onPageChange } = props;
  const { pdf, firstPage, progress, error } = usePdfDocument(props.blobUrl, props.token);
  const scroller = useRef<HTMLDivElement>(null);
  const v = useViewport(scroller, pdf, firstPage, props.initialPage);
  const { page, count, goTo } = v;
  const [panel, setPanel] = useState<Panel>('none');
  const [tool, setTool] = useState<ToolName>('none');
  const [penColor, setPenColor] = useState<string>(PEN_COLORS[0]);
  const [hlColor, setHlColor] = useState<string>(HIGHLIGHT_COLORS[0]);
  const [width, setWidth] = useState<number>(PEN_WIDTHS[1]);
  const [openNoteId, setOpenNoteId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(0);
  // Two at a time: the worker parses the next page while the main thread paints this one.
  const [queue] = useState(() => new RenderQueue(2));
  // Layout-effect cleanups run before the pages' passive ones: they see the viewer is closing.
  const closing = useRef(false);
  useLayoutEffect(() => {
    closing.current = false;
    return () => {
      closing.current = true;
    };
  }, []);

  usePageReport({ open: !!pdf, page, paperId, scroller, onPageChange });
  const navSeq = props.navRequest?.seq;
  const navTo = useEffectEvent(() => {
    if (props.navRequest) goTo(props.navRequest.page);
  });
  useEffect(() => {
    if (pdf) navTo();
  }, [navSeq, pdf]);
  const onPainted = useCallback((n: number) => announcePainted(paperId, n), [paperId]);

  // ---- annotations: each page subscribes to its own --------------------------------------------
  const annotations = useMemo(() => (notesDoc ? new PageAnnotations(notesDoc, paperId, sha256) : null), [notesDoc, paperId, sha256]);
  useEffect(() => annotations?.start(), [annotations]);
  const undo = useUndo(notesDoc);
  const { stopCapturing } = undo;
  const onAdd = useCallback((a: Annotation) => {
    if (!notesDoc) return;
    addAnnotation(notesDoc, a);
    stopCapturing();
  }, [notesDoc, stopCapturing]);
  const onErase = useCallback((id: string) => {
    if (notesDoc) removeAnnotation(notesDoc, id);
  }, [notesDoc]);
  const onNoteText = useCallback((a: Annotation & { kind: 'note' }, text: string) => onAdd({ ...a, text }), [onAdd]);
  const chooseTool = (next: ToolName) => {
    setTool((cur) => (cur === next ? 'none' : next));
    setOpenNoteId(null);
    window.getSelection()?.removeAllRanges();
  };
  const color = tool === 'highlighter' ? hlColor : penColor;

  // ---- search ----------------------------------------------------------------------------------
  const { hits, scanning } = useSearch(pdf, panel === 'search' ? query : '');
  const currentHit = hits[matchIndex] ?? null;
  const goToMatch = (i: number) => {
    if (!hits.length) return;
    const next = ((i % hits.length) + hits.length) % hits.length;
    setMatchIndex(next);
    goTo(hits[next]!.page);
  };
  // The first match found is shown as soon as it is found.
  const firstHitPage = hits[0]?.page;
  const showFirstHit = useEffectEvent((n: number) => {
    if (matchIndex === 0) goTo(n);
  });
  useEffect(() => {
    if (firstHitPage !== undefined) showFirstHit(firstHitPage);
  }, [firstHitPage]);

  // ---- touch, pinch, wheel; keyboard -------------------------------------------------------------
  const drawing = isDrawingTool(tool);
  const gestures = useGestures(scroller, v, drawing);
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    const hit = viewerShortcut(e, isEditable(e.target));
    if (!hit) return;
    if (hit.preventDefault) e.preventDefault();
    switch (hit.action) {
      case 'undo': return undo.undo();
      case 'redo': return undo.redo();
      case 'search': return setPanel('search');
      case 'next': return goTo(page + 1);
      case 'prev': return goTo(page - 1);
      case 'first': return goTo(1);
      case 'last': return goTo(count);
      case 'zoomIn': return v.stepZoom(1);
      case 'zoomOut': return v.stepZoom(-1);
      case 'escape':
        if (openNoteId) setOpenNoteId(null);
        else if (tool !== 'none') setTool('none');
        else if (panel !== 'none') setPanel('none');
    }
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const pages = [];
  for (let i = v.window[0]; i <= v.window[1]; i++) {
    const n = i + 1;
    pages.push(
      <div key={n} className="page-slot" style={{ left: (v.innerWidth - v.layout.widths[i]!) / 2 }}>
        <PageView
          pdf={pdf!}
          pageNumber={n}
          cssScale={v.scale * CSS_PER_PT}
          rotation={v.rotation}
          top={v.layout.tops[i]!}
          width={v.layout.widths[i]!}
          height={v.layout.heights[i]!}
          priority={i >= v.visible[0] && i <= v.visible[1] ? 0 : 1}
          queue={queue}
          paperId={paperId}
          sha256={sha256}
          annotations={annotations}
          tool={tool}
          color={color}
          strokeWidth={tool === 'highlighter' ? width * 4 : width}
          searchQuery={panel === 'search' ? query : ''}
          currentMatch={currentHit && currentHit.page === n ? currentHit.index : -1}
          openNoteId={openNoteId}
          onAdd={onAdd}
          onErase={onErase}
          onOpenNote={setOpenNoteId}
          onNoteText={onNoteText}
          onPainted={onPainted}
          onSize={v.onSize}
          keepResources={closing}
        />
      </div>,
    );
  }

  return (
    <section className="viewer" aria-label={props.title}>
      <ViewerToolbar
        title={props.title} open={!!pdf} page={page} count={count} initialPage={props.initialPage} onGo={goTo} onClose={props.onClose}
        zoom={v.zoom} scale={v.scale} onZoomStep={v.stepZoom} onFit={() => v.setZoom('fit')} onRotate={v.rotate}
        panel={panel} onPanel={(next) => setPanel((cur) => (cur === next ? 'none' : next))}
        tool={tool} onTool={chooseTool} color={color} onColor={tool === 'highlighter' ? setHlColor : setPenColor} width={width} onWidth={setWidth}
        undo={undo} canPresent={props.canPresent} presenting={props.presenting} onTogglePresent={props.onTogglePresent}
      />
      {panel === 'search' && (
        <SearchBar
          query={query} onQuery={(q) => { setQuery(q); setMatchIndex(0); }} hits={hits.length} matchIndex={matchIndex} scanning={scanning}
          onMatch={(step) => goToMatch(matchIndex + step)} onClose={() => setPanel('none')}
        />
      )}
      <div className="viewer-body">
        {pdf && panel === 'thumbnails' && <Thumbnails pdf={pdf} sizes={v.rotated} current={page} onGo={goTo} queue={queue} />}
        {pdf && panel === 'outline' && <Outline pdf={pdf} onGo={goTo} />}
        <div
          ref={scroller}
          className={`viewer-scroll${drawing ? ' drawing' : ''}`}
          tabIndex={0}
          role="region"
          aria-label={t('viewer.pages', { title: props.title })}
          onKeyDown={(e) => {
            const step = spaceStep(e, isEditable(e.target));
            if (!step) return;
            e.preventDefault();
            goTo(page + step);
          }}
          {...gestures}
        >
          {error ? (
            <p className="viewer-message error" role="alert">{t('viewer.error', { msg: error })}</p>
          ) : !pdf ? (
            <p className="viewer-message" role="status">{progress ? t('download.paper', { pct: progress }) : t('viewer.loading')}</p>
          ) : (
            <div className="pages" style={{ height: v.layout.total, width: v.innerWidth }}>{pages}</div>
          )}
        </div>
      </div>
      <div className="viewer-status" aria-live="polite">
        {pdf ? t('viewer.pageOf', { n: page, m: count }) : ''}
      </div>
    </section>
  );
}
