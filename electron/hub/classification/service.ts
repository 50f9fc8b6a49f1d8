// The room's classification levels and each paper's level (issue 17, docs/classification.md).
// Every part asks here what a paper's level allows: the export route, the reading records
// (`levelOfPaper`), and the paper answers and meeting documents the devices and viewer read.
// A paper's level lives in `papers.level` (schema.ts); its entry in the meeting document carries
// the id and the level's rules, rewritten whenever either changes, so a device that is offline
// still knows what the paper it holds is allowed.
import type { Database } from '../../core/store.ts';
import type { SyncCore } from '../../core/sync-core.ts';
import { HttpError } from '../../core/http-common.ts';
import {
  classificationLevelSchema, DEFAULT_LEVEL_ID, DEFAULT_LEVELS, resolveLevel, type ClassificationLevel,
} from '../../../shared/classification.ts';
import { meetingDocName } from '../../../shared/doc-names.ts';
import { papersMap, setPaperLevel } from '../../../shared/meeting-doc.ts';

export const unknownLevel = (id: string): HttpError => new HttpError(400, 'unknown_level', `no classification level "${id}": GET /api/classification-levels lists them`);

export interface ClassificationService {
  /** The configured levels, in the admin's order. */
  levels(): ClassificationLevel[];
  /** The level `id` names, or null. */
  level(id: string): ClassificationLevel | null;
  /** The paper's level with its rules (a level no longer configured: the strictest rules). */
  levelOfPaper(paperId: string): ClassificationLevel;
  /** Checks a level id for an upload or a change; throws 400 `unknown_level`. */
  requireLevel(id: string): ClassificationLevel;
  /** Sets a paper's level (in the caller's transaction) and writes it into its meeting document. */
  setPaperLevel(paperId: string, levelId: string): void;
  /** Replaces the list (in the caller's transaction); rewrites papers whose level's rules changed. */
  replaceLevels(list: readonly ClassificationLevel[]): void;
  /** Writes the paper's level into its meeting document (after an upload or a re-publish). */
  mirror(paperId: string): void;
}

export function createClassificationService(deps: { sqlite: Database; core: SyncCore }): ClassificationService {
  const { sqlite, core } = deps;
  const all = sqlite.prepare<[], { definition: string }>('SELECT definition FROM classification_levels ORDER BY position');
  const paperLevel = sqlite.prepare<[string], { level: string; meeting_id: string }>('SELECT level, meeting_id FROM papers WHERE id = ?');
  const setLevel = sqlite.prepare<[string, string]>('UPDATE papers SET level = ? WHERE id = ?');
  const papersAt = sqlite.prepare<[string], { id: string }>('SELECT id FROM papers WHERE level = ? AND removed = 0');
  const usedBy = sqlite.prepare<[string], { id: string; title: string }>('SELECT id, title FROM papers WHERE level = ? AND removed = 0 LIMIT 5');
  const clear = sqlite.prepare('DELETE FROM classification_levels');
  const put = sqlite.prepare<[string, number, string]>('INSERT INTO classification_levels (id, position, definition) VALUES (?, ?, ?)');

  // Rows are checked as they are read: a row edited by hand into something invalid falls back to
  // the default's rules for `normal` and to the strictest rules (resolveLevel) for the others.
  const levels = (): ClassificationLevel[] => {
    const out: ClassificationLevel[] = [];
    for (const r of all.all()) {
      let raw: unknown;
      try {
        raw = JSON.parse(r.definition);
      } catch {
        continue;
      }
      const parsed = classificationLevelSchema.safeParse(raw);
      if (parsed.success) out.push(parsed.data);
    }
    if (!out.some((l) => l.id === DEFAULT_LEVEL_ID)) out.unshift(DEFAULT_LEVELS[0]!);
    return out;
  };

  const writeToDoc = (paperId: string, level: ClassificationLevel): void => {
    const row = paperLevel.get(paperId);
    if (!row) return;
    core.withDoc(meetingDocName(row.meeting_id), (doc) => {
      // Restricted papers are not in the meeting document (uploads.ts): nothing to write then.
      if (papersMap(doc).has(paperId)) setPaperLevel(doc, paperId, level);
    });
  };

  const service: ClassificationService = {
    levels,
    level: (id) => levels().find((l) => l.id === id) ?? null,
    levelOfPaper: (paperId) => resolveLevel(levels(), paperLevel.get(paperId)?.level),
    requireLevel(id) {
      const l = service.level(id);
      if (!l) throw unknownLevel(id);
      return l;
    },
    setPaperLevel(paperId, levelId) {
      const level = service.requireLevel(levelId);
      setLevel.run(level.id, paperId);
      writeToDoc(paperId, level);
    },
    replaceLevels(list) {
      const before = new Map(levels().map((l) => [l.id, JSON.stringify(l)]));
      const kept = new Set(list.map((l) => l.id));
      for (const id of before.keys()) {
        if (kept.has(id)) continue;
        const inUse = usedBy.all(id);
        if (inUse.length) {
          throw new HttpError(409, 'level_in_use', `the level "${id}" is still the level of ${inUse.map((p) => `"${p.title}"`).join(', ')}${inUse.length === 5 ? ' and maybe others' : ''}: classify them otherwise first`, { papers: inUse.map((p) => p.id) });
        }
      }
      clear.run();
      list.forEach((l, i) => put.run(l.id, i, JSON.stringify(l)));
      for (const l of list) {
        if (before.get(l.id) === JSON.stringify(l)) continue;
        for (const p of papersAt.all(l.id)) writeToDoc(p.id, l);
      }
    },
    mirror(paperId) {
      writeToDoc(paperId, service.levelOfPaper(paperId));
    },
  };
  return service;
}
