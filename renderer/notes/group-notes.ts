// "My notes" as a list: the reader's annotations grouped by paper (in the papers list's order),
// then by version (the latest first; an older one says so and opens that version), then by page,
// oldest first within a page. Pure: the panel reads the notes document and hands it here, and the
// unit test does the same without a browser.
import type { Annotation } from '../../shared/notes-doc.ts';
import type { MeetingPaper } from '../api.ts';

export interface PageGroup {
  page: number;
  items: Annotation[];
}

export interface VersionGroup {
  sha256: string;
  version: number;
  /** Not the paper's latest version: the entries open that version, and say so. */
  old: boolean;
  pages: PageGroup[];
  count: number;
}

export interface PaperGroup {
  paper: MeetingPaper;
  versions: VersionGroup[];
  count: number;
}

export interface GroupedNotes {
  papers: PaperGroup[];
  /** Annotations counted (bookmarks included) on papers and versions listed. */
  count: number;
  /** Annotations on papers (or versions) the reader can no longer open: removed, recalled, restricted. */
  gone: number;
}

export function groupNotes(annotations: readonly Annotation[], papers: readonly MeetingPaper[]): GroupedNotes {
  const byPaper = new Map<string, Map<string, Map<number, Annotation[]>>>();
  for (const a of annotations) {
    let versions = byPaper.get(a.paperId);
    if (!versions) byPaper.set(a.paperId, (versions = new Map()));
    let pages = versions.get(a.sha256);
    if (!pages) versions.set(a.sha256, (pages = new Map()));
    const list = pages.get(a.page);
    if (list) list.push(a);
    else pages.set(a.page, [a]);
  }
  const out: PaperGroup[] = [];
  let count = 0;
  let gone = 0;
  const countAll = (versions: Map<string, Map<number, Annotation[]>>) => {
    for (const pages of versions.values()) for (const items of pages.values()) gone += items.length;
  };
  for (const paper of papers) {
    const versions = byPaper.get(paper.id);
    if (!versions) continue;
    byPaper.delete(paper.id);
    const latest = paper.versions.reduce((m, v) => Math.max(m, v.version), 0);
    const groups: VersionGroup[] = [];
    for (const v of [...paper.versions].sort((a, b) => b.version - a.version)) {
      const pages = versions.get(v.sha256);
      if (!pages) continue;
      versions.delete(v.sha256);
      const pageGroups = [...pages.entries()].sort(([a], [b]) => a - b).map(([page, items]) => ({ page, items: [...items].sort(byTime) }));
      const n = pageGroups.reduce((s, g) => s + g.items.length, 0);
      groups.push({ sha256: v.sha256, version: v.version, old: v.version !== latest, pages: pageGroups, count: n });
    }
    // What is left names a version the list no longer has.
    countAll(versions);
    if (groups.length === 0) continue;
    const n = groups.reduce((s, g) => s + g.count, 0);
    count += n;
    out.push({ paper, versions: groups, count: n });
  }
  for (const versions of byPaper.values()) countAll(versions);
  return { papers: out, count, gone };
}

const byTime = (a: Annotation, b: Annotation) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1);
