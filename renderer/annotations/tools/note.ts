// The note tool: a tap on the page places an empty note there and opens its editor (an empty
// note is removed when the editor closes). No state beyond idle.
import { drawsWith, type DownResult, type Tool, type ToolContext, type ToolPointer } from './tool.ts';

export class NoteTool implements Tool {
  readonly name = 'note' as const;
  readonly state = 'idle';

  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult {
    if (!drawsWith(p)) return 'ignored';
    const [x, y] = ctx.measure()(p.x, p.y);
    const id = ctx.newId();
    ctx.add({ id, kind: 'note', paperId: ctx.paperId, sha256: ctx.sha256, page: ctx.page, createdAt: ctx.now(), x, y, text: '', color: ctx.color });
    ctx.openNote(id);
    return 'handled';
  }

  pointerMove(): void {}

  pointerUp(): void {}
}
