// English for the viewer's views, its compact toolbar, colour names and the replaced-paper
// notice (issue 16), spread into en.ts.
export const viewerEn = {
  'replaced.label': 'Replaced paper',
  'replaced.head': 'This paper was replaced by version {v}.',
  'replaced.headTitled': '“{title}” was replaced by version {v}.',
  'replaced.both': 'Your notes on {c, plural, one {page} other {pages}} {carried} were carried over; your notes on {s, plural, one {page} other {pages}} {stayed} stayed on version {prev}.',
  'replaced.carried': 'Your notes on {c, plural, one {page} other {pages}} {carried} were carried over.',
  'replaced.stayed': 'Your notes on {s, plural, one {page} other {pages}} {stayed} stayed on version {prev}.',
  // Never "Open…" or "…notes": the brief's `Pen` and `Note` buttons are found by substring.
  'replaced.openOld': 'Go to version {prev} with my annotations',
  'replaced.dismiss': 'Dismiss',
  'view.label': 'View',
  'view.fitWidth': 'Fit width',
  'view.fitPage': 'Fit page',
  'view.twoPages': 'Two pages',
  'tools.more': 'More',
  'tools.navigation': 'Pages',
  'color.blue': 'Blue',
  'color.red': 'Red',
  'color.green': 'Green',
  'color.black': 'Black',
  'color.purple': 'Purple',
  'color.yellow': 'Yellow',
  'color.pink': 'Pink',
  'width.thin': 'Thin',
  'width.medium': 'Medium',
  'width.thick': 'Thick',
} as const;
