// Keeps the signed-in user's annotations following replaced papers: whenever their notes doc or
// a paper's version list changes, copy their annotations on pages that did not change to the new
// version (shared/paper-versions.ts). Only the user's own client may write their notes, so this
// runs in every user's client, not in the hub. The copy is idempotent and safe across devices.
import { useEffect, useRef } from 'react';
import type * as Y from 'yjs';
import { carryAnnotationsForward, type CarriedFrom } from '../../shared/paper-versions.ts';

export interface CarryPaper {
  id: string;
  versions: ReadonlyArray<{ sha256: string; carriedFrom?: CarriedFrom | null }>;
}

const OWN_ORIGIN = 'carry-forward';

/** The papers that have something to carry, as a stable key (so a re-render alone does nothing). */
function carryKey(papers: readonly CarryPaper[]): string {
  return papers.filter((p) => p.versions.some((v) => v.carriedFrom)).map((p) => `${p.id}:${p.versions.map((v) => v.sha256.slice(0, 12)).join(',')}`).join(';');
}

/**
 * `ready` must be true only once the notes doc has synced with its server: before that the
 * replica lacks the record of copies the user deleted on another device, and would revive them.
 */
export function useCarryForward(notes: Y.Doc | null, papers: readonly CarryPaper[], ready: boolean): void {
  const papersRef = useRef(papers);
  papersRef.current = papers;
  const key = carryKey(papers);
  useEffect(() => {
    if (!notes || !ready || !key) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      timer = null;
      for (const p of papersRef.current) if (p.versions.some((v) => v.carriedFrom)) carryAnnotationsForward(notes, p.id, p.versions);
    };
    // Strokes arrive in bursts (a device catching up): one pass after the burst settles.
    const schedule = (_u: unknown, origin: unknown) => {
      if (origin === OWN_ORIGIN || timer) return;
      timer = setTimeout(run, 100);
    };
    run();
    notes.on('update', schedule);
    return () => {
      notes.off('update', schedule);
      if (timer) clearTimeout(timer);
    };
  }, [notes, ready, key]);
}
