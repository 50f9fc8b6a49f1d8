// What an annotation tool is: a small state machine fed pointer events on one page (tldraw's
// habit), with everything it touches — coordinates, the notes doc, the live stroke, the text
// selection — behind a context. The page component only translates DOM events; the tools are
// plain objects, tested without a browser (test/unit/annotation-tools.test.ts).
import type { Annotation } from '../../../shared/notes-doc.ts';

export type ToolName = 'none' | 'pen' | 'highlighter' | 'note' | 'eraser';

export interface PointerSample {
  /** Client (CSS pixel) coordinates. */
  x: number;
  y: number;
  pressure: number;
}

export interface ToolPointer extends PointerSample {
  id: number;
  type: 'mouse' | 'pen' | 'touch';
  button: number;
  /** Every hardware sample since the last event (getCoalescedEvents), oldest first; empty: just this one. */
  samples: readonly PointerSample[];
}

/** Client coordinates → PDF page coordinates, for the page box as it was measured. */
export type ToPage = (x: number, y: number) => [number, number];

export interface ClientRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface ToolContext {
  paperId: string;
  sha256: string;
  page: number;
  color: string;
  /** Stroke width in page units (the highlighter's band is wider: the caller says). */
  width: number;
  /** Measures the page box now; a gesture keeps the mapping it started with. */
  measure(): ToPage;
  /** Ids of the annotations drawn under a client point. */
  hitTest(x: number, y: number): string[];
  /** This page's annotations (the eraser measures its distance to them). */
  annotations(): readonly Annotation[];
  add(a: Annotation): void;
  erase(id: string): void;
  openNote(id: string): void;
  /** The live stroke: its points so far (flat x, y, pressure), drawn without a React render. */
  showLive(points: readonly number[] | null, simulatePressure: boolean): void;
  /** The reader's text selection on this page: its line boxes, the text box, the text. */
  selection(): { rects: readonly ClientRect[]; box: ClientRect; text: string } | null;
  clearSelection(): void;
  /** Selects this page's text from one client point to another (a finger's drag). */
  selectBetween(x0: number, y0: number, x1: number, y1: number): void;
  newId(): string;
  now(): number;
}

/**
 * What the page does with a pointer down the tool answered: `capture` (follow this pointer and
 * stop the browser's default), `handled` (stop the default only), `ignored` (the browser's, or
 * the viewer's pan and pinch).
 */
export type DownResult = 'capture' | 'handled' | 'ignored';

export interface Tool {
  readonly name: ToolName;
  /** The machine's state, for tests and for the page's cursor. */
  readonly state: string;
  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult;
  pointerMove(p: ToolPointer, ctx: ToolContext): void;
  pointerUp(p: ToolPointer, ctx: ToolContext): void;
  /** Drops what this pointer was doing without keeping it (a second finger made it a pinch). */
  cancel(pointerId: number, ctx: ToolContext): void;
}

/**
 * Only the primary button acts. A finger reaches a tool only when the viewer let it draw (the
 * one finger down, finger drawing on: viewer/touch-gestures.ts); other fingers pan and pinch.
 */
export const drawsWith = (p: ToolPointer): boolean => p.button === 0;

/** Two decimals of a page point is far below what anyone can see: stored strokes stay compact. */
export const round2 = (v: number): number => Math.round(v * 100) / 100;
