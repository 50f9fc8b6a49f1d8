// English for the app shell and the meeting screen's layout (issue 16: the drawer, the
// collapsible panel, paper cards, the top bar's compact menu), spread into en.ts. None of these
// names contains a name the tests or the brief reserve ('Close', 'Account', 'Language').
export const layoutEn = {
  'layout.meeting': 'Meeting',
  'layout.meetingPanel': 'Meeting panel',
  'layout.closePanel': 'Close meeting panel',
  'layout.hidePanel': 'Hide meeting panel',
  'layout.showPanel': 'Show meeting panel',
  'layout.itemPapers': '{n, plural, one {# paper} other {# papers}}',
  'layout.new': 'New',
  'layout.updated': 'Updated',
  'layout.version': 'version {v}',
  'layout.onDevice': 'On this device',
  'layout.userMenu': 'Menu for {name}',
  'layout.signinHint': 'Use the login and password your secretariat gave you.',
} as const;
