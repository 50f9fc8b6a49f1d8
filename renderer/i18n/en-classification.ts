// English for classification (issue 17, docs/classification.md): the level badge, the viewer's
// export and print buttons, and what is said when a level does not allow them. The level's own
// name comes from the level (the admin's EN/VI names). Spread into en.ts.
export const classificationEn = {
  'classification.badge': 'Classification: {name}',
  'classification.export': 'Export PDF',
  'classification.exporting': 'Exporting…',
  'classification.exportFailed': 'The paper could not be exported: {msg}',
  'classification.print': 'Print',
  'classification.noPrint': 'This paper is classified {name}: it may not be printed.',
  'classification.watermarked': 'Pages carry your name, account, device and the time.',
  'classification.level': 'Classification',
  'classification.levelOf': 'Classification of {title}',
  'classification.changed': '{title} is now classified {name}.',
};
