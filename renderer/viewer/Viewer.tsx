// The paper viewer: a virtualised column of pages (only the visible pages and their neighbours
// exist in the DOM, so a 352-page book costs what three pages cost). This component puts the
// parts together: document loading (use-pdf-document.ts), viewport and gestures (use-viewport.ts,
// use-gestures.ts), the toolbar and its tools (ViewerToolbar.tsx, annotations/tools/), keyboard
// shortcuts (shortcuts.ts), undo (use-undo.ts), search (use-search.ts, SearchBar.tsx) and the
// side panels (panels.tsx).
import { useCallback, useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { Annotation } from '../../shared/notes-doc.ts';
import type { ClassificationLevel } from '../../shared/classification.ts';
import { addAnnotation, removeAnnotation } from '../annotations/annotation-model.ts';
import { PageAnnotations } from '../annotations/page-annotations.ts';
import { isDrawingTool, type ToolName } from '../annotations/tools/index.ts';
import { HIGHLIGHT_COLORS, PEN_COLORS, PEN_WIDTHS } from '../annotations/geometry.ts';
import { useT } from '../i18n/index.tsx';
import { LevelBadge, PrintRefused, useClassifiedActions, useWatermark, type Reader } from './classification.tsx';
import { useExportWithNotesAction } from '../notes/export-action.tsx';
import { PageView } from './PageView.tsx';
import { Outline, Thumbnails } from './panels.tsx';
import { CSS_PER_PT, pageLeft } from './layout.ts';
import { RenderQueue } from './render-queue.ts';
import { SearchBar } from './SearchBar.tsx';
import { isEditable, spaceStep, viewerShortcut } from './shortcuts.ts';
import { setFingerDraws, useFingerDraws } from './finger-drawing.ts';
import { TouchArbiterContext, useGestures } from './use-gestures.ts';
import { announcePainted, usePageReport } from './use-page-report.ts';
import { usePdfDocument } from './use-pdf-document.ts';
import { useReadingRecords } from './use-reading-records.ts';
import { useSearch } from './use-search.ts';
import { useUndo } from './use-undo.ts';
import { useViewport } from './use-viewport.ts';
import { ViewerToolbar, type Panel } from './ViewerToolbar.tsx';
import { OFFLINE_EXPIRED } from '../../shared/recall.ts';
import { errorDetail, errorText } from '../i18n/error-text.ts';

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
  /**
   * Opened from a search hit: the in-paper search starts with this query, its current match the
   * first one on `initialPage` or after (rather than the paper's first), so the hit is shown marked.
   */
  initialSearch?: string;
  /** The paper's classification level (classification.tsx `paperLevel`): badge, watermark, export and print. */
  level: ClassificationLevel;
  /** Who reads it, for the watermark. */
  reader: Reader;
}

export function Viewer(props: ViewerProps) {
  const t = useT();
  const { paperId, sha256, notesDoc, onPageChange } = props;
  const { pdf, firstPage, progress, error } = usePdfDocument(props.blobUrl, props.token);
  const { level } = props;
  const watermark = useWatermark(level, props.reader);
  const classified = useClassifiedActions({ level, paperId, title: props.title, token: props.token });
  const withNotes = useExportWithNotesAction({ paperId, sha256: props.sha256, title: props.title, token: props.token, allowed: level.exportAllowed });
  const scroller = useRef<HTMLDivElement>(null);
  const v = useViewport(scroller, pdf, firstPage, props.initialPage);
  const { page, count, goTo } = v;
  const [panel, setPanel] = useState<Panel>(props.initialSearch ? 'search' : 'none');
  const [tool, setTool] = useState<ToolName>('none');
  const [penColor, setPenColor] = useState<string>(PEN_COLORS[0]);
  const [hlColor, setHlColor] = useState<string>(HIGHLIGHT_COLORS[0]);
  const [width, setWidth] = useState<number>(PEN_WIDTHS[1]);
  const [openNoteId, setOpenNoteId] = useState<string | null>(null);
  const [query, setQuery] = useState(props.initialSearch ?? '');
  const [matchIndex, setMatchIndex] = useState(0);
  // Where the first match shown is looked for: the hit's page when opened from a search, then
  // page 1 for every query typed here. Once the reader steps through the matches, none is chosen
  // for them; and a search hit's page is never left on its own (the index may have matched words
  // this search, which looks for the words together, does not find there).
  const [searchFrom, setSearchFrom] = useState(props.initialSearch ? props.initialPage : 1);
  const stepped = useRef(false);
  const fromHit = useRef(!!props.initialSearch);
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
  // A level that records reading: which pages were looked at, reported to the hub's audit trail.
  useReadingRecords({ paperId, record: level.recordReading, open: !!pdf, page, token: props.token });
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
    stepped.current = true;
    setMatchIndex(next);
    goTo(hits[next]!.page);
  };
  // The first match found (from `searchFrom` on) is shown as soon as it is found. Pages are read
  // in order, so once found its index no longer changes as more matches come in.
  const firstIndex = hits.findIndex((h) => h.page >= searchFrom);
  const firstHitPage = firstIndex >= 0 ? hits[firstIndex]!.page : undefined;
  const showFirstHit = useEffectEvent((i: number, n: number) => {
    if (stepped.current) return;
    setMatchIndex(i);
    if (!fromHit.current || n === searchFrom) goTo(n);
  });
  useEffect(() => {
    if (firstHitPage !== undefined) showFirstHit(firstIndex, firstHitPage);
  }, [firstIndex, firstHitPage]);

  // ---- touch, pinch, wheel; keyboard -------------------------------------------------------------
  const drawing = isDrawingTool(tool);
  const fingerDraws = useFingerDraws();
  // The highlighter owns a finger too when fingers draw (it selects text by dragging); swipes
  // turn pages while no tool owns the finger.
  const ownsTouch = drawing || (tool === 'highlighter' && fingerDraws);
  const gestures = useGestures(scroller, v, { drawing: ownsTouch, fingerDraws, swipes: !ownsTouch });
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    // A key a control handled itself (arrows in a radio group or a menu) is not a shortcut.
    if (e.defaultPrevented) return;
    const hit = viewerShortcut(e, isEditable(e.target));
    if (!hit) return;
    if (hit.preventDefault) e.preventDefault();
    switch (hit.action) {
      case 'undo': return undo.undo();
      case 'redo': return undo.redo();
      case 'search': return setPanel('search');
      case 'next': return v.step(1);
      case 'prev': return v.step(-1);
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
      <div key={n} className="page-slot" style={{ left: pageLeft(v.layout, v.innerWidth, i) }}>
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
          watermark={watermark}
        />
      </div>,
    );
  }

  return (
    <section className={`viewer${level.printAllowed ? '' : ' no-print'}`} aria-label={props.title} data-level={level.id} data-watermarked={watermark ? 'true' : undefined}>
      <ViewerToolbar
        title={props.title} open={!!pdf} page={page} count={count} initialPage={props.initialPage} onGo={goTo} onStep={v.step} onClose={props.onClose}
        zoom={v.zoom} scale={v.scale} onZoomStep={v.stepZoom} onFit={() => v.setZoom('fit')} view={v.view} onView={v.setView} onRotate={v.rotate}
        panel={panel} onPanel={(next) => setPanel((cur) => (cur === next ? 'none' : next))}
        tool={tool} onTool={chooseTool} color={color} onColor={tool === 'highlighter' ? setHlColor : setPenColor} width={width} onWidth={setWidth}
        fingerDraws={fingerDraws} onFingerDraws={setFingerDraws}
        undo={undo} canPresent={props.canPresent} presenting={props.presenting} onTogglePresent={props.onTogglePresent}
        badge={<LevelBadge level={level} />}
        actions={<>{classified.items}{withNotes.item}</>} actionStatus={<>{classified.status}{withNotes.status}</>}
      />
      <PrintRefused level={level} />
      {panel === 'search' && (
        <SearchBar
          query={query} onQuery={(q) => { setQuery(q); setMatchIndex(0); setSearchFrom(1); stepped.current = false; fromHit.current = false; }} hits={hits.length} matchIndex={matchIndex} scanning={scanning}
          onMatch={(step) => goToMatch(matchIndex + step)} onClose={() => setPanel('none')}
        />
      )}
      <div className="viewer-body">
        {pdf && panel === 'thumbnails' && <Thumbnails pdf={pdf} sizes={v.rotated} current={page} onGo={goTo} queue={queue} watermark={watermark} />}
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
            v.step(step > 0 ? 1 : -1);
          }}
          {...gestures.handlers}
        >
          {error ? (
            <p className="viewer-message error" role="alert" title={errorDetail(error)}>{error.code === OFFLINE_EXPIRED ? t('recall.expired') : t('viewer.error', { msg: errorText(t, error) })}</p>
          ) : !pdf ? (
            <p className="viewer-message" role="status">{progress ? t('download.paper', { pct: progress }) : t('viewer.loading')}</p>
          ) : (
            <TouchArbiterContext value={gestures.arbiter}>
              <div className="pages" style={{ height: v.layout.total, width: v.innerWidth }}>{pages}</div>
            </TouchArbiterContext>
          )}
        </div>
      </div>
      <div className="viewer-status" aria-live="polite">
        {pdf ? t('viewer.pageOf', { n: page, m: count }) : ''}
      </div>
    </section>
  );
}
