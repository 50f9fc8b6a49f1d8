// Touch and trackpad gestures on the pages: the TouchGestures machine's answers applied to the
// viewport (pan by scrolling, pinch by zooming around the fingers), ctrl+wheel — how a trackpad
// pinch arrives — zooming around the pointer instead of the whole page, and sideways swipes
// turning pages. The machine also decides which finger may draw; the pages' tools ask it
// through `TouchArbiter` (a context), and drop a stroke it cancels.
import { createContext, useEffect, useEffectEvent, useLayoutEffect, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
import { clampZoom } from './layout.ts';
import { notePenSeen } from './finger-drawing.ts';
import { SwipeDetector, TouchGestures, type GesturePointer } from './touch-gestures.ts';
import type { Viewport } from './use-viewport.ts';

const pointer = (e: ReactPointerEvent): GesturePointer => ({ id: e.pointerId, type: e.pointerType, x: e.clientX, y: e.clientY });

/** What the pages' tools ask of the viewer's touch handling. */
export class TouchArbiter {
  readonly gestures = new TouchGestures();
  private readonly cancelled = new Set<(pointerId: number) => void>();

  /** A touch may reach the tool only while it is the one finger drawing. */
  mayDraw(pointerId: number): boolean {
    return this.gestures.isDrawing(pointerId);
  }

  release(pointerId: number): void {
    this.gestures.release(pointerId);
  }

  /** Called with a finger's id when its stroke must be dropped (a second finger landed). */
  onCancel(fn: (pointerId: number) => void): () => void {
    this.cancelled.add(fn);
    return () => this.cancelled.delete(fn);
  }

  cancel(pointerId: number): void {
    for (const fn of this.cancelled) fn(pointerId);
  }
}

export const TouchArbiterContext = createContext<TouchArbiter | null>(null);

export interface GestureOptions {
  /** A tool owns one-finger input: the scroll box has no native touch panning, so we pan. */
  drawing: boolean;
  /** Fingers may use the tool (finger drawing on, or no pen seen). */
  fingerDraws: boolean;
  /** Swipes turn pages (no tool chosen). */
  swipes: boolean;
}

/** Pointer handlers for the scroll box, and the arbiter the pages' tools consult. */
export function useGestures(scrollerRef: RefObject<HTMLDivElement | null>, v: Viewport, o: GestureOptions) {
  const [arbiter] = useState(() => new TouchArbiter());
  const [swipe] = useState(() => new SwipeDetector());
  const gestures = arbiter.gestures;
  const onWheel = useEffectEvent((e: WheelEvent) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    v.zoomAround(clampZoom(v.scale * Math.exp(-e.deltaY / 300)), e.clientX, e.clientY);
  });
  const onTouch = useEffectEvent((e: TouchEvent) => {
    const el = scrollerRef.current;
    if (!el) return;
    if (e.type === 'touchstart') {
      if (!o.swipes) return swipe.cancel();
      const c = e.changedTouches[0]!;
      swipe.touchStart(e.touches.length, { id: c.identifier, x: c.clientX, y: c.clientY, t: e.timeStamp });
      return;
    }
    if (e.type === 'touchcancel') return swipe.cancel();
    for (const c of e.changedTouches) {
      const canScroll = (dir: -1 | 1) => (dir > 0 ? el.scrollLeft + el.clientWidth < el.scrollWidth - 1 : el.scrollLeft > 0);
      const dir = swipe.touchEnd(e.touches.length, { id: c.identifier, x: c.clientX, y: c.clientY, t: e.timeStamp }, el.clientWidth, canScroll);
      if (dir && o.swipes) v.step(dir);
    }
  });
  useEffect(() => {
    // The scroll box is there from the viewer's first render, whatever it shows.
    const el = scrollerRef.current;
    if (!el) return;
    // Not passive: the page itself must not zoom.
    const wheel = (e: WheelEvent) => onWheel(e);
    el.addEventListener('wheel', wheel, { passive: false });
    // Passive: a swipe never holds up the browser's scrolling.
    const touch = (e: TouchEvent) => onTouch(e);
    const kinds = ['touchstart', 'touchend', 'touchcancel'] as const;
    for (const k of kinds) el.addEventListener(k, touch, { passive: true });
    return () => {
      el.removeEventListener('wheel', wheel);
      for (const k of kinds) el.removeEventListener(k, touch);
    };
  }, [scrollerRef]);

  // What the browser may do with a finger here. A tool: nothing (we pan, pinch and draw). Else
  // native scrolling, but sideways only while the pages are wider than the pane: a sideways
  // gesture the browser takes on a pane that cannot scroll that way runs on to the browser's own
  // back/forward gesture, whatever overscroll-behavior says; left to us, it turns the page.
  useLayoutEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    el.style.touchAction = o.drawing ? 'none' : el.scrollWidth > el.clientWidth + 1 ? 'pan-x pan-y' : 'pan-y';
  });

  const end = (e: ReactPointerEvent) => gestures.pointerUp(pointer(e));
  return {
    arbiter,
    handlers: {
      // Capture phase: the role is decided before the page's tool sees the pointer.
      onPointerDownCapture: (e: ReactPointerEvent) => {
        if (e.pointerType === 'pen') notePenSeen();
        const role = gestures.pointerDown(pointer(e), { zoom: v.scale, fingerDraws: o.drawing && o.fingerDraws });
        if (role.cancel !== undefined) arbiter.cancel(role.cancel);
      },
      onPointerMove: (e: ReactPointerEvent) => {
        for (const action of gestures.pointerMove(pointer(e), { zoom: v.scale, panning: o.drawing })) {
          if (action.kind === 'zoom') v.zoomAround(action.zoom, action.x, action.y);
          else scrollerRef.current?.scrollBy({ left: action.dx, top: action.dy, behavior: 'instant' });
        }
      },
      onPointerUp: end,
      onPointerCancel: end,
    },
  };
}
