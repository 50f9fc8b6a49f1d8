// The eraser: a tap removes what is under it; idle → erasing while the pointer drags across
// annotations, each removed as the pointer passes over it → idle.
import { drawsWith, type DownResult, type Tool, type ToolContext, type ToolPointer } from './tool.ts';

type EraserState = { name: 'idle' } | { name: 'erasing'; pointerId: number };

export class EraserTool implements Tool {
  readonly name = 'eraser' as const;
  private s: EraserState = { name: 'idle' };

  get state(): string {
    return this.s.name;
  }

  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult {
    if (!drawsWith(p) || this.s.name !== 'idle') return 'ignored';
    this.s = { name: 'erasing', pointerId: p.id };
    this.eraseAt(p.x, p.y, ctx);
    return 'capture';
  }

  pointerMove(p: ToolPointer, ctx: ToolContext): void {
    if (this.s.name !== 'erasing' || this.s.pointerId !== p.id) return;
    this.eraseAt(p.x, p.y, ctx);
  }

  pointerUp(p: ToolPointer): void {
    if (this.s.name === 'erasing' && this.s.pointerId === p.id) this.s = { name: 'idle' };
  }

  private eraseAt(x: number, y: number, ctx: ToolContext): void {
    for (const id of ctx.hitTest(x, y)) ctx.erase(id);
  }
}
