// English for papers staged before release (issue 16, docs/console.md "Staged papers"): the
// console's staged list, releasing and discarding, and each paper's versions. Spread into en.ts.
// The field names avoid the agenda editor's reserved `Title` and `Save` (docs/console.md).
export const stagingEn = {
  'staging.heading': 'Waiting for release',
  'staging.explain': 'New uploads wait here, seen only by the meeting’s secretaries, chairs and admins. Set each one’s name, agenda item and readers, then release it to the room.',
  'staging.none': 'Nothing is waiting for release.',
  'staging.badge': 'Not released',
  'staging.file': '{name} · {pages, plural, one {# page} other {# pages}}',
  'staging.name': 'Paper name',
  'staging.item': 'Place on agenda item',
  'staging.noItem': 'No item (other papers)',
  'staging.who': 'Who may see {title}',
  'staging.release': 'Release',
  'staging.released': '{title} is released: the room sees it now.',
  'staging.discard': 'Discard',
  'staging.confirmDiscard': '“{title}” and its uploaded file are deleted. No one in the room has seen it.',
  'staging.confirmTitle': 'Discard this paper?',
  'staging.confirmYes': 'Discard paper',
  'staging.keep': 'Keep it',
  'staging.discarded': '{title} was discarded.',
  'staging.uploaded': '{name} uploaded: {pages, plural, one {# page} other {# pages}}. It waits under “Waiting for release” until you release it.',
  'staging.newVersionOf': 'New version of {title}',
  'staging.releasedVersion': 'The new version of {title} is released: readers move to it now.',
  'staging.uploadedVersion': 'New version of {title} uploaded. It waits under “Waiting for release”; readers keep the current version until you release it.',
  'staging.versions': 'Versions ({n})',
  'staging.versionsOf': 'Versions of {title}',
  'staging.versionLine': 'Version {v} · {file} · {pages, plural, one {# page} other {# pages}} · {date}',
} as const;
