// The meeting document's shape over Yjs. Every reader and writer goes through these helpers,
// so the layout of `meeting/<id>` is defined once.
//
// Layout:
//   details : Y.Map   title, startsAt, room, status
//   agenda  : Y.Map<id, Y.Map>   items keyed by id, ordered by a fractional `order` field, so a
//             move is one field write and two secretaries moving and renaming at once merge
//   papers  : Y.Map<id, Y.Map>   title, fileName, versions (Y.Array of PaperVersion, oldest first),
//             level (a classification level id) and classification (that level's rules, a plain
//             object the hub rewrites when an admin changes the levels; shared/classification.ts)
//   live    : Y.Map   currentItemId, presenterId (a participant handed the right to present),
//             presenting (Presenting | null)
import * as Y from 'yjs';
import { z } from 'zod';
import { classificationLevelSchema, DEFAULT_LEVEL_ID, type ClassificationLevel } from './classification.ts';

export const AGENDA_STATUSES = ['pending', 'current', 'done'] as const;
export type AgendaStatus = (typeof AGENDA_STATUSES)[number];

export interface AgendaItem {
  id: string;
  title: string;
  presenter: string;
  durationMin: number;
  paperIds: string[];
  status: AgendaStatus;
  order: number;
}

export interface PaperVersion {
  version: number;
  sha256: string;
  pages: number;
  size: number;
  fileName: string;
  createdAt: string;
  /** Pages of the previous version that reappear unchanged here (see shared/paper-versions.ts). */
  carriedFrom?: { sha256: string; pages: Array<[number, number]> } | null;
}

export interface PaperMeta {
  id: string;
  title: string;
  versions: PaperVersion[];
  /** The classification level's id (`normal` for a paper written before levels existed). */
  level: string;
  /** The level's rules as the hub last wrote them; null when the entry has none (or a malformed one). */
  classification: ClassificationLevel | null;
}

export const presentingSchema = z.object({
  userId: z.string(),
  paperId: z.string(),
  sha256: z.string(),
  page: z.number().int().positive(),
  at: z.number(),
});
export type Presenting = z.infer<typeof presentingSchema>;

export interface MeetingDetails {
  title: string;
  startsAt: string | null;
  room: string | null;
  status: string;
}

export const details = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('details');
export const agendaMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap('agenda');
export const papersMap = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap('papers');
export const live = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('live');

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function readDetails(doc: Y.Doc): MeetingDetails {
  const m = details(doc);
  const startsAt = m.get('startsAt');
  const room = m.get('room');
  return {
    title: str(m.get('title')),
    startsAt: typeof startsAt === 'string' ? startsAt : null,
    room: typeof room === 'string' ? room : null,
    status: str(m.get('status'), 'draft'),
  };
}

function readItem(id: string, m: Y.Map<unknown>): AgendaItem {
  const papers = m.get('paperIds');
  const status = m.get('status');
  return {
    id,
    title: str(m.get('title')),
    presenter: str(m.get('presenter')),
    durationMin: num(m.get('durationMin')),
    paperIds: papers instanceof Y.Array ? papers.toArray().filter((p): p is string => typeof p === 'string') : [],
    status: AGENDA_STATUSES.includes(status as AgendaStatus) ? (status as AgendaStatus) : 'pending',
    order: num(m.get('order')),
  };
}

/** The agenda in display order (ties broken by id, so every replica shows the same order). */
export function readAgenda(doc: Y.Doc): AgendaItem[] {
  const items: AgendaItem[] = [];
  agendaMap(doc).forEach((m, id) => {
    if (m instanceof Y.Map) items.push(readItem(id, m));
  });
  return items.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function addAgendaItem(doc: Y.Doc, id: string, fields: Partial<Omit<AgendaItem, 'id' | 'order'>> & { order?: number }): void {
  doc.transact(() => {
    const items = readAgenda(doc);
    const last = items[items.length - 1];
    const m = new Y.Map<unknown>();
    m.set('title', fields.title ?? '');
    m.set('presenter', fields.presenter ?? '');
    m.set('durationMin', fields.durationMin ?? 0);
    m.set('status', fields.status ?? 'pending');
    m.set('order', fields.order ?? (last ? last.order + 1 : 1));
    const papers = new Y.Array<string>();
    papers.push(fields.paperIds ?? []);
    m.set('paperIds', papers);
    agendaMap(doc).set(id, m);
  });
}

export function updateAgendaItem(doc: Y.Doc, id: string, fields: Partial<Pick<AgendaItem, 'title' | 'presenter' | 'durationMin' | 'status'>>): void {
  const m = agendaMap(doc).get(id);
  if (!m) return;
  doc.transact(() => {
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) m.set(k, v);
  });
}

export function removeAgendaItem(doc: Y.Doc, id: string): void {
  agendaMap(doc).delete(id);
}

/** Moves an item to `index` in display order by giving it an order between its new neighbours. */
export function moveAgendaItem(doc: Y.Doc, id: string, index: number): void {
  const others = readAgenda(doc).filter((i) => i.id !== id);
  const m = agendaMap(doc).get(id);
  if (!m) return;
  const clamped = Math.max(0, Math.min(index, others.length));
  const before = others[clamped - 1];
  const after = others[clamped];
  let order: number;
  if (before && after) order = (before.order + after.order) / 2;
  else if (before) order = before.order + 1;
  else if (after) order = after.order - 1;
  else order = 1;
  m.set('order', order);
}

export function setItemPapers(doc: Y.Doc, id: string, paperIds: string[]): void {
  const m = agendaMap(doc).get(id);
  if (!m) return;
  doc.transact(() => {
    const arr = m.get('paperIds');
    if (arr instanceof Y.Array) {
      arr.delete(0, arr.length);
      arr.push(paperIds);
    } else {
      const a = new Y.Array<string>();
      a.push(paperIds);
      m.set('paperIds', a);
    }
  });
}

/** Marks one item current (and the ones before it done), in one transaction. */
export function setCurrentItem(doc: Y.Doc, id: string | null): void {
  doc.transact(() => {
    live(doc).set('currentItemId', id);
    let seen = false;
    for (const item of readAgenda(doc)) {
      const m = agendaMap(doc).get(item.id);
      if (!m) continue;
      const status: AgendaStatus = id === null ? 'pending' : item.id === id ? 'current' : seen ? 'pending' : 'done';
      if (item.id === id) seen = true;
      if (m.get('status') !== status) m.set('status', status);
    }
  });
}

export function readPapers(doc: Y.Doc): PaperMeta[] {
  const out: PaperMeta[] = [];
  papersMap(doc).forEach((m, id) => {
    if (!(m instanceof Y.Map)) return;
    const versions = m.get('versions');
    const rules = classificationLevelSchema.safeParse(m.get('classification'));
    out.push({
      id,
      title: str(m.get('title')),
      versions: versions instanceof Y.Array ? (versions.toArray() as PaperVersion[]) : [],
      level: str(m.get('level'), DEFAULT_LEVEL_ID),
      classification: rules.success ? rules.data : null,
    });
  });
  return out.sort((a, b) => a.title.localeCompare(b.title));
}

export function readPaper(doc: Y.Doc, paperId: string): PaperMeta | null {
  return readPapers(doc).find((p) => p.id === paperId) ?? null;
}

export function latestVersion(paper: Pick<PaperMeta, 'versions'>): PaperVersion | null {
  return paper.versions[paper.versions.length - 1] ?? null;
}

/** Records a paper (or its next version). Written by the hub itself after an upload. */
export function putPaperVersion(doc: Y.Doc, paperId: string, title: string, version: PaperVersion): void {
  doc.transact(() => {
    let m = papersMap(doc).get(paperId);
    if (!m) {
      m = new Y.Map<unknown>();
      m.set('versions', new Y.Array<PaperVersion>());
      papersMap(doc).set(paperId, m);
    }
    m.set('title', title);
    const versions = m.get('versions') as Y.Array<PaperVersion>;
    versions.push([version]);
  });
}

/** A paper's classification level and its rules (the hub, after an upload, a change of level or of the levels). */
export function setPaperLevel(doc: Y.Doc, paperId: string, level: ClassificationLevel): void {
  const m = papersMap(doc).get(paperId);
  if (!m) return;
  doc.transact(() => {
    if (m.get('level') !== level.id) m.set('level', level.id);
    if (JSON.stringify(m.get('classification')) !== JSON.stringify(level)) m.set('classification', { ...level, name: { ...level.name } });
  });
}

export function removePaper(doc: Y.Doc, paperId: string): void {
  doc.transact(() => {
    papersMap(doc).delete(paperId);
    agendaMap(doc).forEach((m) => {
      const arr = m.get('paperIds');
      if (!(arr instanceof Y.Array)) return;
      const list = arr.toArray();
      for (let i = list.length - 1; i >= 0; i--) if (list[i] === paperId) arr.delete(i, 1);
    });
  });
}

export function readPresenting(doc: Y.Doc): Presenting | null {
  const parsed = presentingSchema.safeParse(live(doc).get('presenting'));
  return parsed.success ? parsed.data : null;
}

export function readLive(doc: Y.Doc): { currentItemId: string | null; presenterId: string | null; presenting: Presenting | null } {
  const m = live(doc);
  const cur = m.get('currentItemId');
  const pres = m.get('presenterId');
  return {
    currentItemId: typeof cur === 'string' ? cur : null,
    presenterId: typeof pres === 'string' ? pres : null,
    presenting: readPresenting(doc),
  };
}
