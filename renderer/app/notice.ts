// A message for the next screen, when something sends the user away from the one they were on
// (a meeting they lost access to goes back to the list, which says why). Read once.
let pending: string | null = null;

export function leaveNotice(message: string): void {
  pending = message;
}

/** The waiting message, if any; it is cleared, so a later visit does not show it again. */
export function takeNotice(): string | null {
  const m = pending;
  pending = null;
  return m;
}
