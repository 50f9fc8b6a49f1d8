// Which of the reader's notes a paper's replacement carried over and which it left behind on the
// version before (issue 16, problem 4). The carrying itself is annotations/carry-to-new-versions.ts;
// this only reads the same page map (the hub's unchanged-page fingerprints) to tell the reader.
import type * as Y from 'yjs';
import { annotationSchema, annotationsMap } from '../../shared/notes-doc.ts';

export interface VersionLike {
  version: number;
  sha256: string;
  carriedFrom?: { sha256: string; pages: Array<[number, number]> } | null;
}

export interface PaperLike {
  id: string;
  title: string;
  versions: readonly VersionLike[];
}

export interface ReplacedSplit {
  paperId: string;
  title: string;
  /** The latest version and the one before it. */
  version: number;
  sha256: string;
  previous: number;
  previousSha256: string;
  /** Pages of the new version that received the reader's notes, ascending. */
  carried: number[];
  /** Pages of the previous version whose notes stayed there, ascending. */
  stayed: number[];
}

const latestOf = (versions: readonly VersionLike[]): VersionLike | null =>
  versions.reduce<VersionLike | null>((m, v) => (!m || v.version > m.version ? v : m), null);

/** The replaced papers' last step: latest version and the previous one, with its page map. */
export function replacements(papers: readonly PaperLike[]): Array<{ paper: PaperLike; latest: VersionLike; prev: VersionLike; pages: Map<number, number> }> {
  const out = [];
  for (const paper of papers) {
    const latest = latestOf(paper.versions);
    if (!latest || paper.versions.length < 2) continue;
    // The hub names the version it compared with; an older hub's answer lacks it, and then
    // nothing was carried from the version just before.
    const prevSha = latest.carriedFrom?.sha256;
    const prev = prevSha
      ? paper.versions.find((v) => v.sha256 === prevSha)
      : latestOf(paper.versions.filter((v) => v.version < latest.version));
    if (!prev || prev.sha256 === latest.sha256) continue;
    out.push({ paper, latest, prev, pages: new Map(latest.carriedFrom?.pages ?? []) });
  }
  return out;
}

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

/**
 * For each replaced paper the reader annotated on the version before the latest: the pages
 * their notes went to and the pages where they stayed. One pass over the notes document.
 */
export function splitReplacedNotes(notes: Y.Doc, papers: readonly PaperLike[]): ReplacedSplit[] {
  const steps = replacements(papers);
  if (!steps.length) return [];
  const byKey = new Map(steps.map((s) => [`${s.paper.id}\u0000${s.prev.sha256}`, { step: s, carried: new Set<number>(), stayed: new Set<number>() }]));
  annotationsMap(notes).forEach((value) => {
    const v = value as { paperId?: unknown; sha256?: unknown };
    const hit = byKey.get(`${String(v.paperId)}\u0000${String(v.sha256)}`);
    if (!hit) return;
    // Another device of the reader may have written anything: only valid notes count.
    const parsed = annotationSchema.safeParse(value);
    if (!parsed.success) return;
    const to = hit.step.pages.get(parsed.data.page);
    if (to === undefined) hit.stayed.add(parsed.data.page);
    else hit.carried.add(to);
  });
  const out: ReplacedSplit[] = [];
  for (const { step, carried, stayed } of byKey.values()) {
    if (!carried.size && !stayed.size) continue;
    out.push({
      paperId: step.paper.id, title: step.paper.title,
      version: step.latest.version, sha256: step.latest.sha256,
      previous: step.prev.version, previousSha256: step.prev.sha256,
      carried: sorted(carried), stayed: sorted(stayed),
    });
  }
  return out;
}
