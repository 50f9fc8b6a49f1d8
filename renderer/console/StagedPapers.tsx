// Papers waiting for release (issue 16): the console uploads papers staged, so the room sees
// nothing until the secretary has named each one, placed it on an agenda item, chosen its readers
// and pressed Release — or discarded a wrong file, after a confirmation. A staged new version of a
// released paper (`replaces`) keeps its paper's item and readers: only its name is asked, and
// readers keep the current version until it is released. The list comes from the
// hub alone (GET /api/meetings/:id/staged-papers); papersRev bumps and the panel's own changes
// ask for it again. Discarding asks first, in the shared confirmation (ui/ConfirmDialog.tsx).
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type * as Y from 'yjs';
import { readAgenda, type AgendaItem } from '../../shared/meeting-doc.ts';
import type { Api, MeetingDetail, MeetingPaper } from '../api.ts';
import { refreshMeeting } from '../data/queries.ts';
import { formatDate, useI18n, useT } from '../i18n/index.tsx';
import { useYMap } from '../sync/hooks.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Icon } from '../ui/icons.tsx';
import { actionError, deletePaper, errorText, releasePaper, stagedPapers } from './console-api.ts';
import './staging.css';

const NO_ITEMS: AgendaItem[] = [];
const readItems = (d: Y.Doc) => readAgenda(d);

export function StagedPapers(props: {
  api: Api;
  meetingId: string;
  doc: Y.Doc | null;
  /** The meeting's released papers: a new answer (a papersRev bump) asks for the staged ones again. */
  released: MeetingPaper[] | null;
  others: MeetingDetail['participants'];
  announce: (msg: string) => void;
}) {
  const { api, meetingId, released } = props;
  const t = useT();
  const agenda = useYMap(props.doc, 'agenda', readItems, NO_ITEMS);
  // Under the meeting's key: refreshMeeting (after any change in the console) asks again too.
  const staged = useQuery({ queryKey: ['meeting', meetingId, 'staged'], queryFn: () => stagedPapers(api, meetingId) });
  const { refetch } = staged;
  useEffect(() => void refetch(), [released, refetch]);

  return (
    <section className="staged" aria-labelledby={`staged-h-${meetingId}`}>
      <h3 id={`staged-h-${meetingId}`} className="staged-h">
        <Icon name="clock" />
        {t('staging.heading')}
        {staged.data && staged.data.length > 0 && <span className="staged-count">{staged.data.length}</span>}
      </h3>
      <p className="muted small">{t('staging.explain')}</p>
      {staged.error && <p className="error small" role="alert">{errorText(t, staged.error)}</p>}
      {staged.data?.length === 0 && <p className="muted small">{t('staging.none')}</p>}
      <ul className="staged-list">
        {(staged.data ?? []).map((p) => (
          <StagedRow key={p.id} paper={p} agenda={agenda} {...props} />
        ))}
      </ul>
    </section>
  );
}

function StagedRow(props: {
  paper: MeetingPaper;
  agenda: AgendaItem[];
  api: Api;
  meetingId: string;
  others: MeetingDetail['participants'];
  announce: (msg: string) => void;
}) {
  const { paper, api, others, announce } = props;
  const t = useT();
  const queries = useQueryClient();
  const [name, setName] = useState(paper.title);
  const [itemId, setItemId] = useState(paper.agendaItemIds?.[0] ?? '');
  const [everyone, setEveryone] = useState(!paper.restricted);
  const [chosen, setChosen] = useState<string[]>(paper.restrictTo ?? []);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = paper.versions[paper.versions.length - 1];
  const title = name.trim() || paper.title;
  const isVersion = paper.replaces !== undefined;

  const run = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      announce(done);
      await refreshMeeting(queries, props.meetingId);
    } catch (err) {
      setError(actionError(t, err));
      setBusy(false);
    }
  };
  const release = () => {
    if (isVersion) return void run(() => releasePaper(api, paper.id, { title }), t('staging.releasedVersion', { title }));
    if (!everyone && chosen.length === 0) return setError(t('console.papers.pickSomeone'));
    void run(() => releasePaper(api, paper.id, {
      title, agendaItemId: itemId || null, restrictTo: everyone ? null : chosen,
    }), t('staging.released', { title }));
  };

  return (
    <li className="staged-paper" data-paper-id={paper.id}>
      <div className="staged-head">
        <span className="staged-badge">{t('staging.badge')}</span>
        {isVersion && <strong className="small">{t('staging.newVersionOf', { title: paper.title })}</strong>}
        <span className="muted small">{latest ? t('staging.file', { name: latest.fileName, pages: latest.pages }) : null}</span>
      </div>
      <form className="staged-form" onSubmit={(e) => { e.preventDefault(); release(); }}>
        <label className="staged-field">
          {t('staging.name')}
          <input value={name} maxLength={300} required onChange={(e) => setName(e.target.value)} />
        </label>
        {!isVersion && <label className="staged-field">
          {t('staging.item')}
          <select value={itemId} onChange={(e) => setItemId(e.target.value)}>
            <option value="">{t('staging.noItem')}</option>
            {props.agenda.map((i) => <option key={i.id} value={i.id}>{i.title}</option>)}
          </select>
        </label>}
        {!isVersion && <fieldset className="staged-who">
          <legend>{t('staging.who', { title })}</legend>
          <label className="check"><input type="radio" name={`staged-who-${paper.id}`} checked={everyone} onChange={() => setEveryone(true)} />{t('console.papers.everyone')}</label>
          <label className="check"><input type="radio" name={`staged-who-${paper.id}`} checked={!everyone} onChange={() => setEveryone(false)} />{t('console.papers.onlyThese')}</label>
          {!everyone && (
            <div className="staged-people">
              {others.map((o) => (
                <label key={o.userId} className="check">
                  <input type="checkbox" checked={chosen.includes(o.userId)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, o.userId] : chosen.filter((x) => x !== o.userId))} />
                  {o.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>}
        <div className="staged-actions">
          <button type="submit" className="primary" disabled={busy || !name.trim()}><Icon name="check" />{t('staging.release')}</button>
          <button type="button" className="danger" disabled={busy} onClick={() => { setError(null); setConfirming(true); }}>
            <Icon name="trash" />{t('staging.discard')}
          </button>
        </div>
      </form>
      {confirming && (
        <ConfirmDialog title={t('staging.confirmTitle')} message={t('staging.confirmDiscard', { title })} confirmLabel={t('staging.confirmYes')}
          cancelLabel={t('staging.keep')} busy={busy} error={error} onCancel={() => setConfirming(false)}
          onConfirm={() => void run(() => deletePaper(api, paper.id), t('staging.discarded', { title }))} />
      )}
      {busy && <span className="muted small" role="status">{t('console.papers.busy')}</span>}
      {error && <p className="error small" role="alert">{error}</p>}
    </li>
  );
}

/** Every version of a paper, newest first, behind a disclosure (the row stays short). */
export function PaperVersions({ paper }: { paper: MeetingPaper }) {
  const { t, locale } = useI18n();
  return (
    <details className="paper-versions">
      <summary>{t('staging.versions', { n: paper.versions.length })}</summary>
      <ol aria-label={t('staging.versionsOf', { title: paper.title })} reversed>
        {[...paper.versions].reverse().map((v) => (
          <li key={v.version} className="small">
            {t('staging.versionLine', { v: v.version, file: v.fileName, pages: v.pages, date: formatDate(v.createdAt, locale) })}
          </li>
        ))}
      </ol>
    </details>
  );
}
