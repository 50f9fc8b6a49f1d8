// English for search across every paper (renderer/search/), spread into en.ts. The brief's name
// for the field: `Search all papers`.
export const searchEn = {
  'search.field': 'Search all papers',
  'search.submit': 'Search',
  'search.title': 'Search',
  'search.resultsFor': 'Results for “{q}”',
  'search.prompt': 'Type words from any paper of your meetings, with or without accents, and press Enter.',
  'search.searching': 'Searching…',
  'search.none': 'Nothing found.',
  'search.count': '{n, plural, one {# page found} other {# pages found}}',
  'search.results': 'Search results',
  'search.page': 'page {n}',
  'search.version': 'version {v}',
  'search.records': 'Agenda, conclusions and decisions',
  'search.kind.agenda': 'Agenda item',
  'search.kind.conclusion': 'Conclusion',
  'search.kind.decision': 'Decision',
  'search.untexted': '{n, plural, one {# paper has no text layer (scanned): it is found by its title only.} other {# papers have no text layer (scanned): they are found by their titles only.}}',
  'search.pending': 'Still indexing {n, plural, one {# paper} other {# papers}}: more results may appear.',
  'search.onDevice': 'Searched on this device: the room’s hub cannot be reached, so only the papers held here were searched.',
  'search.keys': 'Arrow keys or Tab move through the results; Enter opens one.',
} as const;
