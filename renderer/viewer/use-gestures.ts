// Touch and trackpad gestures on the pages: the TouchGestures machine's answers applied to the
// viewport (pan by scrolling, pinch by zooming around the fingers), and ctrl+wheel — how a
// trackpad pinch arrives — zooming around the pointer instead of the whole page.
import { useEffect, useEffectEvent, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
import { clampZoom } from './layout.ts';
import { TouchGestures, type GesturePointer } from './touch-gestures.ts';
import type { Viewport } from './use-viewport.ts';

const pointer = (e: ReactPointerEvent): GesturePointer => ({ id: e.pointerId, type: e.pointerType, x: e.clientX, y: e.clientY });

/** Pointer handlers for the scroll box; `drawing`: a tool owns one-finger input, so one finger pans here. */
export function useGestures(scrollerRef: RefObject<HTMLDivElement | null>, v: Viewport, drawing: boolean) {
  const [gestures] = useState(() => new TouchGestures());
  const onWheel = useEffectEvent((e: WheelEvent) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    v.zoomAround(clampZoom(v.scale * Math.exp(-e.deltaY / 300)), e.clientX, e.clientY);
  });
  useEffect(() => {
    // The scroll box is there from the viewer's first render, whatever it shows.
    const el = scrollerRef.current;
    if (!el) return;
    // Not passive: the page itself must not zoom.
    const listener = (e: WheelEvent) => onWheel(e);
    el.addEventListener('wheel', listener, { passive: false });
    return () => el.removeEventListener('wheel', listener);
  }, [scrollerRef]);

  const end = (e: ReactPointerEvent) => gestures.pointerUp(pointer(e));
  return {
    onPointerDown: (e: ReactPointerEvent) => gestures.pointerDown(pointer(e), v.scale),
    onPointerMove: (e: ReactPointerEvent) => {
      const action = gestures.pointerMove(pointer(e), { zoom: v.scale, panning: drawing });
      if (!action) return;
      if (action.kind === 'zoom') v.zoomAround(action.zoom, action.x, action.y);
      else scrollerRef.current?.scrollBy({ left: action.dx, top: action.dy, behavior: 'instant' });
    },
    onPointerUp: end,
    onPointerCancel: end,
  };
}
