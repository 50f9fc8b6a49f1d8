// The console's Minutes tab (the secretary's and the chair's): where the minutes stand among their
// steps, the details the secretary sets, the step each may take next — submit, approve and issue
// each asked once more before they are sent —, the issued number and sha256, the documents to
// download, and a preview of what they print. The hub decides every step
// (electron/hub/minutes/service.ts); this screen only offers the ones the caller's role takes.
import { useState } from 'react';
import { MINUTES_LANGS, MINUTES_STATES, type MinutesFormat, type MinutesLang, type MinutesState, type MinutesView, type PutMinutes } from '../../shared/minutes.ts';
import type { MeetingRole } from '../../shared/roles.ts';
import { ROUTES } from '../../shared/routes.ts';
import type { Api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import { useLiveDoc } from '../procedures/live.ts';
import { CommandFeedback } from '../procedures/parts.tsx';
import { procedureCall } from '../procedures/procedure-api.ts';
import { useCommand } from '../procedures/use-command.ts';
import { MinutesFields } from './MinutesFields.tsx';
import { MinutesPreview } from './MinutesPreview.tsx';
import { downloadMinutes, useMinutes, useMinutesStatus } from './use-minutes.ts';
import './minutes.css';

type Act = 'read_out' | 'submit' | 'approve' | 'issue' | 'reopen';
const STEP_ROUTES = {
  read_out: ROUTES.readOutMinutes, submit: ROUTES.submitMinutes, approve: ROUTES.approveMinutes,
} as const;
/** What each role may do in each state; the hub holds the same table (MAY and FROM in service.ts). */
function actsFor(state: MinutesState, role: MeetingRole | 'admin' | null): Act[] {
  const secretary = role === 'secretary' || role === 'admin';
  const chair = role === 'chair' || role === 'admin';
  const acts: Act[] = [];
  if (state === 'draft' && secretary) acts.push('read_out', 'submit');
  if (state === 'read_out' && secretary) acts.push('submit');
  if (state === 'submitted' && chair) acts.push('approve');
  if (state === 'approved' && (secretary || chair)) acts.push('issue');
  if ((state === 'read_out' || state === 'submitted' || state === 'approved') && (secretary || chair)) acts.push('reopen');
  return acts;
}
const CONFIRMED: ReadonlySet<Act> = new Set(['submit', 'approve', 'issue']);

export function MinutesPanel({ api, meetingId, role, announce }: { api: Api; meetingId: string; role: MeetingRole | 'admin' | null; announce: (m: string) => void }) {
  const { t, locale } = useI18n();
  const { doc } = useLiveDoc(meetingId, api.token);
  const status = useMinutesStatus(doc);
  const minutes = useMinutes(api, meetingId, status?.rev ?? -1);
  const cmd = useCommand();
  const [confirming, setConfirming] = useState<Act | null>(null);
  const [issueLang, setIssueLang] = useState<MinutesLang>('vi');
  const [previewLang, setPreviewLang] = useState<MinutesLang>(locale === 'vi' ? 'vi' : 'en');
  const [dlError, setDlError] = useState<string | null>(null);
  const view = minutes.data;
  if (!view) return <p className="muted" role="status">{minutes.error ? errorText(t, minutes.error) : t('min.loading')}</p>;

  const done = (v: MinutesView, message: string) => {
    minutes.accept(v);
    setConfirming(null);
    announce(message);
  };
  const act = (a: Act) => void cmd.run(async () => {
    const params = { id: meetingId };
    const { answer } = a === 'issue' ? await procedureCall(api, ROUTES.issueMinutes, { params, body: { lang: issueLang } })
      : a === 'reopen' ? await procedureCall(api, ROUTES.reopenMinutes, { params, body: {} })
        : await procedureCall(api, STEP_ROUTES[a], { params });
    done(answer, a === 'issue' ? t('min.done.issue', { number: answer.issued?.number ?? '' }) : t(`min.done.${a}` as MessageKey));
  });
  const store = (patch: PutMinutes) => void cmd.run(async () => {
    const { answer } = await procedureCall(api, ROUTES.putMinutes, { params: { id: meetingId }, body: patch });
    done(answer, t('min.stored'));
  });
  const download = (format: MinutesFormat, lang: MinutesLang) => {
    setDlError(null);
    downloadMinutes(api, meetingId, format, lang, view.issued?.number ?? null).catch((err: unknown) => setDlError(t('min.dlFailed', { reason: errorText(t, err) })));
  };

  const at = MINUTES_STATES.indexOf(view.state);
  const acts = actsFor(view.state, role);
  const secretary = role === 'secretary' || role === 'admin';
  return (
    <div className="chair-panel mn-panel">
      <ol className="mn-steps" aria-label={t('min.steps')}>
        {MINUTES_STATES.map((s, i) => (
          <li key={s} className={i === at ? 'current' : i < at && (s !== 'read_out' || view.readOut) ? 'done' : undefined} aria-current={i === at ? 'step' : undefined}>
            {t(`min.state.${s}` as MessageKey)}{s === 'read_out' && <span className="muted small"> {t('min.step.optional')}</span>}
          </li>
        ))}
      </ol>
      <p className="mn-state" role="status" data-testid="minutes-state">{t('min.stateNow', { state: t(`min.state.${view.state}` as MessageKey) })}</p>

      {view.issued && (
        <div className="mn-issued" data-testid="minutes-issued">
          <p><strong>{t('min.issued', { number: view.issued.number, date: new Date(view.issued.at).toLocaleString(locale) })}</strong></p>
          <p className="small">{t('min.sha')}: <code className="mn-sha" data-testid="minutes-sha256">{view.issued.sha256}</code></p>
          {view.signed && <p className="small">{t('min.signed', { sha: view.signed.sha256 })}</p>}
          <p className="small muted">{t('min.asPaper')}</p>
        </div>
      )}

      {acts.length > 0 && confirming === null && (
        <div className="ce-buttons">
          {acts.includes('issue') && (
            <label className="mn-inline">{t('min.issueLang')}
              <select value={issueLang} onChange={(e) => setIssueLang(e.target.value === 'en' ? 'en' : 'vi')}>
                {MINUTES_LANGS.map((l) => <option key={l} value={l}>{t(`min.lang.${l}` as MessageKey)}</option>)}
              </select>
            </label>
          )}
          {acts.map((a) => (
            <button key={a} type="button" className={a === 'reopen' ? undefined : 'primary'} disabled={cmd.busy}
              onClick={() => (CONFIRMED.has(a) ? setConfirming(a) : act(a))}>{t(`min.act.${a}` as MessageKey)}</button>
          ))}
        </div>
      )}
      {confirming !== null && (
        <div className="mn-confirm" role="group" aria-label={t(`min.act.${confirming}` as MessageKey)}>
          <p>{t(`min.confirm.${confirming}` as MessageKey)}</p>
          <div className="ce-buttons">
            <button type="button" className="primary" disabled={cmd.busy} onClick={() => act(confirming)}>{t(`min.yes.${confirming}` as MessageKey)}</button>
            <button type="button" disabled={cmd.busy} onClick={() => setConfirming(null)}>{t('min.cancel')}</button>
          </div>
        </div>
      )}
      <CommandFeedback command={cmd} />

      <div className="mn-downloads" role="group" aria-label={t('min.download')}>
        <span className="small">{t('min.download')}:</span>
        {(['pdf', 'docx'] as const).flatMap((format) => MINUTES_LANGS.map((lang) => (
          <button key={`${format}-${lang}`} type="button" onClick={() => download(format, lang)}>
            {t('min.dl', { format: format.toUpperCase(), lang: t(`min.lang.${lang}` as MessageKey) })}
          </button>
        )))}
      </div>
      {dlError && <p className="error small" role="alert">{dlError}</p>}

      {secretary && !view.issued ? (
        <MinutesFields key={view.rev} fields={view.fields} editable={view.state === 'draft'} busy={cmd.busy} onStore={store} />
      ) : view.state === 'draft' && <p className="small muted">{t('min.secretaryEdits')}</p>}

      <div className="mn-preview-bar">
        <label className="mn-inline">{t('min.previewLang')}
          <select value={previewLang} onChange={(e) => setPreviewLang(e.target.value === 'en' ? 'en' : 'vi')}>
            {MINUTES_LANGS.map((l) => <option key={l} value={l}>{t(`min.lang.${l}` as MessageKey)}</option>)}
          </select>
        </label>
        {!view.issued && <button type="button" onClick={minutes.rebuild}>{t('min.refresh')}</button>}
      </div>
      <MinutesPreview model={view.model} lang={previewLang} label={t('min.preview')} />
    </div>
  );
}
