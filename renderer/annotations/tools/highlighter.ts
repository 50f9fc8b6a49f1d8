// The highlighter: the reader selects text on the page's text layer (the browser does that), and
// when the pointer lifts the selection's line boxes become one highlight — mapped to page space,
// merged into one band per line — and the selection is consumed.
import { mergeLineRects, rectFromCorners } from '../geometry.ts';
import { round2, type DownResult, type Tool, type ToolContext } from './tool.ts';

export class HighlighterTool implements Tool {
  readonly name = 'highlighter' as const;
  readonly state = 'idle';

  /** Selecting is the browser's job: the tool only acts on the lift. */
  pointerDown(): DownResult {
    return 'ignored';
  }

  pointerMove(): void {}

  pointerUp(_p: unknown, ctx: ToolContext): void {
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
