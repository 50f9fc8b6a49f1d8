// The DOM side of the annotation tools on one page: turns pointer events on the annotation layer
// (and the lift on the text layer, for the highlighter) into calls on the tool's state machine
// (annotations/tools/), and gives the machine its context — page coordinates measured from the
// layer's box, what lies under a point, the live stroke's <path>, the text selection.
import { useContext, useEffect, useEffectEvent, useMemo, useRef, type PointerEvent as ReactPointerEvent, type RefObject, type TouchEvent as ReactTouchEvent } from 'react';
import type { Annotation } from '../../shared/notes-doc.ts';
import { newId } from '../../shared/ids.ts';
import { screenToPage, strokePath, type PagePlacement } from '../annotations/geometry.ts';
import { createTool, type ToolContext, type ToolName, type ToolPointer } from '../annotations/tools/index.ts';
import { TouchArbiterContext } from './use-gestures.ts';

declare global {
  interface Window {
    /** Set by the benchmark: work time (ms) of each ink pointer event is pushed here. */
    __chamberInk?: number[];
  }
}

export interface PageToolOptions {
  tool: ToolName;
  paperId: string;
  sha256: string;
  pageNumber: number;
  color: string;
  strokeWidth: number;
  /** The page at scale 1 with its rotation: the layer's view box. */
  viewBox: { width: number; height: number } | null;
  placement: PagePlacement | null;
  textHost: RefObject<HTMLDivElement | null>;
  onAdd: (a: Annotation) => void;
  onErase: (id: string) => void;
  onOpenNote: (id: string | null) => void;
  /** This page's annotations (the eraser's reach is measured against them). */
  annotations: readonly Annotation[];
}

const pointerOf = (e: ReactPointerEvent): ToolPointer => {
  const type = e.pointerType === 'pen' || e.pointerType === 'touch' ? e.pointerType : 'mouse';
  // Every sample the hardware gave since the last frame, not just the last one.
  const coalesced = e.type === 'pointermove' ? e.nativeEvent.getCoalescedEvents?.() ?? [] : [];
  return {
    id: e.pointerId, type, button: e.button, x: e.clientX, y: e.clientY, pressure: e.pressure,
    samples: coalesced.map((c) => ({ x: c.clientX, y: c.clientY, pressure: c.pressure })),
  };
};

/** The text position under a client point (Chromium and Firefox name it differently). */
function caretAt(x: number, y: number): { node: Node; offset: number } | null {
  const pos = document.caretPositionFromPoint?.(x, y);
  if (pos) return { node: pos.offsetNode, offset: pos.offset };
  const range = document.caretRangeFromPoint?.(x, y);
  return range ? { node: range.startContainer, offset: range.startOffset } : null;
}

/** Handlers for the page's layers; `liveRef` is the live stroke's <path>. */
export function usePageTool(liveRef: RefObject<SVGPathElement | null>, o: PageToolOptions) {
  const machine = useMemo(() => createTool(o.tool), [o.tool]);
  const arbiter = useContext(TouchArbiterContext);
  const layer = useRef<Element | null>(null);
  /** A finger the tool took: its lift must not also become a click (on the note just placed). */
  const fingerUsed = useRef(false);

  const context = (layer: Element | null): ToolContext => ({
    paperId: o.paperId, sha256: o.sha256, page: o.pageNumber, color: o.color, width: o.strokeWidth,
    measure: () => {
      // Against the element's box on screen, so CSS scaling between renders is allowed for.
      const rect = (layer ?? o.textHost.current)!.getBoundingClientRect();
      const vb = o.viewBox!;
      return (x, y) => screenToPage(((x - rect.left) / rect.width) * vb.width, ((y - rect.top) / rect.height) * vb.height, o.placement!);
    },
    annotations: () => o.annotations,
    hitTest: (x, y) => document.elementsFromPoint(x, y).map((el) => el.getAttribute('data-ann-id')).filter((id): id is string => !!id),
    add: o.onAdd,
    erase: o.onErase,
    openNote: o.onOpenNote,
    showLive: (points, simulatePressure) => liveRef.current?.setAttribute('d', points ? strokePath(points, o.strokeWidth, { simulatePressure, last: false }) : ''),
    selection: () => {
      const host = o.textHost.current;
      const sel = window.getSelection();
      if (!host || !sel || sel.isCollapsed || sel.rangeCount === 0) return null;
      const range = sel.getRangeAt(0);
      if (!host.contains(range.commonAncestorContainer) && !host.contains(range.startContainer)) return null;
      return { rects: [...range.getClientRects()], box: host.getBoundingClientRect(), text: sel.toString() };
    },
    clearSelection: () => window.getSelection()?.removeAllRanges(),
    selectBetween: (x0, y0, x1, y1) => {
      const host = o.textHost.current;
      const a = caretAt(x0, y0);
      const b = caretAt(x1, y1);
      if (!host || !a || !b || !host.contains(a.node) || !host.contains(b.node)) return;
      window.getSelection()?.setBaseAndExtent(a.node, a.offset, b.node, b.offset);
    },
    newId,
    now: Date.now,
  });

  const ready = !!machine && !!o.viewBox && !!o.placement;
  // A second finger landed during a one-finger stroke: the stroke is dropped, not kept.
  const cancel = (pointerId: number) => {
    if (ready && machine.state !== 'idle') machine.cancel(pointerId, context(layer.current));
  };
  const onCancel = useEffectEvent(cancel);
  useEffect(() => arbiter?.onCancel((id) => onCancel(id)), [arbiter]);

  return {
    onPointerDown: (e: ReactPointerEvent<SVGSVGElement>) => {
      if (!ready) return;
      // Only the finger the viewer lets draw reaches the tool; others pan and pinch.
      if (e.pointerType === 'touch' && !arbiter?.mayDraw(e.pointerId)) return;
      layer.current = e.currentTarget;
      const result = machine.pointerDown(pointerOf(e), context(e.currentTarget));
      if (result === 'ignored') return;
      if (e.pointerType === 'touch') fingerUsed.current = true;
      e.preventDefault();
      if (result === 'capture') e.currentTarget.setPointerCapture(e.pointerId);
    },
    onPointerMove: (e: ReactPointerEvent<SVGSVGElement>) => {
      if (!ready || machine.state === 'idle') return;
      const t0 = performance.now();
      machine.pointerMove(pointerOf(e), context(e.currentTarget));
      // The tool let the finger go (the note's tap became a drag): the finger pans instead.
      if (e.pointerType === 'touch' && machine.state === 'idle') arbiter?.release(e.pointerId);
      if (machine.name === 'pen') window.__chamberInk?.push(performance.now() - t0);
    },
    onPointerUp: (e: ReactPointerEvent<SVGSVGElement>) => {
      if (ready) machine.pointerUp(pointerOf(e), context(e.currentTarget));
    },
    /** The browser took the pointer (or it was lost): what it began is dropped, not kept. */
    onPointerCancel: (e: ReactPointerEvent<SVGSVGElement>) => {
      if (ready) machine.cancel(e.pointerId, context(e.currentTarget));
    },
    onTouchEnd: (e: ReactTouchEvent<SVGSVGElement>) => {
      if (!fingerUsed.current || e.touches.length > 0) return;
      fingerUsed.current = false;
      e.preventDefault();
    },
    /** A finger the viewer lets highlight starts its selection on the text layer. */
    onTextPointerDown: (e: ReactPointerEvent<HTMLDivElement>) => {
      if (!ready || machine.name !== 'highlighter' || e.pointerType !== 'touch' || !arbiter?.mayDraw(e.pointerId)) return;
      if (machine.pointerDown(pointerOf(e), context(null)) === 'ignored') return;
      e.preventDefault();
      e.currentTarget.setPointerCapture(e.pointerId);
    },
    onTextPointerMove: (e: ReactPointerEvent<HTMLDivElement>) => {
      if (ready && machine.name === 'highlighter' && machine.state !== 'idle') machine.pointerMove(pointerOf(e), context(null));
    },
    onTextPointerCancel: (e: ReactPointerEvent<HTMLDivElement>) => {
      if (ready && machine.name === 'highlighter') machine.cancel(e.pointerId, context(null));
    },
    /** The highlighter's selection ends on the text layer, under the annotation layer. */
    onTextPointerUp: (e: ReactPointerEvent<HTMLDivElement>) => {
      if (ready && machine.name === 'highlighter') machine.pointerUp(pointerOf(e), context(null));
    },
  };
}
