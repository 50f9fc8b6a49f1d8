// The results of `Search all papers` (#/search?q=…): paper hits grouped by meeting, each with the
// paper's title, its page and the snippet with the matched words marked; then the agenda items,
// conclusions and decisions that matched. What the answer says about its own reach is shown:
// papers without a text layer (found by title only), papers still being indexed, and an answer
// from this device's own index while its hub is away. A paper hit opens the viewer on its page
// with the in-paper search pre-filled, so the words are highlighted there too.
import { useMemo, type ReactNode } from 'react';
import type { PaperHit, RecordHit } from '../../shared/search.ts';
import { useT, type MessageKey } from '../i18n/index.tsx';
import { errorText } from '../i18n/error-text.ts';
import type { Api } from '../api.ts';
import { formatRoute, navigate, type Route } from '../route.ts';
import { stepResult } from './keyboard.ts';
import { SEARCH_FIELD_ID } from './SearchField.tsx';
import { Snippet } from './Snippet.tsx';
import { useSearchAll } from './use-search-all.ts';
import './search.css';

interface Group<T> {
  meetingId: string;
  meetingTitle: string;
  items: T[];
}

/** Hits grouped by meeting, the groups in the order of their best hit (the answer is ranked). */
export function byMeeting<T extends { meetingId: string; meetingTitle: string }>(hits: readonly T[]): Group<T>[] {
  const groups = new Map<string, Group<T>>();
  for (const h of hits) {
    let g = groups.get(h.meetingId);
    if (!g) groups.set(h.meetingId, (g = { meetingId: h.meetingId, meetingTitle: h.meetingTitle, items: [] }));
    g.items.push(h);
  }
  return [...groups.values()];
}

const paperRoute = (h: PaperHit, q: string): Route => ({ name: 'meeting', meetingId: h.meetingId, paperId: h.paperId, page: h.page, sha256: null, find: q });
const meetingRoute = (meetingId: string): Route => ({ name: 'meeting', meetingId, paperId: null, page: 1, sha256: null });

function ResultLink({ to, children }: { to: Route; children: ReactNode }) {
  return (
    <a
      href={formatRoute(to)}
      data-search-result=""
      onClick={(e) => { e.preventDefault(); navigate(to); }}
      onKeyDown={(e) => {
        if (stepResult(e.target, e.key, SEARCH_FIELD_ID)) e.preventDefault();
      }}
    >
      {children}
    </a>
  );
}

function PaperHits({ hits, q }: { hits: PaperHit[]; q: string }) {
  const t = useT();
  const groups = useMemo(() => byMeeting(hits), [hits]);
  return groups.map((g) => (
    <section key={g.meetingId} className="search-group" aria-label={g.meetingTitle}>
      <h2>{g.meetingTitle}</h2>
      <ul className="search-hits">
        {g.items.map((h) => (
          <li key={`${h.paperId}:${h.version}:${h.page}`}>
            <ResultLink to={paperRoute(h, q)}>
              <span className="search-hit-head">
                <span className="search-paper">{h.paperTitle}</span>
                <span className="search-page"> · {t('search.page', { n: h.page })}</span>
              </span>
              <Snippet text={h.snippet} marks={h.marks} />
            </ResultLink>
          </li>
        ))}
      </ul>
    </section>
  ));
}

function RecordHits({ records }: { records: RecordHit[] }) {
  const t = useT();
  const groups = useMemo(() => byMeeting(records), [records]);
  return (
    <section className="search-records" aria-labelledby="search-records-h">
      <h2 id="search-records-h">{t('search.records')}</h2>
      {groups.map((g) => (
        <section key={g.meetingId} className="search-group" aria-label={g.meetingTitle}>
          <h3>{g.meetingTitle}</h3>
          <ul className="search-hits">
            {g.items.map((r) => (
              <li key={`${r.kind}:${r.refId}`}>
                <ResultLink to={meetingRoute(r.meetingId)}>
                  <span className="search-hit-head"><span className="search-kind">{t(`search.kind.${r.kind}` as MessageKey)}</span></span>
                  <Snippet text={r.snippet} marks={r.marks} />
                </ResultLink>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

export function SearchView({ q, api }: { q: string; api: Api }) {
  const t = useT();
  const query = q.trim();
  const { data, error, isFetching } = useSearchAll(api, query);
  const failure = error && error.status !== 401 ? errorText(t, error) : null;
  const found = data ? data.hits.length + data.records.length : 0;
  return (
    <section className="search-view card" aria-labelledby="search-h">
      <h1 id="search-h">{query ? t('search.resultsFor', { q: query }) : t('search.title')}</h1>
      {!query && <p className="muted">{t('search.prompt')}</p>}
      {failure && <p className="error" role="alert">{failure}</p>}
      {query && !data && !failure && <p className="muted" role="status">{t('search.searching')}</p>}
      {data && (
        <>
          <div className="search-notes" role="status">
            {data.source === 'agent' && <p className="search-note device">{t('search.onDevice')}</p>}
            {data.pendingPapers > 0 && <p className="search-note">{t('search.pending', { n: data.pendingPapers })}{isFetching ? ' …' : ''}</p>}
            {data.untextedPapers > 0 && <p className="search-note">{t('search.untexted', { n: data.untextedPapers })}</p>}
            <p className="muted small">{found === 0 ? t('search.none') : t('search.count', { n: data.hits.length })}</p>
          </div>
          {found > 0 && (
            <div className="search-results" aria-label={t('search.results')} role="region">
              <p className="visually-hidden">{t('search.keys')}</p>
              <PaperHits hits={data.hits} q={query} />
              {data.records.length > 0 && <RecordHits records={data.records} />}
            </div>
          )}
        </>
      )}
    </section>
  );
}
