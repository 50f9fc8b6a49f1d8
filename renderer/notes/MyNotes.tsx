// "My notes" (issue 16): a button in the meeting screen opening a dialog that lists every
// annotation the reader made in this meeting — by paper, version and page, each with its kind,
// colour, text or a short description and its time — live from the reader's notes document. An
// entry opens the viewer on its page (an older version's entry opens that version); each paper
// (version) can be exported with the reader's notes as real PDF annotations (export-notes.ts).
import { useEffect, useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type * as Y from 'yjs';
import type { Annotation } from '../../shared/notes-doc.ts';
import type { MeetingPaper } from '../api.ts';
import { formatDate, useI18n } from '../i18n/index.tsx';
import { errorInfo, errorText } from '../i18n/error-text.ts';
import { Icon } from '../ui/icons.tsx';
import { formatRoute, navigate, parseRoute, useRoute, type Route } from '../route.ts';
import { exportWithNotes } from './export-notes.ts';
import { groupNotes, type PaperGroup, type VersionGroup } from './group-notes.ts';
import { colorName, colorOf, describe, exportAllowed, KIND_ICON, KIND_LABEL, kindOf, useMyAnnotations } from './use-my-notes.ts';
import { NOTES_EXPORT_ERRORS } from '../../shared/notes-export.ts';
import './notes.css';

export interface MyNotesProps {
  meetingId: string;
  notesDoc: Y.Doc | null;
  papers: readonly MeetingPaper[] | null;
  token: string;
  /** Called when an entry opens a page (the meeting screen closes its drawer). */
  onNavigate?: () => void;
}

type MeetingRoute = Extract<Route, { name: 'meeting' }>;

/** The same address without the panel. */
function withoutNotes(r: MeetingRoute): MeetingRoute {
  return { name: 'meeting', meetingId: r.meetingId, paperId: r.paperId, page: r.page, sha256: r.sha256, ...(r.find ? { find: r.find } : {}) };
}

/**
 * `My notes`: a link to this screen's address with `notes=1`. A link rather than a button: the
 * viewer's `Note` button keeps the only button name holding "note" (docs/renderer.md, "My notes").
 * The dialog's state is its own — the address rewritten meanwhile (the page written 300 ms after
 * a turn) does not close it — and the address opens it (a reload) and closes it (the tablet's
 * back gesture: popstate). The dialog exists only while open, so a closed panel reads nothing.
 */
export function MyNotesButton(props: MyNotesProps) {
  const { t } = useI18n();
  const route = useRoute();
  const here = route.name === 'meeting' && route.meetingId === props.meetingId ? route : null;
  const base: MeetingRoute = here ? withoutNotes(here) : { name: 'meeting', meetingId: props.meetingId, paperId: null, page: 1, sha256: null };
  const [open, setOpen] = useState(() => !!here?.notes);
  useEffect(() => {
    if (!open) return;
    const onPop = () => {
      const now = parseRoute(location.hash);
      if (!(now.name === 'meeting' && now.notes)) setOpen(false);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [open]);
  const dismiss = () => {
    setOpen(false);
    const now = parseRoute(location.hash);
    if (now.name === 'meeting' && now.notes) navigate(withoutNotes(now), true);
  };
  return (
    <>
      <a
        href={formatRoute({ ...base, notes: true })} className="with-label my-notes-open" aria-haspopup="dialog"
        onClick={(e) => {
          e.preventDefault();
          navigate({ ...base, notes: true });
          setOpen(true);
        }}
      >
        <Icon name="notes" /> <span>{t('notes.open')}</span>
      </a>
      {open && <MyNotesDialog {...props} onClose={dismiss} onLeave={() => setOpen(false)} />}
    </>
  );
}

function MyNotesDialog({ meetingId, notesDoc, papers, token, onNavigate, onClose, onLeave }: MyNotesProps & { onClose: () => void; onLeave: () => void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const annotations = useMyAnnotations(notesDoc);
  // A modal dialog: focus moves in and stays, Escape closes it, the page behind is inert.
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);

  // Leaving through an entry: the address changes and the dialog goes with it; its close event
  // (which would go back to the address without the panel) must not follow.
  const leaving = useRef(false);
  const openAt = (paper: MeetingPaper, v: VersionGroup, page: number) => {
    leaving.current = true;
    onLeave();
    onNavigate?.();
    const target: MeetingRoute = { name: 'meeting', meetingId, paperId: paper.id, page, sha256: v.old ? v.sha256 : null };
    const now = parseRoute(location.hash);
    const latest = paper.versions.at(-1)?.sha256 ?? null;
    // The panel's address is replaced by the page's. The viewer takes its page when it opens: with
    // this paper and version open already, close it first (at once), then open it on that page.
    if (now.name === 'meeting' && now.paperId === paper.id && (now.sha256 ?? latest) === v.sha256) {
      flushSync(() => navigate({ name: 'meeting', meetingId, paperId: null, page: 1, sha256: null }, true));
    }
    navigate(target, true);
  };

  const grouped = papers ? groupNotes(annotations, papers) : null;
  return (
    <dialog ref={ref} className="my-notes" aria-labelledby={titleId} onClose={() => { if (!leaving.current) onClose(); }}>
      <header className="my-notes-head">
        <h2 id={titleId}><Icon name="notes" /> {t('notes.title')}</h2>
        <button type="button" className="with-label" onClick={() => ref.current?.close()}>
          <Icon name="close" /> <span>{t('notes.close')}</span>
        </button>
      </header>
      <div className="my-notes-body">
        {!grouped || !notesDoc ? (
          <p className="muted" role="status">{t('notes.loading')}</p>
        ) : grouped.count === 0 ? (
          <p className="muted" role="status">{t('notes.empty')}</p>
        ) : (
          <>
            <p className="muted small" role="status">{t('notes.summary', { n: grouped.count, p: grouped.papers.length })}</p>
            {grouped.papers.map((g) => <PaperNotes key={g.paper.id} group={g} token={token} onOpen={openAt} />)}
          </>
        )}
        {grouped && grouped.gone > 0 && <p className="muted small">{t('notes.gone', { n: grouped.gone })}</p>}
      </div>
    </dialog>
  );
}

function PaperNotes({ group, token, onOpen }: { group: PaperGroup; token: string; onOpen: (p: MeetingPaper, v: VersionGroup, page: number) => void }) {
  const headingId = useId();
  const { paper } = group;
  return (
    <section className="my-notes-paper" aria-labelledby={headingId}>
      <h3 id={headingId}><Icon name="paper" /> {paper.title}</h3>
      {group.versions.map((v) => (
        <div key={v.sha256} className="my-notes-version" data-sha={v.sha256}>
          <VersionHead paper={paper} v={v} token={token} />
          <ul className="my-notes-list">
            {v.pages.flatMap((pg) => pg.items.map((a) => (
              <li key={a.id}><NoteEntry a={a} page={pg.page} onOpen={() => onOpen(paper, v, pg.page)} /></li>
            )))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** An older version's notice, and the export (or why there is none). */
function VersionHead({ paper, v, token }: { paper: MeetingPaper; v: VersionGroup; token: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ busy: boolean; done: string | null; error: string | null }>({ busy: false, done: null, error: null });
  const allowed = exportAllowed(paper);
  const onExport = () => {
    setState({ busy: true, done: null, error: null });
    exportWithNotes(paper.id, v.sha256, paper.title, token).then(
      (file) => setState({ busy: false, done: file, error: null }),
      (err: unknown) => {
        const tooMany = errorInfo(err).code === NOTES_EXPORT_ERRORS.tooMany;
        setState({ busy: false, done: null, error: tooMany ? t('notes.tooMany') : errorText(t, err) });
      },
    );
  };
  return (
    <div className="my-notes-version-head">
      {v.old && <p className="my-notes-old"><Icon name="clock" size={16} /> {t('notes.oldVersion', { v: v.version })}</p>}
      {allowed ? (
        <button type="button" className="with-label my-notes-export" onClick={onExport} disabled={state.busy}>
          <Icon name="export" /> <span>{state.busy ? t('notes.exporting') : v.old ? t('notes.exportVersion', { v: v.version }) : t('notes.export')}</span>
        </button>
      ) : (
        <p className="muted small"><Icon name="lock" size={16} /> {t('notes.exportForbidden')}</p>
      )}
      {state.done && <p className="small" role="status">{t('notes.exported', { file: state.done })}</p>}
      {state.error && <p className="error small" role="alert">{t('notes.exportFailed', { msg: state.error })}</p>}
    </div>
  );
}

function NoteEntry({ a, page, onOpen }: { a: Annotation; page: number; onOpen: () => void }) {
  const { t, locale } = useI18n();
  const kind = kindOf(a);
  const color = colorOf(a);
  return (
    <button type="button" className="my-note" data-ann-id={a.id} data-kind={kind} onClick={onOpen}>
      <span className="my-note-kind">
        <Icon name={KIND_ICON[kind]} /> <span>{t(KIND_LABEL[kind])}</span>
      </span>
      <span className="my-note-colour">
        {color && <>
          <span className="my-note-swatch" style={{ background: color }} aria-hidden="true" />
          <span className="visually-hidden">{t('notes.colour', { name: colorName(t, color) })}</span>
        </>}
      </span>
      <span className="my-note-text">{describe(t, a)}</span>
      <span className="my-note-meta">
        <span className="my-note-page">{t('notes.page', { n: page })}</span>
        {iso(a.createdAt) && <time dateTime={iso(a.createdAt)!}>{formatDate(iso(a.createdAt)!, locale)}</time>}
      </span>
    </button>
  );
}

/** The time as ISO, or null for a value no Date holds (a replica may hold anything another device wrote). */
function iso(ms: number): string | null {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
