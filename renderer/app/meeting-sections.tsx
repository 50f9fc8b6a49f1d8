// The meeting view's sidebar sections. Each subscribes to the one shared type of the meeting doc
// it shows (useYMap), so a live change re-renders the section it concerns and nothing around it:
// an agenda edit re-renders the agenda list and, only if it changed a group title or an
// attachment, the papers list. Agenda rows keep their identity while unchanged and are memoised.
import { memo, useMemo } from 'react';
import type * as Y from 'yjs';
import { latestVersion, readAgenda, readDetails, readLive, type AgendaItem } from '../../shared/meeting-doc.ts';
import type { MeetingPaper } from '../api.ts';
import { formatDate, useI18n, useT } from '../i18n/index.tsx';
import { useYMap } from '../sync/hooks.ts';
import { ItemRecord } from '../records/ItemRecord.tsx';
import { LevelBadge, paperLevel } from '../viewer/classification.tsx';
import { Icon } from '../ui/icons.tsx';
import { freshness, useOpenedVersions } from './opened-papers.ts';
import { useSession } from './session-context.ts';

const NO_ITEMS: AgendaItem[] = [];
const NO_DETAILS = { title: '', startsAt: null, room: null, status: 'draft' } as const;
const readCurrentId = (d: Y.Doc) => readLive(d).currentItemId;

/** Agenda items, reusing the previous object of every item that did not change (memoised rows). */
export function shareItems(prev: AgendaItem[], next: AgendaItem[]): AgendaItem[] {
  const byId = new Map(prev.map((i) => [i.id, i]));
  let same = prev.length === next.length;
  const out = next.map((n, k) => {
    const p = byId.get(n.id);
    const keep = p && sameItem(p, n) ? p : n;
    if (keep !== prev[k]) same = false;
    return keep;
  });
  return same ? prev : out;
}
const sameItem = (a: AgendaItem, b: AgendaItem) => a.title === b.title && a.presenter === b.presenter && a.durationMin === b.durationMin
  && a.status === b.status && a.order === b.order && a.paperIds.length === b.paperIds.length && a.paperIds.every((id, i) => id === b.paperIds[i]);

// Unchanged items (and an unchanged list) stay identical to the last read: equality is `===`.
const readSharedAgenda = (d: Y.Doc, prev: AgendaItem[]) => shareItems(prev, readAgenda(d));
const identical = (a: unknown, b: unknown) => a === b;
const useAgenda = (doc: Y.Doc | null): AgendaItem[] => useYMap(doc, 'agenda', readSharedAgenda, NO_ITEMS, identical);

export function MeetingHead({ doc, fallbackTitle, error }: { doc: Y.Doc | null; fallbackTitle: string; error: string | null }) {
  const { t, locale } = useI18n();
  const details = useYMap(doc, 'details', readDetails, NO_DETAILS);
  const title = details.title || fallbackTitle;
  return (
    <header className="meeting-head">
      <h1>{title || t('meeting.loading')}</h1>
      <p className="muted small">{[details.startsAt ? formatDate(details.startsAt, locale) : null, details.room].filter(Boolean).join(' · ')}</p>
      {details.status === 'closed' && <p className="notice archived" role="status">{t('archive.closedNotice')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </header>
  );
}

const groupId = (itemId: string) => `papers-of-${itemId}`;

/** Tapping an agenda item brings its papers' group into view, marks it for a moment and moves focus there. */
function showItemPapers(itemId: string): void {
  const el = document.getElementById(groupId(itemId));
  if (!el) return;
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el.scrollIntoView({ block: 'start', behavior: still ? 'auto' : 'smooth' });
  el.classList.remove('flash');
  void el.offsetWidth; // restarts the animation when tapped twice
  el.classList.add('flash');
  el.focus({ preventScroll: true });
}

const AgendaRow = memo(function AgendaRow({ item, isCurrent, paperCount }: { item: AgendaItem; isCurrent: boolean; paperCount: number }) {
  const t = useT();
  return (
    // A tap anywhere on the item (outside its own controls) shows its papers, as its papers button does
    // for the keyboard. That button is named by its count, not the item's title: titles are free
    // text, and a title like "Opening" would answer to a tool's name ("Pen").
    <li className={`agenda-item status-${item.status}${isCurrent ? ' current' : ''}${paperCount > 0 ? ' has-papers' : ''}`} aria-current={isCurrent ? 'step' : undefined}
      onClick={paperCount > 0 ? (e) => { if (!(e.target as Element).closest('a, button, input, select, textarea, summary, label')) showItemPapers(item.id); } : undefined}>
      <span className="agenda-title" id={`${groupId(item.id)}-t`}>{item.title}</span>
      <span className="agenda-meta muted small">
        <span>{[item.presenter, item.durationMin ? t('agenda.minutes', { n: item.durationMin }) : null].filter(Boolean).join(' · ')}</span>
        {paperCount > 0 && (
          <button type="button" className="agenda-papers" aria-controls={groupId(item.id)} aria-describedby={`${groupId(item.id)}-t`} onClick={() => showItemPapers(item.id)}>
            <Icon name="paper" size={16} />{t('layout.itemPapers', { n: paperCount })}
          </button>
        )}
      </span>
      {isCurrent && <span className="badge">{t('agenda.current')}</span>}
      {item.status === 'done' && !isCurrent && <span className="badge muted">{t('agenda.done')}</span>}
      <ItemRecord itemId={item.id} />
    </li>
  );
});

export const AgendaSection = memo(function AgendaSection({ doc, everSynced, papers }: { doc: Y.Doc | null; everSynced: boolean; papers: MeetingPaper[] | null }) {
  const t = useT();
  const agenda = useAgenda(doc);
  const groups = useGroupedPapers(doc, papers);
  const counts = useMemo(() => new Map(groups.map((g) => [g.item?.id ?? '', g.papers.length])), [groups]);
  const currentItemId = useYMap(doc, 'live', readCurrentId, null);
  const current = agenda.find((i) => i.status === 'current' || i.id === currentItemId) ?? null;
  return (
    <section aria-labelledby="agenda-h">
      <h2 id="agenda-h">{t('agenda.title')}</h2>
      {agenda.length === 0 ? <p className="muted small">{everSynced ? t('agenda.empty') : t('meeting.loading')}</p> : (
        <ol className="agenda" aria-label={t('agenda.title')}>
          {agenda.map((item) => <AgendaRow key={item.id} item={item} isCurrent={current?.id === item.id} paperCount={counts.get(item.id) ?? 0} />)}
        </ol>
      )}
    </section>
  );
});

/** What the papers list needs of the agenda: group titles and attached papers, in order. */
const readGroups = (d: Y.Doc) => readAgenda(d).map((i) => ({ id: i.id, title: i.title, paperIds: i.paperIds }));
const NO_GROUPS: ReturnType<typeof readGroups> = [];

interface PapersSectionProps {
  doc: Y.Doc | null;
  /** Every paper the user may read, by title; null until the list is known. */
  papers: MeetingPaper[] | null;
  meetingId: string;
  openId: string | null;
  onOpen: (paperId: string) => void;
}

type PaperGroup = { item: { id: string; title: string } | null; papers: MeetingPaper[] };

/** The papers by agenda item, then the rest; each paper once, under the first item that has it. */
function useGroupedPapers(doc: Y.Doc | null, papers: MeetingPaper[] | null): PaperGroup[] {
  const agenda = useYMap(doc, 'agenda', readGroups, NO_GROUPS);
  return useMemo(() => {
    const seen = new Set<string>();
    const groups: PaperGroup[] = [];
    for (const item of agenda) {
      // A restricted paper is not in the meeting document: the list answer names its items.
      const ids = [...item.paperIds, ...(papers ?? []).filter((p) => p.agendaItemIds?.includes(item.id)).map((p) => p.id)];
      const list = ids.map((id) => papers?.find((p) => p.id === id)).filter((p): p is MeetingPaper => !!p && !seen.has(p.id));
      list.forEach((p) => seen.add(p.id));
      if (list.length) groups.push({ item, papers: list });
    }
    const rest = (papers ?? []).filter((p) => !seen.has(p.id));
    if (rest.length) groups.push({ item: null, papers: rest });
    return groups;
  }, [agenda, papers]);
}

/** Every paper as a card, grouped by agenda item, then "Other papers"; each title once, so it opens by its title. */
export const PapersSection = memo(function PapersSection({ doc, papers, meetingId, openId, onOpen }: PapersSectionProps) {
  const t = useT();
  const grouped = useGroupedPapers(doc, papers);
  const opened = useOpenedVersions(useSession().user.id);
  return (
    <section aria-labelledby="papers-h">
      <h2 id="papers-h">{t('papers.title')}</h2>
      {!papers?.length ? <p className="muted small">{papers ? t('papers.empty') : t('meeting.loading')}</p> : grouped.map((g) => (
        <div key={g.item?.id ?? 'other'} id={g.item ? groupId(g.item.id) : undefined} tabIndex={g.item ? -1 : undefined} className="paper-group">
          <h3 className="small muted">{g.item ? g.item.title : t('papers.other')}</h3>
          <ul className="papers">
            {g.papers.map((p) => {
              const v = latestVersion(p);
              const fresh = freshness(opened, p.id, v?.version ?? null);
              // The link's name is the title alone (papers open by their title); the rest sits beside it.
              return (
                <li key={p.id} className={`paper-card${openId === p.id ? ' is-open' : ''}`}>
                  <Icon name="paper" />
                  <a href={`#/m/${meetingId}/p/${p.id}?page=1`} aria-current={openId === p.id ? 'page' : undefined}
                    onClick={(e) => { e.preventDefault(); onOpen(p.id); }}>{p.title}</a>
                  <span className="paper-card-meta">
                    {fresh && <span className={`paper-badge ${fresh}`}>{fresh === 'new' ? t('layout.new') : t('layout.updated')}</span>}
                    {v && <span className="fact">{t('papers.pages', { n: v.pages })}</span>}
                    {v && <span className="fact">{t('layout.version', { v: v.version })}</span>}
                    {p.restricted && <span className="fact">{t('papers.restricted')}</span>}
                    <LevelBadge level={paperLevel(p)} />
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </section>
  );
});
