// The pen: idle → drawing (one pointer, every coalesced sample, pressure from a pen and simulated
// for a mouse) → idle, when the stroke becomes one ink annotation.
import { drawsWith, round2, type DownResult, type Tool, type ToolContext, type ToolPointer, type ToPage } from './tool.ts';

type PenState =
  | { name: 'idle' }
  | { name: 'drawing'; pointerId: number; points: number[]; toPage: ToPage; simulate: boolean };

export class PenTool implements Tool {
  readonly name = 'pen' as const;
  private s: PenState = { name: 'idle' };

  get state(): string {
    return this.s.name;
  }

  pointerDown(p: ToolPointer, ctx: ToolContext): DownResult {
    if (!drawsWith(p) || this.s.name !== 'idle') return 'ignored';
    const toPage = ctx.measure();
    const [x, y] = toPage(p.x, p.y);
    const simulate = p.type !== 'pen';
    this.s = { name: 'drawing', pointerId: p.id, points: [x, y, simulate ? 0.5 : p.pressure || 0.5], toPage, simulate };
    ctx.showLive(this.s.points, simulate);
    return 'capture';
  }

  pointerMove(p: ToolPointer, ctx: ToolContext): void {
    const s = this.s;
    if (s.name !== 'drawing' || s.pointerId !== p.id) return;
    for (const sample of p.samples.length ? p.samples : [p]) {
      const [x, y] = s.toPage(sample.x, sample.y);
      s.points.push(x, y, s.simulate ? 0.5 : sample.pressure || 0.5);
    }
    ctx.showLive(s.points, s.simulate);
  }

  cancel(pointerId: number, ctx: ToolContext): void {
    if (this.s.name !== 'drawing' || this.s.pointerId !== pointerId) return;
    this.s = { name: 'idle' };
    ctx.showLive(null, false);
  }

  pointerUp(p: ToolPointer, ctx: ToolContext): void {
    const s = this.s;
    if (s.name !== 'drawing' || s.pointerId !== p.id) return;
    this.s = { name: 'idle' };
    ctx.showLive(null, false);
    if (s.points.length < 3) return;
    ctx.add({
      id: ctx.newId(), kind: 'ink', tool: 'pen', paperId: ctx.paperId, sha256: ctx.sha256, page: ctx.page, createdAt: ctx.now(),
      color: ctx.color, width: ctx.width, points: s.points.map(round2),
    });
  }
}
