// Papers: upload (file picker or drag and drop, with progress), replace with a new version (the
// row's picker, or a file dropped on the row), rename, restrict to named participants, delete,
// each paper's versions. Every upload is staged, a new version too: it waits in StagedPapers.tsx,
// seen by the managers only, until it is released.
// The hub validates every upload; the console sniffs the first bytes only to say at once, and
// clearly, that a file is not a PDF rather than after sending megabytes.
import { useRef, useState, type DragEvent } from 'react';
import type * as Y from 'yjs';
import { useQueryClient } from '@tanstack/react-query';
import { canManageMeeting } from '../../shared/roles.ts';
import { ApiError, type Api, type MeetingDetail, type MeetingPaper } from '../api.ts';
import { refreshMeeting } from '../data/queries.ts';
import { useT } from '../i18n/index.tsx';
import { actionError, deletePaper, errorText, patchPaper, sniffUpload, uploadPaper } from './console-api.ts';
import { RecallButton, RecallStatusList } from './RecallPanel.tsx';
import { ClassifyControl } from './ClassifyControl.tsx';
import { PaperVersions, StagedPapers } from './StagedPapers.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';

interface UploadRow {
  key: number;
  name: string;
  progress: number;
  state: 'uploading' | 'done' | 'error';
  message: string;
}

const ACCEPT = '.pdf,application/pdf,.docx,.odt';
const baseName = (n: string) => n.replace(/\.(pdf|docx|odt)$/i, '').trim() || n;

export function PapersPanel(props: {
  api: Api;
  meetingId: string;
  papers: MeetingPaper[] | null;
  meeting: MeetingDetail | null;
  announce: (msg: string) => void;
  /** The meeting document: the agenda items a staged paper may be placed on. */
  doc?: Y.Doc | null;
}) {
  const { api, meetingId, papers, meeting, announce } = props;
  const t = useT();
  const queries = useQueryClient();
  // The hub bumps live.papersRev too; asking at once shows the change without waiting for it.
  const refresh = () => void refreshMeeting(queries, meetingId);
  const [uploads, setUploads] = useState<UploadRow[]>([]);
  const [over, setOver] = useState<string | null>(null);
  const seq = useRef(0);

  const update = (key: number, patch: Partial<UploadRow>) => setUploads((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const send = async (files: File[], replace?: MeetingPaper) => {
    for (const file of files) {
      const key = ++seq.current;
      setUploads((rows) => [...rows.filter((r) => r.state !== 'done'), { key, name: file.name, progress: 0, state: 'uploading', message: '' }]);
      const kind = await sniffUpload(file);
      if (!kind) {
        update(key, { state: 'error', message: t('console.papers.notPdf', { name: file.name }) });
        continue;
      }
      try {
        const res = await uploadPaper(api, {
          meetingId, file, kind, title: replace ? undefined : baseName(file.name), replace: replace?.id, stage: true,
          onProgress: (f) => update(key, { progress: f }),
        }).promise;
        const message = replace ? t('staging.uploadedVersion', { title: replace.title }) : t('staging.uploaded', { name: file.name, pages: res.pages });
        // The row itself is a status region: screen readers hear it once, without announce().
        update(key, { state: 'done', progress: 1, message });
      } catch (err) {
        const msg = err instanceof ApiError && err.unreachable ? t('console.error.offline') : errorText(t, err);
        update(key, { state: 'error', message: t('console.papers.failed', { name: file.name, msg }) });
      }
      refresh();
    }
  };

  const onDrop = (e: DragEvent, replace?: MeetingPaper) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(null);
    const files = [...e.dataTransfer.files];
    if (files.length) void send(replace ? files.slice(0, 1) : files, replace);
  };
  const onDragOver = (e: DragEvent, target: string) => {
    if (![...e.dataTransfer.types].includes('Files')) return;
    e.preventDefault();
    e.stopPropagation();
    e.dataTransfer.dropEffect = 'copy';
    if (over !== target) setOver(target);
  };

  const others = (meeting?.participants ?? []).filter((p) => !canManageMeeting('delegate', p.role));

  return (
    <div className="papers-panel">
      <div className={`ce-drop${over === 'zone' ? ' over' : ''}`} data-testid="paper-drop"
        onDragOver={(e) => onDragOver(e, 'zone')} onDragLeave={() => setOver(null)} onDrop={(e) => onDrop(e)}>
        <span className="small">{over === 'zone' ? t('console.papers.dropHere') : t('console.papers.drop')}</span>
        <label className="button primary">
          <input type="file" multiple accept={ACCEPT} className="visually-hidden" aria-label={t('console.papers.upload')}
            onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; void send(f); }} />
          {t('console.papers.upload')}
        </label>
        <span className="muted small">{t('console.papers.accepts')}</span>
      </div>

      {uploads.length > 0 && (
        <ul className="ce-uploads">
          {uploads.map((u) => (
            <li key={u.key} className={`ce-upload ${u.state}`}>
              {u.state === 'uploading' && (
                <>
                  <span className="small">{t('console.papers.uploading', { name: u.name })}</span>
                  <progress max={1} value={u.progress} aria-label={t('console.papers.uploading', { name: u.name })} />
                </>
              )}
              {u.state === 'done' && <span className="small" role="status">{u.message}</span>}
              {u.state === 'error' && <span className="error small" role="alert">{u.message}</span>}
              {u.state !== 'uploading' && (
                <button type="button" className="link small" onClick={() => setUploads((rows) => rows.filter((r) => r.key !== u.key))}>{t('console.papers.dismiss')}</button>
              )}
            </li>
          ))}
        </ul>
      )}

      <StagedPapers api={api} meetingId={meetingId} doc={props.doc ?? null} released={papers} others={others} announce={announce} />

      {papers && papers.length === 0 && <p className="muted small">{t('console.papers.none')}</p>}
      <ul className="ce-papers">
        {(papers ?? []).map((p) => (
          <PaperRow key={p.id} paper={p} api={api} meetingId={meetingId} others={others} refresh={refresh} announce={announce}
            over={over === p.id} onDragOver={(e) => onDragOver(e, p.id)} onDragLeave={() => setOver(null)} onDrop={(e) => onDrop(e, p)}
            onReplace={(f) => void send([f], p)} />
        ))}
      </ul>
      <RecallStatusList api={api} meetingId={meetingId} />
    </div>
  );
}

type Mode = 'none' | 'rename' | 'restrict' | 'delete';

function PaperRow(props: {
  paper: MeetingPaper;
  api: Api;
  meetingId: string;
  others: MeetingDetail['participants'];
  refresh: () => void;
  announce: (msg: string) => void;
  over: boolean;
  onDragOver: (e: DragEvent) => void;
  onDragLeave: () => void;
  onDrop: (e: DragEvent) => void;
  onReplace: (f: File) => void;
}) {
  const { paper, api, others, refresh } = props;
  const t = useT();
  const [mode, setMode] = useState<Mode>('none');
  const [name, setName] = useState(paper.title);
  const [everyone, setEveryone] = useState(!paper.restricted);
  const [chosen, setChosen] = useState<string[]>(paper.restrictTo ?? []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = paper.versions[paper.versions.length - 1];
  const nameOf = (id: string) => others.find((o) => o.userId === id)?.name ?? id;

  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      setMode('none');
      refresh();
    } catch (err) {
      setError(actionError(t, err));
    } finally {
      setBusy(false);
    }
  };
  const open = (m: Mode) => {
    setError(null);
    setName(paper.title);
    setEveryone(!paper.restricted);
    setChosen(paper.restrictTo ?? []);
    setMode(mode === m ? 'none' : m);
  };

  return (
    <li className={`ce-paper${props.over ? ' over' : ''}`} data-paper-id={paper.id} onDragOver={props.onDragOver} onDragLeave={props.onDragLeave} onDrop={props.onDrop}>
      <div className="ce-paper-head">
        <span className="ce-paper-title">{paper.title}</span>
        <span className="muted small">
          {[latest ? t('console.papers.version', { v: latest.version }) : null, latest ? t('console.papers.pages', { n: latest.pages }) : null].filter(Boolean).join(' · ')}
        </span>
        {paper.restricted && <span className="muted small ce-restricted">{t('console.papers.restrictedTo', { names: (paper.restrictTo ?? []).map(nameOf).join(', ') || '—' })}</span>}
        <PaperVersions paper={paper} />
      </div>
      <div className="ce-paper-actions">
        <label className="button">
          <input type="file" accept={ACCEPT} className="visually-hidden" aria-label={t('console.papers.replaceWith', { title: paper.title })}
            onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) props.onReplace(f); }} />
          {t('console.papers.replace')}
        </label>
        <button type="button" aria-expanded={mode === 'restrict'} onClick={() => open('restrict')}>{t('console.papers.restrict')}</button>
        <button type="button" aria-expanded={mode === 'rename'} onClick={() => open('rename')}>{t('console.papers.rename')}</button>
        <button type="button" className="danger" aria-expanded={mode === 'delete'} onClick={() => open('delete')}>{t('console.papers.delete')}</button>
        <RecallButton api={api} meetingId={props.meetingId} paper={paper} refresh={refresh} announce={props.announce} />
        <ClassifyControl api={api} paper={paper} refresh={refresh} announce={props.announce} />
      </div>

      {mode === 'rename' && (
        <form className="ce-inline" onSubmit={(e) => { e.preventDefault(); if (name.trim()) void run(() => patchPaper(api, paper.id, { title: name.trim() })); }}>
          <label>{t('console.papers.newName')}<input value={name} maxLength={300} onChange={(e) => setName(e.target.value)} autoFocus /></label>
          <button type="submit" disabled={busy || !name.trim()}>{t('console.papers.apply')}</button>
        </form>
      )}
      {mode === 'restrict' && (
        <form className="ce-inline" onSubmit={(e) => {
          e.preventDefault();
          if (!everyone && chosen.length === 0) return setError(t('console.papers.pickSomeone'));
          void run(() => patchPaper(api, paper.id, { restrictTo: everyone ? null : chosen }));
        }}>
          <fieldset>
            <legend>{t('console.papers.whoMay', { title: paper.title })}</legend>
            <label className="check"><input type="radio" name={`who-${paper.id}`} checked={everyone} onChange={() => setEveryone(true)} />{t('console.papers.everyone')}</label>
            <label className="check"><input type="radio" name={`who-${paper.id}`} checked={!everyone} onChange={() => setEveryone(false)} />{t('console.papers.onlyThese')}</label>
            <div className="ce-people">
              {others.map((o) => (
                <label key={o.userId} className="check">
                  <input type="checkbox" disabled={everyone} checked={chosen.includes(o.userId)}
                    onChange={(e) => setChosen(e.target.checked ? [...chosen, o.userId] : chosen.filter((x) => x !== o.userId))} />
                  {o.name}
                </label>
              ))}
            </div>
          </fieldset>
          <button type="submit" disabled={busy}>{t('console.papers.apply')}</button>
        </form>
      )}
      {mode === 'delete' && (
        <ConfirmDialog title={t('confirm.paper.title')} message={t('confirm.paper.message', { title: paper.title })} confirmLabel={t('confirm.paper.action')}
          busy={busy} error={error} onCancel={() => setMode('none')} onConfirm={() => void run(() => deletePaper(api, paper.id))} />
      )}
      {busy && <span className="muted small" role="status">{t('console.papers.busy')}</span>}
      {error && <p className="error small" role="alert">{error}</p>}
    </li>
  );
}
