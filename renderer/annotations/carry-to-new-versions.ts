// Carries the signed-in user's annotations to each new version of a replaced paper: on every
// page that did not change, their marks are copied to the new version (shared/paper-versions.ts).
// Only the user's own client may write their notes, so this runs in every user's client (a
// delegate's above all), not in the hub and not only in the console. The copy is idempotent and
// safe across devices.
import { useEffect, useEffectEvent } from 'react';
import type * as Y from 'yjs';
import { carryAnnotationsForward, type CarriedFrom } from '../../shared/paper-versions.ts';

export interface VersionedPaper {
  id: string;
  versions: ReadonlyArray<{ sha256: string; carriedFrom?: CarriedFrom | null }>;
}

const OWN_ORIGIN = 'carry-forward';

/** The papers that have something to carry, as a stable key (so a re-render alone does nothing). */
function carryKey(papers: readonly VersionedPaper[]): string {
  return papers.filter((p) => p.versions.some((v) => v.carriedFrom)).map((p) => `${p.id}:${p.versions.map((v) => v.sha256.slice(0, 12)).join(',')}`).join(';');
}

/**
 * Carries annotations when the notes doc has synced with its server, again when the paper
 * versions change, and after each burst of incoming note updates (its own writes are ignored).
 * `ready` must be true only once the notes doc has synced: before that the replica lacks the
 * record of copies the user deleted on another device, and would revive them.
 */
export function useCarryAnnotationsToNewVersions(notes: Y.Doc | null, papers: readonly VersionedPaper[], ready: boolean): void {
  const key = carryKey(papers);
  const carry = useEffectEvent((doc: Y.Doc) => {
    for (const p of papers) if (p.versions.some((v) => v.carriedFrom)) carryAnnotationsForward(doc, p.id, p.versions);
  });
  useEffect(() => {
    if (!notes || !ready || !key) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      timer = null;
      carry(notes);
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
