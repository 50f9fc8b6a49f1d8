// The in-paper search bar: the field (Enter: next match, Shift+Enter: previous, Escape: close),
// previous and next match, and what the search found so far.
import { useT } from '../i18n/index.tsx';

export interface SearchBarProps {
  query: string;
  onQuery: (q: string) => void;
  hits: number;
  matchIndex: number;
  /** The page being read while the search runs, else null. */
  scanning: number | null;
  /** Moves to the next (1) or previous (-1) match. */
  onMatch: (step: 1 | -1) => void;
  onClose: () => void;
}

export function SearchBar({ query, onQuery, hits, matchIndex, scanning, onMatch, onClose }: SearchBarProps) {
  const t = useT();
  return (
    <div className="search-bar" role="search">
      <input
        type="search"
        autoFocus
        aria-label={t('viewer.searchField')}
        placeholder={t('viewer.searchField')}
        value={query}
        onChange={(e) => onQuery(e.target.value.slice(0, 200))}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onMatch(e.shiftKey ? -1 : 1);
          if (e.key === 'Escape') onClose();
        }}
      />
      <button type="button" onClick={() => onMatch(-1)} disabled={!hits} aria-label={t('viewer.searchPrev')}>↑</button>
      <button type="button" onClick={() => onMatch(1)} disabled={!hits} aria-label={t('viewer.searchNext')}>↓</button>
      <span role="status" className="muted">
        {scanning ? t('viewer.searching', { n: scanning }) : query.trim() ? (hits ? t('viewer.searchCount', { i: matchIndex + 1, n: hits }) : t('viewer.searchNone')) : ''}
      </span>
    </div>
  );
}
