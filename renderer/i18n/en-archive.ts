// English for the archive (renderer/archive/): a closed meeting's read-only state, the meeting
// package export, and an admin's reopening. Spread into en.ts.
export const archiveEn = {
  'archive.closedNotice': 'This meeting is closed. It is archived: everything can be read, nothing can be changed.',
  'archive.heading': 'Archive',
  'archive.export': 'Export meeting package',
  'archive.exportDraft': 'Export draft package',
  'archive.exportHelp': 'A ZIP of every paper and version, attendance, vote results, the record, the agenda and the audit extract, with a signed manifest.',
  'archive.draftHelp': 'The meeting is not closed: the package is marked as a draft, not final.',
  'archive.exporting': 'Preparing the package…',
  'archive.exported': 'Package saved as {name}.',
  'archive.keyFingerprint': 'Hub key fingerprint: {fp}',
  'archive.reopenReason': 'Reason for reopening',
  'archive.reopen': 'Reopen the meeting',
  'archive.reopenHelp': 'Only an admin reopens a closed meeting; the reason is kept in the audit log.',
  'archive.reopened': 'The meeting is open again.',
  'archive.error': 'Could not do this: {msg}',
} as const;
