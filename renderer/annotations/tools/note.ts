// The note tool: a tap on the page places an empty note there and opens its editor (an empty
// note is removed when the editor closes). A mouse or pen places it on the press; a finger on
// the lift, and only if it stayed put — a finger that moves or gains a second one is a pan.
import { drawsWith, type DownResult, type Tool, type ToolContext, type ToolPointer } from './tool.ts';

/** How far (CSS px) a finger may wander and still be a tap. */
const TAP_SLOP = 10;

type NoteState = { name: 'idle' } | { name: 'tapping'; pointerId: number; x: number; y: number };

export class NoteTool implements Tool {
  readonly name = 'note' as const;
  private s: NoteState = { name: 'idle' };

  get state(): string {
    return this.s.name;
  }

  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult {
    if (!drawsWith(p) || this.s.name !== 'idle') return 'ignored';
    if (p.type === 'touch') {
      this.s = { name: 'tapping', pointerId: p.id, x: p.x, y: p.y };
      return 'capture';
    }
    this.place(p.x, p.y, ctx);
    return 'handled';
  }

  pointerMove(p: ToolPointer): void {
    const s = this.s;
    if (s.name === 'tapping' && s.pointerId === p.id && Math.hypot(p.x - s.x, p.y - s.y) > TAP_SLOP) this.s = { name: 'idle' };
  }

  pointerUp(p: ToolPointer, ctx: ToolContext): void {
    const s = this.s;
    if (s.name !== 'tapping' || s.pointerId !== p.id) return;
    this.s = { name: 'idle' };
    this.place(s.x, s.y, ctx);
  }

  cancel(pointerId: number): void {
    if (this.s.name === 'tapping' && this.s.pointerId === pointerId) this.s = { name: 'idle' };
  }

  private place(x: number, y: number, ctx: ToolContext): void {
    const [px, py] = ctx.measure()(x, y);
    const id = ctx.newId();
    ctx.add({ id, kind: 'note', paperId: ctx.paperId, sha256: ctx.sha256, page: ctx.page, createdAt: ctx.now(), x: px, y: py, text: '', color: ctx.color });
    ctx.openNote(id);
  }
}
