// Carrying a delegate's annotations from one version of a paper to the next. The hub compares
// per-page content fingerprints of the two versions and records which old pages reappear
// unchanged (and where); each user's own client then copies their annotations on those pages
// to the new version. Notes stay written by their owner only, as the permission table demands.
import * as Y from 'yjs';
import { annotationSchema, annotationsMap, type Annotation } from './notes-doc.ts';

/** [oldPage, newPage] pairs, 1-based, in order. */
export type PageMap = Array<[number, number]>;

/**
 * Pages unchanged between two versions, matched in order (a longest common subsequence of the
 * fingerprint sequences), so an inserted or removed page shifts the rest rather than breaking
 * the match. A fingerprint that repeats (blank pages) matches only in sequence.
 */
export function mapUnchangedPages(oldPrints: readonly string[], newPrints: readonly string[]): PageMap {
  const n = oldPrints.length;
  const m = newPrints.length;
  // Papers run to a few hundred pages: an O(n·m) table of 16-bit lengths stays small.
  if (n === 0 || m === 0) return [];
  const width = m + 1;
  const table = new Uint16Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * width + j] = oldPrints[i] === newPrints[j]
        ? table[(i + 1) * width + j + 1]! + 1
        : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const out: PageMap = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (oldPrints[i] === newPrints[j]) {
      out.push([i + 1, j + 1]);
      i++;
      j++;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  return out;
}

/** What the meeting document says about how a version relates to the one before it. */
export interface CarriedFrom {
  sha256: string;
  pages: PageMap;
}

interface VersionLike {
  sha256: string;
  carriedFrom?: CarriedFrom | null;
}

const MIGRATED = 'migrated';

/**
 * Copies the user's annotations forward along each version's `carriedFrom` map, version by
 * version, so a note made on version 1 reaches version 3 if its page survived both changes.
 * Idempotent and safe on several devices at once: the copy's id is derived from the source id
 * and the target version, and a record of done migrations keeps a copy the user deleted from
 * coming back. Returns how many annotations were copied.
 */
export function carryAnnotationsForward(notes: Y.Doc, paperId: string, versions: readonly VersionLike[]): number {
  const done = notes.getMap<boolean>(MIGRATED);
  const annotations = annotationsMap(notes);
  let copied = 0;
  notes.transact(() => {
    for (const v of versions) {
      const from = v.carriedFrom;
      if (!from || from.sha256 === v.sha256) continue;
      const pageMap = new Map(from.pages);
      const sources: Annotation[] = [];
      annotations.forEach((value) => {
        const parsed = annotationSchema.safeParse(value);
        if (parsed.success && parsed.data.paperId === paperId && parsed.data.sha256 === from.sha256) sources.push(parsed.data);
      });
      for (const a of sources) {
        const key = `${a.id}>${v.sha256}`;
        if (done.get(key)) continue;
        done.set(key, true);
        const page = pageMap.get(a.page);
        if (page === undefined) continue;
        const id = `${a.id.slice(0, 40)}~${v.sha256.slice(0, 12)}`;
        if (annotations.has(id)) continue;
        annotations.set(id, { ...a, id, sha256: v.sha256, page });
        copied++;
      }
    }
  }, 'carry-forward');
  return copied;
}
