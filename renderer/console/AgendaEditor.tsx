// The agenda editor: add, edit, remove and reorder items (pointer drag on the handle — mouse, pen
// or touch — or the arrow keys on it), attach papers, mark the current item. It writes the
// meeting document directly through shared/meeting-doc.ts; the hub checks the right to write.
// A restricted paper is the exception: the meeting document is read by every participant, so
// ticking one asks the hub to keep that link (`agendaItems` of PATCH /api/papers/:id), and its
// readers learn it from the papers list; its id never enters the document.
//
// Two secretaries at once: a save writes only the fields this form changed, a move writes only
// the item's fractional order, so concurrent edits to different fields or items all survive.
import { useLayoutEffect, useRef, useState, type KeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type * as Y from 'yjs';
import {
  addAgendaItem, moveAgendaItem, readAgenda, readLive, removeAgendaItem, setCurrentItem, setItemPapers, updateAgendaItem,
  agendaMap, type AgendaItem,
} from '../../shared/meeting-doc.ts';
import { newId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/api.ts';
import type { Api } from '../api.ts';
import { actionError } from './console-api.ts';
import { linkRestricted, restrictedOn, type AttachablePaper } from './restricted-links.ts';
import { useYMap } from '../sync/hooks.ts';
import { useT } from '../i18n/index.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';

interface Draft {
  id: string | null;
  title: string;
  speaker: string;
  minutes: string;
  paperIds: string[];
  /** The item as it was when editing began: only fields that differ from it are written. */
  base: AgendaItem | null;
}

const emptyDraft = (): Draft => ({ id: null, title: '', speaker: '', minutes: '', paperIds: [], base: null });
const draftOf = (item: AgendaItem, papers: AttachablePaper[]): Draft => ({
  id: item.id, title: item.title, speaker: item.presenter, minutes: item.durationMin ? String(item.durationMin) : '',
  paperIds: [...item.paperIds, ...restrictedOn(papers, item.id).filter((id) => !item.paperIds.includes(id))], base: item,
});

function parseMinutes(s: string): number {
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 24 * 60) : 0;
}

interface DragState {
  id: string;
  pointerId: number;
  startY: number;
  dy: number;
  active: boolean;
  /** Insertion index among the other items (what moveAgendaItem takes). */
  target: number;
}

const NO_ITEMS: AgendaItem[] = [];
const readCurrentId = (d: Y.Doc): string | null => readLive(d).currentItemId;

export function AgendaEditor({ api, doc, papers, announce }: { api: Api; doc: Y.Doc; papers: AttachablePaper[]; announce: (msg: string) => void }) {
  const t = useT();
  const agenda = useYMap(doc, 'agenda', readAgenda, NO_ITEMS);
  const currentId = useYMap(doc, 'live', readCurrentId, null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [error, setError] = useState<string | null>(null);
  const [drag, setDrag] = useState<DragState | null>(null);
  // The item whose removal waits for the secretary's confirmation (issue 16).
  const [removing, setRemoving] = useState<AgendaItem | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const rows = useRef(new Map<string, HTMLLIElement>());
  const handles = useRef(new Map<string, HTMLButtonElement>());
  const refocus = useRef<string | null>(null);

  // React moves a reordered row's DOM node, which drops keyboard focus; give it back.
  useLayoutEffect(() => {
    if (!refocus.current) return;
    const h = handles.current.get(refocus.current);
    if (h && document.activeElement !== h) h.focus();
    refocus.current = null;
  }, [agenda]);

  const editing = draft.id ? agenda.find((i) => i.id === draft.id) ?? null : null;

  const startNew = () => {
    setError(null);
    // Typing a title first and then pressing Add item adds it straight away.
    if (!draft.id && draft.title.trim()) {
      save();
      return;
    }
    setDraft(emptyDraft());
    titleRef.current?.focus();
  };

  const linkFailed = (err: unknown) => setError(actionError(t, err));

  const save = () => {
    const title = draft.title.trim().slice(0, LIMITS.maxTitle);
    if (!title) {
      setError(t('console.items.titleNeeded'));
      titleRef.current?.focus();
      return;
    }
    const speaker = draft.speaker.trim().slice(0, 200);
    const minutes = parseMinutes(draft.minutes);
    const restricted = new Set(papers.filter((p) => p.restricted).map((p) => p.id));
    const openIds = draft.paperIds.filter((id) => !restricted.has(id));
    if (!draft.id) {
      const id = newId();
      addAgendaItem(doc, id, { title, presenter: speaker, durationMin: minutes, paperIds: openIds });
      linkRestricted(api, papers, id, draft.paperIds, linkFailed);
      announce(t('console.items.added', { title }));
      setDraft(emptyDraft());
      setError(null);
      titleRef.current?.focus();
      return;
    }
    if (!agendaMap(doc).has(draft.id)) {
      setError(t('console.items.gone'));
      return;
    }
    const base = draft.base;
    const changed: Parameters<typeof updateAgendaItem>[2] = {};
    if (!base || base.title !== title) changed.title = title;
    if (!base || base.presenter !== speaker) changed.presenter = speaker;
    if (!base || base.durationMin !== minutes) changed.durationMin = minutes;
    doc.transact(() => {
      if (Object.keys(changed).length) updateAgendaItem(doc, draft.id!, changed);
      // A restricted id an older editor wrote here leaves the document too (its link goes to the hub).
      if (!base || base.paperIds.join() !== openIds.join()) setItemPapers(doc, draft.id!, openIds);
    });
    linkRestricted(api, papers, draft.id, draft.paperIds, linkFailed);
    announce(t('console.items.saved', { title }));
    setDraft(emptyDraft());
    setError(null);
  };

  const remove = (item: AgendaItem) => {
    setRemoving(null);
    removeAgendaItem(doc, item.id);
    if (currentId === item.id) setCurrentItem(doc, null);
    if (draft.id === item.id) setDraft(emptyDraft());
    announce(t('console.items.removed', { title: item.title }));
  };

  const move = (item: AgendaItem, index: number) => {
    const from = agenda.findIndex((i) => i.id === item.id);
    const to = Math.max(0, Math.min(index, agenda.length - 1));
    if (from < 0 || from === to) return;
    refocus.current = item.id;
    moveAgendaItem(doc, item.id, to);
    announce(t('console.items.moved', { title: item.title, n: to + 1, m: agenda.length }));
  };

  const onHandleKey = (e: KeyboardEvent<HTMLButtonElement>, item: AgendaItem, index: number) => {
    const to = e.key === 'ArrowUp' ? index - 1 : e.key === 'ArrowDown' ? index + 1 : e.key === 'Home' ? 0 : e.key === 'End' ? agenda.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    move(item, to);
  };

  // ---- pointer drag (mouse, pen and touch alike) ----------------------------------------------
  const targetAt = (id: string, clientY: number): number => {
    let n = 0;
    for (const item of agenda) {
      if (item.id === id) continue;
      const el = rows.current.get(item.id);
      if (!el) continue;
      const r = el.getBoundingClientRect();
      if (clientY > r.top + r.height / 2) n++;
    }
    return n;
  };
  const onPointerDown = (e: ReactPointerEvent<HTMLButtonElement>, item: AgendaItem, index: number) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    setDrag({ id: item.id, pointerId: e.pointerId, startY: e.clientY, dy: 0, active: false, target: index });
  };
  const onPointerMove = (e: ReactPointerEvent<HTMLButtonElement>) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const dy = e.clientY - drag.startY;
    // A few pixels of slack keep a tap (or a click to focus) from counting as a drag.
    const active = drag.active || Math.abs(dy) > 5;
    setDrag({ ...drag, dy, active, target: active ? targetAt(drag.id, e.clientY) : drag.target });
  };
  const onPointerUp = (e: ReactPointerEvent<HTMLButtonElement>) => {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const item = agenda.find((i) => i.id === drag.id);
    setDrag(null);
    if (item && drag.active) move(item, drag.target);
  };

  const dragFrom = drag ? agenda.findIndex((i) => i.id === drag.id) : -1;
  // Where the drop line shows: before the item now at that slot among the others.
  const others = drag ? agenda.filter((i) => i.id !== drag.id) : [];
  const dropBefore = drag?.active && drag.target !== dragFrom ? others[drag.target]?.id ?? 'end' : null;

  return (
    <div className="agenda-editor">
      {agenda.length === 0 ? <p className="muted small">{t('console.items.empty')}</p> : (
        <ol className="ce-items" aria-label={t('console.items.list')}>
          {agenda.map((item, index) => {
            const isCurrent = currentId === item.id || item.status === 'current';
            const dragging = drag?.active && drag.id === item.id;
            return (
              <li key={item.id} ref={(el) => { if (el) rows.current.set(item.id, el); else rows.current.delete(item.id); }}
                className={`ce-item${isCurrent ? ' current' : ''}${dragging ? ' dragging' : ''}${dropBefore === item.id ? ' drop-before' : ''}${draft.id === item.id ? ' editing' : ''}`}
                style={dragging ? { transform: `translateY(${drag!.dy}px)` } : undefined} data-item-id={item.id}>
                <button type="button" className="ce-handle" aria-label={t('console.items.handle')} aria-describedby="ce-handle-help"
                  ref={(el) => { if (el) handles.current.set(item.id, el); else handles.current.delete(item.id); }}
                  onKeyDown={(e) => onHandleKey(e, item, index)}
                  onPointerDown={(e) => onPointerDown(e, item, index)} onPointerMove={onPointerMove} onPointerUp={onPointerUp}
                  onPointerCancel={() => setDrag(null)}>
                  <span aria-hidden="true">⠿</span>
                </button>
                <div className="ce-item-text">
                  <span className="ce-item-title">{item.title}</span>
                  <span className="muted small">
                    {[item.presenter, item.durationMin ? `${item.durationMin}′` : null, item.paperIds.length + restrictedOn(papers, item.id).length ? t('console.items.paperCount', { n: item.paperIds.length + restrictedOn(papers, item.id).length }) : null].filter(Boolean).join(' · ')}
                    {isCurrent && <span className="badge">{t('console.items.isCurrent')}</span>}
                  </span>
                </div>
                <div className="ce-item-actions">
                  <button type="button" className="icon" aria-label={t('console.items.up')} disabled={index === 0} onClick={() => move(item, index - 1)}>▲</button>
                  <button type="button" className="icon" aria-label={t('console.items.down')} disabled={index === agenda.length - 1} onClick={() => move(item, index + 1)}>▼</button>
                  {!isCurrent && <button type="button" onClick={() => setCurrentItem(doc, item.id)}>{t('console.items.makeCurrent')}</button>}
                  <button type="button" onClick={() => { setError(null); setDraft(draftOf(item, papers)); titleRef.current?.focus(); }}>{t('console.items.edit')}</button>
                  <button type="button" className="danger" onClick={() => setRemoving(item)}>{t('console.items.remove')}</button>
                </div>
              </li>
            );
          })}
          {dropBefore === 'end' && <li className="ce-drop-end" aria-hidden="true" />}
        </ol>
      )}
      {removing && (
        <ConfirmDialog title={t('confirm.item.title')} message={t('confirm.item.message', { title: removing.title })} confirmLabel={t('confirm.item.action')}
          onCancel={() => setRemoving(null)} onConfirm={() => remove(removing)} />
      )}
      <p id="ce-handle-help" className="visually-hidden">{t('console.items.handleHelp')}</p>
      {currentId && <button type="button" className="link small" onClick={() => setCurrentItem(doc, null)}>{t('console.items.clearCurrent')}</button>}

      <div className="ce-add-row">
        <button type="button" className="primary" onClick={startNew}>{t('console.items.add')}</button>
      </div>

      <form className="ce-form" aria-labelledby="ce-form-h" onSubmit={(e) => { e.preventDefault(); save(); }}>
        <h4 id="ce-form-h">{draft.id ? t('console.items.form.edit', { title: editing?.title ?? draft.title }) : t('console.items.form.new')}</h4>
        <label>
          {t('console.items.title')}
          <input ref={titleRef} value={draft.title} maxLength={LIMITS.maxTitle} onChange={(e) => setDraft({ ...draft, title: e.target.value })} />
        </label>
        <div className="ce-form-row">
          <label className="grow">
            {t('console.items.speaker')}
            <input value={draft.speaker} maxLength={200} onChange={(e) => setDraft({ ...draft, speaker: e.target.value })} />
          </label>
          <label className="narrow">
            {t('console.items.minutes')}
            <input type="number" inputMode="numeric" min={0} max={1440} value={draft.minutes} onChange={(e) => setDraft({ ...draft, minutes: e.target.value })} />
          </label>
        </div>
        <fieldset className="ce-attach">
          <legend>{t('console.items.papers')}</legend>
          {papers.length === 0 ? <p className="muted small">{t('console.items.noPapers')}</p> : papers.map((p) => (
            <label key={p.id} className="check">
              <input type="checkbox" checked={draft.paperIds.includes(p.id)} onChange={(e) => setDraft({
                ...draft, paperIds: e.target.checked ? [...draft.paperIds, p.id] : draft.paperIds.filter((x) => x !== p.id),
              })} />
              {p.title}
              {p.restricted && <span className="muted small"> · {t('papers.restricted')}</span>}
            </label>
          ))}
        </fieldset>
        {error && <p className="error small" role="alert">{error}</p>}
        <div className="ce-form-actions">
          <button type="submit" className="primary">{t('console.items.save')}</button>
          {draft.id && <button type="button" onClick={() => { setDraft(emptyDraft()); setError(null); }}>{t('console.items.cancel')}</button>}
        </div>
      </form>
    </div>
  );
}
