// The annotation tools by name; `none` reads and selects only.
import { EraserTool } from './eraser.ts';
import { HighlighterTool } from './highlighter.ts';
import { NoteTool } from './note.ts';
import { PenTool } from './pen.ts';
import type { Tool, ToolName } from './tool.ts';

export type { Tool, ToolContext, ToolName, ToolPointer } from './tool.ts';

/** A fresh machine for the tool, or null for `none`. */
export function createTool(name: ToolName): Tool | null {
  switch (name) {
    case 'pen': return new PenTool();
    case 'eraser': return new EraserTool();
    case 'note': return new NoteTool();
    case 'highlighter': return new HighlighterTool();
    default: return null;
  }
}

/** Tools that own single-pointer input on the page (touch then pans and pinches by our code). */
export const isDrawingTool = (name: ToolName): boolean => name === 'pen' || name === 'eraser' || name === 'note';
