// One page of the virtualised viewer: its canvas (page-canvas.ts), its text layer and search
// marks (page-text.ts), and the user's annotations over it with the tools' input (page-tool.ts).
// It exists only while the page is on screen or next to it; unmounting drops the canvas and
// lets pdf.js free the page's resources. It reads its own page's annotations, so a stroke
// re-renders this page alone.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { PDFDocumentProxy, PDFPageProxy, PageViewport } from 'pdfjs-dist';
import type { Annotation } from '../../shared/notes-doc.ts';
import { strokePath, type PagePlacement } from '../annotations/geometry.ts';
import { usePageAnnotations, type PageAnnotations } from '../annotations/page-annotations.ts';
import { isDrawingTool, type ToolName } from '../annotations/tools/index.ts';
import { useT } from '../i18n/index.tsx';
import { NoteMarker } from './NoteMarker.tsx';
import { usePageCanvas } from './page-canvas.ts';
import { useSearchMarks, useTextLayer } from './page-text.ts';
import { usePageTool } from './page-tool.ts';
import type { RenderQueue } from './render-queue.ts';
import './viewer.css';

export interface PageViewProps {
  pdf: PDFDocumentProxy;
  pageNumber: number;
  /** CSS pixels per PDF point. */
  cssScale: number;
  rotation: number;
  top: number;
  width: number;
  height: number;
  priority: number;
  queue: RenderQueue;
  paperId: string;
  sha256: string;
  annotations: PageAnnotations | null;
  tool: ToolName;
  color: string;
  strokeWidth: number;
  searchQuery: string;
  /** Which match on this page is the current one (-1: none here). */
  currentMatch: number;
  openNoteId: string | null;
  onAdd: (a: Annotation) => void;
  onErase: (id: string) => void;
  onOpenNote: (id: string | null) => void;
  onNoteText: (a: Annotation & { kind: 'note' }, text: string) => void;
  onPainted: (page: number) => void;
  onSize: (page: number, w: number, h: number) => void;
  /** Set by the viewer while it unmounts. */
  keepResources: { readonly current: boolean };
  /** A watermarked paper's watermark lines, joined by newlines ('' for none): drawn into the page's pixels. */
  watermark?: string;
}

function PageViewImpl(p: PageViewProps) {
  const t = useT();
  const self = useRef<HTMLDivElement>(null);
  const canvasHost = useRef<HTMLDivElement>(null);
  const textHost = useRef<HTMLDivElement>(null);
  const [page, setPage] = useState<PDFPageProxy | null>(null);
  const { onSize, keepResources } = p;
  const annotations = usePageAnnotations(p.annotations, p.pageNumber);

  // Every commit of this page counts here: the tests see that a stroke re-renders its page alone.
  const commits = useRef(0);
  useLayoutEffect(() => {
    commits.current++;
    self.current?.setAttribute('data-commits', String(commits.current));
  });

  useEffect(() => {
    let current = true;
    p.pdf.getPage(p.pageNumber).then((pg) => {
      if (!current) return;
      setPage(pg);
      const vp = pg.getViewport({ scale: 1, rotation: (pg.rotate + p.rotation) % 360 });
      onSize(p.pageNumber, vp.width, vp.height);
    }, () => {});
    return () => {
      current = false;
    };
  }, [p.pdf, p.pageNumber, p.rotation, onSize]);

  // Free pdf.js's per-page caches once the page leaves the render window — but not when the
  // whole viewer closes: the paper stays open in pdf.ts's small cache, and reopening it then
  // repaints from the parsed page instead of parsing and decoding it again.
  useEffect(() => () => {
    if (page && !keepResources.current) page.cleanup();
  }, [page, keepResources]);

  // The reader's rotation adds to the page's own /Rotate, as in pdf.js's viewer.
  const rotation = page ? (page.rotate + p.rotation) % 360 : p.rotation;
  const vp1: PageViewport | null = useMemo(() => (page ? page.getViewport({ scale: 1, rotation }) : null), [page, rotation]);
  const placement1: PagePlacement | null = useMemo(() => (page ? { viewBox: page.view as [number, number, number, number], rotation, scale: 1 } : null), [page, rotation]);

  const { painted, priority } = usePageCanvas(canvasHost, { page, pageNumber: p.pageNumber, cssScale: p.cssScale, rotation, queue: p.queue, priority: p.priority, onPainted: p.onPainted, watermark: p.watermark });
  const textLayer = useTextLayer(textHost, { page, painted, rotation, queue: p.queue, priority, visiblePriority: p.priority });
  useSearchMarks(textHost, textLayer, p.searchQuery, p.currentMatch);

  const live = useRef<SVGPathElement>(null);
  const tool = usePageTool(live, {
    tool: p.tool, paperId: p.paperId, sha256: p.sha256, pageNumber: p.pageNumber, color: p.color, strokeWidth: p.strokeWidth,
    viewBox: vp1, placement: placement1, textHost, onAdd: p.onAdd, onErase: p.onErase, onOpenNote: p.onOpenNote,
    annotations,
  });

  const inkPaths = useMemo(() => annotations.map((a) => (a.kind === 'ink' ? { a, d: strokePath(a.points, a.width, { simulatePressure: true }) } : null)), [annotations]);

  return (
    <div
      ref={self}
      className={`page${painted ? ' painted' : ''}`}
      data-page-number={p.pageNumber}
      data-painted={painted ? 'true' : 'false'}
      role="group"
      aria-label={t('viewer.pageLabel', { n: p.pageNumber })}
      style={{ top: p.top, width: p.width, height: p.height, ['--total-scale-factor' as string]: p.cssScale }}
    >
      <div ref={canvasHost} className="page-canvas" />
      <div ref={textHost} className={`page-text tool-${p.tool}`} onPointerUp={tool.onTextPointerUp}
        onPointerDown={tool.onTextPointerDown} onPointerMove={tool.onTextPointerMove} onPointerCancel={tool.onTextPointerCancel} />
      {vp1 && (
        <svg
          className={`ann-layer${isDrawingTool(p.tool) ? ' drawing' : ''} tool-${p.tool}`}
          viewBox={`0 0 ${vp1.width} ${vp1.height}`}
          preserveAspectRatio="none"
          onPointerDown={tool.onPointerDown}
          onPointerMove={tool.onPointerMove}
          onPointerUp={tool.onPointerUp}
          onPointerCancel={tool.onPointerCancel}
          onTouchEnd={tool.onTouchEnd}
          data-testid={`ann-layer-${p.pageNumber}`}
        >
          <g transform={`matrix(${vp1.transform.join(' ')})`}>
            {annotations.map((a) => a.kind === 'highlight' ? (
              <g key={a.id} data-ann-id={a.id} className="ann ann-highlight">
                {chunk4(a.rects).map(([x, y, w, h], i) => <rect key={i} x={x} y={y} width={w} height={h} fill={a.color} />)}
              </g>
            ) : null)}
            {inkPaths.map((ip) => ip && (
              <path key={ip.a.id} data-ann-id={ip.a.id} className={`ann ann-ink${ip.a.kind === 'ink' && ip.a.tool === 'highlighter' ? ' ann-ink-highlighter' : ''}`} d={ip.d} fill={ip.a.kind === 'ink' ? ip.a.color : undefined} />
            ))}
            <path ref={live} className="ann-live" fill={p.color} d="" />
          </g>
        </svg>
      )}
      {placement1 && annotations.map((a) => a.kind === 'note' ? (
        <NoteMarker key={a.id} note={a} placement={{ ...placement1, scale: p.cssScale }} open={p.openNoteId === a.id} tool={p.tool}
          onOpen={p.onOpenNote} onErase={p.onErase} onText={p.onNoteText} />
      ) : null)}
    </div>
  );
}

function chunk4(v: readonly number[]): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i + 3 < v.length; i += 4) out.push([v[i]!, v[i + 1]!, v[i + 2]!, v[i + 3]!]);
  return out;
}

export const PageView = memo(PageViewImpl);
