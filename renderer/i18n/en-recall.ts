// English for recall and offline expiry (issue 17, docs/recall-and-expiry.md): the console's
// recall button and the devices' confirmations, and the viewer's "expired" message. Spread into en.ts.
export const recallEn = {
  'recall.button': 'Recall',
  'recall.explain': 'Recall “{title}” from every device: it is removed for everyone and deleted from each tablet.',
  'recall.reason': 'Reason',
  'recall.confirm': 'Recall from all devices',
  'recall.done': '“{title}” was recalled; devices confirm as they delete it.',
  'recall.heading': 'Recalled papers',
  'recall.when': 'recalled at {time}: {reason}',
  'recall.counts': '{done} of {all} devices confirmed',
  'recall.devicesOf': 'Devices holding “{title}”',
  'recall.device': 'Device',
  'recall.user': 'User',
  'recall.state': 'Deleted',
  'recall.confirmedAt': 'Confirmed at {time}',
  'recall.notYet': 'Not yet',
  'recall.notYetSeen': 'Not yet (last seen {time})',
  'recall.onClose': 'Recall its papers from every device when closing',
  'recall.expired': 'Offline access to this paper has expired; reconnect to the room’s network.',
};
