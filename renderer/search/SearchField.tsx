// The `Search all papers` field in the top bar, on every screen of a signed-in session: Enter
// opens the results screen (#/search?q=…); the down arrow moves into the results shown.
import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.tsx';
import { navigate, useRoute } from '../route.ts';
import { focusResult } from './keyboard.ts';
import './search.css';

export const SEARCH_FIELD_ID = 'search-all-field';

export function SearchField() {
  const t = useT();
  const route = useRoute();
  const routeQ = route.name === 'search' ? route.q : null;
  const [value, setValue] = useState(routeQ ?? '');
  // The field shows the query of the results on screen (a reload, back and forward).
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the address is outside React; this follows it
    if (routeQ !== null) setValue(routeQ);
  }, [routeQ]);
  return (
    <form
      className="search-all"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        const q = value.trim();
        if (q) navigate({ name: 'search', q });
      }}
    >
      <input
        id={SEARCH_FIELD_ID}
        type="search"
        aria-label={t('search.field')}
        placeholder={t('search.field')}
        value={value}
        maxLength={500}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && focusResult(0)) e.preventDefault();
        }}
      />
    </form>
  );
}
