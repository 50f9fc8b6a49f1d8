// The highlighter: the reader selects text on the page's text layer and when the pointer lifts
// the selection's line boxes become one highlight — mapped to page space, merged into one band
// per line — and the selection is consumed. A mouse or pen selects the browser's way; a finger
// (when the viewer lets it draw) has no such drag, so the tool selects from where it landed to
// where it is, through the context.
import { mergeLineRects, rectFromCorners } from '../geometry.ts';
import { round2, type DownResult, type Tool, type ToolContext, type ToolPointer } from './tool.ts';

type HighlighterState = { name: 'idle' } | { name: 'selecting'; pointerId: number; x: number; y: number };

export class HighlighterTool implements Tool {
  readonly name = 'highlighter' as const;
  private s: HighlighterState = { name: 'idle' };

  get state(): string {
    return this.s.name;
  }

  /** Selecting is the browser's job for a mouse or pen: the tool only acts on the lift. */
  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult {
    if (p.type !== 'touch' || p.button !== 0 || this.s.name !== 'idle') return 'ignored';
    ctx.clearSelection();
    this.s = { name: 'selecting', pointerId: p.id, x: p.x, y: p.y };
    return 'capture';
  }

  pointerMove(p: ToolPointer, ctx: ToolContext): void {
    const s = this.s;
    if (s.name === 'selecting' && s.pointerId === p.id) ctx.selectBetween(s.x, s.y, p.x, p.y);
  }

  cancel(pointerId: number, ctx: ToolContext): void {
    if (this.s.name !== 'selecting' || this.s.pointerId !== pointerId) return;
    this.s = { name: 'idle' };
    ctx.clearSelection();
  }

  pointerUp(p: ToolPointer, ctx: ToolContext): void {
    const s = this.s;
    if (s.name === 'selecting') {
      if (s.pointerId !== p.id) return;
      this.s = { name: 'idle' };
    }
    const sel = ctx.selection();
    if (!sel) return;
    const toPage = ctx.measure();
    const { box } = sel;
    const rects: Array<[number, number, number, number]> = [];
    for (const r of sel.rects) {
      if (r.right - r.left < 1 || r.bottom - r.top < 1) continue;
      const [ax, ay] = toPage(Math.max(r.left, box.left), Math.max(r.top, box.top));
      const [bx, by] = toPage(Math.min(r.right, box.right), Math.min(r.bottom, box.bottom));
      rects.push(rectFromCorners(ax, ay, bx, by));
    }
    const merged = mergeLineRects(rects);
    if (merged.length === 0) return;
    ctx.add({
      id: ctx.newId(), kind: 'highlight', paperId: ctx.paperId, sha256: ctx.sha256, page: ctx.page, createdAt: ctx.now(),
      color: ctx.color, rects: merged.flat().map(round2), text: sel.text.slice(0, 10000),
    });
    ctx.clearSelection();
  }
}
